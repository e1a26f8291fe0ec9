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

export type AdvisorEvent = AdvisorConsulted;
