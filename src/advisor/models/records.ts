/**
 * Consultations as the journal holds them: an AdvisorConsulted record read back as the
 * ConsultRecord it was (its id is `adv-<seq>`), for the budget, the API and anything that shows
 * advice with its trace.
 */
import type { JournalRecord } from '../../engine/events.ts';
import type { ConsultRecord } from '../consult.ts';

export const DAY_MS = 86_400_000;

/** The consultation a journal record holds, or undefined for any other record. */
export function consultRecordOf(r: JournalRecord): ConsultRecord | undefined {
  const e = r.event;
  if (e.kind !== 'AdvisorConsulted') return undefined;
  return {
    id: consultId(r.seq),
    task: e.task,
    tier: e.tier,
    provider: e.provider,
    model: e.model,
    promptHash: e.promptHash,
    promptText: e.promptText,
    answerText: e.answerText,
    latencyMs: e.latencyMs,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    costUsd: e.costUsd,
    outcome: e.outcome,
    ts: e.tsEvent,
  };
}

/** A consultation's id: the sequence number of its journal record, unique across restarts. */
export function consultId(seq: number): string {
  return `adv-${seq}`;
}

/** The UTC day (days since the epoch) of a time on the node's clock. */
export function utcDay(ts: number): number {
  return Math.floor(ts / DAY_MS);
}
