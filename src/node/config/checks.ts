import { resolveFormat } from '../../data/open-source.ts';
import type { DataSourceSpec } from '../../data/reader-options.ts';
import { TestClock } from '../../engine/clock.ts';
import { Currencies } from '../../model/currency.ts';
import { WardenError } from '../../model/errors.ts';
import { Instrument } from '../../model/instrument.ts';
import { STRATEGIES } from '../../strategies/index.ts';
import { exchangeModels, type ExchangeModelConfig } from '../../venues/sim/exchange/configured-models.ts';
import { currencyOf, instrumentSpecOf } from './instruments.ts';
import type { NodeConfigFile } from './schema.ts';
import { LIVE_VENUE_TYPES, NO_CALENDAR, venueCalendar, type SimVenueConfig } from './venues.ts';

export type Mode = NodeConfigFile['node']['mode'];

/** A problem at a path inside the file (the caller adds the file). */
export interface PathProblem {
  readonly path: string;
  readonly problem: string;
}

export interface CheckOptions {
  readonly mode: Mode;
  /** Whether a (resolved) data file exists; absent: not checked. */
  readonly fileExists?: (file: string) => boolean;
  /** Resolves a path written in the file (relative to the file's folder). */
  readonly resolvePath: (p: string) => string;
}

/**
 * What a schema cannot say: references between sections, unique ids, what each mode allows, and
 * the parameters only the model and strategy libraries know. Pure; every problem found, in file order.
 */
export function checkNodeConfig(c: NodeConfigFile, o: CheckOptions): PathProblem[] {
  const out: PathProblem[] = [];
  if (c.node.journal && 'memory' in c.node.journal && o.mode !== 'backtest') {
    out.push({ path: 'node.journal.memory', problem: `a ${o.mode} node must keep its journal (sqlite or postgres): a restart would lose every order` });
  }
  checkVenues(c, o.mode, out);
  checkAccounts(c, out);
  checkInstruments(c, out);
  checkData(c, o, out);
  checkStrategies(c, out);
  return out;
}

/** `accounts[2].id: duplicate id "ACC-1" (also accounts[0])`. */
function duplicates(items: readonly { id: string }[], section: string, out: PathProblem[]): void {
  const first = new Map<string, number>();
  items.forEach((it, i) => {
    const seen = first.get(it.id);
    if (seen === undefined) first.set(it.id, i);
    else out.push({ path: `${section}[${i}].id`, problem: `duplicate id "${it.id}" (also ${section}[${seen}])` });
  });
}

function checkVenues(c: NodeConfigFile, mode: Mode, out: PathProblem[]): void {
  for (const [name, v] of Object.entries(c.venues)) {
    const at = `venues.${name}`;
    if (mode === 'live' && !LIVE_VENUE_TYPES.includes(v.type)) {
      out.push({ path: `${at}.type`, problem: `mode live needs a live venue, and ${v.type} is simulated (run mode paper, or configure a live venue type)` });
    }
    if (v.type === 'sim') checkSimModels(v, at, out);
    if (v.extended_hours === true && venueCalendar(v) === undefined) out.push({ path: `${at}.extended_hours`, problem: `extended hours need a calendar (calendar: XNYS): a venue without one${v.calendar === NO_CALENDAR ? ' (calendar: none)' : ''} trades 24/7` });
  }
  if (Object.keys(c.venues).length === 0) out.push({ path: 'venues', problem: 'must configure at least one venue' });
  // XNYS and us_equities are one calendar: adjustments under both would be two lists for one exchange.
  if (c.calendars?.XNYS !== undefined && c.calendars.us_equities !== undefined) {
    out.push({ path: 'calendars.us_equities', problem: 'us_equities is the same calendar as XNYS: give its extra closures and early closes under one of them' });
  }
}

/** The model library validates each model's parameters; its error names the field inside the model. */
function checkSimModels(v: SimVenueConfig, at: string, out: PathProblem[]): void {
  const families: [keyof ExchangeModelConfig, string, ExchangeModelConfig[keyof ExchangeModelConfig]][] = [
    ['fees', 'fees', v.fees],
    ['slippage', 'slippage', v.slippage],
    ['latency', 'latency', v.latency],
    ['limitFill', 'limit_fill', v.limit_fill],
  ];
  for (const [family, key, choice] of families) {
    if (!choice) continue;
    try {
      exchangeModels({ [family]: choice }, new TestClock());
    } catch (e) {
      if (!(e instanceof WardenError)) throw e;
      const raw = String(e.context.field ?? '');
      const field = raw.replace(`${family}.`, '');
      const problem = raw !== '' && e.message.startsWith(`${raw}: `) ? e.message.slice(raw.length + 2) : e.message.replace(/^limitFill\.model /, '');
      out.push({ path: field ? `${at}.${key}.${field}` : `${at}.${key}`, problem });
    }
  }
}

function checkAccounts(c: NodeConfigFile, out: PathProblem[]): void {
  duplicates(c.accounts, 'accounts', out);
  const named = instrumentCurrencies(c);
  c.accounts.forEach((a, i) => {
    if (!Object.hasOwn(c.venues, a.venue)) out.push({ path: `accounts[${i}].venue`, problem: unknownVenue(c, a.venue) });
    for (const code of Object.keys(a.balances ?? {})) {
      if (!named.has(code) && !Object.hasOwn(Currencies, code)) {
        out.push({ path: `accounts[${i}].balances.${code}`, problem: `unknown currency ${code}: not one of ${Object.keys(Currencies).join(', ')} nor named by an instrument` });
      }
    }
  });
}

function instrumentCurrencies(c: NodeConfigFile): Set<string> {
  const codes = new Set<string>();
  for (const ins of c.instruments) {
    if (ins.from_venue === true) continue;
    for (const ref of [ins.base, ins.quote, ins.settlement]) if (ref !== undefined) codes.add(typeof ref === 'string' ? ref : ref.code);
  }
  return codes;
}

/** One currency code means one precision across the file: balances and notionals are counted in it. */
function checkCurrencyPrecisions(c: NodeConfigFile, out: PathProblem[]): void {
  const seen = new Map<string, { precision: number; at: string }>();
  c.instruments.forEach((ins, i) => {
    if (ins.from_venue === true) return;
    for (const key of ['base', 'quote', 'settlement'] as const) {
      const ref = ins[key];
      if (ref === undefined) continue;
      let precision: number;
      try {
        precision = currencyOf(ref).precision;
      } catch {
        continue; // reported by checkInstruments
      }
      const code = typeof ref === 'string' ? ref : ref.code;
      const at = `instruments[${i}].${key}`;
      const first = seen.get(code);
      if (!first) seen.set(code, { precision, at });
      else if (first.precision !== precision) out.push({ path: at, problem: `${code} has precision ${precision} here but ${first.precision} at ${first.at}` });
    }
  });
}

function unknownVenue(c: NodeConfigFile, name: string): string {
  return `venue ${name} is not configured (venues: ${Object.keys(c.venues).join(', ') || 'none'})`;
}

function checkInstruments(c: NodeConfigFile, out: PathProblem[]): void {
  duplicates(c.instruments, 'instruments', out);
  checkCurrencyPrecisions(c, out);
  c.instruments.forEach((ins, i) => {
    const at = `instruments[${i}]`;
    const venue = ins.id.slice(ins.id.lastIndexOf('.') + 1);
    const v = c.venues[venue];
    if (!v) out.push({ path: `${at}.id`, problem: `the instrument's venue ${venue} is not configured (venues: ${Object.keys(c.venues).join(', ') || 'none'})` });
    if (ins.from_venue === true) {
      if (v?.type === 'sim') out.push({ path: `${at}.from_venue`, problem: `venue ${venue} is simulated and has no instrument metadata: write the instrument out (kind, quote, tick_size, lot_size, ...)` });
      return;
    }
    for (const key of ['base', 'quote', 'settlement'] as const) {
      const ref = ins[key];
      if (ref === undefined) continue;
      try {
        currencyOf(ref);
      } catch (e) {
        out.push({ path: `${at}.${key}`, problem: (e as Error).message });
      }
    }
    if (out.some((p) => p.path.startsWith(`${at}.`))) return;
    try {
      new Instrument(instrumentSpecOf(ins));
    } catch (e) {
      if (!(e instanceof WardenError)) throw e;
      out.push({ path: at, problem: e.message });
    }
  });
}

function checkData(c: NodeConfigFile, o: CheckOptions, out: PathProblem[]): void {
  const declared = new Set(c.instruments.map((i) => i.id));
  c.data.replay.forEach((r, i) => {
    const at = `data.replay[${i}]`;
    if (!declared.has(r.instrumentId)) out.push({ path: `${at}.instrument`, problem: `instrument ${r.instrumentId} is not declared under instruments` });
    if (!o.fileExists) return;
    const file = o.resolvePath(r.file);
    if (!o.fileExists(file)) out.push({ path: `${at}.file`, problem: `no such file: ${file}` });
    else checkFormatFits({ ...r, file }, at, out);
  });
  if (c.data.subscriptions.length > 0 && c.data.replay.length > 0) {
    out.push({ path: 'data', problem: 'a node runs on replayed files or on live subscriptions, not both: keep data.replay or data.subscriptions' });
  }
  if (c.data.loop && o.mode !== 'paper') out.push({ path: 'data.loop', problem: `looping the replay never ends: it is for paper mode, and this node runs ${o.mode}` });
  if (c.data.loop && c.data.replay.length === 0) out.push({ path: 'data.loop', problem: 'loops the replayed files, and data.replay names none' });
  c.data.subscriptions.forEach((s, i) => {
    const at = `data.subscriptions[${i}]`;
    if (!declared.has(s.instrument)) out.push({ path: `${at}.instrument`, problem: `instrument ${s.instrument} is not declared under instruments` });
    if (o.mode === 'backtest') out.push({ path: at, problem: 'a backtest replays files (data.replay); live subscriptions are for paper and live' });
    if (!s.quotes && !s.book && !s.trades && s.bars === undefined) out.push({ path: at, problem: 'subscribes to nothing: set quotes: true, book: true, trades: true or bars: <interval>' });
    if (s.quotes && s.book) out.push({ path: `${at}.book`, problem: 'top of book comes from quotes or from the order book, not both: keep one' });
    const venue = s.venue ?? s.instrument.slice(s.instrument.lastIndexOf('.') + 1);
    const v = c.venues[venue];
    if (s.venue !== undefined && !v) out.push({ path: `${at}.venue`, problem: unknownVenue(c, venue) });
    if (v?.type === 'sim') out.push({ path: s.venue !== undefined ? `${at}.venue` : `${at}.instrument`, problem: `venue ${venue} is simulated and has no live market data: replay a file (data.replay) or subscribe through a live venue` });
  });
}

/** A file's detected format against its options (csv options on a JSON file), as the node would find when it opens it. */
function checkFormatFits(spec: DataSourceSpec, at: string, out: PathProblem[]): void {
  try {
    resolveFormat(spec);
  } catch (e) {
    const option = e instanceof WardenError && typeof e.context.option === 'string' ? e.context.option.replace('-', '_') : 'file';
    out.push({ path: `${at}.${option}`, problem: (e as Error).message });
  }
}

function checkStrategies(c: NodeConfigFile, out: PathProblem[]): void {
  duplicates(c.strategies, 'strategies', out);
  const declared = new Set(c.instruments.map((i) => i.id));
  const fed = new Set([...c.data.replay.map((r) => r.instrumentId), ...c.data.subscriptions.map((s) => s.instrument)]);
  const accounts = new Map(c.accounts.map((a) => [a.id, a]));
  c.strategies.forEach((s, i) => {
    const at = `strategies[${i}]`;
    checkStrategyParams(s.name, s.params, at, out);
    const account = accounts.get(s.account);
    if (!account) out.push({ path: `${at}.account`, problem: `account ${s.account} is not configured (accounts: ${[...accounts.keys()].join(', ') || 'none'})` });
    if (s.venue !== undefined && !Object.hasOwn(c.venues, s.venue)) out.push({ path: `${at}.venue`, problem: unknownVenue(c, s.venue) });
    else if (s.venue !== undefined && account && account.venue !== s.venue) {
      out.push({ path: `${at}.venue`, problem: `account ${account.id} is at venue ${account.venue}, not ${s.venue}` });
    }
    s.instruments.forEach((id, j) => {
      if (!declared.has(id)) out.push({ path: `${at}.instruments[${j}]`, problem: `instrument ${id} is not declared under instruments` });
      else if (!fed.has(id)) out.push({ path: `${at}.instruments[${j}]`, problem: `no market data for ${id}: add it under data.replay or data.subscriptions` });
    });
  });
}

/** The strategy's own factory checks its parameters (the same check as `--param` on the command line). */
function checkStrategyParams(name: string, params: Readonly<Record<string, string | number | boolean>>, at: string, out: PathProblem[]): void {
  const factory = Object.hasOwn(STRATEGIES, name) ? STRATEGIES[name] : undefined;
  if (!factory) {
    out.push({ path: `${at}.name`, problem: `unknown strategy "${name}"; built-in: ${Object.keys(STRATEGIES).join(', ')}` });
    return;
  }
  try {
    factory.create(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
  } catch (e) {
    if (!(e instanceof WardenError)) throw e;
    const field = typeof e.context.field === 'string' ? e.context.field : undefined;
    const prefix = field ? `${name} ${field} ` : '';
    out.push({ path: field ? `${at}.params.${field}` : `${at}.params`, problem: prefix && e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message });
  }
}
