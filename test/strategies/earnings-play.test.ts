import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { EARNINGS_PLAY_DEFAULTS, EarningsPlay, earningsPlayFactory, type EarningsPlayParams } from '../../src/strategies/earnings-play.ts';
import { parseEventCalendar, readEventCalendar, type CalendarEvent } from '../../src/strategies/event-calendar.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { expectBadParam, units } from './helpers.ts';

const DATA = new URL('../../../shared/data/market/', import.meta.url).pathname;
const CALENDAR = new URL('../fixtures/earnings-nvda-orcl-2012-2014.csv', import.meta.url).pathname;
const FROM = Date.parse('2011-10-03T00:00:00Z');
const LEGS = { NVDA: { file: `${DATA}yahoo-NVDA-1d-1999_2014.csv`, id: 'NVDA.YAHOO' }, ORCL: { file: `${DATA}yahoo-ORCL-1d-1995_2014.csv`, id: 'ORCL.YAHOO' } };
const P: EarningsPlayParams = { ...EARNINGS_PLAY_DEFAULTS, maxVol: 0.3 };
/** Where the filter bites on each stock (ORCL is the quieter one). */
const MAX_VOL = { NVDA: 0.3, ORCL: 0.2 };
const DAY = 86_400_000;

interface Daily { ts: number; open: string; close: number }

function daily(file: string): Daily[] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => {
    const c = l.split(',');
    return { ts: Date.parse(`${c[0]!}T00:00:00Z`), open: c[1]!, close: Number(c[4]) };
  }).filter((b) => b.ts >= FROM);
}

/** Sample sd of the last n log returns × √252, written out by hand. */
function vol(closes: number[], t: number, n: number): number {
  if (t < n) return Number.NaN;
  const r: number[] = [];
  for (let i = t - n + 1; i <= t; i++) r.push(Math.log(closes[i]! / closes[i - 1]!));
  const m = r.reduce((s, v) => s + v, 0) / n;
  return Math.sqrt((r.reduce((s, v) => s + (v - m) * (v - m), 0) / (n - 1)) * 252);
}

interface Fill { time: number; side: 'BUY' | 'SELL'; qty: bigint; px: bigint; fee: bigint }

/**
 * The documented rule by hand: integer shares, prices and cash in 1e-6 USD, fill at the next
 * open, fee 10 bps of notional rounded half-up to 1e-6. Also returns the events skipped by the filter.
 */
function expected(bars: Daily[], days: number[], maxVol: number): { fills: Fill[]; filtered: number[] } {
  const closes = bars.map((b) => b.close);
  let cash = 100_000_000_000n;
  let qty = 0n;
  let event: number | undefined;
  const done = new Set<number>();
  const fills: Fill[] = [];
  const filtered = new Set<number>();
  const fee = (q: bigint, px: bigint): bigint => (q * px * 10n + 5000n) / 10000n;
  for (let t = 0; t + 1 < bars.length; t++) {
    const d = Math.floor(bars[t]!.ts / DAY);
    const px = units(bars[t + 1]!.open, 6);
    if (qty > 0n) {
      if (d >= event! + P.after) {
        const f = fee(qty, px);
        cash += qty * px - f;
        fills.push({ time: bars[t + 1]!.ts, side: 'SELL', qty, px, fee: f });
        qty = 0n;
      }
      continue;
    }
    const e = days.find((x) => x - P.before <= d && d < x && !done.has(x));
    if (e === undefined) continue;
    if (!(vol(closes, t, P.volWindow) <= maxVol)) {
      filtered.add(e);
      continue;
    }
    done.add(e);
    filtered.delete(e);
    event = e;
    qty = BigInt(Math.floor((P.fraction * (Number(cash) / 1e6)) / bars[t]!.close));
    const f = fee(qty, px);
    cash -= qty * px + f;
    fills.push({ time: bars[t + 1]!.ts, side: 'BUY', qty, px, fee: f });
  }
  return { fills, filtered: [...filtered] };
}

describe('earnings-play on real NVDA and ORCL daily bars around their 2012-2014 results announcements', () => {
  const events = readEventCalendar('earnings-play', CALENDAR);
  const run = (leg: { file: string; id: string }, maxVol: number) =>
    runBacktest({ sources: [{ instrument: instrumentSpecFor(leg.id, { feeBps: '10' }), bars: readCsvBars(leg.file, { instrumentId: instrumentId(leg.id) }) }], strategy: new EarningsPlay(events, { ...P, maxVol }), cash: '100000', from: FROM });

  for (const symbol of ['NVDA', 'ORCL'] as const) {
    it(`${symbol}: buys from 5 days before each announcement when 20-day realised vol ≤ ${MAX_VOL[symbol] * 100}%, sells at the first close a day after, fill by fill`, async () => {
      const leg = LEGS[symbol];
      const days = events.filter((e) => e.symbol === symbol).map((e) => e.day);
      const want = expected(daily(leg.file), days, MAX_VOL[symbol]);
      const r = await run(leg, MAX_VOL[symbol]);
      // The filter both lets trades through and holds some back on this data.
      expect(want.fills.length).toBeGreaterThanOrEqual(8);
      expect(want.filtered.length).toBeGreaterThan(0);
      expect(r.fills.map((f) => ({ time: f.time, side: f.side, qty: units(f.quantity, 0), px: units(f.price, 6), fee: units(f.fee, 6) }))).toEqual(want.fills);
      expect(r.trades).toHaveLength(want.fills.length / 2);
      // Each round trip straddles its announcement: bought before the event day, sold after it.
      for (let i = 0; i < want.fills.length; i += 2) {
        const inDay = Math.floor(want.fills[i]!.time / DAY);
        const outDay = Math.floor(want.fills[i + 1]!.time / DAY);
        expect(days.some((e) => inDay <= e && e < outDay)).toBe(true);
      }
    });
  }

  it('decides on whole UTC days: the first bar exactly `before` days ahead enters, the event day itself never does, a vol exactly at maxVol passes', async () => {
    const bars = daily(LEGS.NVDA.file);
    // 2013-11-07 (Thursday): 5 days before is 2013-11-02 (Saturday), so Monday 11-04 is the first bar in the window.
    const e = Date.UTC(2013, 10, 7) / DAY;
    const t = bars.findIndex((b) => b.ts === Date.UTC(2013, 10, 4));
    // maxVol set to exactly the vol the strategy will compute on that bar: equality passes.
    const exact = vol(bars.map((b) => b.close), t, 20);
    const s = new EarningsPlay([{ symbol: 'NVDA', day: e }], { ...P, maxVol: exact });
    const r = await runBacktest({ sources: [{ instrument: instrumentSpecFor(LEGS.NVDA.id), bars: readCsvBars(LEGS.NVDA.file, { instrumentId: instrumentId(LEGS.NVDA.id) }) }], strategy: s, cash: '100000', from: Date.UTC(2013, 8, 1), to: Date.UTC(2013, 11, 1) });
    expect(r.fills.map((f) => [new Date(f.time).toISOString().slice(0, 10), f.side])).toEqual([['2013-11-05', 'BUY'], ['2013-11-11', 'SELL']]);
    // A hair lower than that vol (beyond the 1e-9 tolerance) and the first bar is skipped; the filter is read again the next day.
    const s2 = new EarningsPlay([{ symbol: 'NVDA', day: e }], { ...P, maxVol: exact * (1 - 1e-6) });
    const r2 = await runBacktest({ sources: [{ instrument: instrumentSpecFor(LEGS.NVDA.id), bars: readCsvBars(LEGS.NVDA.file, { instrumentId: instrumentId(LEGS.NVDA.id) }) }], strategy: s2, cash: '100000', from: Date.UTC(2013, 8, 1), to: Date.UTC(2013, 11, 1) });
    expect(r2.fills[0]?.time ?? 0).toBeGreaterThan(Date.UTC(2013, 10, 5));
  });

  it('reads the calendar strictly: bad dates, missing columns and missing files are typed errors', () => {
    expect(parseEventCalendar('earnings-play', 'symbol,date\nnvda,2014-02-12\n')).toEqual([{ symbol: 'NVDA', day: Date.UTC(2014, 1, 12) / DAY }] satisfies CalendarEvent[]);
    expectBadParam(() => parseEventCalendar('earnings-play', 'date,symbol\n2014-02-30,NVDA\n'), 'calendar');
    expectBadParam(() => parseEventCalendar('earnings-play', 'date,ticker\n2014-02-12,NVDA\n'), 'calendar');
    expectBadParam(() => parseEventCalendar('earnings-play', '# nothing\n'), 'calendar');
    expectBadParam(() => earningsPlayFactory.create({}), 'calendar');
    expectBadParam(() => earningsPlayFactory.create({ calendar: '/nonexistent/calendar.csv' }), 'calendar');
  });

  it('is registered with its defaults and info, and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['earnings-play']).toBe(earningsPlayFactory);
    const s = earningsPlayFactory.create({ calendar: CALENDAR }) as EarningsPlay;
    expect(s.params).toEqual(EARNINGS_PLAY_DEFAULTS);
    expect(s.events).toHaveLength(22);
    expect(earningsPlayFactory.family).toBe('event/sentiment');
    expect(earningsPlayFactory.params.map((p) => p.name)).toEqual(['calendar', ...Object.keys(EARNINGS_PLAY_DEFAULTS)]);
    expectBadParam(() => earningsPlayFactory.create({ calendar: CALENDAR, before: '0' }), 'before');
    expectBadParam(() => earningsPlayFactory.create({ calendar: CALENDAR, after: '1.5' }), 'after');
    expectBadParam(() => earningsPlayFactory.create({ calendar: CALENDAR, volWindow: '1' }), 'volWindow');
    expectBadParam(() => earningsPlayFactory.create({ calendar: CALENDAR, maxVol: '0' }), 'maxVol');
    expectBadParam(() => earningsPlayFactory.create({ calendar: CALENDAR, fraction: '0' }), 'fraction');
    expectBadParam(() => earningsPlayFactory.create({ calendar: CALENDAR, hold: '3' }), 'hold');
  });
});
