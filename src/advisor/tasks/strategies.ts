/**
 * Strategy selection and ranking: Warden measures each candidate strategy on recent bars (a
 * backtest over them all, and a walk-forward over rolling windows: its out-of-sample figures); the
 * model ranks them and may suggest parameters. A suggestion is never shown on the model's word:
 * Warden runs it as a sweep on the in-sample part and a backtest on the out-of-sample part first,
 * and shows it with the figures it measured; parameters a strategy refuses are dropped, with why.
 */
import { z } from 'zod';
import type { AdvisorRequest } from '../consult.ts';
import { ValidationError } from '../../model/errors.ts';
import { keyMetrics, runSweep, runWith, type AnalysisConfig, type KeyMetrics, type TimeWindow } from '../../backtest/sweep.ts';
import { runWalkForward } from '../../backtest/walk-forward.ts';
import { prose, requestOf, sig } from './common.ts';

export interface StrategyCandidate {
  /** The strategy's id in the node (or its name): what an answer names. */
  readonly id: string;
  /** Its factory, current parameters (baseParams) and the recent bars to measure it on. */
  readonly cfg: AnalysisConfig;
}

/** The figures a model reads and a person compares (floats rounded; equity as Warden's exact text). */
export interface Figures {
  readonly totalReturn: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdown: number | null;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly trades: number;
  readonly finalEquity: string;
}

const figures = (m: KeyMetrics): Figures => ({
  totalReturn: sig(m.totalReturn),
  sharpe: sig(m.sharpe),
  sortino: sig(m.sortino),
  maxDrawdown: sig(m.maxDrawdown),
  winRate: sig(m.winRate),
  profitFactor: sig(m.profitFactor),
  trades: m.trades,
  finalEquity: m.finalEquity,
});

export interface StrategyFact {
  readonly id: string;
  readonly strategy: string;
  readonly params: Readonly<Record<string, string>>;
  readonly parameters: readonly { readonly name: string; readonly default: string; readonly doc: string }[];
  readonly bars: number;
  readonly backtest: Figures;
  readonly walkForward: { readonly windows: number; readonly outOfSample: Figures } | null;
}

/** Where the bars split for measuring a suggestion: in sample before, out of sample from (the last third). */
export function splitOf(cfg: AnalysisConfig): { inSample: TimeWindow; outOfSample: TimeWindow } {
  const ts = cfg.sources.flatMap((s) => s.bars.map((b) => b.ts)).sort((a, b) => a - b);
  if (ts.length < 30) throw new ValidationError('INVALID_FIELD', `ranking strategies needs at least 30 recent bars, got ${ts.length}`, { field: 'bars', actual: ts.length });
  const at = ts[Math.floor((ts.length * 2) / 3)]!;
  return { inSample: { to: at }, outOfSample: { from: at } };
}

/** Measures each candidate: a backtest over the recent bars, and a walk-forward of its current parameters (halves in sample, quarters out). */
export async function strategyFacts(candidates: readonly StrategyCandidate[]): Promise<StrategyFact[]> {
  const out: StrategyFact[] = [];
  for (const c of candidates) {
    const r = await runWith(c.cfg, {});
    const bars = Math.max(...c.cfg.sources.map((s) => s.bars.length));
    let walkForward: StrategyFact['walkForward'] = null;
    try {
      const half = Math.max(1, Math.floor(bars / 2));
      const quarter = Math.max(1, Math.floor(bars / 4));
      const wf = await runWalkForward(c.cfg, { grid: {}, metric: 'sharpe', inSample: { kind: 'bars', bars: half, text: String(half) }, outOfSample: { kind: 'bars', bars: quarter, text: String(quarter) } });
      const s = wf.report.outOfSampleSummary;
      walkForward = { windows: s.windows, outOfSample: { totalReturn: sig(s.totalReturn), sharpe: sig(s.sharpe), sortino: sig(s.sortino), maxDrawdown: sig(s.maxDrawdown), winRate: sig(s.winRate), profitFactor: sig(s.profitFactor), trades: wf.trades.length, finalEquity: s.finalEquity } };
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
    }
    out.push({ id: c.id, strategy: c.cfg.factory.name, params: c.cfg.baseParams, parameters: c.cfg.factory.params, bars, backtest: figures(keyMetrics(r)), walkForward });
  }
  return out;
}

export function strategiesSchema(facts: readonly StrategyFact[]) {
  const ids = facts.map((f) => f.id);
  const id = z.string().refine((s) => ids.includes(s), { error: 'must be one of the strategies given' });
  return z.strictObject({
    ranking: z
      .array(z.strictObject({ strategyId: id, rank: z.number().int().min(1), reason: prose(600) }))
      .min(1)
      .max(ids.length)
      .refine((rs) => new Set(rs.map((r) => r.strategyId)).size === rs.length && new Set(rs.map((r) => r.rank)).size === rs.length, { error: 'each strategy and each rank at most once' }),
    suggestions: z.array(z.strictObject({ strategyId: id, params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(40)), rationale: prose(600) })).max(5).default([]),
    summary: prose(1_500),
  });
}
export type StrategiesAdvice = z.infer<ReturnType<typeof strategiesSchema>>;

const ROLE =
  "You are the strategy analyst of Warden, an order management system. From Warden's measurements of each strategy on recent data (a backtest, and the out-of-sample figures of a walk-forward), rank the strategies and explain why, weighing out-of-sample figures above in-sample ones. You may suggest parameter values (by the parameter names given); Warden will measure each suggestion out of sample before anyone sees it.";

export function strategiesRequest(facts: readonly StrategyFact[]): AdvisorRequest<StrategiesAdvice> {
  if (facts.length === 0) throw new ValidationError('INVALID_FIELD', 'there are no strategies to rank', { field: 'strategies' });
  return requestOf('strategies', 'reasoning', ROLE, { strategies: facts }, strategiesSchema(facts), 'strategy_ranking');
}

export type MeasuredSuggestion =
  | { readonly strategyId: string; readonly params: Readonly<Record<string, string>>; readonly rationale: string; readonly measured: true; readonly inSample: Figures; readonly outOfSample: Figures; readonly currentOutOfSample: Figures }
  | { readonly strategyId: string; readonly params: Readonly<Record<string, string>>; readonly rationale: string; readonly measured: false; readonly dropped: string };

/**
 * Runs each suggestion before it is shown: a sweep of exactly its parameters on the in-sample part,
 * then a backtest on the out-of-sample part, beside the current parameters' out-of-sample figures.
 * A parameter the strategy does not have, or a value it refuses, drops the suggestion with why.
 */
export async function measureSuggestions(candidates: readonly StrategyCandidate[], suggestions: StrategiesAdvice['suggestions']): Promise<MeasuredSuggestion[]> {
  const out: MeasuredSuggestion[] = [];
  for (const s of suggestions) {
    const c = candidates.find((x) => x.id === s.strategyId);
    if (!c) continue; // the schema admits only the candidates' ids
    const base = { strategyId: s.strategyId, params: s.params, rationale: s.rationale };
    const known = new Set(c.cfg.factory.params.map((p) => p.name));
    const unknown = Object.keys(s.params).filter((k) => !known.has(k));
    if (unknown.length > 0) {
      out.push({ ...base, measured: false, dropped: `${c.cfg.factory.name} has no parameter ${unknown.join(', ')}` });
      continue;
    }
    const split = splitOf(c.cfg);
    const grid = Object.fromEntries(Object.entries(s.params).map(([k, v]) => [k, [v]]));
    const sweep = await runSweep(c.cfg, { grid, metric: 'sharpe', window: split.inSample });
    if (!sweep.best?.metrics) {
      out.push({ ...base, measured: false, dropped: `refused by ${c.cfg.factory.name}: ${sweep.rows[0]?.error ?? 'no run'}` });
      continue;
    }
    const oos = await runWith(c.cfg, s.params, split.outOfSample);
    const current = await runWith(c.cfg, {}, split.outOfSample);
    out.push({ ...base, measured: true, inSample: figures(sweep.best.metrics), outOfSample: figures(keyMetrics(oos)), currentOutOfSample: figures(keyMetrics(current)) });
  }
  return out;
}
