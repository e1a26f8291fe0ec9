import type { EmulatedOrder } from '../execution/emulation/emulator.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Order } from '../model/orders/order.ts';
import type { Account } from '../portfolio/account.ts';
import { marginOf } from '../portfolio/margin.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { Position } from '../portfolio/position.ts';
import type { TradingNode } from '../node/trading-node.ts';

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

/** A position as the API shows it; any holder of a portfolio (an Engine, or the firm view's EngineState). */
export function positionView(p: Position, engine: { readonly portfolio: Portfolio }): Record<string, unknown> {
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

/** An account's pattern-day-trader count (Compliance.dayTradeCount) as the API shows it. */
export interface DayTradesView {
  readonly count: number;
  /** Day trades allowed in the window (the order that would be one more is denied while the rule applies). */
  readonly max: number;
  readonly windowDays: number;
  /** The window's first date (YYYY-MM-DD, the venue's calendar). */
  readonly windowStart: string;
  /** Whether the rule holds this account (MARGIN, rule enabled); under the rule's minimum equity it denies. */
  readonly applies: boolean;
}

/**
 * An account: balances; `margin` per currency for a MARGIN account (null for a CASH account,
 * which pays the notional and has none); `dayTrades` where its venue has a calendar (null where
 * nothing counts them).
 */
export function accountView(a: Account, portfolio: Portfolio, dayTrades: DayTradesView | null): Record<string, unknown> {
  const margin = marginOf(portfolio, a.id);
  return {
    accountId: a.id,
    type: a.type,
    positionMode: a.positionMode,
    balances: a.balances().map((b) => ({ currency: b.currency.code, total: b.total.toDecimalString(), locked: b.locked.toDecimalString(), free: b.free.toDecimalString() })),
    margin: margin === undefined ? null : margin.map((m) => ({ currency: m.currency.code, used: m.used.toDecimalString(), available: m.available.toDecimalString(), positions: m.positions.toDecimalString(), orders: m.orders.toDecimalString() })),
    dayTrades,
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

/** The node's process as GET /api/system and the stream's `system` messages give it. */
export interface SystemView {
  readonly node: string;
  /** When the node started (wall clock, epoch ms) and the wall time since. */
  readonly startedAt: number;
  readonly uptimeMs: number;
  /** The node process's memory (process.memoryUsage), bytes. */
  readonly memory: { readonly rssBytes: number; readonly heapUsedBytes: number; readonly heapTotalBytes: number; readonly externalBytes: number };
}

export function systemView(node: TradingNode): SystemView {
  const m = process.memoryUsage();
  return {
    node: node.config.node.id,
    startedAt: Math.round(node.startedAt),
    uptimeMs: Math.round(node.uptimeMs()),
    memory: { rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, externalBytes: m.external },
  };
}

/** JSON text of any value: bigints as decimal strings (exact), Money/Price/Quantity by their toJSON. */
export function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
