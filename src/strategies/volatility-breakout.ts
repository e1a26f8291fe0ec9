import { ATR } from 'trading-signals';
import type { RegisteredStrategy, Strategy, StrategyContext } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { cmpScaled, priceUnits, signWithin, WindowSum, type Units } from './exact.ts';
import { enterLong, exitLong, holdsLong, isFlat, parseNumericParams, requireFraction, requireInt, requirePositive, type ParamDoc } from './common.ts';

export interface VolatilityBreakoutParams {
  /** ATR and middle-band (SMA) length in bars. Default 14. */
  readonly period: number;
  /** Band width and trailing-stop distance in ATRs, > 0. Default 2. */
  readonly k: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const VOLATILITY_BREAKOUT_DEFAULTS: VolatilityBreakoutParams = { period: 14, k: 2, fraction: 0.95 };

const NAME = 'volatility-breakout';

interface State {
  atr: ATR;
  /** The last `period` closes in price units; the middle band is their mean. */
  closes: WindowSum;
  precision: number;
  prevClose: number | undefined;
  prevAtr: number | null;
  /** Σ of the closes up to t−1 (n·middle_{t−1}), once there are `period` of them. */
  prevSum: Units | null;
  /** Highest close since the entry signal bar (inclusive), while in a trade. */
  peak: number | undefined;
}

/**
 * `volatility-breakout` (ATR bands), long only, per instrument. The bands used at bar t are drawn
 * at the close of bar t−1 (so bar t's own range never widens the band it must break):
 * ATR_{t−1} is trading-signals' ATR(period) (true range max(high−low, |high−close_prev|,
 * |low−close_prev|), the first bar's high−low; Wilder-smoothed, first value the mean of the first
 * `period` true ranges, at bar index period−1), middle_{t−1} = SMA(period) of closes up to t−1.
 * At the close of bar t:
 * - flat (no position, no working order) and close_t > close_{t−1} + k × ATR_{t−1}: buy
 *   floor-to-lot(fraction × equity_t ÷ close_t); the trade's peak starts at close_t;
 * - long, with peak = the highest close from the entry signal bar through t−1 and
 *   stop_t = peak − k × ATR_{t−1} (a trailing ATR stop that only rises with the peak for a given
 *   ATR): if close_t < middle_{t−1} or close_t < stop_t, sell all of it; otherwise the peak takes
 *   close_t into account.
 * Exactness and ties: close_t < middle_{t−1} is exact on the price grid (period × close_t < the sum
 * of the closes in price units, integers); a close exactly AT the middle does not exit. The ATR is
 * Wilder's average, which has no exact value in bounded digits (its denominator grows by a factor
 * of `period` each bar), so the two ATR comparisons read a difference within 1e-9 × close_t
 * (FLOAT_TIE, exact.ts) as a tie: a close ON the breakout band does not enter, a close ON the
 * trailing stop does not exit. Float rounding of the ATR is ~1e-14 relative, far below that; a
 * tick is far above it.
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's. The first
 * possible entry is at bar index `period` (it needs ATR and SMA at t−1).
 */
export class VolatilityBreakout implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, State>();

  constructor(
    readonly params: VolatilityBreakoutParams = VOLATILITY_BREAKOUT_DEFAULTS,
    name = NAME,
  ) {
    requireInt(NAME, 'period', params.period, 1);
    requirePositive(NAME, 'k', params.k);
    requireFraction(NAME, params.fraction);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const id = bar.instrumentId;
    let s = this.state.get(id);
    if (!s) {
      const n = this.params.period;
      s = { atr: new ATR(n), closes: new WindowSum(n), precision: ctx.instrument(id).pricePrecision, prevClose: undefined, prevAtr: null, prevSum: null, peak: undefined };
      this.state.set(id, s);
    }
    const close = Number(bar.close);
    const units = priceUnits(bar.close, s.precision);
    const atr = s.atr.add({ high: Number(bar.high), low: Number(bar.low), close });
    s.closes.add(units);
    const { prevClose, prevAtr, prevSum } = s;
    s.prevClose = close;
    s.prevAtr = atr;
    s.prevSum = s.closes.full ? s.closes.sum : null;
    if (prevClose === undefined || prevAtr === null || prevSum === null) return;
    const k = this.params.k;
    if (holdsLong(ctx, id)) {
      const peak = s.peak ?? close;
      const belowMiddle = cmpScaled(units, this.params.period, prevSum, 1) < 0;
      if (belowMiddle || signWithin(close - (peak - k * prevAtr), close) < 0) {
        s.peak = undefined;
        return exitLong(ctx, id);
      }
      s.peak = Math.max(peak, close);
      return;
    }
    if (signWithin(close - (prevClose + k * prevAtr), close) > 0 && isFlat(ctx, id)) {
      s.peak = close;
      return enterLong(ctx, id, this.params.fraction, close);
    }
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof VolatilityBreakoutParams })[] = [
  { name: 'period', default: '14', doc: 'ATR and middle-band SMA length (bars)' },
  { name: 'k', default: '2', doc: 'breakout band width and trailing-stop distance, in ATRs, > 0' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const volatilityBreakoutFactory: RegisteredStrategy = {
  name: NAME,
  family: 'volatility',
  description: 'long-only ATR breakout: buy fraction × equity on a close above the previous close + k × ATR, exit below the SMA or a k × ATR trailing stop',
  params: PARAMS,
  create(params) {
    return new VolatilityBreakout(parseNumericParams(NAME, PARAMS, params));
  },
};
