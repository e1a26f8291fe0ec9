/**
 * Bracket, OCO and OTO requests as the one order list a venue holds itself (SubmitOrderList with
 * `heldAtVenue`), pure. The orders keep the ids and links the emulator would give them (a
 * bracket's children `<id>-TP-1` and `<id>-SL-1`, an OTO's child its own id), so a strategy sees
 * the same orders whichever way the list is kept; only who holds the children differs.
 *
 * What differs from the emulated list, by the venue's rules: every child is sized to the entry's
 * whole quantity and placed with it (the venue activates it on the entry's fill), so a bracket or
 * OTO goes to the venue only with trigger FULL or none given (a pair per partial fill is the
 * emulator's); the exits are not reduce-only (the venue links them to the entry instead).
 */
import type { OrderListShape } from '../../engine/venue.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import { CONTINGENT_TAGS, type BracketRequest, type OtoRequest } from './contingent.ts';

export interface VenueList {
  readonly shape: OrderListShape;
  readonly orderListId: string;
  /** In the shape's order: entry first (bracket, OTO), take-profit before stop-loss. */
  readonly orders: readonly OrderRequest[];
}

const STOP_TYPES: ReadonlySet<string> = new Set(['STOP_MARKET', 'STOP_LIMIT']);

/** A bracket as one list: the entry, its take-profit LIMIT and its stop-loss STOP_MARKET; undefined when its trigger is PARTIAL. */
export function bracketList(req: BracketRequest): VenueList | undefined {
  if (req.trigger === 'PARTIAL') return undefined;
  const e = req.entry;
  const id = e.clientOrderId ?? '';
  const [tp, sl] = [`${id}-TP-1`, `${id}-SL-1`];
  const exit = {
    accountId: e.accountId,
    ...(e.strategyId !== undefined ? { strategyId: e.strategyId } : {}),
    instrumentId: e.instrumentId,
    side: e.side === 'BUY' ? 'SELL' : 'BUY',
    quantity: e.quantity,
    ...(e.timeInForce !== undefined ? { timeInForce: e.timeInForce } : {}),
    contingency: 'OCO',
    parentOrderId: id,
    tags: [...(e.tags ?? []), CONTINGENT_TAGS.child],
  };
  return {
    shape: 'BRACKET',
    orderListId: `${id}-BRACKET`,
    orders: [
      { ...e, contingency: 'OTO', linkedOrderIds: [tp, sl] },
      { ...exit, clientOrderId: tp, type: 'LIMIT', price: req.takeProfitPrice, linkedOrderIds: [sl] },
      { ...exit, clientOrderId: sl, type: 'STOP_MARKET', triggerPrice: req.stopLossTriggerPrice, linkedOrderIds: [tp] },
    ],
  };
}

/** Two orders, one cancels the other, as one list: the take-profit (LIMIT) first; undefined when neither is a stop. */
export function ocoList(a: OrderRequest, b: OrderRequest): VenueList | undefined {
  const [limit, stop] = STOP_TYPES.has(String(b.type)) ? [a, b] : STOP_TYPES.has(String(a.type)) ? [b, a] : [undefined, undefined];
  if (!limit || !stop) return undefined;
  const [lid, sid] = [limit.clientOrderId ?? '', stop.clientOrderId ?? ''];
  return {
    shape: 'OCO',
    orderListId: `${a.clientOrderId ?? ''}-OCO`,
    orders: [
      { ...limit, contingency: 'OCO', linkedOrderIds: [sid] },
      { ...stop, contingency: 'OCO', linkedOrderIds: [lid] },
    ],
  };
}

/** One triggers the other as one list: the parent, then the child for the parent's whole quantity; undefined when its trigger is PARTIAL. */
export function otoList(req: OtoRequest): VenueList | undefined {
  if (req.trigger === 'PARTIAL') return undefined;
  const p = req.parent;
  const c = req.child;
  const pid = p.clientOrderId ?? '';
  return {
    shape: 'OTO',
    orderListId: `${pid}-OTO`,
    orders: [
      { ...p, contingency: 'OTO', linkedOrderIds: [c.clientOrderId ?? ''] },
      { ...c, quantity: c.quantity ?? p.quantity, parentOrderId: pid, tags: [...(c.tags ?? []), CONTINGENT_TAGS.child] },
    ],
  };
}
