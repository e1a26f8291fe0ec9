import type { ChildLedger } from './children.ts';
import type { AlgoAction } from './types.ts';

/**
 * The stop for a child that ended in a way the algorithm cannot go on from, if any. Resending
 * would only meet the same gate, venue or operator again: the algorithm stops and says why.
 */
export function failureStop(parentId: string, ledger: ChildLedger): AlgoAction | undefined {
  const c = ledger.failure();
  if (!c) return undefined;
  const id = c.clientOrderId;
  switch (c.end.kind) {
    case 'DENIED':
      return { do: 'stop', status: 'FAILED', reason: c.end.code, alert: { code: 'ALGO_CHILD_DENIED', message: `${parentId}: child ${id} denied: ${c.end.code} ${c.end.reason}` } };
    case 'REJECTED':
      return { do: 'stop', status: 'FAILED', reason: 'REJECTED', alert: { code: 'ALGO_CHILD_REJECTED', message: `${parentId}: child ${id} rejected by the venue: ${c.end.reason}` } };
    case 'LOST':
      return {
        do: 'stop',
        status: 'FAILED',
        reason: c.end.event === 'OrderExpired' ? 'CHILD_EXPIRED' : 'CHILD_CANCELED',
        alert: { code: 'ALGO_CHILD_LOST', message: `${parentId}: child ${id} ended (${c.end.event}) without the algorithm asking; not resent` },
      };
  }
}

/** Cancels for working children not already asked to cancel. */
export function cancelsFor(children: readonly { clientOrderId: string; cancelRequested: boolean }[]): AlgoAction[] {
  return children.filter((c) => !c.cancelRequested).map((c) => ({ do: 'cancel', clientOrderId: c.clientOrderId }));
}
