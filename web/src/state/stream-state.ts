/**
 * The dashboard's live state, built from a snapshot (the REST answers) and then the journal
 * records the stream sends, each applied exactly once (by sequence number, and fills again by
 * trade id so a fill already in the snapshot is not counted twice). Pure: no DOM, no I/O.
 */
import { transitionOf, isOpenStatus, ORDER_STATUSES, type OrderStatus } from '../../../src/model/orders/status.ts';
import type { OrderEventKind } from '../../../src/model/orders/events.ts';
import type { OrderRow, PositionRow } from '../api/types.ts';
import { addDecimal, compareDecimal, isZeroDecimal, negateDecimal } from './decimal.ts';
import { admit } from './resume.ts';
import { str, type WireEvent } from './wire.ts';

export interface BlotterOrder {
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly accountId?: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: string;
  readonly quantity: string;
  readonly filledQty: string;
  readonly price?: string;
  readonly triggerPrice?: string;
  readonly avgPx?: string;
  readonly lastPx?: string;
  readonly status: BlotterStatus;
  /** The status before a pending request, which its answer returns to. */
  readonly previous?: OrderStatus;
  /** Denial or rejection: the code (denials) and the readable reason. */
  readonly code?: string;
  readonly reason?: string;
  readonly tsLast: number;
}

/** The engine's order status, or EMULATED: held by the order emulator, not yet at a venue. */
export type BlotterStatus = OrderStatus | 'EMULATED';

export interface NetPosition {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly quantity: string;
  readonly avgPx?: string;
  readonly unrealizedPnl?: string;
  readonly realizedPnl?: string;
}

export interface KillSwitchView {
  readonly engaged: boolean;
  readonly by?: string;
  readonly reason?: string;
  readonly since?: number;
}

export interface LiveState {
  /** Highest journal sequence number applied (or the snapshot's). */
  readonly lastSeq: number;
  readonly orders: ReadonlyMap<string, BlotterOrder>;
  readonly positions: ReadonlyMap<string, NetPosition>;
  readonly seenTrades: ReadonlySet<string>;
  readonly killSwitch: KillSwitchView;
  /** Trading state by scope key (e.g. "GLOBAL"). */
  readonly tradingStates: ReadonlyMap<string, string>;
  /** Bumped by every risk event, so the risk page knows to re-read breaker figures. */
  readonly riskVersion: number;
  /** Bumped by every fill, so positions re-read prices and PnL (the quantity is kept here). */
  readonly fillVersion: number;
  /** Bumped by every audit record, so the audit log re-reads. */
  readonly auditVersion: number;
}

export const EMPTY_STATE: LiveState = {
  lastSeq: 0,
  orders: new Map(),
  positions: new Map(),
  seenTrades: new Set(),
  killSwitch: { engaged: false },
  tradingStates: new Map(),
  riskVersion: 0,
  fillVersion: 0,
  auditVersion: 0,
};

export function positionKey(accountId: string, instrumentId: string): string {
  return `${accountId}|${instrumentId}`;
}

const STATUS_SET: ReadonlySet<string> = new Set([...ORDER_STATUSES, 'EMULATED']);
function asStatus(s: string): BlotterStatus {
  return STATUS_SET.has(s) ? (s as BlotterStatus) : 'UNKNOWN';
}

/** Open = may still trade (an emulated order may still be released to the venue). */
export function isWorking(s: BlotterStatus): boolean {
  return s === 'EMULATED' || isOpenStatus(s);
}

/** The REST snapshot as live state, at sequence `seq` (records at or below it are already in it). */
export function fromSnapshot(seq: number, orders: readonly OrderRow[], positions: readonly PositionRow[], prev: LiveState = EMPTY_STATE): LiveState {
  const om = new Map<string, BlotterOrder>();
  for (const o of orders) om.set(o.clientOrderId, orderFromRow(o));
  const pm = new Map<string, NetPosition>();
  for (const p of positions) {
    const key = positionKey(p.accountId, p.instrumentId);
    const signed = p.side === 'SHORT' && !p.quantity.startsWith('-') ? negateDecimal(p.quantity) : p.quantity;
    const had = pm.get(key);
    const avgPx = p.avgPx ?? p.avgEntryPx;
    pm.set(key, {
      accountId: p.accountId,
      instrumentId: p.instrumentId,
      quantity: had ? addDecimal(had.quantity, signed) : signed,
      ...(avgPx !== undefined && { avgPx }),
      ...(p.unrealizedPnl !== undefined && { unrealizedPnl: p.unrealizedPnl }),
      ...(p.realizedPnl !== undefined && { realizedPnl: p.realizedPnl }),
    });
  }
  return { ...prev, lastSeq: seq, orders: om, positions: pm, seenTrades: new Set() };
}

function orderFromRow(o: OrderRow): BlotterOrder {
  return {
    clientOrderId: o.clientOrderId,
    instrumentId: o.instrumentId,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    filledQty: o.filledQty ?? '0',
    status: asStatus(o.status),
    tsLast: o.tsLast ?? 0,
    ...(o.accountId !== undefined && { accountId: o.accountId }),
    ...(o.price !== undefined && { price: o.price }),
    ...(o.triggerPrice !== undefined && { triggerPrice: o.triggerPrice }),
    ...(o.avgPx !== undefined && { avgPx: o.avgPx }),
    ...(o.code !== undefined && { code: o.code }),
    ...(o.reason !== undefined && { reason: o.reason }),
  };
}

/** Applies record `seq` once; a repeat (seq at or below lastSeq) returns the same state object. */
export function applyRecord(state: LiveState, seq: number, event: WireEvent): LiveState {
  if (admit(state.lastSeq, seq) === 'duplicate') return state;
  return { ...applyEvent(state, event), lastSeq: seq };
}

function applyEvent(state: LiveState, e: WireEvent): LiveState {
  if (e.kind === 'OrderInitialized') return initialize(state, e, 'INITIALIZED');
  if (e.kind === 'EmulatedOrderHeld') return initialize(state, e, 'EMULATED');
  if (e.kind === 'EmulatedOrderCanceled') return setStatus(state, e, 'CANCELED');
  if (e.kind.startsWith('Order')) return applyOrderEvent(state, e);
  switch (e.kind) {
    case 'KillSwitchEngaged':
      return {
        ...state,
        riskVersion: state.riskVersion + 1,
        killSwitch: { engaged: true, by: str(e, 'operator') ?? '', reason: str(e, 'reason') ?? '', since: e.tsEvent ?? 0 },
      };
    case 'KillSwitchReset':
      return { ...state, riskVersion: state.riskVersion + 1, killSwitch: { engaged: false } };
    case 'TradingStateChanged': {
      const states = new Map(state.tradingStates);
      states.set(scopeKey(e.scope), str(e, 'state') ?? 'UNKNOWN');
      return { ...state, riskVersion: state.riskVersion + 1, tradingStates: states };
    }
    case 'BreakerTripped':
    case 'BreakerReset':
      return { ...state, riskVersion: state.riskVersion + 1 };
    case 'AuditRecorded':
      return { ...state, auditVersion: state.auditVersion + 1 };
    default:
      return state;
  }
}

/** A scope as the journal codec writes it ({ kind: 'GLOBAL' } / { kind: 'INSTRUMENT', id }) as one key. */
export function scopeKey(scope: unknown): string {
  if (typeof scope === 'string') return scope;
  if (typeof scope !== 'object' || scope === null) return 'GLOBAL';
  const s = scope as Record<string, unknown>;
  const kind = typeof s.kind === 'string' ? s.kind : typeof s.type === 'string' ? s.type : 'GLOBAL';
  const rest = Object.entries(s)
    .filter(([k]) => k !== 'kind' && k !== 'type')
    .map(([, v]) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''))
    .filter((v) => v !== '');
  return rest.length ? `${kind}:${rest.join(':')}` : kind;
}

/** An emulated order ends without reaching the venue. */
function setStatus(state: LiveState, e: WireEvent, status: BlotterStatus): LiveState {
  const o = e.clientOrderId === undefined ? undefined : state.orders.get(e.clientOrderId);
  if (!o || o.status !== 'EMULATED') return state;
  const orders = new Map(state.orders);
  orders.set(o.clientOrderId, { ...o, status, tsLast: e.tsEvent ?? o.tsLast, ...(str(e, 'reason') !== undefined && { reason: str(e, 'reason') }) });
  return { ...state, orders };
}

/** A new order (or an emulated one released to the venue under the same id: it starts over as INITIALIZED). */
function initialize(state: LiveState, e: WireEvent, status: 'INITIALIZED' | 'EMULATED'): LiveState {
  const id = e.clientOrderId;
  const spec = e.spec as Record<string, unknown> | undefined;
  const had = id === undefined ? undefined : state.orders.get(id);
  if (!id || !spec || (had && !(had.status === 'EMULATED' && status === 'INITIALIZED'))) return state;
  const s = (k: string): string | undefined => (typeof spec[k] === 'string' ? spec[k] : undefined);
  const order: BlotterOrder = {
    clientOrderId: id,
    instrumentId: s('instrumentId') ?? '',
    side: s('side') === 'SELL' ? 'SELL' : 'BUY',
    type: s('type') ?? '',
    quantity: s('quantity') ?? '0',
    filledQty: '0',
    status,
    tsLast: e.tsEvent ?? 0,
    ...(s('accountId') !== undefined && { accountId: s('accountId') }),
    ...(s('price') !== undefined && { price: s('price') }),
    ...(s('triggerPrice') !== undefined && { triggerPrice: s('triggerPrice') }),
  };
  const orders = new Map(state.orders);
  orders.set(id, order);
  return { ...state, orders };
}

function applyOrderEvent(state: LiveState, e: WireEvent): LiveState {
  const id = e.clientOrderId;
  const order = id === undefined ? undefined : state.orders.get(id);
  if (!id || !order) return e.kind === 'OrderFilled' ? applyFillToPosition(state, e) : state;
  const next = nextOrder(order, e, state.seenTrades);
  if (next === order) return state;
  const orders = new Map(state.orders);
  orders.set(id, next);
  const withOrder = { ...state, orders };
  return e.kind === 'OrderFilled' ? applyFillToPosition(withOrder, e) : withOrder;
}

function nextOrder(order: BlotterOrder, e: WireEvent, seenTrades: ReadonlySet<string>): BlotterOrder {
  const current = order.status;
  // An emulated order's own events are EmulatedOrder*; its venue life starts with OrderInitialized.
  if (current === 'EMULATED') return order;
  const transition = transitionOf(current, e.kind as OrderEventKind);
  const ts = e.tsEvent ?? order.tsLast;
  if (e.kind === 'OrderFilled') {
    const tradeId = str(e, 'tradeId');
    if (tradeId !== undefined && seenTrades.has(tradeId)) return order;
    const filled = capAt(addDecimal(order.filledQty, str(e, 'lastQty') ?? '0'), order.quantity);
    const status: OrderStatus =
      transition === 'LATE_FILL' ? current : compareDecimal(filled, order.quantity) >= 0 ? 'FILLED' : pendingOr(current, 'PARTIALLY_FILLED');
    return { ...order, filledQty: filled, lastPx: str(e, 'lastPx') ?? order.lastPx, status, tsLast: ts };
  }
  const updated = e.kind === 'OrderUpdated' ? withUpdates(order, e) : order;
  const detail = {
    ...(e.kind === 'OrderDenied' && { code: str(e, 'code'), reason: str(e, 'reason') }),
    ...(e.kind === 'OrderRejected' && { reason: str(e, 'reason') }),
  };
  const status = statusAfter(current, order, transition);
  const previous = status.startsWith('PENDING') || status === 'UNKNOWN' ? pendingBase(current, order.previous) : undefined;
  return { ...updated, ...detail, status, previous, tsLast: ts };
}

/** The status before any pending request, which PREVIOUS returns to. */
function pendingBase(current: OrderStatus, previous: OrderStatus | undefined): OrderStatus {
  return current.startsWith('PENDING') || current === 'UNKNOWN' ? (previous ?? 'ACCEPTED') : current;
}

function pendingOr(current: OrderStatus, otherwise: OrderStatus): OrderStatus {
  return current === 'PENDING_CANCEL' || current === 'PENDING_UPDATE' || current === 'UNKNOWN' ? current : otherwise;
}

function statusAfter(current: OrderStatus, order: BlotterOrder, t: ReturnType<typeof transitionOf>): OrderStatus {
  switch (t) {
    case undefined:
    case 'SAME':
    case 'LATE_FILL':
    case 'FILL':
      return current;
    case 'PREVIOUS':
      return order.previous ?? (isZeroDecimal(order.filledQty) ? 'ACCEPTED' : 'PARTIALLY_FILLED');
    case 'BUST':
      // A bust changes quantities the snapshot re-read settles; the status is left as it was.
      return current;
    default:
      return t;
  }
}

function withUpdates(order: BlotterOrder, e: WireEvent): BlotterOrder {
  return {
    ...order,
    quantity: str(e, 'quantity') ?? order.quantity,
    ...(str(e, 'price') !== undefined && { price: str(e, 'price') }),
    ...(str(e, 'triggerPrice') !== undefined && { triggerPrice: str(e, 'triggerPrice') }),
  };
}

function capAt(v: string, cap: string): string {
  return compareDecimal(v, cap) > 0 ? cap : v;
}

function applyFillToPosition(state: LiveState, e: WireEvent): LiveState {
  const tradeId = str(e, 'tradeId');
  const accountId = str(e, 'accountId');
  const instrumentId = str(e, 'instrumentId');
  const qty = str(e, 'lastQty');
  if (!tradeId || !accountId || !instrumentId || !qty || state.seenTrades.has(tradeId)) return state;
  const signed = str(e, 'side') === 'SELL' ? negateDecimal(qty) : qty;
  const key = positionKey(accountId, instrumentId);
  const had = state.positions.get(key);
  const positions = new Map(state.positions);
  positions.set(key, { ...(had ?? { accountId, instrumentId }), quantity: had ? addDecimal(had.quantity, signed) : signed });
  const seenTrades = new Set(state.seenTrades);
  seenTrades.add(tradeId);
  return { ...state, positions, seenTrades, fillVersion: state.fillVersion + 1 };
}

/** Prices and PnL from a later REST answer, keeping the quantities the stream built. */
export function withPositionFigures(state: LiveState, rows: readonly PositionRow[]): LiveState {
  const positions = new Map(state.positions);
  for (const r of rows) {
    const key = positionKey(r.accountId, r.instrumentId);
    const live = positions.get(key);
    if (!live) continue;
    positions.set(key, {
      ...live,
      ...((r.avgPx ?? r.avgEntryPx) !== undefined && { avgPx: r.avgPx ?? r.avgEntryPx }),
      ...(r.unrealizedPnl !== undefined && { unrealizedPnl: r.unrealizedPnl }),
      ...(r.realizedPnl !== undefined && { realizedPnl: r.realizedPnl }),
    });
  }
  return { ...state, positions };
}

/** Orders that may still trade (the blotter's "working" view, what cancel-all cancels). */
export function workingOrders(state: LiveState): BlotterOrder[] {
  return [...state.orders.values()].filter((o) => isWorking(o.status));
}
