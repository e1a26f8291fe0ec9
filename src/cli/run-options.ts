/**
 * Options shared by `warden backtest`, `sweep`, `walk-forward` and `monte-carlo`: the data, the
 * strategy and its parameters, cash, fees, slippage, risk, time range, seed, instrument grid and
 * annualisation; their parsing and validation live here once.
 */
import { readFileSync } from 'node:fs';
import { TestClock } from '../engine/clock.ts';
import { gunzipSync } from 'node:zlib';
import type { Command } from 'commander';
import { instrumentSpecFor } from '../backtest/instruments.ts';
import type { AnalysisConfig } from '../backtest/sweep.ts';
import type { StrategyFactory } from '../strategy/strategy.ts';
import { parseTime } from '../data/csv-bars.ts';
import type { Bar } from '../model/bar.ts';
import { ValidationError } from '../model/errors.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { loadRiskConfig } from '../risk/config/load.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import { exchangeModels, type ModelChoice } from '../venues/sim/exchange/configured-models.ts';
import { addDataFormatOptions, openBars, requireBars, resolveDataArg, type DataEntry, type DataFormatCliOptions } from './data-flags.ts';
import { bad, nonNegativeDecimal, positiveDecimal, positiveNumber, underFlag, writableDir } from './flags.ts';
import { STRATEGIES } from '../strategies/index.ts';

/** The options every run-a-strategy command takes (as commander hands them over: text). */
export interface RunCliOptions extends DataFormatCliOptions {
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
  /** Post risk alerts to the risk file's webhook; off by default in every backtest. */
  webhooks?: boolean;
}

export { bad };

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
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      throw bad(field, `not valid JSON: ${(e as Error).message}`);
    }
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

/** A time option (ISO 8601 or epoch seconds/ms) as epoch ms; undefined stays undefined. */
export function parseTimeOption(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const t = parseTime(text.trim());
  if (!Number.isFinite(t)) throw bad(field, `not a time (ISO 8601 or epoch seconds/ms): ${JSON.stringify(text)}`);
  return t;
}

/** Rows in a data file (lines but the header), for the progress bar. */
export function countRows(file: string): number {
  const buf = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
  if (buf.length > 0 && buf[buf.length - 1] !== 10) n++;
  return Math.max(0, n - 1);
}

/** A strategy's parameters with the defaults filled in: numbers where the text is numeric, else the text. */
export { fullParams as resolvedParams } from '../backtest/sweep.ts';

/** The common options, parsed and checked (the data files are not read yet). */
export interface ResolvedRun {
  readonly factory: StrategyFactory;
  /** The `--param` pairs as given. */
  readonly params: Record<string, string>;
  readonly seed: number;
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** Each --data file: how to read it (`source`, `format`, `kind`) and its instrument (`spec`). */
  readonly data: readonly (DataEntry & { readonly spec: InstrumentSpec })[];
  readonly slippage: ModelChoice | undefined;
  readonly risk: RiskConfig | undefined;
  readonly webhooks: boolean;
  readonly periodsPerYear: number | undefined;
  /** The run's settings as summary.json records them. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * Every flag checked before anything runs, each error naming its flag: the strategy, cash (> 0),
 * fees (≥ 0), seed, --from before --to, each data file readable, tick and lot, the slippage model
 * (built once to check it), the risk file, periods per year and the output directory.
 */
export function resolveRun(o: RunCliOptions): ResolvedRun {
  const factory = STRATEGIES[o.strategy];
  if (!factory) throw bad('strategy', `unknown strategy ${JSON.stringify(o.strategy)}; built in: ${Object.keys(STRATEGIES).join(', ')}`);
  const params = parseParams(o.param);
  positiveDecimal('cash', o.cash);
  nonNegativeDecimal('fee-bps', o.feeBps);
  const seed = Number(o.seed);
  if (!Number.isSafeInteger(seed)) throw bad('seed', `must be a whole number, got ${o.seed}`);
  const from = parseTimeOption(o.from, 'from');
  const to = parseTimeOption(o.to, 'to');
  if (from !== undefined && to !== undefined && from >= to) throw bad('from', `${o.from ?? ''} is not before --to ${o.to ?? ''}: no bar can be in range`);
  if (o.data.length === 0) throw bad('data', 'at least one data file is needed');
  const data = o.data.map((arg) => {
    const entry = resolveDataArg(arg, o);
    if (o.tick !== undefined) positiveDecimal('tick', o.tick);
    if (o.lot !== undefined) positiveDecimal('lot', o.lot);
    const spec = underFlag('data', () => instrumentSpecFor(entry.source.instrumentId, { feeBps: o.feeBps, ...(o.tick ? { tick: o.tick } : {}), ...(o.lot ? { lot: o.lot } : {}) }));
    return { ...entry, spec };
  });
  const slippage = o.slippage ? parseModel(o.slippage, 'slippage') : undefined;
  if (slippage) underFlag('slippage', () => exchangeModels({ slippage }, new TestClock(0)));
  const risk = o.risk ? underFlag('risk', () => loadRiskConfig(o.risk!)) : undefined;
  const periodsPerYear = o.periodsPerYear === undefined ? undefined : positiveNumber('periods-per-year', o.periodsPerYear);
  writableDir('out', o.out);
  const settings = {
    data: o.data,
    cash: o.cash,
    feeBps: Number(o.feeBps),
    slippage: slippage ?? { model: 'none' },
    seed,
    risk: o.risk ?? null,
    from: from === undefined ? null : new Date(from).toISOString(),
    to: to === undefined ? null : new Date(to).toISOString(),
  };
  return { factory, params, seed, from, to, data, slippage, risk, webhooks: o.webhooks === true, periodsPerYear, settings };
}

/**
 * Reads every data file into memory once (bars with from ≤ open time < to), for the analyses that
 * run a strategy many times over slices of the same data, and bundles the run's settings. A trades
 * file needs --bar-interval here (`command` names the analysis in that error).
 */
export async function loadAnalysisConfig(r: ResolvedRun, cash: string, command = 'this command'): Promise<AnalysisConfig> {
  for (const d of r.data) requireBars(d, command);
  const sources: { instrument: InstrumentSpec; bars: Bar[] }[] = [];
  for (const d of r.data) {
    const bars: Bar[] = [];
    for await (const b of openBars(d)) {
      if (r.from !== undefined && b.ts < r.from) continue;
      if (r.to !== undefined && b.ts >= r.to) break;
      bars.push(b);
    }
    if (bars.length === 0) throw noBars(r, d.file);
    sources.push({ instrument: d.spec, bars });
  }
  return {
    factory: r.factory,
    baseParams: r.params,
    sources,
    cash,
    models: r.slippage ? { slippage: r.slippage } : {},
    seed: r.seed,
    ...(r.risk ? { risk: r.risk, webhooks: r.webhooks } : {}),
    ...(r.periodsPerYear !== undefined ? { periodsPerYear: r.periodsPerYear } : {}),
  };
}

/** A run over no bars measures nothing: it is an input error, not a report of zeros. */
export function noBars(r: Pick<ResolvedRun, 'from' | 'to'>, file: string): ValidationError {
  const range = r.from !== undefined || r.to !== undefined ? ` between --from ${r.from === undefined ? '(start)' : new Date(r.from).toISOString()} and --to ${r.to === undefined ? '(end)' : new Date(r.to).toISOString()}` : '';
  return bad('data', `no bars in ${file}${range}`);
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Adds the common options to a commander command. `out` names what --out receives. */
export function addRunOptions(cmd: Command, out: string, json: string): Command {
  return addDataFormatOptions(cmd
    .requiredOption('--data <file[@SYMBOL.VENUE][#key=value]>', 'bars or trades (repeatable; .gz allowed); the instrument comes from @SYMBOL.VENUE or the file name VENUE-SYMBOL-...; #format=...#bar-interval=... sets a format flag for this file only', collect, []))
    .requiredOption('--strategy <name>', `built-in strategy: ${Object.keys(STRATEGIES).join(', ')}`)
    .option('--param <k=v>', 'strategy parameter (repeatable), e.g. fast=10 slow=30 fraction=0.95', collect, [])
    .option('--cash <n>', 'starting cash in the quote currency', '100000')
    .option('--fee-bps <n>', 'maker and taker fee in basis points of notional', '10')
    .option('--slippage <model>', 'slippage model: none, fixed_bps:bps=5, or JSON {"model":...}')
    .option('--risk <file>', 'risk config (YAML/JSON): pre-trade gate and circuit breakers')
    .option('--webhooks', "post risk alerts to the risk file's alerts.webhook_url (off by default: a backtest never calls out)")
    .option('--from <time>', 'first bar open time, inclusive (ISO 8601 or epoch)')
    .option('--to <time>', 'last bar open time, exclusive (ISO 8601 or epoch)')
    .option('--seed <n>', 'seed for seeded models', '1')
    .option('--tick <x>', 'tick size (default 0.01 for crypto pairs)')
    .option('--lot <x>', 'lot size (default 0.00001 for crypto pairs)')
    .option('--periods-per-year <n>', 'bars per year for annualising (default: inferred from the bar spacing)')
    .requiredOption('--out <dir>', `directory for ${out}`)
    .option('--json', `print ${json} only`);
}

export { collect };

/** A two-column table, keys padded. */
export function table(rows: readonly (readonly [string, string])[]): string[] {
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`);
}

export const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);
export const fix = (x: number | null): string => (x === null ? '—' : x.toFixed(2));
