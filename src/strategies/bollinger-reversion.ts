import { BollingerBands } from 'trading-signals';
import type { Strategy, StrategyContext, StrategyFactory } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { enterLong, exitLong, holdsLong, isFlat, parseNumericParams, requireFraction, requireInt, requirePositive, type ParamDoc } from './common.ts';

export interface BollingerReversionParams {
  /** Band length in bars. Default 20. */
  readonly period: number;
  /** Band width in standard deviations, > 0. Default 2. */
  readonly k: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const BOLLINGER_REVERSION_DEFAULTS: BollingerReversionParams = { period: 20, k: 2, fraction: 0.95 };

const NAME = 'bollinger-reversion';

/**
 * `bollinger-reversion`, long only, per instrument, at the close of bar t, with trading-signals'
 * BollingerBands(period, k) over the last `period` closes including close_t: middle_t = their mean,
 * σ_t = their population standard deviation (÷ period), lower_t = middle_t − k × σ_t (first at bar
 * index period−1, 0-based):
 * - close_t < lower_t and flat (no position, no working order): buy floor-to-lot(fraction × equity_t ÷ close_t);
 * - close_t ≥ middle_t and long: sell all of it (exit at the middle band).
 * There is no stop: a position is held until the close comes back to the mean. Market orders,
 * filled at the open of bar t+1 plus slippage; fees are the instrument's.
 */
export class BollingerReversion implements Strategy {
  readonly name: string;
  private readonly bands = new Map<string, BollingerBands>();

  constructor(
    readonly params: BollingerReversionParams = BOLLINGER_REVERSION_DEFAULTS,
    name = NAME,
  ) {
    requireInt(NAME, 'period', params.period, 2);
    requirePositive(NAME, 'k', params.k);
    requireFraction(NAME, params.fraction);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    let bb = this.bands.get(bar.instrumentId);
    if (!bb) this.bands.set(bar.instrumentId, (bb = new BollingerBands(this.params.period, this.params.k)));
    const close = Number(bar.close);
    const b = bb.add(close);
    if (b === null) return;
    if (close < b.lower && isFlat(ctx, bar.instrumentId)) return enterLong(ctx, bar.instrumentId, this.params.fraction, close);
    if (close >= b.middle && holdsLong(ctx, bar.instrumentId)) return exitLong(ctx, bar.instrumentId);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof BollingerReversionParams })[] = [
  { name: 'period', default: '20', doc: 'band length (bars), ≥ 2' },
  { name: 'k', default: '2', doc: 'band width in standard deviations, > 0' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const bollingerReversionFactory: StrategyFactory = {
  name: NAME,
  description: 'long-only Bollinger mean reversion: buy fraction × equity on a close below the lower band while flat, sell all at the middle band',
  params: PARAMS,
  create(params) {
    return new BollingerReversion(parseNumericParams(NAME, PARAMS, params));
  },
};
