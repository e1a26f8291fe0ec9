/**
 * The seam between the advisor's tasks (what to ask, from Warden's own data) and its models
 * (which provider answers, validated, journaled, within budget). A task builds an
 * `AdvisorRequest`; `Consultant.consult` returns either a validated value or the reason there is
 * none. A task never sees a provider, a key or a raw answer; a model never sees Warden's state.
 */
import type { z } from 'zod';

/** The model tiers of the configuration (`advisor.reasoning_model`, `fast_model`, `risk_model`). */
export type ModelTier = 'reasoning' | 'fast' | 'risk';

/** What the advisor is asked to do; each has its own zod schema in src/advisor/tasks/. */
export type AdvisorTask = 'market' | 'strategies' | 'trade' | 'portfolio' | 'news' | 'explain';

export interface AdvisorRequest<T> {
  readonly task: AdvisorTask;
  readonly tier: ModelTier;
  /** Instructions. Never holds outside text (news, venue strings): that goes in `data`. */
  readonly system: string;
  /**
   * The facts Warden computed for this request, sent as JSON in the user turn, fenced and
   * labelled as data; the record keeps them so any advice shown can be traced to its inputs.
   */
  readonly data: unknown;
  /** What a valid answer is; anything else is dropped (FAULTS.md 36). */
  readonly schema: z.ZodType<T>;
  /** A name for the schema in structured-output mode (`market_regime`, ...). */
  readonly schemaName: string;
}

/** Why there is no answer. Each but NOT_CONFIGURED raises an alert. */
export type NoAdviceReason =
  | 'NOT_CONFIGURED' // no model for this tier: Warden works exactly as without the advisor
  | 'BUDGET_EXHAUSTED' // the day's token or cost budget is spent
  | 'TIMEOUT' // no answer within the tier's timeout
  | 'REFUSED' // the model declined
  | 'INVALID' // not JSON, or not the schema, after the repair pass and one retry
  | 'UNAVAILABLE'; // the provider failed (429/5xx after the SDK's retries, connection refused)

/** One consultation as journaled (`AdvisorConsulted`) and shown with its advice. */
export interface ConsultRecord {
  /** Journal-wide unique id of this consultation (`adv-<n>`), what proposals and the UI cite. */
  readonly id: string;
  readonly task: AdvisorTask;
  readonly tier: ModelTier;
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  /** sha256 hex of the exact prompt text sent (system + user). */
  readonly promptHash: string;
  readonly promptText: string;
  /** The answer's raw text as received (after a retry, the retry's). */
  readonly answerText: string;
  readonly latencyMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Estimated cost in USD as exact decimal text, from the tier's configured prices per 1M tokens. */
  readonly costUsd: string;
  readonly outcome: 'OK' | Exclude<NoAdviceReason, 'NOT_CONFIGURED'>;
  readonly ts: number;
}

export type Advice<T> =
  | { readonly ok: true; readonly value: T; readonly record: ConsultRecord }
  | { readonly ok: false; readonly reason: NoAdviceReason; readonly message: string; readonly record?: ConsultRecord };

export interface Consultant {
  /** Whether a model is configured for this tier (a tier without one falls back to `reasoning`). */
  configured(tier: ModelTier): boolean;
  consult<T>(request: AdvisorRequest<T>): Promise<Advice<T>>;
}
