import { RSI } from 'trading-signals';
import type { RegisteredStrategy, Strategy, StrategyContext } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { priceUnits, signWithin } from './exact.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, type ParamDoc } from './common.ts';

export interface RsiMomentumParams {
  /** RSI length in bars (Wilder smoothing). Default 14. */
  readonly period: number;
  /** Enter when RSI is above this level, in (0, 100). Default 60. */
  readonly entry: number;
  /** Exit when RSI is below this level, in (0, entry]. Default 50. */
  readonly exit: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const RSI_MOMENTUM_DEFAULTS: RsiMomentumParams = { period: 14, entry: 60, exit: 50, fraction: 0.95 };

const NAME = 'rsi-momentum';

/**
 * `rsi-momentum`, long only (momentum, not mean reversion: strength is bought), per instrument,
 * at the close of bar t, with RSI_t trading-signals' RSI(period): average gain and average loss of
 * close-to-close changes, each smoothed by Wilder's average (the first value the mean of the first
 * `period` changes, then avg_t = avg_{t−1} + (x_t − avg_{t−1}) / period), RSI = 100 − 100/(1 + gain/loss)
 * (100 when the average loss is 0); the first RSI is at bar index `period` (0-based):
 * - RSI_t > entry and flat (no position, no working order): buy floor-to-lot(fraction × equity_t ÷ close_t);
 * - RSI_t < exit and long: sell all of it.
 * Ties: an RSI within 1e-7 points of a level (FLOAT_TIE × 100, exact.ts) is AT the level, which
 * neither enters (> entry) nor exits (< exit). Wilder's average has no exact value in bounded
 * digits (its denominator grows by a factor of `period` each bar). The RSI is fed the closes in
 * price units (10^-pricePrecision, integers; the RSI does not depend on the scale), so every gain
 * and loss is exact and only the averaging rounds (~1e-14 relative; float prices gave RSI
 * 60.00000000002 where the exact value is 60); the tolerance is far above that rounding and far
 * below any RSI move a price tick makes.
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's.
 */
export class RsiMomentum implements Strategy {
  readonly name: string;
  private readonly rsi = new Map<string, { rsi: RSI; precision: number }>();

  constructor(
    readonly params: RsiMomentumParams = RSI_MOMENTUM_DEFAULTS,
    name = NAME,
  ) {
    const { period, entry, exit, fraction } = params;
    requireInt(NAME, 'period', period, 2);
    if (!(entry > 0 && entry < 100)) throw invalidParam(NAME, 'entry', `must be in (0, 100), got ${entry}`);
    if (!(exit > 0 && exit <= entry)) throw invalidParam(NAME, 'exit', `must be in (0, entry (${entry})], got ${exit}`);
    requireFraction(NAME, fraction);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    let s = this.rsi.get(bar.instrumentId);
    if (!s) this.rsi.set(bar.instrumentId, (s = { rsi: new RSI(this.params.period), precision: ctx.instrument(bar.instrumentId).pricePrecision }));
    // Fed the close in price units (RSI does not depend on the scale): every change is then an exact integer.
    const v = s.rsi.add(Number(priceUnits(bar.close, s.precision)));
    if (v === null) return;
    if (signWithin(v - this.params.entry, 100) > 0 && isFlat(ctx, bar.instrumentId)) return enterLong(ctx, bar.instrumentId, this.params.fraction, Number(bar.close));
    if (signWithin(v - this.params.exit, 100) < 0 && holdsLong(ctx, bar.instrumentId)) return exitLong(ctx, bar.instrumentId);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof RsiMomentumParams })[] = [
  { name: 'period', default: '14', doc: 'RSI length (bars), ≥ 2' },
  { name: 'entry', default: '60', doc: 'buy when RSI > entry, in (0, 100)' },
  { name: 'exit', default: '50', doc: 'sell when RSI < exit, in (0, entry]' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const rsiMomentumFactory: RegisteredStrategy = {
  name: NAME,
  family: 'trend following',
  description: 'long-only RSI momentum: buy fraction × equity when RSI > entry while flat, sell all when RSI < exit',
  params: PARAMS,
  create(params) {
    return new RsiMomentum(parseNumericParams(NAME, PARAMS, params));
  },
};
