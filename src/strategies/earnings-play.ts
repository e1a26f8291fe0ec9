import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, requirePositive, type ParamDoc } from './common.ts';
import { readEventCalendar, utcDay, type CalendarEvent } from './event-calendar.ts';
import { compareStat, logReturns, realisedVol } from './stats.ts';

export interface EarningsPlayParams {
  /** Enter from this many calendar days before the event, ≥ 1. Default 5. */
  readonly before: number;
  /** Exit at the first close this many calendar days after the event or later, ≥ 1. Default 1. */
  readonly after: number;
  /** Daily log returns in the volatility filter, ≥ 2. Default 20. */
  readonly volWindow: number;
  /** Enter only when the annualised realised volatility ≤ maxVol, > 0. Default 0.6. */
  readonly maxVol: number;
  /** Bars a year for annualising, > 0. Default 252. */
  readonly periodsPerYear: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const EARNINGS_PLAY_DEFAULTS: EarningsPlayParams = { before: 5, after: 1, volWindow: 20, maxVol: 0.6, periodsPerYear: 252, fraction: 0.95 };

const NAME = 'earnings-play';

/**
 * `earnings-play`: long into scheduled events (earnings announcements) from a user-supplied
 * calendar (event-calendar.ts: CSV `date,symbol`), per instrument; an instrument's symbol is its id
 * before the dot (NVDA.YAHOO → NVDA). Days are UTC calendar days of a bar's open time, compared as
 * whole numbers (exact). At the close of a bar on day d:
 * - long (an open position, no working order), entered for event day E: if d ≥ E + after, sell all
 *   of it (with after = 1 and an announcement after the close on E, the first close after the
 *   market's reaction);
 * - flat (no position, no working order), and an event E of the symbol with E − before ≤ d < E
 *   that has not been traded: if the annualised realised volatility of the last volWindow daily
 *   log returns (sample sd × √periodsPerYear, closes up to d) is ≤ maxVol — equality within the
 *   1e-9 tolerance of stats.ts passes — buy floor-to-lot(fraction × equity_d ÷ close_d) and mark E
 *   traded; otherwise wait (a later bar of the window may pass). Without volWindow returns yet,
 *   no entry.
 * Market orders, filled at the next bar's open plus slippage; fees are the instrument's. An event
 * whose window holds no bar (a holiday run) is simply missed.
 */
export class EarningsPlay implements Strategy {
  readonly name: string;
  private readonly closes = new Map<string, number[]>();
  private readonly traded = new Set<string>();
  private readonly enteredFor = new Map<string, number>();
  private readonly bySymbol = new Map<string, number[]>();

  constructor(
    readonly events: readonly CalendarEvent[],
    readonly params: EarningsPlayParams = EARNINGS_PLAY_DEFAULTS,
    name = NAME,
  ) {
    requireInt(NAME, 'before', params.before, 1);
    requireInt(NAME, 'after', params.after, 1);
    requireInt(NAME, 'volWindow', params.volWindow, 2);
    requirePositive(NAME, 'maxVol', params.maxVol);
    requirePositive(NAME, 'periodsPerYear', params.periodsPerYear);
    requireFraction(NAME, params.fraction);
    if (events.length === 0) throw invalidParam(NAME, 'calendar', 'has no events');
    for (const e of events) {
      const days = this.bySymbol.get(e.symbol) ?? [];
      days.push(e.day);
      this.bySymbol.set(e.symbol, days.sort((a, b) => a - b));
    }
    this.name = name;
  }

  /** The annualised realised volatility the filter reads for an instrument now (NaN before volWindow returns). */
  vol(instrumentId: string): number {
    const c = this.closes.get(instrumentId) ?? [];
    return c.length > this.params.volWindow ? realisedVol(logReturns(c), this.params.periodsPerYear) : Number.NaN;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const id = bar.instrumentId;
    const closes = this.closes.get(id) ?? [];
    const close = Number(bar.close);
    closes.push(close);
    if (closes.length > this.params.volWindow + 1) closes.shift();
    this.closes.set(id, closes);
    const d = utcDay(bar.ts);
    const { before, after, maxVol, fraction } = this.params;
    if (holdsLong(ctx, id)) {
      const e = this.enteredFor.get(id);
      return e !== undefined && d >= e + after ? exitLong(ctx, id) : undefined;
    }
    if (!isFlat(ctx, id)) return;
    const symbol = (id.split('.')[0] ?? id).toUpperCase();
    const event = this.bySymbol.get(symbol)?.find((e) => e - before <= d && d < e && !this.traded.has(`${id}@${e}`));
    if (event === undefined) return;
    const vol = this.vol(id);
    if (Number.isNaN(vol) || compareStat(vol, maxVol) > 0) return;
    this.traded.add(`${id}@${event}`);
    this.enteredFor.set(id, event);
    return enterLong(ctx, id, fraction, close);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof EarningsPlayParams | 'calendar' })[] = [
  { name: 'calendar', default: '', doc: 'event calendar file: CSV with date (YYYY-MM-DD) and symbol columns (required)' },
  { name: 'before', default: '5', doc: 'enter from this many calendar days before the event, ≥ 1' },
  { name: 'after', default: '1', doc: 'exit at the first close ≥ this many calendar days after the event, ≥ 1' },
  { name: 'volWindow', default: '20', doc: 'daily log returns in the volatility filter, ≥ 2' },
  { name: 'maxVol', default: '0.6', doc: 'enter only when annualised realised volatility ≤ maxVol, > 0' },
  { name: 'periodsPerYear', default: '252', doc: 'bars a year for annualising the volatility, > 0' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

const DESCRIPTION = 'long into scheduled events from a calendar file: buy from `before` days ahead when realised volatility ≤ maxVol, sell `after` days past the event';

export const earningsPlayFactory: RegisteredStrategy = {
  name: NAME,
  family: 'event/sentiment',
  description: DESCRIPTION,
  params: PARAMS,
  create(params) {
    const { calendar = '', ...numeric } = params;
    const numericDocs = PARAMS.filter((p): p is ParamDoc & { name: keyof EarningsPlayParams } => p.name !== 'calendar');
    const parsed = parseNumericParams(NAME, numericDocs, numeric);
    if (calendar.trim() === '') throw invalidParam(NAME, 'calendar', 'is required: a CSV file with date and symbol columns');
    return new EarningsPlay(readEventCalendar(NAME, calendar), parsed);
  },
};
