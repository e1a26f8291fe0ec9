import type { RegisteredStrategy, Strategy, StrategyContext } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { cmpScaled, priceUnits, ratio, WindowSum, type Units } from './exact.ts';
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
 * `bollinger-reversion`, long only, per instrument, at the close of bar t, with Bollinger bands
 * (period, k) over the last `period` closes including close_t: middle_t = their mean,
 * σ_t = their population standard deviation (÷ period), lower_t = middle_t − k × σ_t (first at bar
 * index period−1, 0-based):
 * - close_t < lower_t and flat (no position, no working order): buy floor-to-lot(fraction × equity_t ÷ close_t);
 * - close_t ≥ middle_t and long: sell all of it (exit at the middle band).
 * Exact, on the price grid: with x the closes in price units (10^-pricePrecision, integers),
 * n = period, S = Σx, Q = Σx², D = S − n·close and k = a/b as the decimal it is written as (2.1 is
 * 21/10), close ≥ middle ⇔ D ≤ 0, and close < lower ⇔ D > 0 and a²(nQ − S²) < b²D² (square both
 * sides of k·σ < middle − close; nQ − S² = n²σ² is an integer ≥ 0), all in integers, so no square
 * root is taken. Ties: a close exactly ON the lower band is not below it (no entry); a close exactly
 * AT the middle exits.
 * There is no stop: a position is held until the close comes back to the mean. Market orders,
 * filled at the open of bar t+1 plus slippage; fees are the instrument's.
 */
export class BollingerReversion implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, { sum: WindowSum; squares: WindowSum; precision: number }>();
  private readonly k: { readonly num: bigint; readonly den: bigint };

  constructor(
    readonly params: BollingerReversionParams = BOLLINGER_REVERSION_DEFAULTS,
    name = NAME,
  ) {
    requireInt(NAME, 'period', params.period, 2);
    requirePositive(NAME, 'k', params.k);
    requireFraction(NAME, params.fraction);
    this.k = ratio(params.k);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const id = bar.instrumentId;
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { sum: new WindowSum(this.params.period), squares: new WindowSum(this.params.period), precision: ctx.instrument(id).pricePrecision }));
    const u = priceUnits(bar.close, s.precision);
    s.sum.add(u);
    s.squares.add(square(u));
    if (!s.sum.full) return;
    const n = this.params.period;
    // sign(close − middle) = sign(n·close − S).
    const vsMiddle = cmpScaled(u, n, s.sum.sum, 1);
    if (vsMiddle >= 0) return holdsLong(ctx, id) ? exitLong(ctx, id) : undefined;
    if (!this.belowLower(u, s.sum.sum, s.squares.sum) || !isFlat(ctx, id)) return;
    return enterLong(ctx, id, this.params.fraction, Number(bar.close));
  }

  /** close < middle − kσ, given close < middle: a²(nQ − S²) < b²D², D = S − n·close > 0. */
  private belowLower(close: Units, sum: Units, squares: Units): boolean {
    const n = BigInt(this.params.period);
    const S = BigInt(sum);
    const D = S - n * BigInt(close);
    const { num, den } = this.k;
    return num * num * (n * BigInt(squares) - S * S) < den * den * D * D;
  }
}

function square(u: Units): Units {
  if (typeof u === 'number') {
    const q = u * u;
    if (Number.isSafeInteger(q)) return q;
  }
  const b = BigInt(u);
  return b * b;
}

const PARAMS: readonly (ParamDoc & { name: keyof BollingerReversionParams })[] = [
  { name: 'period', default: '20', doc: 'band length (bars), ≥ 2' },
  { name: 'k', default: '2', doc: 'band width in standard deviations, > 0' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const bollingerReversionFactory: RegisteredStrategy = {
  name: NAME,
  family: 'mean reversion',
  description: 'long-only Bollinger mean reversion: buy fraction × equity on a close below the lower band while flat, sell all at the middle band',
  params: PARAMS,
  create(params) {
    return new BollingerReversion(parseNumericParams(NAME, PARAMS, params));
  },
};
