/**
 * Rebuilding running algorithms' children after a restart, from the journal: which child was sent
 * for which slice (AlgoSliceSent), which cancels the algorithm asked for (AlgoChildCancelRequested)
 * and every order event of those children, folded through a ChildLedger exactly as the live runner
 * folds them. Progress is the children's own fills, so nothing about it is journaled twice.
 */
import type { Journal } from '../engine/journal.ts';
import { ORDER_EVENT_KINDS, type OrderEvent } from '../model/orders/events.ts';
import type { Quantity } from '../model/values.ts';
import { ChildLedger } from './children.ts';

type Pending = Map<string, { readonly ledger: ChildLedger; readonly slice: number; readonly quantity: Quantity }>;

const ORDER_KINDS: ReadonlySet<string> = new Set(ORDER_EVENT_KINDS);

export interface LedgerPrecision {
  readonly sizePrecision: number;
  readonly pricePrecision: number;
}

/**
 * One ledger per running algorithm (`live`: parent id → its instrument's precisions), read from
 * the whole journal. A parent id started again after an earlier algorithm of that id ended starts
 * a new ledger. A slice sent whose order was never initialized (the process stopped between the
 * two) is left out: its id never reached the engine, so it is free to be sent again.
 */
export async function replayLedgers(journal: Journal, live: ReadonlyMap<string, LedgerPrecision>): Promise<Map<string, ChildLedger>> {
  const ledgers = new Map<string, ChildLedger>();
  /** Child id → its parent's ledger and the slice it was sent for, until its order is initialized. */
  const pending: Pending = new Map();
  const childOf = new Map<string, ChildLedger>();
  for await (const { event: e } of journal.read(1)) {
    switch (e.kind) {
      case 'AlgoStarted': {
        const p = live.get(e.parentId);
        if (p) ledgers.set(e.parentId, new ChildLedger(p.sizePrecision, p.pricePrecision));
        break;
      }
      case 'AlgoSliceSent': {
        const ledger = ledgers.get(e.parentId);
        if (ledger && live.has(e.parentId)) pending.set(e.clientOrderId, { ledger, slice: e.slice, quantity: e.quantity });
        break;
      }
      case 'AlgoChildCancelRequested': {
        const c = childOf.get(e.clientOrderId)?.children.find((x) => x.clientOrderId === e.clientOrderId);
        if (c) c.cancelRequested = true;
        break;
      }
      default:
        if (ORDER_KINDS.has(e.kind)) fold(e as OrderEvent, pending, childOf);
    }
  }
  return ledgers;
}

function fold(
  e: OrderEvent,
  pending: Pending,
  childOf: Map<string, ChildLedger>,
): void {
  const id = e.clientOrderId;
  if (e.kind === 'OrderInitialized') {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.ledger.add(id, p.slice, p.quantity);
    childOf.set(id, p.ledger);
  }
  childOf.get(id)?.onEvent(e);
}
