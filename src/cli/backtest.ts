import { SingleBar, Presets } from 'cli-progress';
import { summarize, writeReports, type BacktestSummary } from '../backtest/report.ts';
import { runBacktest, type BacktestSource } from '../backtest/runner.ts';
import { openEntry } from './data-flags.ts';
import { breakerLine, deniedText, type BreakerLogEntry } from '../backtest/risk-log.ts';
import { underFlag } from './flags.ts';
import { countRows, fix, noBars, pct, resolveRun, resolvedParams, table, type RunCliOptions } from './run-options.ts';

export { parseModel, parseParams } from './run-options.ts';

export type BacktestCliOptions = RunCliOptions;

/**
 * `warden backtest`: runs a built-in strategy over bar files through the engine and the simulated
 * exchange, writes report.html, trades.csv, equity.csv and summary.json into --out, and prints
 * summary.json (--json) or a summary table. Returns the summary.
 */
export async function runBacktestCli(o: BacktestCliOptions, print: (line: string) => void = console.log): Promise<BacktestSummary> {
  const run = resolveRun(o);
  const { factory, params, seed, from, to, slippage, risk } = run;
  const ppy = run.periodsPerYear;
  const strategy = underFlag('param', () => factory.create(params));
  const sources: BacktestSource[] = run.data.map((d) => ({ instrument: d.spec, bars: openEntry(d) }));

  let bar: SingleBar | undefined;
  if (!o.json && process.stderr.isTTY) {
    // Rows of CSV files; a JSON file's elements are not lines, so its total is set at the end.
    const total = run.data.reduce((n, d) => n + (d.format === 'csv' ? countRows(d.file) : 0), 0);
    bar = new SingleBar({ format: 'backtest [{bar}] {percentage}% | {value}/{total} bars | {date}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
    bar.start(total, 0, { date: '' });
  }
  const result = await runBacktest({
    sources,
    strategy,
    cash: o.cash,
    models: slippage ? { slippage } : {},
    seed,
    ...(risk ? { risk, webhooks: run.webhooks } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(ppy !== undefined ? { periodsPerYear: ppy } : {}),
    ...(bar ? { onProgress: (n: number, ts: number) => bar.update(n, { date: new Date(ts).toISOString().slice(0, 16) }) } : {}),
  });
  if (bar) {
    bar.setTotal(result.bars);
    bar.stop();
  }
  if (result.bars === 0) throw noBars(run, run.data.map((d) => d.file).join(', '));
  const summary = summarize(result, resolvedParams(factory, params), run.settings);
  const files = await writeReports(result, summary, o.out);
  if (o.json) {
    print(JSON.stringify(summary, null, 2));
    return summary;
  }
  for (const line of summaryLines(summary, result.breakerLog, files)) print(line);
  return summary;
}

/** The console's close of a backtest (flag- or config-driven): the summary table, then where the report files are. */
export function summaryLines(s: BacktestSummary, log: readonly BreakerLogEntry[], files: { readonly html: string; readonly trades: string; readonly equity: string; readonly summary: string }): string[] {
  return [...summaryTable(s, log), '', `report:  ${files.html}`, `trades:  ${files.trades}`, `equity:  ${files.equity}`, `summary: ${files.summary}`];
}

/** Breaker trips and resets shown on the console; all of them are in summary.json and report.html. */
const MAX_BREAKER_LINES = 50;

function breakerLines(log: readonly BreakerLogEntry[]): string[] {
  if (log.length === 0) return [];
  const shown = log.slice(0, MAX_BREAKER_LINES).map((b) => `    ${breakerLine(b)}`);
  const more = log.length - shown.length;
  return ['  circuit breakers:', ...shown, ...(more > 0 ? [`    ... ${more} more in summary.json and report.html`] : [])];
}

function summaryTable(s: BacktestSummary, log: readonly BreakerLogEntry[]): string[] {
  const f = fix;
  const rows: [string, string][] = [
    ['strategy', `${s.strategy} ${Object.entries(s.params).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join(' ')}`],
    ['instruments', s.instruments.join(', ')],
    ['period', `${s.start} → ${s.end}, ${s.bars} bars`],
    ['initial equity', `${s.initialEquity} ${s.currency}`],
    ['final equity', `${s.finalEquity} ${s.currency}`],
    ['total return', pct(s.totalReturn)],
    ['CAGR', pct(s.cagr)],
    ['annualisation', `${s.periodsPerYear.toLocaleString('en-US')} bars / year: ${s.annualisation}`],
    ['volatility (ann.)', pct(s.annualVolatility)],
    ['Sharpe', f(s.sharpe)],
    ['Sortino', f(s.sortino)],
    ['Calmar', f(s.calmar)],
    ['max drawdown', `${pct(s.maxDrawdown)} over ${s.maxDrawdownDurationBars} bars`],
    ['trades', String(s.trades)],
    ['win rate', pct(s.winRate)],
    ['profit factor', f(s.profitFactor)],
    ['expectancy', `${f(s.expectancy)} ${s.currency}`],
    ['avg win / loss', `${f(s.averageWin)} / ${f(s.averageLoss)}`],
    ['exposure', pct(s.exposureTime)],
    ['fees paid', `${s.feesPaid} ${s.currency}`],
    ['breaker trips', `${s.breakerTrips}, ${s.breakerResets} reset${s.breakerResets === 1 ? '' : 's'}`],
    ['denied orders', deniedText(s.deniedOrders, s.deniedByCode)],
  ];
  return [...table(rows), ...breakerLines(log)];
}
