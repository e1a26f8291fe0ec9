/**
 * Parameter sweep: a strategy run once per combination of a parameter grid over the same bars,
 * sequentially (so deterministically), and the combinations ranked by a metric.
 *
 * - The grid is a list of values per parameter (`--grid fast=5,10,20 --grid slow=30,60` or JSON
 *   `{"fast":[5,10,20],"slow":[30,60]}`); combinations are the cartesian product in grid order,
 *   the LAST parameter varying fastest. Fixed `--param`s apply to every combination (a grid value
 *   overrides them).
 * - A combination the strategy refuses (e.g. sma-cross with slow ≤ fast) is listed with its error
 *   and not ranked; any other failure stops the sweep.
 * - Ranking: by the metric, best first (highest, or lowest for `maxDrawdown`); combinations whose
 *   metric is null (e.g. Sharpe of a flat curve) come after every number; ties keep grid order.
 */
import type { Bar } from '../model/bar.ts';
import { ValidationError } from '../model/errors.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import type { ExchangeModelConfig } from '../venues/sim/exchange/configured-models.ts';
import { runBacktest, type BacktestResult } from './runner.ts';
import type { StrategyFactory } from './strategy.ts';
import type { BacktestSummary } from './report.ts';

/** Everything a run needs but the strategy parameters and the time window; bars in memory, in time order. */
export interface AnalysisConfig {
  readonly factory: StrategyFactory;
  /** Fixed parameters (`--param`), as text. */
  readonly baseParams: Readonly<Record<string, string>>;
  readonly sources: readonly { readonly instrument: InstrumentSpec; readonly bars: readonly Bar[] }[];
  readonly cash: string;
  readonly models?: ExchangeModelConfig;
  readonly seed?: number;
  readonly risk?: RiskConfig;
  /** Post risk alerts to the risk config's webhook (default false). */
  readonly webhooks?: boolean;
  readonly periodsPerYear?: number;
}

/** Bars whose open time is in [from, to) (epoch ms; either end open). */
export interface TimeWindow {
  readonly from?: number;
  readonly to?: number;
}

/** Parameter name → the values to try (text, as `--param` takes them). */
export type ParamGrid = Readonly<Record<string, readonly string[]>>;

/** Metrics a sweep can rank by; all but maxDrawdown are better higher. */
export const SWEEP_METRICS = ['totalReturn', 'cagr', 'sharpe', 'sortino', 'calmar', 'maxDrawdown', 'winRate', 'profitFactor', 'expectancy', 'trades'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** The figures kept for each run (summary.json's names; money exact). */
export type KeyMetrics = Pick<
  BacktestSummary,
  | 'bars'
  | 'trades'
  | 'initialEquity'
  | 'finalEquity'
  | 'feesPaid'
  | 'totalReturn'
  | 'cagr'
  | 'annualVolatility'
  | 'sharpe'
  | 'sortino'
  | 'calmar'
  | 'maxDrawdown'
  | 'winRate'
  | 'profitFactor'
  | 'expectancy'
  | 'exposureTime'
  | 'breakerTrips'
  | 'breakerResets'
  | 'deniedOrders'
  | 'deniedByCode'
>;

export function keyMetrics(r: BacktestResult): KeyMetrics {
  const m = r.metrics;
  return {
    bars: r.bars,
    trades: r.trades.length,
    initialEquity: r.initialEquity,
    finalEquity: r.finalEquity,
    feesPaid: r.feesPaid,
    totalReturn: m.totalReturn,
    cagr: m.cagr,
    annualVolatility: m.annualVolatility,
    sharpe: m.sharpe,
    sortino: m.sortino,
    calmar: m.calmar,
    maxDrawdown: m.maxDrawdown,
    winRate: m.winRate,
    profitFactor: m.profitFactor,
    expectancy: m.expectancy,
    exposureTime: m.exposureTime,
    breakerTrips: r.breakerTrips,
    breakerResets: r.breakerResets,
    deniedOrders: r.denied,
    deniedByCode: r.deniedByCode,
  };
}

function bad(field: string, message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `--${field}: ${message}`, { field });
}

/** `--grid` arguments: `name=v1,v2,...` each, or one JSON object `{"name":[v1,v2],...}`. */
export function parseGrid(args: readonly string[]): ParamGrid {
  const grid: Record<string, string[]> = {};
  for (const arg of args) {
    const t = arg.trim();
    if (t.startsWith('{')) {
      let v: unknown;
      try {
        v = JSON.parse(t);
      } catch (e) {
        throw bad('grid', `not JSON: ${(e as Error).message}`);
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('grid', 'a JSON grid is an object of name → array of values');
      for (const [k, vals] of Object.entries(v as Record<string, unknown>)) {
        const list = Array.isArray(vals) ? vals : [vals];
        if (list.length === 0 || !list.every((x) => typeof x === 'number' || typeof x === 'string')) throw bad('grid', `${k}: expected numbers or strings`);
        add(grid, k, list.map(String));
      }
      continue;
    }
    const i = t.indexOf('=');
    if (i <= 0) throw bad('grid', `expected name=v1,v2,..., got ${JSON.stringify(arg)}`);
    const vals = t
      .slice(i + 1)
      .split(',')
      .map((s) => s.trim());
    if (vals.some((s) => s === '')) throw bad('grid', `empty value in ${JSON.stringify(arg)}`);
    add(grid, t.slice(0, i).trim(), vals);
  }
  if (Object.keys(grid).length === 0) throw bad('grid', 'give at least one --grid name=v1,v2,...');
  return grid;
}

function add(grid: Record<string, string[]>, name: string, vals: string[]): void {
  if (grid[name]) throw bad('grid', `${name} given twice`);
  if (new Set(vals).size !== vals.length) throw bad('grid', `${name} repeats a value`);
  grid[name] = vals;
}

/** The cartesian product of a grid, in grid order (the last parameter varies fastest). */
export function gridCombinations(grid: ParamGrid): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [k, vals] of Object.entries(grid)) {
    const next: Record<string, string>[] = [];
    for (const c of out) for (const v of vals) next.push({ ...c, [k]: v });
    out = next;
  }
  return out;
}

export function parseMetric(text: string): SweepMetric {
  if (!(SWEEP_METRICS as readonly string[]).includes(text)) throw bad('metric', `unknown metric ${JSON.stringify(text)}; one of ${SWEEP_METRICS.join(', ')}`);
  return text as SweepMetric;
}

export function metricValue(m: KeyMetrics, metric: SweepMetric): number | null {
  return m[metric];
}

/** Whether a is strictly better than b by the metric (nulls worst). */
export function better(a: number | null, b: number | null, metric: SweepMetric): boolean {
  if (a === null) return false;
  if (b === null) return true;
  return metric === 'maxDrawdown' ? a < b : a > b;
}

/** First index ≥ lo with bars[i].ts ≥ t. */
function lowerBound(bars: readonly Bar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bars of [from, to), by binary search (bars sorted by open time). */
export function sliceBars(bars: readonly Bar[], w: TimeWindow): readonly Bar[] {
  const lo = w.from === undefined ? 0 : lowerBound(bars, w.from);
  const hi = w.to === undefined ? bars.length : lowerBound(bars, w.to);
  return lo === 0 && hi === bars.length ? bars : bars.slice(lo, hi);
}

/**
 * One backtest of the config with `params` over the bars of `window`, starting with `cash`
 * (default the config's). The strategy is built by the factory: a refused parameter throws.
 */
export async function runWith(cfg: AnalysisConfig, params: Readonly<Record<string, string>>, window: TimeWindow = {}, cash: string = cfg.cash, maxEquityPoints?: number): Promise<BacktestResult> {
  const strategy = cfg.factory.create({ ...cfg.baseParams, ...params });
  return runBacktest({
    sources: cfg.sources.map((s) => ({ instrument: s.instrument, bars: sliceBars(s.bars, window) })),
    strategy,
    cash,
    models: cfg.models ?? {},
    keepBars: false,
    ...(maxEquityPoints !== undefined ? { maxEquityPoints } : {}),
    ...(cfg.seed !== undefined ? { seed: cfg.seed } : {}),
    ...(cfg.risk ? { risk: cfg.risk, webhooks: cfg.webhooks ?? false } : {}),
    ...(cfg.periodsPerYear !== undefined ? { periodsPerYear: cfg.periodsPerYear } : {}),
  });
}

export interface SweepRow {
  /** Position in the grid's combination order (0-based). */
  readonly index: number;
  /** 1 = best; null when the strategy refused the combination. */
  readonly rank: number | null;
  /** The grid values of this combination (text as given). */
  readonly combination: Readonly<Record<string, string>>;
  /** Every strategy parameter with defaults and fixed --params filled in. */
  readonly params: Readonly<Record<string, number | string>>;
  readonly metric: number | null;
  readonly metrics: KeyMetrics | null;
  readonly error: string | null;
}

export interface SweepResult {
  readonly strategy: string;
  readonly metric: SweepMetric;
  readonly grid: ParamGrid;
  readonly fixedParams: Readonly<Record<string, string>>;
  readonly start: string | null;
  readonly end: string | null;
  readonly combinations: number;
  /** Ranked combinations first (rank 1, 2, ...), then refused ones in grid order. */
  readonly rows: readonly SweepRow[];
  /** The rank-1 row, if any combination ran. */
  readonly best: SweepRow | null;
}

export interface SweepOptions {
  readonly grid: ParamGrid;
  readonly metric: SweepMetric;
  readonly window?: TimeWindow;
  /** Called after each combination. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Every strategy parameter with the defaults filled in (numbers where numeric). */
export function fullParams(factory: StrategyFactory, params: Readonly<Record<string, string>>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const p of factory.params) {
    const text = params[p.name] ?? p.default;
    const n = Number(text);
    out[p.name] = text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  return out;
}

export async function runSweep(cfg: AnalysisConfig, o: SweepOptions): Promise<SweepResult> {
  const combos = gridCombinations(o.grid);
  const raw: { index: number; combination: Record<string, string>; metrics: KeyMetrics | null; error: string | null; start: number; end: number }[] = [];
  for (let i = 0; i < combos.length; i++) {
    const c = combos[i]!;
    try {
      const r = await runWith(cfg, c, o.window ?? {});
      raw.push({ index: i, combination: c, metrics: keyMetrics(r), error: null, start: r.startTime, end: r.endTime });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      raw.push({ index: i, combination: c, metrics: null, error: e.message, start: NaN, end: NaN });
    }
    o.onProgress?.(i + 1, combos.length);
  }
  const ran = raw.filter((r) => r.metrics !== null);
  // Stable: ties and nulls keep grid order.
  const ranked = [...ran].sort((a, b) => {
    const x = metricValue(a.metrics!, o.metric);
    const y = metricValue(b.metrics!, o.metric);
    if (better(x, y, o.metric)) return -1;
    if (better(y, x, o.metric)) return 1;
    return 0;
  });
  const rows: SweepRow[] = [];
  ranked.forEach((r, k) => rows.push(row(cfg, r, k + 1, o.metric)));
  for (const r of raw) if (r.metrics === null) rows.push(row(cfg, r, null, o.metric));
  const first = ran[0];
  return {
    strategy: cfg.factory.name,
    metric: o.metric,
    grid: o.grid,
    fixedParams: cfg.baseParams,
    start: first ? new Date(first.start).toISOString() : null,
    end: first ? new Date(first.end).toISOString() : null,
    combinations: combos.length,
    rows,
    best: rows[0]?.rank === 1 ? rows[0] : null,
  };
}

function row(cfg: AnalysisConfig, r: { index: number; combination: Record<string, string>; metrics: KeyMetrics | null; error: string | null }, rank: number | null, metric: SweepMetric): SweepRow {
  return {
    index: r.index,
    rank,
    combination: r.combination,
    params: fullParams(cfg.factory, { ...cfg.baseParams, ...r.combination }),
    metric: r.metrics ? metricValue(r.metrics, metric) : null,
    metrics: r.metrics,
    error: r.error,
  };
}

const CSV_METRICS = ['trades', 'finalEquity', 'totalReturn', 'cagr', 'sharpe', 'sortino', 'calmar', 'maxDrawdown', 'winRate', 'profitFactor', 'expectancy', 'exposureTime', 'feesPaid'] as const;

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** sweep.csv: header `rank,<params...>,<metrics...>,error`; one row per combination in the rows' order. */
export function sweepCsv(s: SweepResult): string {
  const names = Object.keys(s.rows[0]?.params ?? {});
  const lines = [['rank', ...names, ...CSV_METRICS, 'error'].join(',')];
  for (const r of s.rows) {
    lines.push([cell(r.rank), ...names.map((n) => cell(r.params[n])), ...CSV_METRICS.map((m) => cell(r.metrics?.[m])), cell(r.error)].join(','));
  }
  return `${lines.join('\n')}\n`;
}
