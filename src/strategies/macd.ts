import { EMA, MACD } from 'trading-signals';
import type { RegisteredStrategy, Strategy, StrategyContext } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { signWithin } from './exact.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, type ParamDoc } from './common.ts';

export interface MacdParams {
  /** Fast EMA length in bars. Default 12. */
  readonly fast: number;
  /** Slow EMA length in bars (> fast). Default 26. */
  readonly slow: number;
  /** Signal EMA length (of the MACD line) in bars. Default 9. */
  readonly signal: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const MACD_DEFAULTS: MacdParams = { fast: 12, slow: 26, signal: 9, fraction: 0.95 };

const NAME = 'macd';

/**
 * `macd`, long only, per instrument, at the close of bar t (trading-signals' MACD with EMAs):
 * - EMA(n) is seeded with the first close and then EMA_t = close_t × 2/(n+1) + EMA_{t−1} × (1 − 2/(n+1));
 * - MACD_t = EMA(fast)_t − EMA(slow)_t, defined from bar index slow−1 (0-based);
 * - signal_t = EMA(signal) of the MACD line, seeded with its first value; it is used once it has
 *   `signal` values (from bar index slow+signal−2), and h_t = MACD_t − signal_t;
 * - d_t = the sign of h_t, with |h_t| ≤ 1e-9 × close_t read as 0 (FLOAT_TIE in exact.ts): an EMA
 *   has no exact value in bounded digits (its denominator grows by (n+1)/2 each bar), and float
 *   EMAs of equal inputs are not always equal (a run of equal closes gives h = ±1e-13 noise
 *   instead of 0), so a tie is "within a billionth of the price", far above the rounding and far
 *   below a tick;
 * - crosses ABOVE (d_t > 0 and d_{t−1} ≤ 0) and flat (no position, no working order): buy
 *   floor-to-lot(fraction × equity_t ÷ close_t);
 * - crosses BELOW (d_t < 0 and d_{t−1} ≥ 0) and long: sell all of it.
 * Ties: d_t = 0 is no signal at t, and counts as "not above" and "not below" for the next bar
 * (equal closes, then a higher one, is a cross above at the higher one).
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's. The first
 * possible signal is at bar index slow+signal−1 (it needs h at t−1 and t).
 */
export class MacdStrategy implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, { macd: MACD; prev: number | undefined }>();

  constructor(
    readonly params: MacdParams = MACD_DEFAULTS,
    name = NAME,
  ) {
    const { fast, slow, signal, fraction } = params;
    requireInt(NAME, 'fast', fast, 1);
    if (!Number.isInteger(slow) || slow <= fast) throw invalidParam(NAME, 'slow', `must be a whole number > fast (${fast}), got ${slow}`);
    requireInt(NAME, 'signal', signal, 1);
    requireFraction(NAME, fraction);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    let s = this.state.get(bar.instrumentId);
    if (!s) {
      const p = this.params;
      s = { macd: new MACD(new EMA(p.fast), new EMA(p.slow), new EMA(p.signal)), prev: undefined };
      this.state.set(bar.instrumentId, s);
    }
    const close = Number(bar.close);
    const r = s.macd.add(close);
    if (r === null || !s.macd.signal.isStable) return;
    const h = signWithin(r.macd - r.signal, close);
    const prev = s.prev;
    s.prev = h;
    if (prev === undefined) return;
    if (h > 0 && prev <= 0 && isFlat(ctx, bar.instrumentId)) return enterLong(ctx, bar.instrumentId, this.params.fraction, close);
    if (h < 0 && prev >= 0 && holdsLong(ctx, bar.instrumentId)) return exitLong(ctx, bar.instrumentId);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof MacdParams })[] = [
  { name: 'fast', default: '12', doc: 'fast EMA length (bars)' },
  { name: 'slow', default: '26', doc: 'slow EMA length (bars), > fast' },
  { name: 'signal', default: '9', doc: 'signal EMA length (bars) of the MACD line' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const macdFactory: RegisteredStrategy = {
  name: NAME,
  family: 'trend following',
  description: 'long-only MACD: buy fraction × equity when MACD crosses above its signal line while flat, sell all when it crosses below',
  params: PARAMS,
  create(params) {
    return new MacdStrategy(parseNumericParams(NAME, PARAMS, params));
  },
};
