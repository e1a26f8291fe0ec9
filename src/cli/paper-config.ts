/**
 * `warden paper`'s flags as a NodeConfig in memory: the same flags as `warden backtest` (any
 * strategy and parameters, --risk, --data FILE[@SYMBOL.VENUE] with the instrument from the file
 * name, --tick/--lot, the data format flags, --cash, --fee-bps, --slippage) plus the pace
 * (--speed), become one simulated venue per instrument venue, one CASH account and one strategy
 * per venue, and the files replayed. Every flag is checked before anything runs, each error
 * naming its flag.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { instrumentSpecFor } from '../backtest/instruments.ts';
import { TestClock } from '../engine/clock.ts';
import { instrumentId } from '../model/identifiers.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { checkNodeConfig } from '../node/config/checks.ts';
import { instrumentConfigOf, noAlerts, type NodeConfig } from '../node/config/index.ts';
import { venueSchema, type VenueConfig } from '../node/config/venues.ts';
import { loadRiskConfig } from '../risk/config/load.ts';
import { STRATEGIES } from '../strategies/index.ts';
import { exchangeModels, type ModelChoice } from '../venues/sim/exchange/configured-models.ts';
import { requireBars, resolveDataArg, type DataEntry, type DataFormatCliOptions } from './data-flags.ts';
import { bad, nonNegativeDecimal, positiveDecimal, positiveNumber, underFlag, wholeNumber } from './flags.ts';
import { parseModel, parseParams } from './run-options.ts';

export interface PaperCliOptions extends DataFormatCliOptions {
  data: string[];
  strategy: string;
  param: string[];
  /** Starting cash in each account's quote currency; `--balance` is its older name. */
  cash?: string;
  balance?: string;
  feeBps: string;
  slippage?: string;
  risk?: string;
  tick?: string;
  lot?: string;
  /** Data seconds per wall second, or `max`. */
  speed: string;
  /** The instrument of the one --data file (else @SYMBOL.VENUE or the file name). */
  instrument?: string;
  /** Stop after this many steps. */
  bars?: string;
  /** SQLite journal to keep (and resume from on the next run with the same flags); default a new one in the temp folder. */
  journal?: string;
  statusEvery: string;
  logLevel: string;
}

export interface PaperPlan {
  readonly config: NodeConfig;
  readonly data: readonly DataEntry[];
  readonly maxSteps: number | undefined;
  readonly statusEvery: number;
}

const DEFAULT_CASH = '100000';
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Every flag checked, in the order a person reads them; then the node's own cross-checks. */
export function paperPlan(o: PaperCliOptions): PaperPlan {
  const factory = STRATEGIES[o.strategy];
  if (!factory) throw bad('strategy', `unknown strategy ${JSON.stringify(o.strategy)}; built in: ${Object.keys(STRATEGIES).join(', ')}`);
  const params = parseParams(o.param);
  underFlag('param', () => factory.create(params));
  const speed = o.speed.trim() === 'max' ? 'max' : positiveNumber('speed', o.speed);
  const maxSteps = o.bars === undefined ? undefined : wholeNumber('bars', o.bars, 1);
  const statusEvery = wholeNumber('status-every', o.statusEvery, 1);
  const cash = cashOf(o);
  nonNegativeDecimal('fee-bps', o.feeBps);
  if (o.tick !== undefined) positiveDecimal('tick', o.tick);
  if (o.lot !== undefined) positiveDecimal('lot', o.lot);
  if (!(LOG_LEVELS as readonly string[]).includes(o.logLevel)) throw bad('log-level', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(o.logLevel)}`);
  const data = dataEntries(o);
  const specs = data.map((d) => underFlag('data', () => instrumentSpecFor(d.source.instrumentId, { feeBps: o.feeBps, ...(o.tick ? { tick: o.tick } : {}), ...(o.lot ? { lot: o.lot } : {}) })));
  const slippage = o.slippage ? parseModel(o.slippage, 'slippage') : undefined;
  if (slippage) underFlag('slippage', () => exchangeModels({ slippage }, new TestClock(0)));
  const risk = o.risk === undefined ? undefined : underFlag('risk', () => loadRiskConfig(o.risk!));
  const journal = { sqlite: o.journal !== undefined ? resolve(o.journal) : join(mkdtempSync(join(tmpdir(), 'warden-paper-')), 'journal.sqlite') };
  const config: NodeConfig = {
    node: { id: 'paper', mode: 'paper', journal, snapshot_every: 10_000 },
    ...venuesAndAccounts(specs, cash, slippage),
    instruments: specs.map(instrumentConfigOf),
    data: { replay: data.map((d) => d.source), subscriptions: [], speed, loop: false },
    risk,
    strategies: [],
    alerts: noAlerts(),
    logging: { level: o.logLevel as (typeof LOG_LEVELS)[number], format: 'pretty', destination: 'stderr', redact: [] },
  };
  const withStrategies: NodeConfig = { ...config, strategies: strategiesOf(config, o.strategy, params) };
  const problems = checkNodeConfig({ ...withStrategies, risk: undefined }, { mode: 'paper', resolvePath: (p) => p });
  if (problems.length > 0) throw bad('data', problems.map((p) => `${p.path}: ${p.problem}`).join('; '));
  return { config: withStrategies, data, maxSteps, statusEvery };
}

function cashOf(o: PaperCliOptions): string {
  if (o.cash !== undefined && o.balance !== undefined) throw bad('balance', 'is the older name of --cash: give one of them');
  if (o.balance !== undefined) return positiveDecimal('balance', o.balance);
  return positiveDecimal('cash', o.cash ?? DEFAULT_CASH);
}

/** Each --data file resolved (format flags, instrument), bars required. */
function dataEntries(o: PaperCliOptions): DataEntry[] {
  if (o.data.length === 0) throw bad('data', 'at least one data file is needed');
  const instrument = o.instrument === undefined ? undefined : underFlag('instrument', () => instrumentId(o.instrument!));
  if (instrument !== undefined && o.data.length > 1) throw bad('instrument', 'names the instrument of one --data file; with several, write each as FILE@SYMBOL.VENUE');
  const data = o.data.map((arg) => resolveDataArg(arg, o, instrument));
  for (const d of data) requireBars(d, 'paper');
  const ids = data.map((d) => d.source.instrumentId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw bad('data', `two files for ${twice}: one file per instrument`);
  return data;
}

/** One simulated venue per venue of the instruments, each with one CASH account holding `cash` in every quote currency traded there. */
function venuesAndAccounts(specs: readonly InstrumentSpec[], cash: string, slippage: ModelChoice | undefined): Pick<NodeConfig, 'venues' | 'accounts'> {
  const byVenue = groupByVenue(specs);
  const venues: Record<string, VenueConfig> = {};
  const accounts: NodeConfig['accounts'][number][] = [];
  for (const [venue, list] of byVenue) {
    venues[venue] = venueSchema.parse({ type: 'sim', ...(slippage ? { slippage } : {}) });
    const balances = Object.fromEntries(list.map((s) => [(s.settlement ?? s.quote).code, cash]));
    accounts.push({ id: accountIdFor(venue, byVenue.size), type: 'CASH', venue, position_mode: 'NETTING', balances });
  }
  return { venues, accounts };
}

/** The strategy once per venue, over that venue's instruments, trading its account. */
function strategiesOf(config: NodeConfig, name: string, params: Readonly<Record<string, string>>): NodeConfig['strategies'] {
  const byVenue = new Map<string, string[]>();
  for (const i of config.instruments) {
    const venue = i.id.slice(i.id.lastIndexOf('.') + 1);
    byVenue.set(venue, [...(byVenue.get(venue) ?? []), i.id]);
  }
  return [...byVenue].map(([venue, instruments]) => ({
    name,
    id: byVenue.size === 1 ? name : `${name}-${venue}`,
    params: { ...params },
    instruments,
    account: accountIdFor(venue, byVenue.size),
    venue,
  }));
}

const accountIdFor = (venue: string, venues: number): string => (venues === 1 ? 'PAPER' : `PAPER-${venue}`);

function groupByVenue(specs: readonly InstrumentSpec[]): Map<string, InstrumentSpec[]> {
  const out = new Map<string, InstrumentSpec[]>();
  for (const s of specs) {
    const venue = s.id.slice(s.id.lastIndexOf('.') + 1);
    out.set(venue, [...(out.get(venue) ?? []), s]);
  }
  return out;
}
