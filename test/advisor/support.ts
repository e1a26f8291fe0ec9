/**
 * A scripted Consultant for the advisor's task tests, standing in for the models (src/advisor/models/)
 * until they are merged. It answers what the test scripts and validates it exactly as the real one
 * does, through the request's own zod schema (`request.schema.safeParse`): a task whose schema is
 * wrong, or a scripted answer that breaks it, comes back INVALID, never as a value.
 */
import { createHash } from 'node:crypto';
import type { Advice, AdvisorRequest, Consultant, ConsultRecord, ModelTier, NoAdviceReason } from '../../src/advisor/consult.ts';
import type { Bar } from '../../src/model/bar.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';

/** What the script answers: a raw JSON value (validated as a model's would be) or a failure. */
export type Scripted = { readonly answer: unknown } | { readonly fail: Exclude<NoAdviceReason, 'NOT_CONFIGURED'> };

export class ScriptedConsultant implements Consultant {
  readonly requests: AdvisorRequest<unknown>[] = [];
  readonly records: ConsultRecord[] = [];
  private n = 0;

  constructor(
    private readonly script: (request: AdvisorRequest<unknown>) => Scripted,
    private readonly tiers: readonly ModelTier[] = ['reasoning', 'fast', 'risk'],
    private readonly firstId = 1,
  ) {}

  configured(tier: ModelTier): boolean {
    return this.tiers.includes(tier) || this.tiers.includes('reasoning');
  }

  consult<T>(request: AdvisorRequest<T>): Promise<Advice<T>> {
    if (!this.configured(request.tier)) return Promise.resolve({ ok: false, reason: 'NOT_CONFIGURED', message: 'no model for this tier' });
    this.requests.push(request);
    const s = this.script(request);
    const promptText = `${request.system}\n\n${JSON.stringify(request.data)}`;
    const answerText = 'answer' in s ? JSON.stringify(s.answer) : '';
    const parsed = 'answer' in s ? request.schema.safeParse(s.answer) : undefined;
    const outcome = 'fail' in s ? s.fail : parsed?.success ? 'OK' : 'INVALID';
    const record: ConsultRecord = {
      id: `adv-${this.firstId + this.n++}`,
      task: request.task,
      tier: request.tier,
      provider: 'openai',
      model: 'scripted',
      promptHash: createHash('sha256').update(promptText).digest('hex'),
      promptText,
      answerText,
      latencyMs: 1,
      inputTokens: promptText.length,
      outputTokens: answerText.length,
      costUsd: '0',
      outcome,
      ts: 0,
    };
    this.records.push(record);
    if (parsed?.success) return Promise.resolve({ ok: true, value: parsed.data, record });
    if (outcome === 'OK' || outcome === 'INVALID') return Promise.resolve({ ok: false, reason: 'INVALID', message: `the answer does not match ${request.schemaName}: ${parsed?.error.message ?? ''}`, record });
    return Promise.resolve({ ok: false, reason: outcome, message: `scripted ${outcome}`, record });
  }
}

export const MARKET_DIR = '/work/shared/data/market';

/** The bars of one of the shared market files (real data), optionally only the first `limit`. */
export async function realBars(file: string, id: string, limit = Infinity): Promise<Bar[]> {
  const out: Bar[] = [];
  for await (const b of readCsvBars(`${MARKET_DIR}/${file}`, { instrumentId: instrumentId(id) })) {
    out.push(b);
    if (out.length >= limit) break;
  }
  return out;
}
