/**
 * Walk-forward analysis: rolling windows over the data; on each in-sample window the parameter
 * grid is swept and the best combination by the metric chosen (see sweep.ts for the ranking);
 * that combination then runs on the out-of-sample window that follows, and the out-of-sample runs
 * are stitched into one equity curve.
 *
 * Windows, with t0 the first bar's open time (or bar index 0 when lengths are in bars) and all
 * intervals half-open [from, to) on bar OPEN times:
 *   in-sample_k      = [t0 + k·step, t0 + k·step + IS)
 *   out-of-sample_k  = [end of in-sample_k, end of in-sample_k + OOS), cut at the end of the data
 * for k = 0, 1, ... while the out-of-sample window holds a bar; a window whose in-sample part
 * holds no bar (a gap in the data) is skipped. No look-ahead: the out-of-sample window starts
 * where its in-sample window ends, so a bar is in one or the other, never both, and the choice of
 * parameters sees only in-sample bars. In bars the lengths count distinct bar open times across
 * the instruments (one per minute for minute bars, however many instruments).
 *
 * Stitching: each out-of-sample run starts flat, with a fresh strategy (indicators warm up again
 * inside the window), and with cash equal to the previous window's out-of-sample final equity
 * (the first with --cash). A position still open at a window's end is valued at that window's
 * last close (no exit fee) and is not carried: the next window starts in cash. The combined curve
 * is the windows' curves end to end; its metrics use metrics.ts on that curve and all
 * out-of-sample trades. With step < out-of-sample the windows overlap and the stitched curve
 * would count some bars twice, so step ≥ out-of-sample is required.
 */
import type { Bar } from '../model/bar.ts';
import { formatRaw, parseDecimal, pow10 } from '../model/decimal.ts';
import { ValidationError } from '../model/errors.ts';
import { computeMetrics, type Metrics } from './metrics.ts';
import { fullParams, keyMetrics, runSweep, runWith, type AnalysisConfig, type KeyMetrics, type ParamGrid, type SweepMetric } from './sweep.ts';
import type { ClosedTrade } from './trades.ts';

export type WindowLength = { readonly kind: 'time'; readonly ms: number; readonly text: string } | { readonly kind: 'bars'; readonly bars: number; readonly text: string };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function bad(field: string, message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `--${field}: ${message}`, { field });
}

/** `7d`, `12h`, `90m`, `30s`, `1w`, `500ms` (a duration) or `500`, `500bars`, `500b` (bars). */
export function parseWindowLength(text: string, field: string): WindowLength {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|b|bars?)?$/.exec(t);
  if (!m) throw bad(field, `expected a duration like 7d, 12h, 90m or a bar count like 500 or 500bars, got ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === undefined || unit.startsWith('b')) {
    if (!Number.isSafeInteger(n) || n < 1) throw bad(field, `a bar count must be a whole number ≥ 1, got ${JSON.stringify(text)}`);
    return { kind: 'bars', bars: n, text: t };
  }
  const ms = n * UNITS[unit]!;
  if (!Number.isSafeInteger(ms) || ms < 1) throw bad(field, `a duration must be a whole number of ms ≥ 1, got ${JSON.stringify(text)}`);
  return { kind: 'time', ms, text: t };
}

export interface WindowPart {
  /** Open time of the first bar that may be in the part, epoch ms (inclusive). */
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
  /** Distinct bar open times in [from, to). */
  readonly bars: number;
}

export interface WalkForwardWindow {
  readonly index: number;
  readonly inSample: WindowPart;
  readonly outOfSample: WindowPart;
}

export interface WindowLayout {
  readonly inSample: WindowLength;
  readonly outOfSample: WindowLength;
  /** Default: the out-of-sample length. */
  readonly step?: WindowLength;
}

/** First index with timeline[i] ≥ t. */
function lowerBound(xs: readonly number[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The windows over a timeline: the sorted distinct bar open times, and `end`, the exclusive end
 * of the data (the last bar's close). See the module comment for the arithmetic.
 */
export function walkForwardWindows(timeline: readonly number[], end: number, layout: WindowLayout): WalkForwardWindow[] {
  const { inSample: is, outOfSample: oos } = layout;
  const step = layout.step ?? oos;
  if (is.kind !== oos.kind || step.kind !== oos.kind) throw bad('step', 'in-sample, out-of-sample and step must all be durations or all bar counts');
  const len = (w: WindowLength): number => (w.kind === 'time' ? w.ms : w.bars);
  if (len(step) < len(oos)) throw bad('step', `must be at least the out-of-sample length (${oos.text}) so out-of-sample windows do not overlap, got ${step.text}`);
  const n = timeline.length;
  const out: WalkForwardWindow[] = [];
  const part = (from: number, to: number): WindowPart => ({ from, to, bars: lowerBound(timeline, to) - lowerBound(timeline, from) });
  if (n === 0) return out;
  if (is.kind === 'bars') {
    const [isN, oosN, stepN] = [len(is), len(oos), len(step)];
    for (let k = 0; k * stepN + isN < n; k++) {
      const a = k * stepN;
      const b = a + isN;
      const c = Math.min(b + oosN, n);
      const at = (i: number): number => (i < n ? timeline[i]! : end);
      out.push({ index: out.length, inSample: part(at(a), at(b)), outOfSample: part(at(b), at(c)) });
    }
    return out;
  }
  const t0 = timeline[0]!;
  const last = timeline[n - 1]!;
  const [isMs, oosMs, stepMs] = [len(is), len(oos), len(step)];
  for (let k = 0; ; k++) {
    const a = t0 + k * stepMs;
    const b = a + isMs;
    if (b > last) break;
    const c = Math.min(b + oosMs, end);
    const w = { index: out.length, inSample: part(a, b), outOfSample: part(b, c) };
    if (w.inSample.bars === 0 || w.outOfSample.bars === 0) continue;
    out.push(w);
  }
  return out;
}

/** Sorted distinct bar open times of all sources, and the end of the data (latest bar close). */
export function timelineOf(sources: readonly { readonly bars: readonly Bar[] }[]): { timeline: number[]; end: number } {
  const set = new Set<number>();
  let end = -Infinity;
  for (const s of sources) {
    for (const b of s.bars) {
      set.add(b.ts);
      if (b.ts + b.durationMs > end) end = b.ts + b.durationMs;
    }
  }
  return { timeline: [...set].sort((x, y) => x - y), end };
}

export interface WalkForwardWindowReport {
  readonly index: number;
  readonly inSample: { readonly from: string; readonly to: string; readonly bars: number };
  readonly outOfSample: { readonly from: string; readonly to: string; readonly bars: number };
  /** The grid values chosen on the in-sample window. */
  readonly combination: Readonly<Record<string, string>>;
  /** Every strategy parameter of the chosen combination. */
  readonly params: Readonly<Record<string, number | string>>;
  /** The chosen combination's metric in sample, and out of sample. */
  readonly inSampleMetric: number | null;
  readonly outOfSampleMetric: number | null;
  readonly inSampleMetrics: KeyMetrics;
  readonly outOfSampleMetrics: KeyMetrics;
  /** Every combination tried in sample, best first: grid values and metric (refused ones left out). */
  readonly ranking: readonly { readonly combination: Readonly<Record<string, string>>; readonly metric: number | null }[];
}

export interface WalkForwardSummary extends Metrics {
  readonly windows: number;
  readonly start: string | null;
  readonly end: string | null;
  readonly bars: number;
  readonly initialEquity: string;
  readonly finalEquity: string;
}

/** walk-forward.json */
export interface WalkForwardReport {
  readonly strategy: string;
  readonly metric: SweepMetric;
  readonly grid: ParamGrid;
  readonly fixedParams: Readonly<Record<string, string>>;
  readonly inSample: string;
  readonly outOfSample: string;
  readonly step: string;
  readonly windows: readonly WalkForwardWindowReport[];
  /** The stitched out-of-sample run. */
  readonly outOfSampleSummary: WalkForwardSummary;
}

export interface WalkForwardResult {
  readonly report: WalkForwardReport;
  /** The stitched out-of-sample equity curve (the first point is the start). */
  readonly equity: { readonly times: readonly number[]; readonly values: readonly number[] };
  readonly trades: readonly ClosedTrade[];
}

export interface WalkForwardOptions extends WindowLayout {
  readonly grid: ParamGrid;
  readonly metric: SweepMetric;
  /** After each window. */
  readonly onProgress?: (done: number, total: number) => void;
}

function addDecimals(xs: readonly string[]): string {
  const parts = xs.map((x) => parseDecimal(x));
  const scale = Math.max(0, ...parts.map((p) => p.scale));
  let total = 0n;
  for (const p of parts) total += p.digits * pow10(scale - p.scale);
  return formatRaw(total, scale);
}

const iso = (ms: number): string => new Date(ms).toISOString();

export async function runWalkForward(cfg: AnalysisConfig, o: WalkForwardOptions): Promise<WalkForwardResult> {
  const { timeline, end } = timelineOf(cfg.sources);
  const windows = walkForwardWindows(timeline, end, o);
  if (windows.length === 0) throw bad('in-sample', `the data (${timeline.length} bars) is too short for one in-sample window of ${o.inSample.text} followed by out-of-sample bars`);
  const reports: WalkForwardWindowReport[] = [];
  const times: number[] = [];
  const values: number[] = [];
  const trades: ClosedTrade[] = [];
  const fees: string[] = [];
  let exposureBars = 0;
  let breakerTrips = 0;
  let cash = cfg.cash;
  let bars = 0;
  for (const w of windows) {
    const sweep = await runSweep(cfg, { grid: o.grid, metric: o.metric, window: w.inSample });
    const best = sweep.best;
    if (!best?.metrics) throw bad('grid', `the strategy refused every combination of the grid: ${sweep.rows[0]?.error ?? ''}`);
    // Every bar's equity, however long the window: the windows' curves are stitched and measured.
    const r = await runWith(cfg, best.combination, w.outOfSample, cash, Infinity);
    const km = keyMetrics(r);
    reports.push({
      index: w.index,
      inSample: { from: iso(w.inSample.from), to: iso(w.inSample.to), bars: w.inSample.bars },
      outOfSample: { from: iso(w.outOfSample.from), to: iso(w.outOfSample.to), bars: w.outOfSample.bars },
      combination: best.combination,
      params: fullParams(cfg.factory, { ...cfg.baseParams, ...best.combination }),
      inSampleMetric: best.metric,
      outOfSampleMetric: km[o.metric],
      inSampleMetrics: best.metrics,
      outOfSampleMetrics: km,
      ranking: sweep.rows.filter((x) => x.rank !== null).map((x) => ({ combination: x.combination, metric: x.metric })),
    });
    const first = times.length === 0 ? 0 : 1; // later windows start where the last one ended
    for (let i = first; i < r.equity.times.length; i++) {
      times.push(r.equity.times[i]!);
      values.push(r.equity.values[i]!);
    }
    trades.push(...r.trades);
    fees.push(r.feesPaid);
    exposureBars += Math.round(r.metrics.exposureTime * r.metrics.periods);
    breakerTrips += r.breakerTrips;
    bars += r.bars;
    cash = r.finalEquity;
    o.onProgress?.(reports.length, windows.length);
  }
  const feesPaid = addDecimals(fees);
  const metrics = computeMetrics({
    times,
    equity: values,
    tradePnls: trades.map((t) => Number(t.pnl)),
    bars: times.length - 1,
    exposureBars,
    feesPaid,
    breakerTrips,
    ...(cfg.periodsPerYear !== undefined ? { periodsPerYear: cfg.periodsPerYear } : {}),
  });
  const report: WalkForwardReport = {
    strategy: cfg.factory.name,
    metric: o.metric,
    grid: o.grid,
    fixedParams: cfg.baseParams,
    inSample: o.inSample.text,
    outOfSample: o.outOfSample.text,
    step: (o.step ?? o.outOfSample).text,
    windows: reports,
    outOfSampleSummary: {
      windows: reports.length,
      start: times.length > 0 ? iso(times[0]!) : null,
      end: times.length > 0 ? iso(times[times.length - 1]!) : null,
      bars,
      initialEquity: reports[0]!.outOfSampleMetrics.initialEquity,
      finalEquity: cash,
      ...metrics,
    },
  };
  return { report, equity: { times, values }, trades };
}
