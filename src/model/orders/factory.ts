import { parseDecimal, type NumericInput } from '../decimal.ts';
import { shown, ValidationError } from '../errors.ts';
import {
  accountId,
  clientOrderId,
  orderListId,
  positionId,
  strategyId,
  type ClientOrderId,
} from '../identifiers.ts';
import type { Instrument } from '../instrument.ts';
import type { Price, Quantity } from '../values.ts';
import {
  CONTINGENCY_TYPES,
  ORDER_SIDES,
  ORDER_TYPES,
  TIME_IN_FORCE,
  TRAILING_OFFSET_TYPES,
  TRIGGER_TYPES,
  type ContingencyType,
  type OrderSpec,
  type TrailingOffset,
  type TrailingOffsetType,
} from './types.ts';

/** What a caller sends to place an order: loosely typed, validated by `createOrderSpec`. */
export interface OrderRequest {
  clientOrderId: string;
  accountId: string;
  strategyId?: string;
  instrumentId: string;
  side: string;
  type: string;
  quantity: NumericInput | Quantity;
  price?: NumericInput | Price;
  triggerPrice?: NumericInput | Price;
  triggerType?: string;
  trailingOffset?: NumericInput;
  trailingOffsetType?: string;
  limitOffset?: NumericInput;
  activationPrice?: NumericInput | Price;
  timeInForce?: string;
  expireTime?: number;
  postOnly?: boolean;
  reduceOnly?: boolean;
  displayQuantity?: NumericInput | Quantity;
  positionId?: string;
  orderListId?: string;
  contingency?: string;
  linkedOrderIds?: string[];
  parentOrderId?: string;
  tags?: string[];
  /** Trade in extended hours where the venue allows them (see OrderSpec.extendedHours). */
  extendedHours?: boolean;
}

const NO_TAGS: readonly string[] = Object.freeze([]);
const NO_IDS: readonly ClientOrderId[] = Object.freeze([]);

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError('INVALID_FIELD', `${field} must be one of ${allowed.join(', ')}, got ${shown(value)}`, {
      field,
      input: shown(value),
    });
  }
  return value as T;
}

function bool(field: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new ValidationError('INVALID_FIELD', `${field} must be a boolean, got ${shown(value)}`, { field, input: shown(value) });
  }
  return value;
}

function fail(code: 'MISSING_PRICE' | 'MISSING_TRIGGER_PRICE' | 'MISSING_TRAILING_OFFSET' | 'UNEXPECTED_PRICE' | 'INCOMPATIBLE_ORDER_OPTIONS', message: string, field: string): never {
  throw new ValidationError(code, message, { field });
}

function offset(instrument: Instrument, type: TrailingOffsetType, value: NumericInput, field: string): TrailingOffset {
  switch (type) {
    case 'PRICE': {
      const price = instrument.price(value, field);
      if (price.raw <= 0n) fail('MISSING_TRAILING_OFFSET', `${field} must be positive`, field);
      return { type, price };
    }
    case 'BASIS_POINTS': {
      const bps = parseDecimal(value, field);
      if (bps.digits <= 0n || bps.digits >= 10_000n * 10n ** BigInt(bps.scale)) {
        fail('MISSING_TRAILING_OFFSET', `${field} in basis points must be in (0, 10000)`, field);
      }
      return { type, bps };
    }
    case 'TICKS': {
      const t = parseDecimal(value, field);
      if (t.scale !== 0 || t.digits <= 0n) fail('MISSING_TRAILING_OFFSET', `${field} in ticks must be a positive whole number`, field);
      return { type, ticks: t.digits };
    }
  }
}

/**
 * Validates a request against its instrument and the current time, and returns the immutable
 * spec. Every problem is a ValidationError naming the field; nothing is rounded or defaulted
 * silently except the documented defaults (GTC, strategy "default", trigger DEFAULT).
 */
export function createOrderSpec(req: OrderRequest, instrument: Instrument, now: number): OrderSpec {
  if (typeof req !== 'object' || req === null) {
    throw new ValidationError('INVALID_FIELD', 'order request must be an object', { field: 'request' });
  }
  if (req.instrumentId !== instrument.id) {
    throw new ValidationError('INVALID_FIELD', `instrumentId ${shown(req.instrumentId)} does not match instrument ${instrument.id}`, {
      field: 'instrumentId',
    });
  }
  const type = oneOf('type', req.type, ORDER_TYPES);
  const side = oneOf('side', req.side, ORDER_SIDES);
  const timeInForce = oneOf('timeInForce', req.timeInForce, TIME_IN_FORCE, 'GTC');
  const contingency: ContingencyType = oneOf('contingency', req.contingency, CONTINGENCY_TYPES, 'NONE');
  const quantity = instrument.quantity(req.quantity, 'quantity');
  if (quantity.isZero()) throw new ValidationError('NON_POSITIVE_QUANTITY', 'quantity must be positive', { field: 'quantity', input: '0' });
  const hasLimit = type === 'LIMIT' || type === 'STOP_LIMIT' || type === 'LIMIT_IF_TOUCHED';
  const hasTrigger = type === 'STOP_MARKET' || type === 'STOP_LIMIT' || type === 'MARKET_IF_TOUCHED' || type === 'LIMIT_IF_TOUCHED';
  const trailing = type === 'TRAILING_STOP_MARKET' || type === 'TRAILING_STOP_LIMIT';
  if (!hasLimit && type !== 'TRAILING_STOP_LIMIT' && req.price !== undefined) fail('UNEXPECTED_PRICE', `${type} order takes no price`, 'price');
  if (!hasTrigger && !trailing && req.triggerPrice !== undefined) fail('UNEXPECTED_PRICE', `${type} order takes no trigger price`, 'triggerPrice');
  if (!trailing && (req.trailingOffset !== undefined || req.activationPrice !== undefined || req.trailingOffsetType !== undefined)) {
    fail('UNEXPECTED_PRICE', `${type} order takes no trailing offset or activation price`, 'trailingOffset');
  }
  if (type !== 'TRAILING_STOP_LIMIT' && req.limitOffset !== undefined) fail('UNEXPECTED_PRICE', `${type} order takes no limit offset`, 'limitOffset');
  if (hasLimit && req.price === undefined) fail('MISSING_PRICE', `${type} order needs a price`, 'price');
  if (hasTrigger && req.triggerPrice === undefined) fail('MISSING_TRIGGER_PRICE', `${type} order needs a trigger price`, 'triggerPrice');

  let expireTime: number | undefined;
  if (timeInForce === 'GTD') {
    if (req.expireTime === undefined) throw new ValidationError('MISSING_EXPIRE_TIME', 'GTD order needs expireTime', { field: 'expireTime' });
    if (!Number.isSafeInteger(req.expireTime)) {
      throw new ValidationError('INVALID_FIELD', 'expireTime must be integer epoch milliseconds', { field: 'expireTime', input: shown(req.expireTime) });
    }
    if (req.expireTime <= now) {
      throw new ValidationError('EXPIRE_TIME_IN_PAST', `expireTime ${req.expireTime} is not after now (${now})`, {
        field: 'expireTime',
        input: req.expireTime,
        now,
      });
    }
    expireTime = req.expireTime;
  } else if (req.expireTime !== undefined) {
    fail('INCOMPATIBLE_ORDER_OPTIONS', `expireTime is only for GTD orders, not ${timeInForce}`, 'expireTime');
  }

  const postOnly = bool('postOnly', req.postOnly);
  const reduceOnly = bool('reduceOnly', req.reduceOnly);
  const extendedHours = bool('extendedHours', req.extendedHours) ? true : undefined;
  const restsOnBook = hasLimit || type === 'TRAILING_STOP_LIMIT';
  if (postOnly && (!restsOnBook || timeInForce === 'IOC' || timeInForce === 'FOK')) {
    fail('INCOMPATIBLE_ORDER_OPTIONS', `postOnly needs a resting limit order, not ${type} ${timeInForce}`, 'postOnly');
  }
  if (type === 'MARKET' && (timeInForce === 'GTD' || timeInForce === 'DAY')) {
    fail('INCOMPATIBLE_ORDER_OPTIONS', `a MARKET order cannot be ${timeInForce}`, 'timeInForce');
  }

  let displayQuantity: Quantity | undefined;
  if (req.displayQuantity !== undefined) {
    displayQuantity = instrument.quantity(req.displayQuantity, 'displayQuantity');
    if (displayQuantity.isZero()) throw new ValidationError('NON_POSITIVE_QUANTITY', 'displayQuantity must be positive', { field: 'displayQuantity' });
    if (displayQuantity.cmp(quantity) > 0) {
      throw new ValidationError('DISPLAY_QTY_EXCEEDS_QUANTITY', `displayQuantity ${displayQuantity.toString()} exceeds quantity ${quantity.toString()}`, {
        field: 'displayQuantity',
        input: displayQuantity.toString(),
        limit: quantity.toString(),
      });
    }
    if (!restsOnBook || timeInForce === 'IOC' || timeInForce === 'FOK') {
      fail('INCOMPATIBLE_ORDER_OPTIONS', `displayQuantity needs a resting limit order, not ${type} ${timeInForce}`, 'displayQuantity');
    }
  }

  const linked = req.linkedOrderIds ?? [];
  if (!Array.isArray(linked)) throw new ValidationError('INVALID_FIELD', 'linkedOrderIds must be an array', { field: 'linkedOrderIds' });
  const tags = req.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) {
    throw new ValidationError('INVALID_FIELD', 'tags must be an array of strings', { field: 'tags' });
  }

  const triggerType = oneOf('triggerType', req.triggerType, TRIGGER_TYPES, 'DEFAULT');
  let price: Price | undefined;
  let triggerPrice: Price | undefined;
  let activationPrice: Price | undefined;
  let trailingOffset: TrailingOffset | undefined;
  let limitOffset: TrailingOffset | undefined;
  if (req.price !== undefined) price = instrument.orderPrice(req.price, 'price');
  if (req.triggerPrice !== undefined) triggerPrice = instrument.orderPrice(req.triggerPrice, 'triggerPrice');
  if (trailing) {
    if (req.trailingOffset === undefined || req.trailingOffsetType === undefined) {
      fail('MISSING_TRAILING_OFFSET', `${type} needs trailingOffset and trailingOffsetType`, 'trailingOffset');
    }
    const offType = oneOf('trailingOffsetType', req.trailingOffsetType, TRAILING_OFFSET_TYPES);
    trailingOffset = offset(instrument, offType, req.trailingOffset, 'trailingOffset');
    if (req.activationPrice !== undefined) activationPrice = instrument.orderPrice(req.activationPrice, 'activationPrice');
    if (type === 'TRAILING_STOP_MARKET' && req.price !== undefined) fail('UNEXPECTED_PRICE', 'TRAILING_STOP_MARKET order takes no price', 'price');
    if (type === 'TRAILING_STOP_LIMIT') {
      if (req.limitOffset === undefined) fail('MISSING_TRAILING_OFFSET', 'TRAILING_STOP_LIMIT needs limitOffset', 'limitOffset');
      limitOffset = offset(instrument, offType, req.limitOffset, 'limitOffset');
    }
  }
  const linkedOrderIds: readonly ClientOrderId[] = linked.length === 0 ? NO_IDS : Object.freeze(linked.map((id) => clientOrderId(id)));

  // One object shape for every type (fields a type does not use are undefined): the engine's
  // hot path then sees a single hidden class. The union type still says which fields a type has.
  const spec = {
    clientOrderId: clientOrderId(req.clientOrderId),
    accountId: accountId(req.accountId),
    strategyId: strategyId(req.strategyId ?? 'default'),
    instrumentId: instrument.id,
    side,
    type,
    quantity,
    price,
    triggerPrice,
    triggerType: hasTrigger || trailing ? triggerType : undefined,
    trailingOffset,
    limitOffset,
    activationPrice,
    timeInForce,
    expireTime,
    postOnly,
    reduceOnly,
    displayQuantity,
    positionId: req.positionId === undefined ? undefined : positionId(req.positionId),
    orderListId: req.orderListId === undefined ? undefined : orderListId(req.orderListId),
    contingency,
    linkedOrderIds,
    parentOrderId: req.parentOrderId === undefined ? undefined : clientOrderId(req.parentOrderId),
    tags: tags.length === 0 ? NO_TAGS : Object.freeze([...tags]),
    extendedHours,
  } as OrderSpec;

  checkOrderLimits(instrument, quantity, price);
  // The order of record's terms: handed to strategies inside events, so nobody edits them after the fact.
  return Object.freeze(spec);
}

/**
 * The instrument's own limits: min/max quantity, and min/max notional where a price is known.
 * Checked on submit and again on modify, so a modify cannot make what a submit may not.
 */
export function checkOrderLimits(instrument: Instrument, quantity: Quantity, price: Price | undefined): void {
  if (instrument.minQuantity && quantity.cmp(instrument.minQuantity) < 0) {
    throw new ValidationError('QUANTITY_BELOW_MIN', `quantity ${quantity.toString()} is below the minimum ${instrument.minQuantity.toString()}`, {
      field: 'quantity',
      input: quantity.toString(),
      limit: instrument.minQuantity.toString(),
    });
  }
  if (instrument.maxQuantity && quantity.cmp(instrument.maxQuantity) > 0) {
    throw new ValidationError('QUANTITY_ABOVE_MAX', `quantity ${quantity.toString()} is above the maximum ${instrument.maxQuantity.toString()}`, {
      field: 'quantity',
      input: quantity.toString(),
      limit: instrument.maxQuantity.toString(),
    });
  }

  if (!price || (!instrument.minNotional && !instrument.maxNotional)) return;
  const n = instrument.notional(quantity, price);
  if (instrument.minNotional && n.cmp(instrument.minNotional) < 0) {
    throw new ValidationError('NOTIONAL_BELOW_MIN', `notional ${n.toString()} is below the minimum ${instrument.minNotional.toString()}`, {
      field: 'quantity',
      input: n.toDecimalString(),
      limit: instrument.minNotional.toDecimalString(),
    });
  }
  if (instrument.maxNotional && n.cmp(instrument.maxNotional) > 0) {
    throw new ValidationError('NOTIONAL_ABOVE_MAX', `notional ${n.toString()} is above the maximum ${instrument.maxNotional.toString()}`, {
      field: 'quantity',
      input: n.toDecimalString(),
      limit: instrument.maxNotional.toDecimalString(),
    });
  }
}
