import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SingleBar, Presets } from 'cli-progress';
import { instrumentSpecFor, parseDataArg } from '../backtest/instruments.ts';
import { summarize, writeReports, type BacktestSummary } from '../backtest/report.ts';
import { runBacktest, type BacktestSource } from '../backtest/runner.ts';
import { parseTime, readCsvBars } from '../data/csv-bars.ts';
import { instrumentId } from '../model/identifiers.ts';
import { ValidationError } from '../model/errors.ts';
import { loadRiskConfig } from '../risk/config/load.ts';
import type { ModelChoice } from '../venues/sim/exchange/configured-models.ts';
import { STRATEGIES } from '../strategies/index.ts';

export interface BacktestCliOptions {
  data: string[];
  strategy: string;
  param: string[];
  cash: string;
  feeBps: string;
  slippage?: string;
  risk?: string;
  from?: string;
  to?: string;
  seed: string;
  tick?: string;
  lot?: string;
  periodsPerYear?: string;
  out: string;
  json?: boolean;
}

function bad(field: string, message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `--${field}: ${message}`, { field });
}

/** `k=v` pairs into a record. */
export function parseParams(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw bad('param', `expected k=v, got ${JSON.stringify(p)}`);
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

/** `none`, `fixed_bps:bps=5`, `volume_share:impact=0.1,max_share=0.5`, or a JSON object `{"model":"fixed_bps","bps":5}`. */
export function parseModel(text: string, field: string): ModelChoice {
  const t = text.trim();
  if (t.startsWith('{')) {
    const v = JSON.parse(t) as unknown;
    if (typeof v !== 'object' || v === null || typeof (v as { model?: unknown }).model !== 'string') throw bad(field, 'a JSON model needs a "model" name');
    return v as ModelChoice;
  }
  const [name = '', rest] = t.split(':', 2);
  const params: Record<string, unknown> = {};
  if (rest) {
    for (const kv of rest.split(',')) {
      const [k = '', v = ''] = kv.split('=', 2);
      if (!k || v === '') throw bad(field, `expected name:k=v,..., got ${JSON.stringify(text)}`);
      const n = Number(v);
      params[k.trim()] = Number.isFinite(n) ? n : v.trim();
    }
  }
  return { model: name, ...params };
}

function time(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const t = parseTime(text.trim());
  if (!Number.isFinite(t)) throw bad(field, `not a time (ISO 8601 or epoch seconds/ms): ${JSON.stringify(text)}`);
  return t;
}

/** Rows in a data file (lines but the header), for the progress bar. */
function countRows(file: string): number {
  const buf = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
  if (buf.length > 0 && buf[buf.length - 1] !== 10) n++;
  return Math.max(0, n - 1);
}

/**
 * `warden backtest`: runs a built-in strategy over bar files through the engine and the simulated
 * exchange, writes report.html, trades.csv, equity.csv and summary.json into --out, and prints
 * summary.json (--json) or a summary table. Returns the summary.
 */
export async function runBacktestCli(o: BacktestCliOptions, print: (line: string) => void = console.log): Promise<BacktestSummary> {
  const factory = STRATEGIES[o.strategy];
  if (!factory) throw bad('strategy', `unknown strategy ${JSON.stringify(o.strategy)}; built in: ${Object.keys(STRATEGIES).join(', ')}`);
  const params = parseParams(o.param);
  const strategy = factory.create(params);
  const seed = Number(o.seed);
  if (!Number.isSafeInteger(seed)) throw bad('seed', `must be a whole number, got ${o.seed}`);
  const from = time(o.from, 'from');
  const to = time(o.to, 'to');
  const sources: BacktestSource[] = o.data.map((arg) => {
    const { file, instrumentId: id } = parseDataArg(arg);
    const spec = instrumentSpecFor(id, { feeBps: o.feeBps, ...(o.tick ? { tick: o.tick } : {}), ...(o.lot ? { lot: o.lot } : {}) });
    return { instrument: spec, bars: readCsvBars(file, { instrumentId: instrumentId(spec.id) }) };
  });
  const slippage = o.slippage ? parseModel(o.slippage, 'slippage') : undefined;
  const risk = o.risk ? loadRiskConfig(o.risk) : undefined;
  const ppy = o.periodsPerYear === undefined ? undefined : Number(o.periodsPerYear);
  if (ppy !== undefined && !(ppy > 0)) throw bad('periods-per-year', `must be positive, got ${String(o.periodsPerYear)}`);

  let bar: SingleBar | undefined;
  if (!o.json && process.stderr.isTTY) {
    const total = o.data.reduce((n, arg) => n + countRows(parseDataArg(arg).file), 0);
    bar = new SingleBar({ format: 'backtest [{bar}] {percentage}% | {value}/{total} bars | {date}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
    bar.start(total, 0, { date: '' });
  }
  const result = await runBacktest({
    sources,
    strategy,
    cash: o.cash,
    models: slippage ? { slippage } : {},
    seed,
    ...(risk ? { risk } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(ppy !== undefined ? { periodsPerYear: ppy } : {}),
    ...(bar ? { onProgress: (n: number, ts: number) => bar.update(n, { date: new Date(ts).toISOString().slice(0, 16) }) } : {}),
  });
  if (bar) {
    bar.setTotal(result.bars);
    bar.stop();
  }
  const fullParams: Record<string, unknown> = {};
  for (const p of factory.params) fullParams[p.name] = Number(params[p.name] ?? p.default);
  const summary = summarize(result, fullParams, {
    data: o.data,
    cash: o.cash,
    feeBps: Number(o.feeBps),
    slippage: slippage ?? { model: 'none' },
    seed,
    risk: o.risk ?? null,
    from: from === undefined ? null : new Date(from).toISOString(),
    to: to === undefined ? null : new Date(to).toISOString(),
  });
  const files = await writeReports(result, summary, o.out);
  if (o.json) {
    print(JSON.stringify(summary, null, 2));
    return summary;
  }
  for (const line of summaryTable(summary)) print(line);
  print('');
  print(`report:  ${files.html}`);
  print(`trades:  ${files.trades}`);
  print(`equity:  ${files.equity}`);
  print(`summary: ${files.summary}`);
  return summary;
}

function summaryTable(s: BacktestSummary): string[] {
  const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);
  const f = (x: number | null): string => (x === null ? '—' : x.toFixed(2));
  const rows: [string, string][] = [
    ['strategy', `${s.strategy} ${Object.entries(s.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`],
    ['instruments', s.instruments.join(', ')],
    ['period', `${s.start} → ${s.end}, ${s.bars} bars`],
    ['initial equity', `${s.initialEquity} ${s.currency}`],
    ['final equity', `${s.finalEquity} ${s.currency}`],
    ['total return', pct(s.totalReturn)],
    ['CAGR', pct(s.cagr)],
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
    ['breaker trips', String(s.breakerTrips)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`);
}
