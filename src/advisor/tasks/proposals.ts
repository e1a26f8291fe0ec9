/**
 * The proposal book: pending tickets a model proposed, folded from the journal (AdvisorProposed,
 * AdvisorProposalRejected, and the order a confirmation submitted under the proposal's id), so a
 * restart neither loses a proposal nor submits one twice. A proposal becomes an order only when a
 * trader confirms it, and then through the normal path (the risk gate, the advisor's trade gate):
 * nothing here submits on its own.
 */
import type { JournalRecord } from '../../engine/events.ts';
import type { ProposalAction } from '../../engine/advisor/events.ts';
import type { ProposalAnswer, ProposalScope } from './proposal-schema.ts';

/** Exactly what a confirmation submits (the API's order body, decimals as text). */
export interface ProposalTicket {
  readonly instrumentId: string;
  readonly accountId: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'MARKET' | 'LIMIT';
  readonly quantity: string;
  readonly price?: string;
  readonly reduceOnly?: boolean;
}

export type ProposalStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED';

export interface Proposal {
  readonly proposalId: string;
  readonly consultation: string;
  readonly action: ProposalAction;
  readonly ticket: ProposalTicket;
  readonly rationale: string;
  readonly status: ProposalStatus;
  readonly proposedAt: number;
  /** Who decided and when; the order's origin (`OPERATOR:<name> ADVICE:<consultation>`) for a confirmation. */
  readonly decidedBy?: string;
  readonly decidedAt?: number;
  readonly reason?: string;
}

/** Proposal ids: `p-<consultation>-<index>`, also the client order id a confirmation submits under. */
export const proposalIdOf = (consultation: string, index: number): string => `p-${consultation}-${index}`;

/** Decimal text of a − b for non-negative decimals (exact: scaled bigints). */
function subtract(a: string, b: string): { text: string; negative: boolean } {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const big = (s: string) => BigInt(s.replace('.', '') + '0'.repeat(scale - (s.split('.')[1]?.length ?? 0)));
  const d = big(a) - big(b);
  const abs = (d < 0n ? -d : d).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? abs : `${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
  return { text, negative: d < 0n };
}

/**
 * Pure: the ticket of a validated proposal in its scope (undefined: nothing to do, e.g. a resize
 * to the size held). Enter: as proposed. Exit: the whole position, the other way, at market,
 * reduce-only. Resize: the difference to the new size, reduce-only when it shrinks.
 */
export function ticketOf(p: ProposalAnswer, scope: ProposalScope, accountFor: (instrumentId: string) => string): { action: ProposalAction; ticket: ProposalTicket } | undefined {
  switch (p.action) {
    case 'enter':
      return { action: 'ENTER', ticket: { instrumentId: p.instrumentId, accountId: accountFor(p.instrumentId), side: p.side, type: p.type, quantity: p.quantity, ...(p.price !== undefined ? { price: p.price } : {}) } };
    case 'exit': {
      const pos = scope.positions.find((x) => x.instrumentId === p.instrumentId);
      if (!pos) return undefined;
      return { action: 'EXIT', ticket: { instrumentId: p.instrumentId, accountId: pos.accountId, side: pos.side === 'LONG' ? 'SELL' : 'BUY', type: 'MARKET', quantity: pos.quantity, reduceOnly: true } };
    }
    case 'resize': {
      const pos = scope.positions.find((x) => x.instrumentId === p.instrumentId);
      if (!pos) return undefined;
      const d = subtract(p.quantity, pos.quantity);
      if (/^[0.]+$/.test(d.text)) return undefined;
      const grow = !d.negative;
      const side = (pos.side === 'LONG') === grow ? 'BUY' : 'SELL';
      return { action: 'RESIZE', ticket: { instrumentId: p.instrumentId, accountId: pos.accountId, side, type: 'MARKET', quantity: d.text, ...(grow ? {} : { reduceOnly: true }) } };
    }
    default: {
      const never: never = p;
      return never;
    }
  }
}

/** The book: a fold of journal records. `apply` is pure per record; the desk feeds it live and at start. */
export class ProposalBook {
  private readonly byId = new Map<string, Proposal>();
  /** Proposals a confirmation is being submitted for (not yet journaled): a second confirm is refused meanwhile. */
  private readonly confirming = new Set<string>();

  /** Applies one journal record; returns the proposal it changed, if any. */
  apply(r: JournalRecord): Proposal | undefined {
    const e = r.event;
    switch (e.kind) {
      case 'AdvisorProposed': {
        const p: Proposal = { proposalId: e.proposalId, consultation: e.consultation, action: e.action, ticket: JSON.parse(e.ticket) as ProposalTicket, rationale: e.rationale, status: 'PENDING', proposedAt: e.tsEvent };
        this.byId.set(p.proposalId, p);
        return p;
      }
      case 'AdvisorProposalRejected':
        return this.decide(e.proposalId, 'REJECTED', e.operator, e.tsEvent, e.reason);
      case 'OrderInitialized':
      case 'EmulatedOrderHeld':
        return this.decide(e.clientOrderId, 'CONFIRMED', e.origin ?? 'unknown', e.tsEvent);
      default:
        return undefined;
    }
  }

  private decide(id: string, status: ProposalStatus, by: string, at: number, reason?: string): Proposal | undefined {
    const p = this.byId.get(id);
    if (!p || p.status !== 'PENDING') return undefined;
    const next: Proposal = { ...p, status, decidedBy: by, decidedAt: at, ...(reason !== undefined ? { reason } : {}) };
    this.byId.set(id, next);
    this.confirming.delete(id);
    return next;
  }

  get(id: string): Proposal | undefined {
    return this.byId.get(id);
  }

  /** Newest first; only pending ones unless `all`. */
  list(all = false): Proposal[] {
    return [...this.byId.values()].filter((p) => all || p.status === 'PENDING').sort((a, b) => b.proposedAt - a.proposedAt || (a.proposalId < b.proposalId ? 1 : -1));
  }

  /** Marks a pending proposal as being confirmed; false when it is not pending or already being confirmed. */
  claim(id: string): boolean {
    const p = this.byId.get(id);
    if (!p || p.status !== 'PENDING' || this.confirming.has(id)) return false;
    this.confirming.add(id);
    return true;
  }

  release(id: string): void {
    this.confirming.delete(id);
  }
}
