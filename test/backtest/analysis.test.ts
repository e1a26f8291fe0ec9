import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { compoundedMaxDrawdown, distribution, monteCarlo, percentile, tradeReturns } from '../../src/backtest/monte-carlo.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import { gridCombinations, parseGrid, runSweep, runWith, sweepCsv, type AnalysisConfig, type SweepResult } from '../../src/backtest/sweep.ts';
import { parseWindowLength, runWalkForward, walkForwardWindows } from '../../src/backtest/walk-forward.ts';
import { runMonteCarloCli, runSweepCli, runWalkForwardCli } from '../../src/cli/analyses.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import type { Bar } from '../../src/model/bar.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { smaCrossFactory } from '../../src/strategies/index.ts';

const FILE = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const SPEC = instrumentSpecFor('BTCUSDT.BINANCEUS', { feeBps: '10' });
const DAY = 86_400_000;
const T0 = Date.UTC(2023, 2, 1);
const MIN = 60_000;

const bars: Bar[] = [];
let cfg: AnalysisConfig;

beforeAll(async () => {
  for await (const b of readCsvBars(FILE, { instrumentId: instrumentId(SPEC.id) })) {
    if (b.ts >= T0 + 3 * DAY) break;
    bars.push(b);
  }
  cfg = { factory: smaCrossFactory, baseParams: { fraction: '0.9' }, sources: [{ instrument: SPEC, bars }], cash: '100000', seed: 1 };
});

describe('parameter sweep', () => {
  let sweep: SweepResult;
  beforeAll(async () => {
    sweep = await runSweep(cfg, { grid: parseGrid(['fast=5,10,20', 'slow=10,60']), metric: 'totalReturn', window: { to: T0 + 2 * DAY } });
  });

  it('parses a grid and lists the combinations in order, the last parameter fastest', () => {
    expect(parseGrid(['{"fast":[5,10],"slow":[30]}'])).toEqual({ fast: ['5', '10'], slow: ['30'] });
    expect(gridCombinations({ a: ['1', '2'], b: ['x', 'y'] })).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
    ]);
    expect(() => parseGrid(['fast'])).toThrow(/name=v1/);
    expect(() => parseGrid([])).toThrow(/at least one/);
  });

  it('has every combination, refused ones with their error and unranked', () => {
    expect(sweep.combinations).toBe(6);
    expect(sweep.rows).toHaveLength(6);
    const keys = sweep.rows.map((r) => `${r.combination.fast ?? ''}/${r.combination.slow ?? ''}`).sort();
    expect(keys).toEqual(['10/10', '10/60', '20/10', '20/60', '5/10', '5/60']);
    const refused = sweep.rows.filter((r) => r.rank === null);
    expect(refused.map((r) => r.combination)).toEqual([
      { fast: '10', slow: '10' },
      { fast: '20', slow: '10' },
    ]);
    for (const r of refused) expect(r.error).toMatch(/slow/);
    expect(sweep.rows.slice(0, 4).map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(sweep.best).toBe(sweep.rows[0]);
    expect(sweep.rows[0]!.params).toEqual({ fast: Number(sweep.rows[0]!.combination.fast), slow: Number(sweep.rows[0]!.combination.slow), fraction: 0.9 });
    expect(sweep.start).toBe('2023-03-01T00:00:00.000Z');
    expect(sweep.end).toBe('2023-03-03T00:00:00.000Z');
  });

  it('ranks by the metric, best first', () => {
    const ranked = sweep.rows.filter((r) => r.rank !== null);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.metric!).toBeGreaterThanOrEqual(ranked[i]!.metric!);
    for (const r of ranked) expect(r.metric).toBe(r.metrics!.totalReturn);
  });

  it("a combination's metrics equal a direct runBacktest with the same params", async () => {
    const row = sweep.rows.find((r) => r.combination.fast === '10' && r.combination.slow === '60')!;
    const direct = await runBacktest({
      sources: [{ instrument: SPEC, bars: readCsvBars(FILE, { instrumentId: instrumentId(SPEC.id) }) }],
      strategy: smaCrossFactory.create({ fast: '10', slow: '60', fraction: '0.9' }),
      cash: '100000',
      to: T0 + 2 * DAY,
    });
    expect(direct.bars).toBe(2 * 1440);
    expect(row.metrics).toMatchObject({
      bars: direct.bars,
      trades: direct.trades.length,
      finalEquity: direct.finalEquity,
      feesPaid: direct.feesPaid,
      totalReturn: direct.metrics.totalReturn,
      sharpe: direct.metrics.sharpe,
      calmar: direct.metrics.calmar,
      maxDrawdown: direct.metrics.maxDrawdown,
    });
    expect(direct.trades.length).toBeGreaterThan(0);
  });

  it('ranks maxDrawdown lowest first and writes one csv row per combination', async () => {
    const s = await runSweep(cfg, { grid: { fast: ['5', '20'], slow: ['60'] }, metric: 'maxDrawdown', window: { to: T0 + DAY } });
    expect(s.rows[0]!.metric!).toBeLessThanOrEqual(s.rows[1]!.metric!);
    const csv = sweepCsv(s).trim().split('\n');
    expect(csv[0]).toMatch(/^rank,fast,slow,fraction,trades,finalEquity,totalReturn,/);
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/^1,/);
  });
});

describe('walk-forward', () => {
  it('parses window lengths as durations or bars', () => {
    expect(parseWindowLength('7d', 'in-sample')).toEqual({ kind: 'time', ms: 7 * DAY, text: '7d' });
    expect(parseWindowLength('90m', 'x')).toMatchObject({ kind: 'time', ms: 90 * MIN });
    expect(parseWindowLength('500', 'x')).toMatchObject({ kind: 'bars', bars: 500 });
    expect(parseWindowLength('500bars', 'x')).toMatchObject({ kind: 'bars', bars: 500 });
    expect(() => parseWindowLength('7 days', 'x')).toThrow(/duration/);
    expect(() => parseWindowLength('0', 'x')).toThrow();
  });

  it('lays out time windows exactly, out-of-sample right after in-sample, cut at the end of the data', () => {
    const timeline = Array.from({ length: 10 * 1440 }, (_, i) => T0 + i * MIN); // 10 days of minutes
    const end = T0 + 10 * DAY;
    const w = walkForwardWindows(timeline, end, { inSample: parseWindowLength('3d', 'i'), outOfSample: parseWindowLength('2d', 'o'), step: parseWindowLength('2d', 's') });
    expect(w.map((x) => [x.inSample.from, x.inSample.to, x.outOfSample.from, x.outOfSample.to])).toEqual([
      [T0, T0 + 3 * DAY, T0 + 3 * DAY, T0 + 5 * DAY],
      [T0 + 2 * DAY, T0 + 5 * DAY, T0 + 5 * DAY, T0 + 7 * DAY],
      [T0 + 4 * DAY, T0 + 7 * DAY, T0 + 7 * DAY, T0 + 9 * DAY],
      [T0 + 6 * DAY, T0 + 9 * DAY, T0 + 9 * DAY, T0 + 10 * DAY],
    ]);
    expect(w.map((x) => [x.inSample.bars, x.outOfSample.bars])).toEqual([
      [4320, 2880],
      [4320, 2880],
      [4320, 2880],
      [4320, 1440],
    ]);
    // Default step = out-of-sample; step shorter than out-of-sample is refused.
    expect(walkForwardWindows(timeline, end, { inSample: parseWindowLength('3d', 'i'), outOfSample: parseWindowLength('2d', 'o') })).toEqual(w);
    expect(() => walkForwardWindows(timeline, end, { inSample: parseWindowLength('3d', 'i'), outOfSample: parseWindowLength('2d', 'o'), step: parseWindowLength('1d', 's') })).toThrow(/step/);
    expect(() => walkForwardWindows(timeline, end, { inSample: parseWindowLength('3d', 'i'), outOfSample: parseWindowLength('100', 'o') })).toThrow(/all be durations/);
  });

  it('lays out bar windows exactly', () => {
    const timeline = Array.from({ length: 25 }, (_, i) => T0 + i * MIN);
    const end = T0 + 25 * MIN;
    const w = walkForwardWindows(timeline, end, { inSample: parseWindowLength('10', 'i'), outOfSample: parseWindowLength('5', 'o'), step: parseWindowLength('6bars', 's') });
    const at = (i: number): number => T0 + i * MIN;
    expect(w.map((x) => [x.inSample.from, x.inSample.to, x.outOfSample.from, x.outOfSample.to, x.inSample.bars, x.outOfSample.bars])).toEqual([
      [at(0), at(10), at(10), at(15), 10, 5],
      [at(6), at(16), at(16), at(21), 10, 5],
      [at(12), at(22), at(22), end, 10, 3],
    ]);
  });

  it('chooses the in-sample best, tests it out of sample without look-ahead, and carries equity across windows', async () => {
    const grid = { fast: ['5', '20'], slow: ['30', '60'] };
    const inSample = parseWindowLength('1d', 'i');
    const outOfSample = parseWindowLength('12h', 'o');
    const { report, equity, trades } = await runWalkForward(cfg, { grid, metric: 'sharpe', inSample, outOfSample });
    expect(report.windows).toHaveLength(4); // IS starts at 0, 12h, 24h, 36h; OOS ends at 36h, 48h, 60h, 72h
    let cash = '100000';
    for (const w of report.windows) {
      const isFrom = Date.parse(w.inSample.from);
      const isTo = Date.parse(w.inSample.to);
      const oosFrom = Date.parse(w.outOfSample.from);
      const oosTo = Date.parse(w.outOfSample.to);
      expect(isFrom).toBe(T0 + w.index * 12 * 3_600_000);
      expect(isTo - isFrom).toBe(DAY);
      expect(oosFrom).toBe(isTo); // half-open: no bar in both
      expect(oosTo - oosFrom).toBe(DAY / 2);
      expect([w.inSample.bars, w.outOfSample.bars]).toEqual([1440, 720]);
      // The chosen params are the best of a sweep over the in-sample bars only.
      const sweep = await runSweep(cfg, { grid, metric: 'sharpe', window: { from: isFrom, to: isTo } });
      expect(w.combination).toEqual(sweep.best!.combination);
      expect(w.inSampleMetric).toBe(sweep.best!.metric);
      for (const r of sweep.rows) if (r.metric !== null) expect(r.metric).toBeLessThanOrEqual(w.inSampleMetric!);
      // Out of sample: the chosen params on the following bars, starting from the last window's equity.
      expect(w.outOfSampleMetrics.initialEquity).toBe(Number(cash).toFixed(8));
      const oos = await runWith(cfg, w.combination, { from: oosFrom, to: oosTo }, cash);
      expect(oos.startTime).toBe(oosFrom);
      expect(oos.endTime).toBe(oosTo);
      expect(w.outOfSampleMetrics.finalEquity).toBe(oos.finalEquity);
      cash = oos.finalEquity;
    }
    const s = report.outOfSampleSummary;
    expect(s.finalEquity).toBe(cash);
    expect(s.bars).toBe(4 * 720);
    expect(equity.times).toHaveLength(4 * 720 + 1);
    expect(equity.times[0]).toBe(T0 + DAY);
    expect(equity.times.at(-1)).toBe(T0 + 3 * DAY);
    for (let i = 1; i < equity.times.length; i++) expect(equity.times[i]! - equity.times[i - 1]!).toBe(MIN);
    expect(equity.values.at(-1)).toBeCloseTo(Number(cash), 6);
    expect(s.totalReturn).toBeCloseTo(Number(cash) / 100000 - 1, 10);
    expect(s.trades).toBe(trades.length);
    expect(s.trades).toBe(report.windows.reduce((n, w) => n + w.outOfSampleMetrics.trades, 0));
  });
});

describe('Monte Carlo', () => {
  it('trades all +1%: every path ends at the compounded value, no drawdown, no loss', () => {
    const r = monteCarlo(Array(20).fill(0.01) as number[], { paths: 500, seed: 3, initialEquity: 1000, keepPaths: true });
    const expected = 1000 * 1.01 ** 20;
    for (const f of r.finals!) expect(f).toBeCloseTo(expected, 9);
    for (const p of Object.values(r.finalEquity.percentiles)) expect(p).toBeCloseTo(expected, 9);
    expect(r.maxDrawdown.percentiles).toEqual({ p5: 0, p25: 0, p50: 0, p75: 0, p95: 0 });
    expect(r.probabilityOfLoss).toBe(0);
    expect(r.tradesPerPath).toBe(20);
  });

  it('two trades +10% / −10%, one per path: half the paths lose, to within sampling', () => {
    const r = monteCarlo([0.1, -0.1], { paths: 10_000, seed: 42, initialEquity: 100, tradesPerPath: 1, keepPaths: true });
    for (const f of r.finals!) expect([110, 90]).toContain(Math.round(f * 1e9) / 1e9);
    expect(r.probabilityOfLoss).toBeGreaterThan(0.48);
    expect(r.probabilityOfLoss).toBeLessThan(0.52);
    expect(r.finalEquity.min).toBeCloseTo(90, 9);
    expect(r.finalEquity.max).toBeCloseTo(110, 9);
    expect(r.maxDrawdown.max).toBeCloseTo(0.1, 12);
  });

  it('is deterministic for a seed, differs across seeds, and its percentiles are ordered', () => {
    const rets = [0.02, -0.015, 0.03, -0.04, 0.01, 0.005, -0.02];
    const a = monteCarlo(rets, { paths: 2000, seed: 7, initialEquity: 1e5 });
    const b = monteCarlo(rets, { paths: 2000, seed: 7, initialEquity: 1e5 });
    const c = monteCarlo(rets, { paths: 2000, seed: 8, initialEquity: 1e5 });
    expect(b).toEqual(a);
    expect(c.finalEquity).not.toEqual(a.finalEquity);
    for (const d of [a.finalEquity, a.maxDrawdown]) {
      const p = d.percentiles;
      expect(d.min).toBeLessThanOrEqual(p.p5!);
      expect(p.p5!).toBeLessThanOrEqual(p.p25!);
      expect(p.p25!).toBeLessThanOrEqual(p.p50!);
      expect(p.p50!).toBeLessThanOrEqual(p.p75!);
      expect(p.p75!).toBeLessThanOrEqual(p.p95!);
      expect(p.p95!).toBeLessThanOrEqual(d.max);
    }
    expect(a.probabilityOfLoss).toBeGreaterThan(0);
    expect(a.probabilityOfLoss).toBeLessThan(1);
  });

  it("compounding a real backtest's trade returns in order gives back its realised equity", async () => {
    const r = await runWith(cfg, { fast: '10', slow: '60' }, { to: T0 + 2 * DAY });
    expect(r.trades.length).toBeGreaterThan(10);
    const realised = 100000 + r.trades.reduce((s, t) => s + Number(t.pnl), 0);
    expect(compoundedMaxDrawdown(100000, tradeReturns(r.trades, 100000)).final).toBeCloseTo(realised, 6);
  });

  it('percentiles interpolate linearly; drawdowns and trade returns by hand', () => {
    expect(percentile([1, 2, 3, 4, 5], 25)).toBe(2);
    expect(percentile([10, 20], 5)).toBeCloseTo(10.5, 12);
    expect(distribution([3, 1, 2]).percentiles.p50).toBe(2);
    // 100 → 120 → 90 → 99: peak 120, trough 90: 25%.
    const dd = compoundedMaxDrawdown(100, [0.2, -0.25, 0.1]);
    expect(dd.final).toBeCloseTo(99, 10);
    expect(dd.maxDrawdown).toBeCloseTo(0.25, 12);
    // Realised equity 1000 → 1100 → 990: returns +10%, −10%; the later exit comes second.
    expect(tradeReturns([{ pnl: '-110', exitTime: 2 }, { pnl: '100', exitTime: 1 }], 1000)).toEqual([0.1, -0.1]);
    expect(() => monteCarlo([], { paths: 10, seed: 1, initialEquity: 1 })).toThrow(/no trades/);
    expect(() => monteCarlo([0.1], { paths: 0, seed: 1, initialEquity: 1 })).toThrow(/paths/);
  });
});

describe('CLI: warden sweep, walk-forward, monte-carlo', () => {
  const base = { data: [FILE], strategy: 'sma-cross', cash: '100000', feeBps: '10', seed: '5', to: '2023-03-03', json: true };

  it('sweep --json prints sweep.json only and writes sweep.csv', async () => {
    const out = mkdtempSync(join(tmpdir(), 'warden-sweep-'));
    const lines: string[] = [];
    await runSweepCli({ ...base, param: [], grid: ['fast=5,10', 'slow=30'], metric: 'sharpe', out }, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!) as { rows: unknown[]; metric: string };
    expect(j.metric).toBe('sharpe');
    expect(j.rows).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'))).toEqual(j);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    await expect(runSweepCli({ ...base, param: [], grid: ['fast=5'], metric: 'luck', out })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
  });

  it('walk-forward --json prints walk-forward.json only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'warden-wf-'));
    const lines: string[] = [];
    await runWalkForwardCli({ ...base, param: [], grid: ['fast=5,10', 'slow=30'], metric: 'totalReturn', inSample: '1d', outOfSample: '12h', out }, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!) as { windows: unknown[]; outOfSampleSummary: { finalEquity: string } };
    expect(j.windows).toHaveLength(2);
    expect(typeof j.outOfSampleSummary.finalEquity).toBe('string');
    expect(JSON.parse(readFileSync(join(out, 'walk-forward.json'), 'utf8'))).toEqual(j);
  });

  it('monte-carlo --json prints monte-carlo.json only, the same for the same seed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'warden-mc-'));
    const lines: string[] = [];
    const o = { ...base, param: ['fast=10', 'slow=60'], paths: '300', out };
    await runMonteCarloCli(o, (l) => lines.push(l));
    await runMonteCarloCli(o, (l) => lines.push(l));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(lines[0]);
    const j = JSON.parse(lines[0]!) as { paths: number; seed: number; finalEquity: { percentiles: Record<string, number> }; probabilityOfLoss: number; backtest: { trades: number; finalEquity: string }; original: { finalEquity: number } };
    expect(j).toMatchObject({ paths: 300, seed: 5 });
    expect(Object.keys(j.finalEquity.percentiles)).toEqual(['p5', 'p25', 'p50', 'p75', 'p95']);
    expect(j.backtest.trades).toBeGreaterThan(0);
    // Compounding the trade returns in their own order gives back the realised final equity (flat at the end or not).
    expect(j.original.finalEquity).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'monte-carlo.json'), 'utf8'))).toEqual(j);
  });
});
