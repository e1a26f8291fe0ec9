/**
 * Journaled advisor consultations (issue 18, FAULTS 36): one per question put to a model, with
 * what was asked (the exact prompt and its hash), what came back (the raw answer), how long it
 * took, the tokens and the estimated cost, and how it ended. Folded like any event but the engine
 * keeps nothing of them: advice never decides anything in the engine. They are read back from the
 * journal (the advisor's daily budget, the API, the event stream). A consultation's id is
 * `adv-<seq>`, the sequence number of its record: unique across restarts without a counter.
 *
 * The code sets here mirror src/advisor/consult.ts (ModelTier, AdvisorTask, ConsultRecord), which
 * the engine may not import; a test holds the two together.
 *
 * Journaled advisor proposals (issue 18, the same section): what a model proposed (enter, exit, resize) as a ticket
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

export type AdvisorTaskCode = 'market' | 'strategies' | 'trade' | 'portfolio' | 'news' | 'explain';
export const ADVISOR_TASKS: readonly AdvisorTaskCode[] = ['market', 'strategies', 'trade', 'portfolio', 'news', 'explain'];

export type AdvisorTierCode = 'reasoning' | 'fast' | 'risk';
export const ADVISOR_TIERS: readonly AdvisorTierCode[] = ['reasoning', 'fast', 'risk'];

export type AdvisorProviderCode = 'openai' | 'anthropic';
export const ADVISOR_PROVIDERS: readonly AdvisorProviderCode[] = ['openai', 'anthropic'];

/** How a consultation ended; every one but OK raises an alert once journaled. */
export type AdvisorOutcome = 'OK' | 'BUDGET_EXHAUSTED' | 'TIMEOUT' | 'REFUSED' | 'INVALID' | 'UNAVAILABLE';
export const ADVISOR_OUTCOMES: readonly AdvisorOutcome[] = ['OK', 'BUDGET_EXHAUSTED', 'TIMEOUT', 'REFUSED', 'INVALID', 'UNAVAILABLE'];

/** What the advisor asks to be journaled: a ConsultRecord without its id and time (the engine gives those). */
export interface AdvisorConsultationInput {
  readonly task: AdvisorTaskCode;
  readonly tier: AdvisorTierCode;
  readonly provider: AdvisorProviderCode;
  readonly model: string;
  /** sha256 hex of `promptText`. */
  readonly promptHash: string;
  readonly promptText: string;
  readonly answerText: string;
  readonly latencyMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD, exact non-negative decimal text. */
  readonly costUsd: string;
  readonly outcome: AdvisorOutcome;
}

/** `origin` is who journaled it (originText): `SYSTEM` or `OPERATOR:<identity>`. */
export type AdvisorConsulted = Base<'AdvisorConsulted'> & AdvisorConsultationInput & { readonly origin: string };


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

export type AdvisorEvent = AdvisorConsulted | AdvisorProposed | AdvisorProposalRejected;
