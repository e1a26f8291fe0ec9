import type { Engine } from '../engine/engine.ts';
import type { EmulatedOrder } from '../execution/emulation/emulator.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Order } from '../model/orders/order.ts';
import type { Account } from '../portfolio/account.ts';
import type { Position } from '../portfolio/position.ts';

/** What the API shows of things: decimals as exact strings, times as epoch ms. */

const text = (v: { toString(): string } | undefined): string | undefined => (v === undefined ? undefined : v.toString());

export function orderView(o: Order): Record<string, unknown> {
  const s = o.spec;
  return {
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId,
    accountId: s.accountId,
    strategyId: s.strategyId,
    instrumentId: s.instrumentId,
    side: s.side,
    type: s.type,
    status: o.status,
    quantity: o.quantity.toString(),
    filledQty: o.filledQty.toString(),
    leavesQty: o.leavesQty.toString(),
    price: text(o.price),
    triggerPrice: text(o.triggerPrice),
    avgPx: o.avgPx === undefined ? undefined : String(o.avgPx),
    timeInForce: s.timeInForce,
    expireTime: s.expireTime,
    postOnly: s.postOnly,
    reduceOnly: s.reduceOnly,
    displayQuantity: text(s.displayQuantity),
    orderListId: s.orderListId,
    contingency: s.contingency,
    parentOrderId: s.parentOrderId,
    tags: [...s.tags],
    tsInit: o.tsInit,
    tsLast: o.tsLast,
  };
}

/** An order the emulator holds (not yet at a venue): status EMULATED. */
export function heldView(h: EmulatedOrder): Record<string, unknown> {
  const s = h.spec;
  return {
    clientOrderId: h.clientOrderId,
    accountId: s.accountId,
    strategyId: s.strategyId,
    instrumentId: s.instrumentId,
    side: s.side,
    type: s.type,
    status: 'EMULATED',
    quantity: s.quantity.toString(),
    filledQty: '0',
    leavesQty: s.quantity.toString(),
    triggerPrice: text(h.triggerPrice),
    tags: [...s.tags],
    tsInit: h.heldAt,
    tsLast: h.heldAt,
  };
}

export function positionView(p: Position, engine: Engine): Record<string, unknown> {
  const mark = engine.portfolio.markFor(p);
  return {
    positionId: p.id,
    accountId: p.accountId,
    strategyId: p.strategyId,
    instrumentId: p.instrumentId,
    side: p.side,
    quantity: p.quantity.toString(),
    // Exact decimal text (4 places finer than the tick, truncated), never the display float.
    avgEntryPx: p.avgEntryPxText(),
    markPx: text(mark),
    realizedPnl: p.realizedPnl.toDecimalString(),
    unrealizedPnl: engine.portfolio.unrealizedPnl(p).toDecimalString(),
    currency: p.instrument.settlement.code,
    openedAt: p.openedAt,
  };
}

export function accountView(a: Account): Record<string, unknown> {
  return {
    accountId: a.id,
    type: a.type,
    positionMode: a.positionMode,
    balances: a.balances().map((b) => ({ currency: b.currency.code, total: b.total.toDecimalString(), locked: b.locked.toDecimalString(), free: b.free.toDecimalString() })),
  };
}

export function instrumentView(i: Instrument): Record<string, unknown> {
  return {
    id: i.id,
    venue: i.venue,
    kind: i.kind,
    base: i.base?.code,
    quote: i.quote.code,
    settlement: i.settlement.code,
    tickSize: i.tickSize.toString(),
    lotSize: i.lotSize.toString(),
    minQuantity: text(i.minQuantity),
    maxQuantity: text(i.maxQuantity),
    minNotional: i.minNotional?.toDecimalString(),
    maxNotional: i.maxNotional?.toDecimalString(),
  };
}

/** JSON text of any value: bigints as decimal strings (exact), Money/Price/Quantity by their toJSON. */
export function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
