/**
 * The Consultant of src/advisor/consult.ts over real models: the request's tier picks a model
 * (fast and risk fall back to reasoning), the day's budget is checked before anything is sent,
 * the answer is read and validated (a repair pass; one retry saying what was wrong), and every
 * consultation, advice or not, is journaled as AdvisorConsulted (the engine alerts those without
 * advice). A key never reaches a record, a message or an alert: texts from the provider are
 * scrubbed of the tier keys first.
 *
 * Runs outside the engine: it keeps time with the wall clock it is given (latency) and the
 * engine's clock (the budget's day, the record's time, given by the engine).
 */
import { ValidationError } from '../../model/errors.ts';
import type { Clock } from '../../engine/clock.ts';
import type { JournalRecord } from '../../engine/events.ts';
import type { AdvisorConsultationInput } from '../../engine/advisor/events.ts';
import { ADVISOR_TASKS, ADVISOR_TIERS } from '../../engine/advisor/events.ts';
import { MAX_ANSWER_CHARS } from '../../engine/advisor/advisor-commands.ts';
import type { ModelTierConfig } from './config.ts';
import type { Advice, AdvisorRequest, Consultant, ConsultRecord, ModelTier, NoAdviceReason } from '../consult.ts';
import { readAnswer, validate, type Reading } from './answer.ts';
import { callCost, usdText, usdUnits } from './cost.ts';
import { SpendLedger, type JournalReader } from './ledger.ts';
import { buildPrompt, type Prompt } from './prompt.ts';
import type { CallFailure, CallOptions, ModelProvider, Reply } from './provider.ts';
import { consultRecordOf } from './records.ts';

/** What the consultant needs of the engine: journal a consultation, read the journal. */
export interface ConsultingEngine {
  recordAdvisorConsultation(input: AdvisorConsultationInput): Promise<JournalRecord>;
  readonly journal: JournalReader;
}

export interface TierModel {
  readonly provider: ModelProvider;
  readonly config: ModelTierConfig;
}

export interface AdvisorBudget {
  readonly dailyTokens?: number | undefined;
  /** USD, decimal text or a config number. */
  readonly dailyCostUsd?: string | number | undefined;
}

export interface ModelConsultantOptions {
  readonly engine: ConsultingEngine;
  /** The engine's clock: the budget's UTC day. */
  readonly clock: Clock;
  /** Milliseconds for latency (default performance.now). */
  readonly wall?: () => number;
  readonly reasoning: TierModel;
  readonly fast?: TierModel | undefined;
  readonly risk?: TierModel | undefined;
  readonly budget?: AdvisorBudget;
  /** Replaces the tiers' keys in every text that leaves the consultant (the node's secret scrubber). */
  readonly scrub?: (text: string) => string;
}

/** How a consultation ended, before it is journaled. */
type Outcome =
  | { readonly ok: true; readonly value: unknown; readonly answer: string }
  | { readonly ok: false; readonly reason: Exclude<NoAdviceReason, 'NOT_CONFIGURED'>; readonly message: string; readonly answer: string };

interface Spent {
  inputTokens: number;
  outputTokens: number;
}

type Attempt = { readonly ok: true; readonly reply: Reply } | { readonly ok: false; readonly failure: CallFailure };

export class ModelConsultant implements Consultant {
  private readonly ledger: SpendLedger;
  private readonly scrub: (text: string) => string;
  private readonly wall: () => number;

  constructor(private readonly o: ModelConsultantOptions) {
    this.ledger = new SpendLedger(o.engine.journal);
    this.scrub = o.scrub ?? ((text) => text);
    this.wall = o.wall ?? (() => performance.now());
  }

  configured(tier: ModelTier): boolean {
    return ADVISOR_TIERS.includes(tier);
  }

  private model(tier: ModelTier): TierModel {
    return (tier === 'fast' ? this.o.fast : tier === 'risk' ? this.o.risk : undefined) ?? this.o.reasoning;
  }

  async consult<T>(request: AdvisorRequest<T>): Promise<Advice<T>> {
    checkRequest(request);
    const prompt = buildPrompt(request);
    const model = this.model(request.tier);
    await this.ledger.ready();
    const spent: Spent = { inputTokens: 0, outputTokens: 0 };
    const started = this.wall();
    const exhausted = this.exhausted();
    const outcome: Outcome = exhausted ? { ok: false, reason: 'BUDGET_EXHAUSTED', message: exhausted, answer: '' } : await this.ask(request, prompt, model, spent);
    const latencyMs = exhausted ? 0 : Math.max(0, Math.round(this.wall() - started));
    const record = await this.journal(request, prompt, model, outcome, spent, latencyMs);
    return outcome.ok ? { ok: true, value: outcome.value as T, record } : { ok: false, reason: outcome.reason, message: this.scrub(outcome.message), record };
  }

  /** Why the day's budget allows no more, or undefined. */
  private exhausted(): string | undefined {
    const b = this.o.budget;
    if (!b) return undefined;
    const now = this.o.clock.now();
    const day = this.ledger.spent(now);
    if (b.dailyTokens !== undefined && day.tokens >= b.dailyTokens) return `the day's token budget is spent (${day.tokens} of ${b.dailyTokens})`;
    if (b.dailyCostUsd !== undefined && day.cost >= usdUnits(b.dailyCostUsd)) return `the day's cost budget is spent (${usdText(day.cost)} of ${String(b.dailyCostUsd)} USD)`;
    return undefined;
  }

  /** Ask; read; once more if the answer was refused by the schema; give up otherwise. */
  private async ask<T>(request: AdvisorRequest<T>, prompt: Prompt, model: TierModel, spent: Spent): Promise<Outcome> {
    const session = model.provider.session(prompt, request.schemaName);
    const first = await this.attempt(model, spent, (o) => session.ask(o));
    if (!first.ok) return { ok: false, ...first.failure, answer: '' };
    const read = readReply(request, first.reply);
    if (read === 'REFUSED') return refused(first.reply);
    if (read.ok) return { ok: true, value: read.value, answer: first.reply.text };
    const second = await this.attempt(model, spent, (o) => session.retry(read.problem, o));
    if (!second.ok) return { ok: false, ...second.failure, answer: first.reply.text };
    const again = readReply(request, second.reply);
    if (again === 'REFUSED') return refused(second.reply);
    if (again.ok) return { ok: true, value: again.value, answer: second.reply.text };
    return { ok: false, reason: 'INVALID', message: `the answer was refused twice: ${again.problem}`, answer: second.reply.text };
  }

  /** One call under the tier's timeout: the request is aborted when it passes. */
  private async attempt(model: TierModel, spent: Spent, call: (o: CallOptions) => Promise<Reply>): Promise<Attempt> {
    const timeoutMs = model.config.timeout_ms;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const reply = await call({ signal: abort.signal, timeoutMs });
      spent.inputTokens += reply.inputTokens;
      spent.outputTokens += reply.outputTokens;
      return { ok: true, reply };
    } catch (e) {
      if (abort.signal.aborted) return { ok: false, failure: { reason: 'TIMEOUT', message: `no answer within ${timeoutMs} ms` } };
      return { ok: false, failure: model.provider.failure(e) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async journal<T>(request: AdvisorRequest<T>, prompt: Prompt, model: TierModel, outcome: Outcome, spent: Spent, latencyMs: number): Promise<ConsultRecord> {
    const cost = callCost(spent.inputTokens, spent.outputTokens, model.config.price_input_per_mtok, model.config.price_output_per_mtok);
    const input: AdvisorConsultationInput = {
      task: request.task,
      tier: request.tier,
      provider: model.provider.provider,
      model: model.provider.model,
      promptHash: prompt.hash,
      promptText: prompt.text,
      answerText: bounded(this.scrub(outcome.answer)),
      latencyMs,
      inputTokens: spent.inputTokens,
      outputTokens: spent.outputTokens,
      costUsd: usdText(cost),
      outcome: outcome.ok ? 'OK' : outcome.reason,
    };
    const journaled = await this.o.engine.recordAdvisorConsultation(input);
    const record = consultRecordOf(journaled)!;
    this.ledger.add(record.ts, record.inputTokens + record.outputTokens, cost);
    return record;
  }
}

function checkRequest(request: AdvisorRequest<unknown>): void {
  if (typeof request !== 'object' || request === null) throw new ValidationError('INVALID_FIELD', 'advisor request must be an object', { field: 'request' });
  if (!ADVISOR_TASKS.includes(request.task)) throw new ValidationError('INVALID_FIELD', `advisor task must be one of ${ADVISOR_TASKS.join(', ')}`, { field: 'task' });
  if (!ADVISOR_TIERS.includes(request.tier)) throw new ValidationError('INVALID_FIELD', `advisor tier must be one of ${ADVISOR_TIERS.join(', ')}`, { field: 'tier' });
  if (typeof request.schema?.safeParse !== 'function') throw new ValidationError('INVALID_FIELD', 'advisor request schema must be a zod schema', { field: 'schema' });
  if (typeof request.system !== 'string' || typeof request.schemaName !== 'string') throw new ValidationError('INVALID_FIELD', 'advisor request system and schemaName must be text', { field: 'system' });
}

function readReply<T>(request: AdvisorRequest<T>, reply: Reply): Reading<T> | 'REFUSED' {
  switch (reply.kind) {
    case 'refused':
      return 'REFUSED';
    case 'structured':
      return validate(request.schema, reply.value);
    case 'text':
      return readAnswer(request.schema, reply.text);
  }
}

function refused(reply: Reply): Outcome {
  return { ok: false, reason: 'REFUSED', message: reply.text ? `the model declined: ${reply.text.slice(0, 200)}` : 'the model declined', answer: reply.text };
}

/** An answer longer than the journal takes is cut, and says so. */
function bounded(text: string): string {
  const mark = '…[cut]';
  return text.length <= MAX_ANSWER_CHARS ? text : text.slice(0, MAX_ANSWER_CHARS - mark.length) + mark;
}
