/**
 * The decision behind Engine.recordAdvisorConsultation: who may journal a consultation and what
 * it may hold. Codes come from closed sets, numbers are non-negative integers, the cost exact
 * decimal text, the hash sha256 hex, and the texts are bounded (a runaway answer cannot bloat the
 * journal). A refusal throws a typed error (INVALID_FIELD or NOT_AUTHORIZED) and journals nothing.
 */
import { AuthorityError, ValidationError } from '../../model/errors.ts';
import { requireObject } from '../input-guards.ts';
import { originText, type Origin } from '../origin.ts';
import { ADVISOR_OUTCOMES, ADVISOR_PROVIDERS, ADVISOR_TASKS, ADVISOR_TIERS, type AdvisorConsultationInput, type AdvisorConsulted } from './events.ts';

/** Longest prompt and answer texts journaled, in characters. */
export const MAX_PROMPT_CHARS = 400_000;
export const MAX_ANSWER_CHARS = 100_000;
const MODEL = /^[\x21-\x7e]{1,200}$/;
const HASH = /^[0-9a-f]{64}$/;
const COST = /^\d{1,12}(\.\d{1,24})?$/;

function invalid(field: string, rule: string): never {
  // The input is not echoed: the field may hold anything a model sent.
  throw new ValidationError('INVALID_FIELD', `advisor consultation ${field} must be ${rule}`, { field });
}

function oneOf(v: unknown, allowed: readonly string[], field: string): void {
  if (typeof v !== 'string' || !allowed.includes(v)) invalid(field, `one of ${allowed.join(', ')}`);
}

function count(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) invalid(field, 'a non-negative integer');
}

function text(v: unknown, max: number, field: string): void {
  if (typeof v !== 'string' || v.length > max) invalid(field, `text of at most ${max} characters`);
}

/**
 * The AdvisorConsulted to journal. The advisor runs as the node (SYSTEM) or for an operator; a
 * strategy, risk control or reconciliation never journals one (NOT_AUTHORIZED): advice is not
 * theirs to record.
 */
export function planAdvisorConsulted(input: AdvisorConsultationInput, origin: Origin, now: number): AdvisorConsulted {
  if (origin.kind !== 'OPERATOR' && origin.kind !== 'SYSTEM') {
    throw new AuthorityError('NOT_AUTHORIZED', `${origin.kind} does not journal advisor consultations`, { origin: origin.kind });
  }
  requireObject(input, 'advisor consultation');
  oneOf(input.task, ADVISOR_TASKS, 'task');
  oneOf(input.tier, ADVISOR_TIERS, 'tier');
  oneOf(input.provider, ADVISOR_PROVIDERS, 'provider');
  oneOf(input.outcome, ADVISOR_OUTCOMES, 'outcome');
  if (typeof input.model !== 'string' || !MODEL.test(input.model)) invalid('model', '1 to 200 printable characters without spaces');
  if (typeof input.promptHash !== 'string' || !HASH.test(input.promptHash)) invalid('promptHash', 'sha256 hex (64 lower-case hex digits)');
  text(input.promptText, MAX_PROMPT_CHARS, 'promptText');
  text(input.answerText, MAX_ANSWER_CHARS, 'answerText');
  count(input.latencyMs, 'latencyMs');
  count(input.inputTokens, 'inputTokens');
  count(input.outputTokens, 'outputTokens');
  if (typeof input.costUsd !== 'string' || !COST.test(input.costUsd)) invalid('costUsd', 'non-negative decimal text such as "0.0042"');
  return {
    kind: 'AdvisorConsulted',
    task: input.task,
    tier: input.tier,
    provider: input.provider,
    model: input.model,
    promptHash: input.promptHash,
    promptText: input.promptText,
    answerText: input.answerText,
    latencyMs: input.latencyMs,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    costUsd: input.costUsd,
    outcome: input.outcome,
    origin: originText(origin),
    tsEvent: now,
    tsInit: now,
  };
}
