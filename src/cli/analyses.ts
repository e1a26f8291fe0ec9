/**
 * `warden sweep`, `warden walk-forward` and `warden monte-carlo`: the backtest's options (see
 * run-options.ts) plus their own; the data is read once into memory. With --json each prints the
 * JSON file it wrote and nothing else; otherwise a progress bar (on a terminal) and a short table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { compoundedMaxDrawdown, monteCarlo, tradeReturns, type MonteCarloResult } from '../backtest/monte-carlo.ts';
import { fullParams, keyMetrics, parseGrid, parseMetric, runSweep, runWith, sweepCsv, type KeyMetrics, type SweepResult } from '../backtest/sweep.ts';
import { parseWindowLength, runWalkForward, type WalkForwardReport } from '../backtest/walk-forward.ts';
import { underFlag, wholeNumber } from './flags.ts';
import { bad, fix, loadAnalysisConfig, pct, resolveRun, table, type RunCliOptions } from './run-options.ts';

export interface SweepCliOptions extends RunCliOptions {
  grid: string[];
  metric: string;
}

export interface WalkForwardCliOptions extends SweepCliOptions {
  inSample: string;
  outOfSample: string;
  step?: string;
}

export interface MonteCarloCliOptions extends RunCliOptions {
  paths: string;
  tradesPerPath?: string;
}

type Print = (line: string) => void;

function progress(o: RunCliOptions, label: string, unit: string): SingleBar | undefined {
  if (o.json || !process.stderr.isTTY) return undefined;
  return new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit}`, hideCursor: true, stream: process.stderr }, Presets.shades_classic);
}

async function writeJson(dir: string, name: string, value: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

const paramText = (p: Readonly<Record<string, unknown>>): string =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

/** `warden sweep`: writes sweep.csv and sweep.json into --out; prints sweep.json (--json) or the ranking. */
export async function runSweepCli(o: SweepCliOptions, print: Print = console.log): Promise<SweepResult> {
  const run = resolveRun(o);
  const grid = parseGrid(o.grid);
  const metric = parseMetric(o.metric);
  const cfg = await loadAnalysisConfig(run, o.cash, 'sweep');
  const bar = progress(o, 'sweep', 'runs');
  const result = await runSweep(cfg, {
    grid,
    metric,
    ...(bar ? { onProgress: (done: number, total: number) => (done === 1 ? bar.start(total, done) : bar.update(done)) } : {}),
  });
  bar?.stop();
  // Every combination refused (e.g. --grid fast=abc): nothing was measured.
  if (result.best === null) throw bad('grid', `the strategy refused every combination, e.g. ${paramText(result.rows[0]?.combination ?? {})}: ${result.rows[0]?.error ?? 'no combination'}`);
  const json = { ...result, settings: run.settings };
  await mkdir(o.out, { recursive: true });
  const csvFile = join(o.out, 'sweep.csv');
  await writeFile(csvFile, sweepCsv(result));
  const jsonFile = await writeJson(o.out, 'sweep.json', json);
  if (o.json) {
    print(JSON.stringify(json, null, 2));
    return result;
  }
  print(`  ${result.strategy}: ${result.combinations} combinations, ranked by ${metric}, ${result.start ?? '—'} → ${result.end ?? '—'}`);
  const shown = result.rows.slice(0, 20);
  print(`  ${'rank'.padEnd(5)} ${metric.padStart(12)} ${'return'.padStart(9)} ${'max dd'.padStart(8)} ${'trades'.padStart(6)}  params`);
  for (const r of shown) {
    const m = r.metrics;
    print(
      `  ${String(r.rank ?? '—').padEnd(5)} ${(r.metric === null ? '—' : r.metric.toPrecision(6)).padStart(12)} ${(m ? pct(m.totalReturn) : '—').padStart(9)} ${(m ? pct(m.maxDrawdown) : '—').padStart(8)} ${String(m?.trades ?? '—').padStart(6)}  ${paramText(r.combination)}${r.error ? `  (${r.error})` : ''}`,
    );
  }
  if (result.rows.length > shown.length) print(`  ... ${result.rows.length - shown.length} more in sweep.csv`);
  print('');
  print(`csv:  ${csvFile}`);
  print(`json: ${jsonFile}`);
  return result;
}

/** `warden walk-forward`: writes walk-forward.json and walk-forward-equity.csv into --out. */
export async function runWalkForwardCli(o: WalkForwardCliOptions, print: Print = console.log): Promise<WalkForwardReport> {
  const run = resolveRun(o);
  const grid = parseGrid(o.grid);
  const metric = parseMetric(o.metric);
  const inSample = parseWindowLength(o.inSample, 'in-sample');
  const outOfSample = parseWindowLength(o.outOfSample, 'out-of-sample');
  const step = o.step === undefined ? undefined : parseWindowLength(o.step, 'step');
  const cfg = await loadAnalysisConfig(run, o.cash, 'walk-forward');
  const bar = progress(o, 'walk-forward', 'windows');
  const { report, equity } = await runWalkForward(cfg, {
    grid,
    metric,
    inSample,
    outOfSample,
    ...(step ? { step } : {}),
    ...(bar ? { onProgress: (done: number, total: number) => (done === 1 ? bar.start(total, done) : bar.update(done)) } : {}),
  });
  bar?.stop();
  const json = { ...report, settings: run.settings };
  const jsonFile = await writeJson(o.out, 'walk-forward.json', json);
  const eqFile = join(o.out, 'walk-forward-equity.csv');
  const lines = ['time,equity'];
  for (let i = 0; i < equity.times.length; i++) lines.push(`${new Date(equity.times[i]!).toISOString()},${equity.values[i]!.toFixed(8)}`);
  await writeFile(eqFile, `${lines.join('\n')}\n`);
  if (o.json) {
    print(JSON.stringify(json, null, 2));
    return report;
  }
  print(`  ${report.strategy}: ${report.windows.length} windows, in-sample ${report.inSample}, out-of-sample ${report.outOfSample}, step ${report.step}, by ${metric}`);
  print(`  ${'#'.padEnd(3)} ${'out-of-sample from'.padEnd(24)} ${`IS ${metric}`.padStart(14)} ${'OOS return'.padStart(10)}  params`);
  for (const w of report.windows) {
    const m = w.inSampleMetric === null ? '—' : w.inSampleMetric.toPrecision(6);
    print(`  ${String(w.index).padEnd(3)} ${w.outOfSample.from.padEnd(24)} ${m.padStart(14)} ${pct(w.outOfSampleMetrics.totalReturn).padStart(10)}  ${paramText(w.combination)}`);
  }
  const s = report.outOfSampleSummary;
  print('');
  for (const line of table([
    ['out-of-sample', `${s.start ?? '—'} → ${s.end ?? '—'}, ${s.bars} bars`],
    ['equity', `${s.initialEquity} → ${s.finalEquity}`],
    ['total return', pct(s.totalReturn)],
    ['Sharpe', fix(s.sharpe)],
    ['max drawdown', pct(s.maxDrawdown)],
    ['trades', String(s.trades)],
  ]))
    print(line);
  print('');
  print(`json:   ${jsonFile}`);
  print(`equity: ${eqFile}`);
  return report;
}

/** monte-carlo.json */
export interface MonteCarloReport extends MonteCarloResult {
  readonly strategy: string;
  readonly params: Readonly<Record<string, number | string>>;
  /** The backtest whose trades are resampled. */
  readonly backtest: KeyMetrics & { readonly start: string; readonly end: string };
  readonly returnBasis: 'net pnl / realised equity before the trade';
  /** Trade-to-trade figures of the original order, for comparison. */
  readonly original: { readonly finalEquity: number; readonly maxDrawdown: number };
  readonly settings: Readonly<Record<string, unknown>>;
}

const MAX_PATHS = 1_000_000;
const MAX_TRADES_PER_PATH = 1_000_000;

/** `warden monte-carlo`: runs the backtest, bootstraps its trade returns, writes monte-carlo.json. */
export async function runMonteCarloCli(o: MonteCarloCliOptions, print: Print = console.log): Promise<MonteCarloReport> {
  const run = resolveRun(o);
  // Bounded so a typo (1e9) is an error, not a run that never ends or exhausts memory.
  const paths = wholeNumber('paths', o.paths, 1, MAX_PATHS);
  const tradesPerPath = o.tradesPerPath === undefined ? undefined : wholeNumber('trades-per-path', o.tradesPerPath, 1, MAX_TRADES_PER_PATH);
  const cfg = await loadAnalysisConfig(run, o.cash, 'monte-carlo');
  underFlag('param', () => run.factory.create(run.params));
  const r = await runWith(cfg, {});
  const initial = Number(r.initialEquity);
  const returns = tradeReturns(r.trades, initial);
  const mc = monteCarlo(returns, { paths, seed: run.seed, initialEquity: initial, ...(tradesPerPath !== undefined ? { tradesPerPath } : {}) });
  const report: MonteCarloReport = {
    strategy: cfg.factory.name,
    params: fullParams(cfg.factory, run.params),
    backtest: { ...keyMetrics(r), start: new Date(r.startTime).toISOString(), end: new Date(r.endTime).toISOString() },
    returnBasis: 'net pnl / realised equity before the trade',
    original: ((x) => ({ finalEquity: x.final, maxDrawdown: x.maxDrawdown }))(compoundedMaxDrawdown(initial, returns)),
    ...mc,
    settings: { ...run.settings, paths },
  };
  const file = await writeJson(o.out, 'monte-carlo.json', report);
  if (o.json) {
    print(JSON.stringify(report, null, 2));
    return report;
  }
  const f = (x: number): string => x.toFixed(2);
  const fe = mc.finalEquity.percentiles;
  const dd = mc.maxDrawdown.percentiles;
  print(`  ${report.strategy} ${paramText(report.params)}: ${r.trades.length} trades, ${paths} paths of ${mc.tradesPerPath}, seed ${mc.seed}`);
  print(`  ${''.padEnd(14)} ${'p5'.padStart(12)} ${'p25'.padStart(12)} ${'p50'.padStart(12)} ${'p75'.padStart(12)} ${'p95'.padStart(12)}`);
  print(`  ${'final equity'.padEnd(14)} ${[fe.p5, fe.p25, fe.p50, fe.p75, fe.p95].map((x) => f(x!).padStart(12)).join(' ')}`);
  print(`  ${'max drawdown'.padEnd(14)} ${[dd.p5, dd.p25, dd.p50, dd.p75, dd.p95].map((x) => pct(x!).padStart(12)).join(' ')}`);
  print('');
  for (const line of table([
    ['backtest final', `${r.finalEquity} ${r.currency}`],
    ['P(loss)', pct(mc.probabilityOfLoss)],
  ]))
    print(line);
  print('');
  print(`json: ${file}`);
  return report;
}
