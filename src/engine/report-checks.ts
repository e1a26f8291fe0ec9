/**
 * A venue report is input like any other: a flaky or hostile venue (or a bug in its adapter) can
 * send a fill at a negative price, through the order's limit, in a currency the account never
 * sees, or with fields the journal cannot hold. Each check here refuses with a stable code and
 * changes nothing; the engine alerts the code and journals nothing (Engine.onReport).
 */
import { pow10 } from '../model/decimal.ts';
import { shown, ValidationError, type ErrorCode, type ErrorContext } from '../model/errors.ts';
import { tradeId, venueOrderId, type TradeId, type VenueOrderId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import type { Order } from '../model/orders/order.ts';
import type { LiquiditySide } from '../model/orders/types.ts';
import { Price, Quantity } from '../model/values.ts';
import type { VenueReport } from './venue.ts';

/**
 * The largest rebate a fill may credit, as a fraction of its notional: 1% (100 bps). Venues'
 * maker rebates are a few basis points; anything near this is a wrong sign or a wrong unit.
 */
const MAX_REBATE_BPS = 100n;

/** What a fill may be charged in besides the instrument's own currencies (e.g. a fee-discount token the account holds). */
export type FeeCurrencyCheck = (code: string) => boolean;

/** The checked terms of a fill or bust: on the grid, positive, consistent with the order. */
export interface TradeTerms {
  readonly tradeId: TradeId;
  readonly lastQty: Quantity;
  readonly lastPx: Price;
  readonly commission: Money;
}

/** Fields every report carries: a venue time the journal can hold. */
export function checkReportTime(r: VenueReport): void {
  if (!Number.isSafeInteger(r.ts) || r.ts < 0) refuse('REPORT_INVALID', r, `time ${shown(r.ts)} is not epoch milliseconds`, { field: 'ts', input: shown(r.ts) });
}

export function checkedVenueOrderId(r: VenueReport, id: unknown): VenueOrderId {
  try {
    return venueOrderId(id);
  } catch {
    return refuse('REPORT_INVALID', r, `venue order id ${shown(id)} is not an identifier`, { field: 'venueOrderId', input: shown(id) });
  }
}

export function checkedReason(r: VenueReport, reason: unknown): string {
  if (typeof reason !== 'string') refuse('REPORT_INVALID', r, `reason ${shown(reason)} is not text`, { field: 'reason', input: shown(reason) });
  return reason;
}

/**
 * A fill's (or bust's) terms: trade id an identifier, liquidity MAKER or TAKER, quantity > 0 on
 * the lot grid, price on the tick grid and > 0 unless the instrument allows otherwise, and for a
 * fill, no worse than the order's limit. The commission, when the venue gives one, must be in a
 * currency the trade can be charged in and, when negative (a rebate), small; otherwise the
 * instrument's fee schedule applies.
 */
export function checkedTradeTerms(
  r: Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>,
  order: Order,
  inst: Instrument,
  feeCurrencyAllowed: FeeCurrencyCheck = () => false,
): TradeTerms {
  const id = checkedTradeId(r);
  const liquidity = checkedLiquidity(r, r.liquidity);
  const lastQty = checkedQuantity(r, inst);
  const lastPx = inst.price(r.lastPx, 'lastPx');
  if (!inst.allowNonPositivePrice && lastPx.raw <= 0n) {
    refuse('FILL_PRICE_INVALID', r, `price ${lastPx.toString()} is not positive on ${inst.id}`, { field: 'lastPx', input: lastPx.toString(), instrument: inst.id });
  }
  // A trade the order has already is a re-sent duplicate the fold drops: its price was checked
  // when it first came, against the limit then in force (which a modify may have moved since).
  if (r.kind === 'OrderFilled' && !order.hasTrade(id)) checkLimit(r, order, lastPx);
  const commission = r.commission === undefined ? inst.fee(lastQty, lastPx, liquidity) : checkedCommission(r, r.commission, inst, lastQty, lastPx, feeCurrencyAllowed);
  return { tradeId: id, lastQty, lastPx, commission };
}

function checkedTradeId(r: Extract<VenueReport, { tradeId: unknown }>): TradeId {
  try {
    return tradeId(r.tradeId);
  } catch {
    return refuse('REPORT_INVALID', r, `trade id ${shown(r.tradeId)} is not an identifier`, { field: 'tradeId', input: shown(r.tradeId) });
  }
}

function checkedLiquidity(r: VenueReport, v: unknown): LiquiditySide {
  if (v !== 'MAKER' && v !== 'TAKER') refuse('REPORT_INVALID', r, `liquidity ${shown(v)} is neither MAKER nor TAKER`, { field: 'liquidity', input: shown(v) });
  return v;
}

function checkedQuantity(r: Extract<VenueReport, { lastQty: unknown }>, inst: Instrument): Quantity {
  let q: Quantity;
  try {
    q = inst.quantity(r.lastQty, 'lastQty');
  } catch (e) {
    if (!(e instanceof ValidationError) || e.code !== 'NEGATIVE_QUANTITY') throw e;
    return refuse('FILL_QUANTITY_INVALID', r, `quantity ${shown(textOf(r.lastQty))} is negative`, { field: 'lastQty', input: shown(textOf(r.lastQty)) });
  }
  if (q.raw <= 0n) refuse('FILL_QUANTITY_INVALID', r, `quantity ${q.toString()} is not positive`, { field: 'lastQty', input: q.toString() });
  return q;
}

/** A buy fills at or below its limit, a sell at or above: a fill through the limit is not this order's. */
function checkLimit(r: VenueReport, order: Order, px: Price): void {
  const limit = order.price;
  if (limit === undefined) return;
  const c = px.cmp(limit);
  if (order.side === 'BUY' ? c <= 0 : c >= 0) return;
  refuse('FILL_PRICE_THROUGH_LIMIT', r, `${order.side} ${order.spec.type} limited at ${limit.toString()} reported filled at ${px.toString()}`, {
    field: 'lastPx',
    input: px.toString(),
    limit: limit.toString(),
    side: order.side,
  });
}

function checkedCommission(r: VenueReport, fee: unknown, inst: Instrument, qty: Quantity, px: Price, allowed: FeeCurrencyCheck): Money {
  if (!(fee instanceof Money)) return refuse('FILL_FEE_INVALID', r, `commission ${shown(fee)} is not an amount of money`, { field: 'commission', input: shown(fee) });
  const code = fee.currency.code;
  const own = code === inst.settlement.code || code === inst.quote.code || code === inst.base?.code;
  if (!own && !allowed(code)) {
    refuse('FILL_FEE_INVALID', r, `commission in ${code}, which is none of ${inst.id}'s currencies nor held by the account`, { field: 'commission', input: fee.toString() });
  }
  if (fee.raw >= 0n) return fee;
  // A rebate is paid in the settlement currency, and only a small share of the notional.
  if (code !== inst.settlement.code) refuse('FILL_FEE_INVALID', r, `rebate of ${fee.toString()} is not in ${inst.settlement.code}`, { field: 'commission', input: fee.toString() });
  const notional = inst.notionalRaw(qty, px) * pow10(inst.settlement.precision - inst.notionalScale);
  const abs = notional < 0n ? -notional : notional;
  if (-fee.raw * 10_000n > abs * MAX_REBATE_BPS) {
    refuse('FILL_FEE_INVALID', r, `rebate of ${fee.toString()} exceeds ${MAX_REBATE_BPS} bps of the ${Money.fromRaw(abs, inst.settlement).toString()} notional`, {
      field: 'commission',
      input: fee.toString(),
    });
  }
  return fee;
}

function textOf(v: unknown): unknown {
  return v instanceof Quantity || v instanceof Price ? v.toString() : v;
}

/** The engine's alert names the report kind, venue and order; the message says what is wrong. */
function refuse(code: ErrorCode, r: VenueReport, message: string, context: ErrorContext): never {
  throw new ValidationError(code, message, { ...context, clientOrderId: String(r.clientOrderId) });
}
