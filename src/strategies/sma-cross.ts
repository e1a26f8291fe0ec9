import type { RegisteredStrategy, Strategy, StrategyContext } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { cmpScaled, priceUnits, WindowSum } from './exact.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, type ParamDoc } from './common.ts';

export interface SmaCrossParams {
  /** Fast SMA length in bars. Default 10. */
  readonly fast: number;
  /** Slow SMA length in bars (> fast). Default 30. */
  readonly slow: number;
  /** Share of equity to put in on entry, in (0, 1]. Default 0.95 (room for fees and slippage). */
  readonly fraction: number;
}

export const SMA_CROSS_DEFAULTS: SmaCrossParams = { fast: 10, slow: 30, fraction: 0.95 };

const NAME = 'sma-cross';

/**
 * `sma-cross`, long only. At the close of bar t (per instrument), with SMA(n) the arithmetic mean
 * of the last n closes, compared exactly: d_t = sign(SMA(fast)_t − SMA(slow)_t) is the sign of
 * slow × Σ_fast − fast × Σ_slow over the closes in price units (10^-pricePrecision, integers), so
 * two equal means give d_t = 0 exactly (floats read one such tie as −3.6e-12, a cross below):
 * - it crosses ABOVE when d_t > 0 and d_{t-1} ≤ 0;
 *   if we are flat (no position and no working order), buy
 *   quantity = floor to the lot step of (fraction × equity_t ÷ close_t), computed in float64 in
 *   that order, where equity_t is the account equity at the close of t (cash when flat);
 * - it crosses BELOW when d_t < 0 and d_{t-1} ≥ 0;
 *   if we hold a position, sell all of it.
 * Ties: d_t = 0 is no signal at t; a tie is "not above" for the next bar's cross above and "not
 * below" for its cross below (above → equal → above is a cross above at the last bar; above →
 * equal → below is a cross below at the last bar).
 * Both are market orders: the simulated exchange fills them at the open of bar t+1 plus the
 * slippage model; fees are the instrument's (basis points of notional with --fee-bps).
 * A cross needs both SMAs at t−1 and t, so the first possible signal is at bar index `slow`
 * (0-based). A buy that floors to zero (equity too small) is skipped.
 */
export class SmaCross implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, { fast: WindowSum; slow: WindowSum; precision: number; prevDiff: number | undefined }>();

  constructor(
    readonly params: SmaCrossParams = SMA_CROSS_DEFAULTS,
    name = NAME,
  ) {
    const { fast, slow, fraction } = params;
    requireInt(NAME, 'fast', fast, 1);
    if (!Number.isInteger(slow) || slow <= fast) throw invalidParam(NAME, 'slow', `must be a whole number > fast (${fast}), got ${slow}`);
    requireFraction(NAME, fraction);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    let s = this.state.get(bar.instrumentId);
    if (!s) {
      const precision = ctx.instrument(bar.instrumentId).pricePrecision;
      this.state.set(bar.instrumentId, (s = { fast: new WindowSum(this.params.fast), slow: new WindowSum(this.params.slow), precision, prevDiff: undefined }));
    }
    const u = priceUnits(bar.close, s.precision);
    s.fast.add(u);
    s.slow.add(u);
    if (!s.slow.full) return;
    // sign(Σfast / fast − Σslow / slow), exactly.
    const diff = cmpScaled(s.fast.sum, this.params.slow, s.slow.sum, this.params.fast);
    const prev = s.prevDiff;
    s.prevDiff = diff;
    if (prev === undefined) return;
    const close = Number(bar.close);
    if (diff > 0 && prev <= 0) {
      if (!isFlat(ctx, bar.instrumentId)) return;
      return enterLong(ctx, bar.instrumentId, this.params.fraction, close);
    }
    if (diff < 0 && prev >= 0) {
      if (!holdsLong(ctx, bar.instrumentId)) return;
      return exitLong(ctx, bar.instrumentId);
    }
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof SmaCrossParams })[] = [
  { name: 'fast', default: '10', doc: 'fast SMA length (bars)' },
  { name: 'slow', default: '30', doc: 'slow SMA length (bars), > fast' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const smaCrossFactory: RegisteredStrategy = {
  name: NAME,
  family: 'trend following',
  description: 'long-only SMA crossover: buy fraction × equity on a golden cross when flat, sell all on a death cross',
  params: PARAMS,
  create: (params) => new SmaCross(parseNumericParams(NAME, PARAMS, params)),
};
