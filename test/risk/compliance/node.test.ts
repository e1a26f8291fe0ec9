/**
 * Compliance through the node config: a venue with `calendar: XNYS` denies orders outside the
 * session (here the early close of 2025-07-03 at 13:00 New York time) in a backtest node run from
 * its validated config; a bad calendar is a config error naming its path; `pdt` per account; the
 * US-equity brokers' default calendar (XNYS unless `calendar: none`); `calendars` adjustments
 * (2025-01-09, missing from nyse-holidays) and the README's example of them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Strategy, StrategyFactory } from '../../../src/backtest/strategy.ts';
import type { EngineEvent } from '../../../src/engine/events.ts';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { ConfigError } from '../../../src/node/config/problems.ts';
import { venueCalendar } from '../../../src/node/config/venues.ts';
import { sessionAt } from '../../../src/risk/compliance/index.ts';
import { complianceOf } from '../../../src/node/compliance.ts';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { tempDir } from '../../node/support.ts';
import { AAPL, BTC, complianceSetup, expectAllowed, expectDenied, IBM, order } from './harness.ts';

/** Ten one-minute AAPL bars from `t0`: by default 2025-07-03 16:55 UTC (12:55 EDT, the early close day). */
function bars(dir: string, t0 = Date.UTC(2025, 6, 3, 16, 55)): string {
  const rows = Array.from({ length: 10 }, (_, i) => [new Date(t0 + i * 60_000).toISOString(), '200.00', '200.50', '199.50', '200.10', '1000'].join(','));
  const file = join(dir, 'aapl.csv');
  writeFileSync(file, ['time,open,high,low,close,volume', ...rows].join('\n'));
  return file;
}

function config(dir: string, venue: Record<string, unknown>, account: Record<string, unknown> = {}, top: Record<string, unknown> = {}, t0?: number): string {
  return stringify({
    node: { id: 'hours', mode: 'backtest', journal: { memory: true } },
    venues: { SIM: { type: 'sim', ...venue } },
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USD: '100000' }, ...account }],
    instruments: [{ id: 'AAPL.SIM', kind: 'EQUITY', quote: 'USD', tick_size: '0.01', lot_size: '1' }],
    data: { replay: [{ file: bars(dir, t0), instrument: 'AAPL.SIM' }] },
    logging: { level: 'silent' },
    ...top,
  });
}

/** Buys 1 share at market on every bar. */
const buyer: Record<string, StrategyFactory> = {
  buyer: {
    name: 'buyer',
    description: 'test: buys at market on every bar',
    params: [],
    create: (): Strategy => ({
      name: 'buyer',
      async onBar(bar, ctx) {
        await ctx.submit({ instrumentId: bar.instrumentId, side: 'BUY', type: 'MARKET', quantity: '1' });
      },
    }),
  },
};

/** Minutes after midnight in New York, by toLocaleTimeString (an oracle apart from the code under test). */
const newYorkMinutes = (t: number): number => {
  const [h, m] = new Date(t).toLocaleTimeString('en-GB', { timeZone: 'America/New_York', hour12: false }).split(':').map(Number) as [number, number];
  return h * 60 + m;
};

async function events(node: TradingNode): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const r of node.engine.journal.read(1)) out.push(r.event);
  return out;
}

describe('a venue with a calendar in the node config', () => {
  it('a backtest across the 13:00 early close of 2025-07-03: orders before it are sent, from 13:00 on they are denied MARKET_CLOSED', async () => {
    const dir = tempDir();
    const { config: c } = parseNodeConfig(config(dir, { calendar: 'XNYS' }));
    expect(c.venues.SIM).toMatchObject({ calendar: 'XNYS' });
    const node = await TradingNode.start({ ...c, strategies: [{ name: 'buyer', id: 'b-1', params: {}, instruments: ['AAPL.SIM'], account: 'ACC-1' }] }, { strategies: buyer });
    const { completed, status } = await node.run();
    expect(completed).toBe(true);
    const all = await events(node);
    const sent = all.filter((e) => e.kind === 'OrderSubmitted');
    const denied = all.flatMap((e) => (e.kind === 'OrderDenied' ? [e] : []));
    expect(sent.length).toBeGreaterThan(0);
    expect(denied.length).toBeGreaterThan(0);
    expect(status.deniedByCode.MARKET_CLOSED).toBe(denied.length);
    for (const e of sent) expect(newYorkMinutes(e.tsInit)).toBeLessThan(13 * 60);
    for (const e of denied) {
      expect(newYorkMinutes(e.tsInit)).toBeGreaterThanOrEqual(13 * 60);
      expect(e.context).toMatchObject({ actual: 'POST', calendar: 'XNYS', venue: 'SIM' });
    }
  });

  it('the same run without a calendar sends every order (24/7)', async () => {
    const dir = tempDir();
    const { config: c } = parseNodeConfig(config(dir, {}));
    expect(complianceOf(c)).toBeUndefined();
    const node = await TradingNode.start({ ...c, strategies: [{ name: 'buyer', id: 'b-1', params: {}, instruments: ['AAPL.SIM'], account: 'ACC-1' }] }, { strategies: buyer });
    const { status } = await node.run();
    expect(status.denied).toBe(0);
    expect(status.orders).toBeGreaterThanOrEqual(9);
  });

  it('an unknown calendar is a config error naming the path; pdt and extended_hours are read into the compliance', () => {
    const dir = tempDir();
    expect(() => parseNodeConfig(config(dir, { calendar: 'XLON' }))).toThrow(/venues\.SIM\.calendar.*must be an exchange calendar \(XNYS, us_equities\) or none/s);
    expect(() => parseNodeConfig(config(dir, { calendar: 'XNYS' }, { pdt: { max_day_trades: -1 } }))).toThrow(/accounts\[0\]\.pdt\.max_day_trades/);
    expect(() => parseNodeConfig(config(dir, { extended_hours: true }))).toThrow(/venues\.SIM\.extended_hours.*need a calendar/s);
    const { config: c } = parseNodeConfig(config(dir, { calendar: 'us_equities', extended_hours: true }, { type: 'MARGIN', pdt: { min_equity: '30000', window_days: 10 } }));
    const compliance = complianceOf(c);
    expect(compliance?.config).toEqual({
      venues: { SIM: { calendar: 'us_equities', extendedHours: true } },
      pdt: { 'ACC-1': { enabled: true, minEquity: '30000', maxDayTrades: 3, windowDays: 10 } },
    });
  });
});

/** A config of broker venues, parsed as the node parses it (no connection is made). */
function brokers(venues: Record<string, Record<string, unknown>>, top: Record<string, unknown> = {}): string {
  return stringify({ node: { id: 'brokers', mode: 'paper', journal: { sqlite: './journal.sqlite' } }, venues, logging: { level: 'silent' }, ...top });
}

const ALPACA = { type: 'alpaca', api_key: 'k', secret: 's' };
const IBKR = { type: 'ibkr', host: '127.0.0.1', port: 7497, client_id: 7 };
const T212 = { type: 'trading212', api_key: 'k', secret: 's' };
const MT5 = { type: 'mt5', host: '127.0.0.1' };
const CCXT = { type: 'ccxt', exchange: 'binance' };

describe('US-equity brokers default to the NYSE calendar (fail closed)', () => {
  it('alpaca, ibkr and trading212 without a calendar trade on XNYS; mt5, ccxt and sim stay 24/7; calendar: none opts out', () => {
    const { config: c } = parseNodeConfig(brokers({ ALPACA, IBKR, T212, MT5, CCXT, SIM: { type: 'sim' }, OUT: { ...ALPACA, calendar: 'none' }, XNAS: { ...IBKR, calendar: 'us_equities' } }), { checkFiles: false });
    // The file is read as written (its hash unchanged): the default is resolved where the calendar is used.
    expect(c.venues.ALPACA?.calendar).toBeUndefined();
    expect(Object.fromEntries(Object.entries(c.venues).map(([n, v]) => [n, venueCalendar(v) ?? '24/7']))).toEqual({
      ALPACA: 'XNYS',
      IBKR: 'XNYS',
      T212: 'XNYS',
      MT5: '24/7',
      CCXT: '24/7',
      SIM: '24/7',
      OUT: '24/7',
      XNAS: 'us_equities',
    });
    expect(complianceOf({ ...c, accounts: [] })?.config.venues).toEqual({
      ALPACA: { calendar: 'XNYS', extendedHours: false },
      IBKR: { calendar: 'XNYS', extendedHours: false },
      T212: { calendar: 'XNYS', extendedHours: false },
      MT5: { extendedHours: false },
      CCXT: { extendedHours: false },
      SIM: { extendedHours: false },
      OUT: { extendedHours: false },
      XNAS: { calendar: 'us_equities', extendedHours: false },
    });
  });

  it('extended_hours needs a calendar: fine on a broker with the default one, an error with calendar: none; an unknown calendar names none', () => {
    expect(() => parseNodeConfig(brokers({ ALPACA: { ...ALPACA, extended_hours: true } }), { checkFiles: false })).not.toThrow();
    expect(() => parseNodeConfig(brokers({ ALPACA: { ...ALPACA, calendar: 'none', extended_hours: true } }), { checkFiles: false })).toThrow(/venues\.ALPACA\.extended_hours.*calendar: none/s);
    expect(() => parseNodeConfig(brokers({ ALPACA: { ...ALPACA, calendar: 'NONE' } }), { checkFiles: false })).toThrow(/venues\.ALPACA\.calendar.*XNYS, us_equities\) or none/s);
  });

  it('an alpaca venue without a calendar denies an order on Saturday 2025-07-05 MARKET_CLOSED at the gate; with calendar: none it trades', async () => {
    // The harness's venues by name: XNAS (here an alpaca venue without a calendar), NYSE (alpaca, calendar: none), BINANCE (ccxt).
    const { config: c } = parseNodeConfig(brokers({ XNAS: ALPACA, NYSE: { ...ALPACA, calendar: 'none' }, BINANCE: CCXT }), { checkFiles: false });
    const compliance = complianceOf({ ...c, accounts: [] });
    expect(compliance).toBeDefined();
    const h = await complianceSetup('2025-07-05T15:00:00Z', compliance!.config);
    const d = await expectDenied(h, order('A-1', 'C-1', AAPL, 'BUY', '10'), 'MARKET_CLOSED');
    expect(d.context).toMatchObject({ calendar: 'XNYS', venue: 'XNAS', actual: 'CLOSED', session_date: '2025-07-05', reason: 'closed: Saturday' });
    await expectAllowed(h, order('I-1', 'C-1', IBM, 'BUY', '10'));
    await expectAllowed(h, order('B-1', 'B-1', BTC, 'BUY', '0.1'));
  });
});

describe('calendars: one-off closures and early closes (calendars.XNYS)', () => {
  /** 2025-01-09, Thursday: NYSE closed for the national day of mourning for President Carter; nyse-holidays does not have it. */
  const mourning = Date.UTC(2025, 0, 9, 15, 0); // 10:00 EST

  it('a backtest on 2025-01-09 sends every order unless the closure is configured; with it, every order is denied MARKET_CLOSED naming it', async () => {
    const run = async (top: Record<string, unknown>) => {
      const dir = tempDir();
      const { config: c } = parseNodeConfig(config(dir, { calendar: 'XNYS' }, {}, top, mourning));
      const node = await TradingNode.start({ ...c, strategies: [{ name: 'buyer', id: 'b-1', params: {}, instruments: ['AAPL.SIM'], account: 'ACC-1' }] }, { strategies: buyer });
      const { status } = await node.run();
      return { status, all: await events(node) };
    };
    const published = await run({});
    expect(published.status.denied).toBe(0);
    const closed = await run({ calendars: { XNYS: { extra_closures: [{ date: '2025-01-09', name: 'National Day of Mourning for President Carter' }] } } });
    const denied = closed.all.flatMap((e) => (e.kind === 'OrderDenied' ? [e] : []));
    expect(closed.all.filter((e) => e.kind === 'OrderSubmitted')).toEqual([]);
    expect(denied.length).toBe(published.status.orders);
    for (const e of denied) expect(e.context).toMatchObject({ actual: 'CLOSED', calendar: 'XNYS', session_date: '2025-01-09', reason: 'closed: holiday (National Day of Mourning for President Carter)' });
  });

  it('read into the compliance for every venue on the calendar (us_equities is XNYS), an alpaca venue by default included; a bare date is an unscheduled closure', () => {
    const { config: c } = parseNodeConfig(
      brokers({ ALPACA, US: { type: 'sim', calendar: 'us_equities' } }, { calendars: { XNYS: { extra_closures: ['2025-01-09'], extra_early_closes: [{ date: '2025-12-26', close: '14:30' }] } } }),
      { checkFiles: false },
    );
    const venues = complianceOf({ ...c, accounts: [] })!.config.venues;
    const alpaca = venues.ALPACA!.calendar!;
    expect(alpaca).toEqual({ name: 'XNYS', extraClosures: [{ date: '2025-01-09', name: 'unscheduled closure' }], extraEarlyCloses: [{ date: '2025-12-26', close: '14:30', name: 'unscheduled early close' }] });
    expect(venues.US!.calendar).toMatchObject({ name: 'us_equities', extraClosures: [{ date: '2025-01-09' }] });
    expect(sessionAt(alpaca, Date.parse('2025-01-09T15:00:00Z'))).toMatchObject({ open: false, kind: 'CLOSED', reason: 'closed: holiday (unscheduled closure)' });
    expect(sessionAt('XNYS', Date.parse('2025-01-09T15:00:00Z')).open).toBe(true);
  });

  it('bad entries are one ConfigError (INVALID_FIELD) naming each path', () => {
    const bad = (calendars: unknown): ConfigError => {
      try {
        parseNodeConfig(brokers({ ALPACA }, { calendars }), { checkFiles: false });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    const e = bad({ XNYS: { extra_closures: ['2025-02-30', '2025-01-11', '2025-01-09'], extra_early_closes: [{ date: '2025-01-09', close: '13:00' }, { date: '2025-12-26', close: '16:30' }, { date: '2025-07-04', close: '1pm' }] } });
    expect(e.code).toBe('INVALID_FIELD');
    expect(e.context.field).toBe('calendars.XNYS.extra_closures[0]');
    expect(e.problems.map((p) => p.path)).toEqual([
      'calendars.XNYS.extra_closures[0]',
      'calendars.XNYS.extra_closures[1]',
      'calendars.XNYS.extra_early_closes[0].date',
      'calendars.XNYS.extra_early_closes[1].close',
      'calendars.XNYS.extra_early_closes[2].date',
      'calendars.XNYS.extra_early_closes[2].close',
    ]);
    expect(e.message).toContain('2025-01-11 is a Saturday');
    expect(e.message).toContain('2025-01-09 is given twice');
    expect(e.message).toContain('before the regular close (16:00), got 16:30');
    expect(e.message).toContain('2025-07-04 is a holiday on XNYS (Independence Day)');
    expect(bad({ XNYS: {}, us_equities: {} }).problems.map((p) => p.path)).toEqual(['calendars.us_equities']);
    expect(bad({ XLON: {} }).message).toMatch(/calendars/);
  });
});


describe('README "Trading hours and the pattern day trader rule": its example', () => {
  it('parses, and its calendars close 2025-01-09 and 2018-12-05 and end 2025-12-26 at 13:00 on the venues with a calendar (the alpaca one by default)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Trading hours and the pattern day trader rule'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const text = `node: { id: readme-hours, mode: paper, journal: { sqlite: ./journal.sqlite } }\n${block!}`;
    const { config: c } = parseNodeConfig(text, { checkFiles: false, env: { APCA_API_KEY_ID: 'k', APCA_API_SECRET_KEY: 's' } });
    const venues = complianceOf(c)!.config.venues;
    expect(Object.entries(venues).flatMap(([n, v]) => (v.calendar === undefined ? [] : [n]))).toEqual(['US', 'ALPACA']);
    const cal = venues.ALPACA!.calendar!;
    expect(sessionAt(cal, Date.parse('2025-01-09T15:00:00Z')).reason).toBe('closed: holiday (National Day of Mourning for President Carter)');
    expect(sessionAt(cal, Date.parse('2018-12-05T15:00:00Z')).reason).toBe('closed: holiday (unscheduled closure)');
    expect(sessionAt(cal, Date.parse('2025-12-26T17:59:00Z'))).toMatchObject({ open: true, kind: 'REGULAR' });
    expect(sessionAt(cal, Date.parse('2025-12-26T18:00:00Z'))).toMatchObject({ open: false, kind: 'POST', reason: 'after-hours (13:00–17:00) (unscheduled early close at 13:00)' });
    expect(sessionAt(cal, Date.parse('2025-12-26T22:00:00Z')).kind).toBe('CLOSED');
    // The published calendar alone has neither: the package lacks both closures and the early close.
    expect(sessionAt('XNYS', Date.parse('2025-01-09T15:00:00Z')).open).toBe(true);
    expect(sessionAt('XNYS', Date.parse('2025-12-26T18:00:00Z')).open).toBe(true);
  });
});
