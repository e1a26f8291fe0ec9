/** A real engine and journal with the advisor's consultant on top, its alerts collected. */
import { z } from 'zod';
import { TestClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import { MemoryJournal, type Journal } from '../../../src/engine/journal.ts';
import type { EngineAlert } from '../../../src/engine/topics.ts';
import { advisorSchema, advisorSecrets } from '../../../src/advisor/models/config.ts';
import { scrubber } from '../../../src/node/secrets.ts';
import { createConsultant } from '../../../src/advisor/models/index.ts';
import type { AdvisorRequest, Consultant } from '../../../src/advisor/consult.ts';

/** 2024-01-02T00:00:00Z. */
export const T0 = 1_704_153_600_000;
export const OPENAI_KEY = 'sk-test-7Hq2Lw9Zx4Pb6Nc8Vd1Rf3Tg5Yh0';
export const ANTHROPIC_KEY = 'sk-ant-api03-test-Qw8Er7Ty6Ui5Op4As3Df2';
export const ENV = { WARDEN_TEST_OPENAI_KEY: OPENAI_KEY, WARDEN_TEST_ANTHROPIC_KEY: ANTHROPIC_KEY };

export const regimeSchema = z.strictObject({
  regime: z.enum(['trend', 'range', 'volatile']),
  strength: z.number().min(0).max(1),
  rationale: z.string(),
});
export type Regime = z.infer<typeof regimeSchema>;

export const GOOD: Regime = { regime: 'trend', strength: 0.7, rationale: 'higher highs on rising volume' };

export function marketRequest(data: unknown = { symbol: 'BTCUSDT.BINANCE', returns: [0.01, -0.002, 0.004], atr: '412.5' }): AdvisorRequest<Regime> {
  return { task: 'market', tier: 'fast', system: 'Classify the market regime of the instrument from the features given.', data, schema: regimeSchema, schemaName: 'market_regime' };
}

/** The advisor section as a config file would hold it (validated by the real schema). */
export function advisorConfig(section: unknown) {
  return advisorSchema.parse(section);
}

export interface Harness {
  readonly engine: Engine;
  readonly journal: Journal;
  readonly clock: TestClock;
  readonly consultant: Consultant;
  readonly alerts: EngineAlert[];
  records(): Promise<JournalRecord[]>;
}

export async function harness(section: unknown, opts: { journal?: Journal; clock?: TestClock; engine?: Engine; env?: Record<string, string> } = {}): Promise<Harness> {
  const clock = opts.clock ?? new TestClock(T0);
  const journal = opts.journal ?? new MemoryJournal();
  const engine = opts.engine ?? (await Engine.fromJournal(journal, { clock }));
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  const config = section === undefined ? undefined : advisorConfig(section);
  const env = opts.env ?? ENV;
  // As the trading node does: the scrubber knows the tiers' keys as found in the environment.
  const consultant = createConsultant(config, { engine, clock, env, scrub: scrubber(advisorSecrets(config, env)) });
  return { engine, journal, clock, consultant, alerts, records: () => readAll(journal) };
}

export async function readAll(journal: { read(from?: number): AsyncIterable<JournalRecord> }): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of journal.read(1)) out.push(r);
  return out;
}

export function openaiTier(baseURL: string, extra: Record<string, unknown> = {}) {
  return { provider: 'openai', model: 'gpt-4o-mini', base_url: baseURL, api_key_env: 'WARDEN_TEST_OPENAI_KEY', timeout_ms: 5_000, max_retries: 1, price_input_per_mtok: '0.15', price_output_per_mtok: '0.60', ...extra };
}

export function anthropicTier(baseURL: string, extra: Record<string, unknown> = {}) {
  return { provider: 'anthropic', model: 'claude-sonnet-4-5', base_url: baseURL, api_key_env: 'WARDEN_TEST_ANTHROPIC_KEY', timeout_ms: 5_000, max_retries: 1, price_input_per_mtok: '3', price_output_per_mtok: '15', ...extra };
}
