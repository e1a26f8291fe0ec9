/**
 * Journaled advisor proposals (issue 18): what a model proposed (enter, exit, resize) as a ticket
 * waiting for a person, and a person's rejection. A confirmation is the order itself: it is
 * submitted under the proposal's id as its client order id (so it can happen once) with the
 * confirming operator and the consultation in its origin. The engine keeps nothing of these: the
 * advisor's proposal book folds them (src/advisor/tasks/proposals.ts).
 */
interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

export const PROPOSAL_ACTIONS = ['ENTER', 'EXIT', 'RESIZE'] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

export type AdvisorProposed = Base<'AdvisorProposed'> & {
  readonly proposalId: string;
  /** The advisor consultation the proposal came from (`adv-<n>`). */
  readonly consultation: string;
  readonly action: ProposalAction;
  /** The order ticket as JSON (instrument, account, side, type, quantity, price, reduce-only): exactly what a confirmation submits. */
  readonly ticket: string;
  readonly rationale: string;
};

export type AdvisorProposalRejected = Base<'AdvisorProposalRejected'> & {
  readonly proposalId: string;
  /** The rejecting operator's identity. */
  readonly operator: string;
  readonly reason: string;
};

export type AdvisorEvent = AdvisorProposed | AdvisorProposalRejected;
