/**
 * The exact, versioned JSON codec of journaled events. Prices, quantities, amounts, rates and
 * bigints are decimal text that carries its precision (`"24100.50"` is a price of precision 2;
 * a rate keeps its trailing zeros), currencies carry code, precision and kind, so a decoded event
 * is equal, field for field, to the one encoded. Decoding validates every field against the
 * event's schema and refuses anything else (unknown kind or field, wrong type, off-format number)
 * with JOURNAL_CORRUPT: a journal the engine cannot read exactly is never half-read.
 *
 * CODEC_VERSION is stored beside each row. A new version must keep decoding the old ones.
 */
import type { EngineEvent, EngineEventKind, JournalRecord } from '../engine/events.ts';
import { currency, Currencies, type Currency } from '../model/currency.ts';
import { DENIAL_CODE_LIST } from '../model/denial-codes.ts';
import { MARKET_STATUSES } from '../engine/markets/events.ts';
import { AUDIT_OUTCOMES } from '../engine/audit/events.ts';
import { ADVISOR_OUTCOMES, ADVISOR_PROVIDERS, ADVISOR_TASKS, ADVISOR_TIERS } from '../engine/advisor/events.ts';
import { PROPOSAL_ACTIONS } from '../engine/advisor/events.ts';
import { EngineError, shown, WardenError, type ErrorContext } from '../model/errors.ts';
import {
  accountId,
  clientOrderId,
  instrumentId,
  orderListId,
  positionId,
  strategyId,
  tradeId,
  venueOrderId,
} from '../model/identifiers.ts';
import type { InstrumentSpec, Rate } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import type { TrailingOffset } from '../model/orders/types.ts';
import { Price, Quantity } from '../model/values.ts';

export const CODEC_VERSION = 1;

type Enum = readonly string[];
const SIDES = ['BUY', 'SELL'] as const;
const ENUMS = {
  side: SIDES,
  liquidity: ['MAKER', 'TAKER'],
  accountType: ['CASH', 'MARGIN'],
  positionMode: ['NETTING', 'HEDGING'],
  tradingState: ['ACTIVE', 'REDUCING', 'HALTED'],
  riskSource: ['OPERATOR', 'BREAKER', 'KILL_SWITCH', 'STRATEGY', 'VENUE'],
  breakerAction: ['HALT', 'REDUCE'],
  resetSource: ['OPERATOR', 'AUTO'],
  orderType: ['MARKET', 'LIMIT', 'STOP_MARKET', 'STOP_LIMIT', 'MARKET_IF_TOUCHED', 'LIMIT_IF_TOUCHED', 'TRAILING_STOP_MARKET', 'TRAILING_STOP_LIMIT'],
  tif: ['GTC', 'IOC', 'FOK', 'DAY', 'GTD'],
  triggerType: ['DEFAULT', 'LAST', 'BID_ASK', 'MID', 'MARK'],
  contingency: ['NONE', 'OCO', 'OTO', 'OUO'],
  instrumentKind: ['SPOT', 'PERPETUAL', 'EQUITY'],
  unknownRequest: ['SUBMIT', 'MODIFY', 'CONNECTION'],
  contingencyKind: ['BRACKET', 'OTO', 'OCO', 'OUO'],
  algoKind: ['TWAP', 'VWAP', 'ICEBERG'],
  algoEndStatus: ['DONE', 'CANCELED', 'FAILED'],
  denialCode: DENIAL_CODE_LIST,
  marketStatus: MARKET_STATUSES,
  auditOutcome: AUDIT_OUTCOMES,
  advisorTask: ADVISOR_TASKS,
  advisorTier: ADVISOR_TIERS,
  advisorProvider: ADVISOR_PROVIDERS,
  advisorOutcome: ADVISOR_OUTCOMES,
  proposalAction: PROPOSAL_ACTIONS,
} as const satisfies Record<string, Enum>;

const IDS = {
  clientOrderId,
  venueOrderId,
  tradeId,
  accountId,
  strategyId,
  instrumentId,
  positionId,
  orderListId,
} as const;

/** A field's type; a trailing `?` means the key is always present and may hold undefined. */
type Base =
  | 'str'
  | 'int'
  | 'float'
  | 'bool'
  | 'price'
  | 'qty'
  | 'money'
  | 'moneyList'
  | 'context'
  | 'strList'
  | 'clientOrderIdList'
  | 'scope'
  | 'trailingOffset'
  | 'orderSpec'
  | 'instrumentSpec'
  | keyof typeof ENUMS
  | keyof typeof IDS;
type FieldType = Base | `${Base}?`;
type Schema = Readonly<Record<string, FieldType>>;

const TS: Schema = { tsEvent: 'int', tsInit: 'int' };
const ORDER: Schema = { clientOrderId: 'clientOrderId', ...TS };
/** A trade's terms, shared by a fill and its bust. */
const TRADE: Schema = {
  tradeId: 'tradeId',
  accountId: 'accountId',
  strategyId: 'strategyId',
  instrumentId: 'instrumentId',
  positionId: 'positionId',
  side: 'side',
  lastQty: 'qty',
  lastPx: 'price',
  commission: 'money',
};

/** Every journaled event kind and its fields: adding a kind to EngineEvent breaks the build here. */
const EVENTS: Readonly<Record<EngineEventKind, Schema>> = {
  OrderInitialized: { ...ORDER, spec: 'orderSpec', origin: 'str?' },
  OrderDenied: { ...ORDER, code: 'denialCode', reason: 'str', context: 'context' },
  OrderSubmitted: ORDER,
  OrderAccepted: { ...ORDER, venueOrderId: 'venueOrderId' },
  OrderRejected: { ...ORDER, reason: 'str' },
  OrderTriggered: ORDER,
  OrderPendingUpdate: ORDER,
  OrderUpdated: { ...ORDER, quantity: 'qty?', price: 'price?', triggerPrice: 'price?', venueOrderId: 'venueOrderId?' },
  OrderModifyRejected: { ...ORDER, reason: 'str' },
  OrderPendingCancel: ORDER,
  OrderCancelRejected: { ...ORDER, reason: 'str' },
  OrderCanceled: ORDER,
  OrderStatusUnknown: { ...ORDER, request: 'unknownRequest', reason: 'str' },
  OrderExpired: ORDER,
  OrderFilled: { ...ORDER, ...TRADE, venueOrderId: 'venueOrderId?', liquidity: 'liquidity' },
  OrderFillBusted: { ...ORDER, ...TRADE, reason: 'str' },
  InstrumentRegistered: { ...TS, spec: 'instrumentSpec' },
  AccountOpened: { ...TS, accountId: 'accountId', accountType: 'accountType', positionMode: 'positionMode', balances: 'moneyList' },
  BalanceAdjusted: { ...TS, accountId: 'accountId', amount: 'money', reason: 'str' },
  TradingStateChanged: { ...TS, scope: 'scope', state: 'tradingState', source: 'riskSource', reason: 'str' },
  BreakerTripped: {
    ...TS,
    breaker: 'str',
    scope: 'scope',
    value: 'float',
    threshold: 'float',
    action: 'breakerAction',
    autoResetAt: 'int?',
    message: 'str',
  },
  BreakerReset: { ...TS, breaker: 'str', scope: 'scope', source: 'resetSource', operator: 'str?' },
  KillSwitchEngaged: { ...TS, operator: 'str', reason: 'str', flatten: 'bool' },
  KillSwitchReset: { ...TS, operator: 'str', reason: 'str' },
  EmulatedOrderHeld: { ...ORDER, spec: 'orderSpec', origin: 'str?' },
  EmulatedOrderMoved: { ...ORDER, activated: 'bool', extreme: 'price?', stop: 'price?' },
  EmulatedOrderResized: { ...ORDER, quantity: 'qty' },
  EmulatedOrderReleased: { ...ORDER, triggerPrice: 'price?' },
  EmulatedOrderCanceled: { ...ORDER, reason: 'str' },
  ContingencyRegistered: { ...TS, groupId: 'str', contingency: 'contingencyKind', request: 'str', origin: 'str?' },
  ContingencyCompleted: { ...TS, groupId: 'str' },
  AlgoStarted: { ...TS, parentId: 'str', algo: 'algoKind', request: 'str', origin: 'str', nativeIceberg: 'bool' },
  AlgoSliceSent: { ...ORDER, parentId: 'str', slice: 'int', quantity: 'qty' },
  AlgoChildCancelRequested: { ...ORDER, parentId: 'str' },
  AlgoResumed: { ...TS, parentId: 'str', slices: 'strList?' },
  AlgoEnded: { ...TS, parentId: 'str', status: 'algoEndStatus', reason: 'str' },
  StrategyStateSet: { ...TS, strategyId: 'str', key: 'str', value: 'str?' },
  InstrumentUpdated: { ...TS, spec: 'instrumentSpec', origin: 'str' },
  MarketStatusChanged: { ...TS, venue: 'str', instrumentId: 'instrumentId?', status: 'marketStatus', reason: 'str', origin: 'str' },
  AuditRecorded: { ...TS, principal: 'str', roles: 'strList', source: 'str', action: 'str', target: 'str?', outcome: 'auditOutcome', code: 'str?', origin: 'str' },
  AdvisorConsulted: {
    ...TS,
    task: 'advisorTask',
    tier: 'advisorTier',
    provider: 'advisorProvider',
    model: 'str',
    promptHash: 'str',
    promptText: 'str',
    answerText: 'str',
    latencyMs: 'int',
    inputTokens: 'int',
    outputTokens: 'int',
    costUsd: 'str',
    outcome: 'advisorOutcome',
    origin: 'str',
  },
  AdvisorProposed: { ...TS, proposalId: 'str', consultation: 'str', action: 'proposalAction', ticket: 'str', rationale: 'str' },
  AdvisorProposalRejected: { ...TS, proposalId: 'str', operator: 'str', reason: 'str' },
};

const SPEC_COMMON: Schema = {
  clientOrderId: 'clientOrderId',
  accountId: 'accountId',
  strategyId: 'strategyId',
  instrumentId: 'instrumentId',
  side: 'side',
  quantity: 'qty',
  timeInForce: 'tif',
  expireTime: 'int?',
  postOnly: 'bool',
  reduceOnly: 'bool',
  displayQuantity: 'qty?',
  positionId: 'positionId?',
  orderListId: 'orderListId?',
  contingency: 'contingency',
  linkedOrderIds: 'clientOrderIdList',
  parentOrderId: 'clientOrderId?',
  tags: 'strList',
  // Optional and absent when not set: a record from before the flag decodes, one without it encodes as before.
  extendedHours: 'bool?',
};
const TRIGGER: Schema = { triggerPrice: 'price', triggerType: 'triggerType' };
const TRAILING: Schema = { trailingOffset: 'trailingOffset', activationPrice: 'price?', triggerPrice: 'price?', triggerType: 'triggerType' };
const SPECS: Readonly<Record<(typeof ENUMS.orderType)[number], Schema>> = {
  MARKET: { type: 'orderType', ...SPEC_COMMON },
  LIMIT: { type: 'orderType', ...SPEC_COMMON, price: 'price' },
  STOP_MARKET: { type: 'orderType', ...SPEC_COMMON, ...TRIGGER },
  STOP_LIMIT: { type: 'orderType', ...SPEC_COMMON, price: 'price', ...TRIGGER },
  MARKET_IF_TOUCHED: { type: 'orderType', ...SPEC_COMMON, ...TRIGGER },
  LIMIT_IF_TOUCHED: { type: 'orderType', ...SPEC_COMMON, price: 'price', ...TRIGGER },
  TRAILING_STOP_MARKET: { type: 'orderType', ...SPEC_COMMON, ...TRAILING },
  TRAILING_STOP_LIMIT: { type: 'orderType', ...SPEC_COMMON, ...TRAILING, limitOffset: 'trailingOffset', price: 'price?' },
};

/** InstrumentSpec keys are truly optional (absent, not undefined): listed apart. */
const INSTRUMENT_REQUIRED = ['id', 'kind', 'quote', 'tickSize', 'lotSize'] as const;
const INSTRUMENT_NUMERIC = ['tickSize', 'lotSize', 'minQuantity', 'maxQuantity', 'minNotional', 'maxNotional', 'multiplier', 'makerFee', 'takerFee', 'marginInit'] as const;
const INSTRUMENT_CURRENCY = ['base', 'quote', 'settlement'] as const;
/** Explicit grid precisions (an instrument a venue coarsened while running): plain integers. */
const INSTRUMENT_PRECISION = ['pricePrecision', 'sizePrecision'] as const;
const INSTRUMENT_KEYS = new Set<string>(['id', 'kind', 'allowNonPositivePrice', ...INSTRUMENT_NUMERIC, ...INSTRUMENT_CURRENCY, ...INSTRUMENT_PRECISION]);

// ---------------------------------------------------------------------------------------------
// encode

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/**
 * A record's event as JSON text, encoded once per record (kept on it): whoever asks first pays,
 * the others share the text. Throws as `encodeEvent` does.
 */
export function recordText(r: JournalRecord): string {
  return (r.text ??= encodeEvent(r.event));
}

/** One event as JSON text. Throws JOURNAL_CORRUPT for a value the codec cannot represent exactly. */
export function encodeEvent(event: EngineEvent): string {
  const schema = EVENTS[event.kind] as Schema | undefined;
  if (!schema) throw corrupt(`cannot encode event kind ${shown((event as { kind?: unknown }).kind)}`, 'kind');
  const out: JsonObject = { kind: event.kind };
  encodeFields(schema, event as unknown as Record<string, unknown>, out);
  return JSON.stringify(out);
}

function encodeFields(schema: Schema, src: Record<string, unknown>, out: JsonObject): void {
  for (const name in schema) {
    const v = src[name];
    if (v === undefined) continue;
    out[name] = encodeValue(baseOf(schema[name] as FieldType), v, name);
  }
}

function encodeValue(type: Base, v: unknown, field: string): Json {
  switch (type) {
    case 'price':
      if (!(v instanceof Price)) throw corrupt(`${field} is not a Price`, field);
      return v.toString();
    case 'qty':
      if (!(v instanceof Quantity)) throw corrupt(`${field} is not a Quantity`, field);
      return v.toString();
    case 'money':
      return encodeMoney(v, field);
    case 'moneyList':
      return (v as readonly unknown[]).map((m) => encodeMoney(m, field));
    case 'float':
      return Number.isFinite(v) && !Object.is(v, -0) ? (v as number) : String(v);
    case 'trailingOffset': {
      const o = v as TrailingOffset;
      switch (o.type) {
        case 'PRICE':
          return { type: o.type, price: encodeValue('price', o.price, field) };
        case 'BASIS_POINTS':
          return { type: o.type, bps: encodeRate(o.bps) };
        case 'TICKS':
          return { type: o.type, ticks: o.ticks.toString() };
      }
      throw corrupt(`${field} has an unknown trailing offset type`, field);
    }
    case 'orderSpec': {
      const spec = v as { type: keyof typeof SPECS };
      const schema = SPECS[spec.type] as Schema | undefined;
      if (!schema) throw corrupt(`unknown order type ${shown(spec.type)}`, field);
      const out: JsonObject = {};
      encodeFields(schema, spec, out);
      return out;
    }
    case 'instrumentSpec':
      return encodeInstrumentSpec(v as InstrumentSpec);
    case 'clientOrderIdList':
    case 'strList':
      return [...(v as readonly string[])];
    case 'context':
      return { ...(v as ErrorContext) };
    default:
      return v as Json;
  }
}

function encodeMoney(v: unknown, field: string): Json {
  if (!(v instanceof Money)) throw corrupt(`${field} is not Money`, field);
  return { amount: v.toDecimalString(), currency: encodeCurrency(v.currency) };
}

function encodeCurrency(c: Currency): Json {
  return { code: c.code, precision: c.precision, kind: c.kind };
}

/** digits × 10^-scale as text with exactly `scale` decimals, so trailing zeros survive. */
function encodeRate(r: Rate): string {
  return Price.fromRaw(r.digits, r.scale).toString();
}

/** Numeric inputs keep their type: a string stays text, a number a JSON number, a bigint `{ "bigint": "..." }`. */
function encodeNumeric(v: unknown, field: string): Json {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return { bigint: v.toString() };
  if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) return v;
  throw corrupt(`${field} is not a string, finite number or bigint`, field);
}

function encodeInstrumentSpec(spec: InstrumentSpec): JsonObject {
  const out: JsonObject = { id: spec.id, kind: spec.kind };
  for (const k of INSTRUMENT_CURRENCY) {
    const c = spec[k];
    if (c !== undefined) out[k] = encodeCurrency(c);
  }
  for (const k of INSTRUMENT_NUMERIC) {
    const n = spec[k];
    if (n !== undefined) out[k] = encodeNumeric(n, k);
  }
  for (const k of INSTRUMENT_PRECISION) {
    const p = spec[k];
    if (p !== undefined) out[k] = p;
  }
  if (spec.allowNonPositivePrice !== undefined) out.allowNonPositivePrice = spec.allowNonPositivePrice;
  return out;
}

// ---------------------------------------------------------------------------------------------
// decode

/** Decodes and validates one event; anything malformed throws JOURNAL_CORRUPT. */
export function decodeEvent(text: string, version: number = CODEC_VERSION, seq?: number): EngineEvent {
  if (version !== CODEC_VERSION) throw corrupt(`codec version ${version} is not supported (this code reads ${CODEC_VERSION})`, 'codec', seq);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(`event is not JSON: ${(e as Error).message}`, 'payload', seq);
  }
  try {
    const obj = object(raw, 'event');
    const kind = obj.kind;
    const schema = typeof kind === 'string' && Object.hasOwn(EVENTS, kind) ? EVENTS[kind as EngineEventKind] : undefined;
    if (!schema) throw corrupt(`unknown event kind ${shown(kind)}`, 'kind');
    const out: Record<string, unknown> = { kind };
    decodeFields(schema, obj, out, 'kind');
    return out as unknown as EngineEvent;
  } catch (e) {
    if (e instanceof EngineError && e.code === 'JOURNAL_CORRUPT') {
      throw seq === undefined ? e : new EngineError('JOURNAL_CORRUPT', `journal record ${seq}: ${e.message}`, { ...e.context, seq });
    }
    if (e instanceof WardenError) throw corrupt(e.message, String(e.context.field ?? e.context.kind ?? 'value'), seq);
    throw e;
  }
}

function decodeFields(schema: Schema, src: Record<string, unknown>, out: Record<string, unknown>, extra?: string): void {
  for (const key in src) {
    if (!Object.hasOwn(schema, key) && key !== extra) throw corrupt(`unexpected field ${shown(key)}`, key);
  }
  for (const name in schema) {
    const t = schema[name] as FieldType;
    const v = src[name];
    if (v === undefined) {
      if (!t.endsWith('?')) throw corrupt(`missing field ${name}`, name);
      out[name] = undefined;
    } else {
      out[name] = decodeValue(baseOf(t), v, name);
    }
  }
}

function decodeValue(type: Base, v: unknown, field: string): unknown {
  switch (type) {
    case 'str':
      if (typeof v !== 'string') throw corrupt(`${field} must be a string`, field);
      return v;
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw corrupt(`${field} must be a safe integer`, field);
      return v;
    case 'float':
      if (typeof v === 'number') return v;
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '0') return v === '0' ? -0 : Number(v);
      throw corrupt(`${field} must be a number`, field);
    case 'bool':
      if (typeof v !== 'boolean') throw corrupt(`${field} must be a boolean`, field);
      return v;
    case 'price': {
      const { raw, precision } = fixed(v, field, true);
      return Price.fromRaw(raw, precision);
    }
    case 'qty': {
      const { raw, precision } = fixed(v, field, false);
      return Quantity.fromRaw(raw, precision);
    }
    case 'money':
      return decodeMoney(v, field);
    case 'moneyList':
      return array(v, field).map((m) => decodeMoney(m, field));
    case 'context': {
      const o = object(v, field);
      for (const k in o) {
        const x = o[k];
        if (x !== null && typeof x !== 'string' && typeof x !== 'boolean' && typeof x !== 'number') throw corrupt(`${field}.${k} must be a scalar`, field);
      }
      return o;
    }
    case 'strList':
    case 'clientOrderIdList':
      return array(v, field).map((x) => (type === 'strList' ? decodeValue('str', x, field) : clientOrderId(x)));
    case 'scope':
      if (typeof v !== 'string' || !(v === 'FIRM' || /^(ACCOUNT|STRATEGY|VENUE):./.test(v))) throw corrupt(`${field} must be FIRM, ACCOUNT:<id>, STRATEGY:<id> or VENUE:<id>`, field);
      return v;
    case 'trailingOffset':
      return decodeTrailingOffset(v, field);
    case 'orderSpec': {
      const o = object(v, field);
      const t = o.type;
      const schema = typeof t === 'string' && Object.hasOwn(SPECS, t) ? SPECS[t as keyof typeof SPECS] : undefined;
      if (!schema) throw corrupt(`unknown order type ${shown(t)}`, 'type');
      const out: Record<string, unknown> = {};
      decodeFields(schema, o, out);
      return out;
    }
    case 'instrumentSpec':
      return decodeInstrumentSpec(v, field);
    default: {
      if (Object.hasOwn(ENUMS, type)) {
        const values: Enum = ENUMS[type as keyof typeof ENUMS];
        if (typeof v !== 'string' || !values.includes(v)) throw corrupt(`${field} must be one of ${values.join(', ')}, got ${shown(v)}`, field);
        return v;
      }
      return IDS[type as keyof typeof IDS](v);
    }
  }
}

const FIXED = /^-?\d+(?:\.(\d+))?$/;

/** Decimal text → raw integer and the precision its decimals give. */
function fixed(v: unknown, field: string, signed: boolean): { raw: bigint; precision: number } {
  const m = typeof v === 'string' ? FIXED.exec(v) : null;
  if (!m || (!signed && (v as string).startsWith('-'))) throw corrupt(`${field} must be ${signed ? '' : 'non-negative '}decimal text, got ${shown(v)}`, field);
  const text = v as string;
  const precision = m[1]?.length ?? 0;
  return { raw: BigInt(precision ? text.replace('.', '') : text), precision };
}

const currencies = new Map<string, Currency>(Object.values(Currencies).map((c) => [`${c.code}/${c.precision}/${c.kind}`, c]));

function decodeCurrency(v: unknown, field: string): Currency {
  const o = object(v, field);
  for (const k in o) if (k !== 'code' && k !== 'precision' && k !== 'kind') throw corrupt(`unexpected field ${field}.${k}`, field);
  const { code, precision, kind } = o;
  if (typeof code !== 'string' || typeof precision !== 'number' || (kind !== 'FIAT' && kind !== 'CRYPTO')) throw corrupt(`${field} is not a currency`, field);
  const key = `${code}/${precision}/${kind}`;
  let c = currencies.get(key);
  if (!c) {
    c = currency(code, precision, kind);
    currencies.set(key, c);
  }
  return c;
}

function decodeMoney(v: unknown, field: string): Money {
  const o = object(v, field);
  for (const k in o) if (k !== 'amount' && k !== 'currency') throw corrupt(`unexpected field ${field}.${k}`, field);
  const c = decodeCurrency(o.currency, field);
  const { raw, precision } = fixed(o.amount, field, true);
  if (precision !== c.precision) throw corrupt(`${field} has ${precision} decimals, ${c.code} has ${c.precision}`, field);
  return Money.fromRaw(raw, c);
}

function decodeTrailingOffset(v: unknown, field: string): TrailingOffset {
  const o = object(v, field);
  const only = (k: string): void => {
    if (Object.keys(o).length !== 2) throw corrupt(`${field} must have type and ${k} only`, field);
  };
  switch (o.type) {
    case 'PRICE':
      only('price');
      return { type: 'PRICE', price: decodeValue('price', o.price, field) as Price };
    case 'BASIS_POINTS': {
      only('bps');
      const { raw, precision } = fixed(o.bps, field, true);
      return { type: 'BASIS_POINTS', bps: { digits: raw, scale: precision } };
    }
    case 'TICKS': {
      only('ticks');
      if (typeof o.ticks !== 'string' || !/^-?\d+$/.test(o.ticks)) throw corrupt(`${field}.ticks must be integer text`, field);
      return { type: 'TICKS', ticks: BigInt(o.ticks) };
    }
    default:
      throw corrupt(`${field} has an unknown trailing offset type ${shown(o.type)}`, field);
  }
}

function decodeNumeric(v: unknown, field: string): string | number | bigint {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'object' && v !== null && Object.keys(v).length === 1) {
    const b = (v as { bigint?: unknown }).bigint;
    if (typeof b === 'string' && /^-?\d+$/.test(b)) return BigInt(b);
  }
  throw corrupt(`${field} must be a string, number or { bigint }`, field);
}

function decodeInstrumentSpec(v: unknown, field: string): InstrumentSpec {
  const o = object(v, field);
  for (const k in o) if (!INSTRUMENT_KEYS.has(k)) throw corrupt(`unexpected field ${field}.${k}`, k);
  for (const k of INSTRUMENT_REQUIRED) if (o[k] === undefined) throw corrupt(`missing field ${field}.${k}`, k);
  const out: Record<string, unknown> = { id: decodeValue('str', o.id, 'id'), kind: decodeValue('instrumentKind', o.kind, 'kind') };
  for (const k of INSTRUMENT_CURRENCY) if (o[k] !== undefined) out[k] = decodeCurrency(o[k], k);
  for (const k of INSTRUMENT_NUMERIC) if (o[k] !== undefined) out[k] = decodeNumeric(o[k], k);
  for (const k of INSTRUMENT_PRECISION) if (o[k] !== undefined) out[k] = decodeValue('int', o[k], k);
  if (o.allowNonPositivePrice !== undefined) out.allowNonPositivePrice = decodeValue('bool', o.allowNonPositivePrice, 'allowNonPositivePrice');
  return out as unknown as InstrumentSpec;
}

// ---------------------------------------------------------------------------------------------
// field codecs, for other exact formats (state snapshots) built from the same values

/** A field type of the event schemas: a `?` suffix allows undefined (encoded as absent: null). */
export type CodecFieldType = FieldType;

/** One value as its event field would be encoded (undefined → null for optional types). */
export function encodeAs(type: CodecFieldType, v: unknown, field: string): Json {
  if (v === undefined) {
    if (!type.endsWith('?')) throw corrupt(`${field} is missing`, field);
    return null;
  }
  return encodeValue(baseOf(type), v, field);
}

/** The inverse of encodeAs; anything malformed throws JOURNAL_CORRUPT (validation errors are turned into it). */
export function decodeAs(type: CodecFieldType, v: unknown, field: string): unknown {
  if (v === null || v === undefined) {
    if (!type.endsWith('?')) throw corrupt(`missing field ${field}`, field);
    return undefined;
  }
  try {
    return decodeValue(baseOf(type), v, field);
  } catch (e) {
    if (e instanceof WardenError && !(e instanceof EngineError)) throw corrupt(`${field}: ${e.message}`, field);
    throw e;
  }
}

export { encodeCurrency, decodeCurrency, type Json, type JsonObject };

// ---------------------------------------------------------------------------------------------

function baseOf(t: FieldType): Base {
  return (t.endsWith('?') ? t.slice(0, -1) : t) as Base;
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw corrupt(`${field} must be an object`, field);
  return v as Record<string, unknown>;
}

function array(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw corrupt(`${field} must be an array`, field);
  return v;
}

function corrupt(message: string, field: string, seq?: number): EngineError {
  const context: Record<string, string | number> = { field };
  if (seq !== undefined) context.seq = seq;
  return new EngineError('JOURNAL_CORRUPT', seq === undefined ? message : `journal record ${seq}: ${message}`, context);
}
