import { getAverage, getStandardDeviation } from 'trading-signals';
import type { RegisteredStrategy, Strategy, StrategyContext } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { priceUnits, ratio, type Units } from './exact.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, PairedCloses, parseNumericParams, requireFraction, requireInt, requirePositive, type ParamDoc } from './common.ts';

export interface PairsParams {
  /** Bars in the rolling OLS and z-score window. Default 60. */
  readonly lookback: number;
  /** Enter when |z| > entry, > 0. Default 2. */
  readonly entry: number;
  /** Leave when z comes back within ±exit, in [0, entry). Default 0.5. */
  readonly exit: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const PAIRS_DEFAULTS: PairsParams = { lookback: 60, entry: 2, exit: 0.5, fraction: 0.95 };

const NAME = 'pairs';

/** The rolling regression at one bar: hedge ratio, intercept and the last spread's z-score. */
export interface PairsStat {
  readonly beta: number;
  readonly alpha: number;
  readonly z: number;
}

/**
 * Rolling OLS of y on x over the window and the z-score of the last residual:
 * β = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², α = ȳ − β x̄, spread_i = y_i − α − β x_i,
 * z = (spread_last − mean(spread)) / σ(spread), σ the population standard deviation (÷ n).
 * Undefined (null) when x or the spread does not vary over the window. Two-series OLS is not in
 * trading-signals (its LinearRegression regresses on time), so it is written here; the means and
 * σ are trading-signals' getAverage and getStandardDeviation.
 */
export function pairsStat(ys: number[], xs: number[]): PairsStat | null {
  const my = getAverage(ys);
  const mx = getAverage(xs);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (ys[i]! - my);
  }
  if (sxx === 0) return null;
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  const spread = ys.map((y, i) => y - alpha - beta * xs[i]!);
  const mean = getAverage(spread);
  const sd = getStandardDeviation(spread, mean);
  if (!(sd > 0)) return null;
  return { beta, alpha, z: (spread[spread.length - 1]! - mean) / sd };
}

/**
 * `pairs`: statistical arbitrage on the spread between two instruments, Y = the run's first data
 * source and X = its second (e.g. BTCUSDT and BTCUSDC), evaluated at each bar time t at which both
 * have a bar (after the second of the two bars of t). Over the last `lookback` such times
 * (including t), the hedge ratio β and intercept α come from a rolling OLS of Y's closes on X's
 * and z_t is the z-score of the spread Y − α − βX (see pairsStat). z < 0: Y is cheap relative to X.
 *
 * Shorting: the backtest runner opens a CASH account (no MARGIN accounts), and spot cannot be sold
 * short from a cash account, so each side of the spread trades only its LONG leg:
 * - flat in both (no position and no working order in either) and z_t < −entry ("long the
 *   spread": buy Y, short β·X): buy floor-to-lot(fraction × equity_t ÷ closeY_t) of Y; the short
 *   X leg is left out;
 * - flat in both and z_t > entry ("short the spread": short Y, buy β·X): buy
 *   floor-to-lot(fraction × equity_t ÷ closeX_t) of X; the short Y leg is left out;
 * - long Y and z_t ≥ −exit: sell all of Y; long X and z_t ≤ exit: sell all of X.
 * Exact: the comparisons of z with ±entry and ±exit are made on the price grid, in integers. With
 * the window's closes in price units (10^-pricePrecision of each instrument), n points, S the sums
 * and Sxx' = nΣx² − (Σx)², Syy' = nΣy² − (Σy)², Sxy' = nΣxy − ΣxΣy, Q = Syy'·Sxx' − Sxy'² and
 * N = Sxx'(n·y_t − Σy) − Sxy'(n·x_t − Σx), the z-score above is exactly z = N / √(Sxx'·Q) (the OLS
 * residuals have mean 0), so z > r ⇔ N > 0 and N² > r²·Sxx'·Q, with r the parameter as the decimal
 * it is written as: no square root, no rounding. z is undefined (no decision) when Sxx' = 0 or
 * Q = 0. Ties: z exactly ±entry does not enter (the entry is strict); z exactly ±exit exits.
 * So β decides the signal, not the leg sizes, and a position carries the market's direction as
 * well as the spread. Market orders, filled at the open of each leg's next bar plus slippage;
 * fees are the instruments'. The run's instruments must settle in one currency (the runner's
 * rule), so USDC is taken at par with USDT: on the CLI name the USDC file as a USDT symbol on
 * another venue (`--data …BTCUSDC….csv@BTCUSDT.USDCBOOK`); in code give it a USDT quote.
 */
export class Pairs implements Strategy {
  readonly name: string;
  private readonly legs = new PairedCloses();
  private readonly ys: number[] = [];
  private readonly xs: number[] = [];
  private readonly window = new ExactPairWindow();
  private precisionY = 0;
  private precisionX = 0;
  /** The last close of each leg in its price units. */
  private lastY: Units = 0;
  private lastX: Units = 0;
  /** entry and exit as the decimals they are written as. */
  private readonly entry: { readonly num: bigint; readonly den: bigint };
  private readonly exit: { readonly num: bigint; readonly den: bigint };
  /** The last statistic computed, in floats (for inspection; the decisions use the exact z). */
  last: PairsStat | null = null;

  constructor(
    readonly params: PairsParams = PAIRS_DEFAULTS,
    name = NAME,
  ) {
    const { lookback, entry, exit, fraction } = params;
    requireInt(NAME, 'lookback', lookback, 3);
    requirePositive(NAME, 'entry', entry);
    if (!(exit >= 0 && exit < entry)) throw invalidParam(NAME, 'exit', `must be in [0, entry (${entry})), got ${exit}`);
    requireFraction(NAME, fraction);
    this.entry = ratio(entry);
    this.exit = ratio(exit);
    this.name = name;
  }

  onStart(ctx: StrategyContext): void {
    this.legs.start(NAME, ctx);
    this.precisionY = ctx.instrument(this.legs.a).pricePrecision;
    this.precisionX = ctx.instrument(this.legs.b).pricePrecision;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const legs = this.legs;
    if (bar.instrumentId === legs.a) this.lastY = priceUnits(bar.close, this.precisionY);
    else if (bar.instrumentId === legs.b) this.lastX = priceUnits(bar.close, this.precisionX);
    if (!legs.update(bar.instrumentId, bar.ts, Number(bar.close))) return;
    this.ys.push(legs.closeA);
    this.xs.push(legs.closeB);
    this.window.push(BigInt(this.lastY), BigInt(this.lastX), this.params.lookback);
    if (this.ys.length > this.params.lookback) {
      this.ys.shift();
      this.xs.shift();
    }
    if (this.ys.length < this.params.lookback) return;
    this.last = pairsStat(this.ys, this.xs);
    const z = this.window.z();
    if (z === null) return;
    const { fraction } = this.params;
    const { entry, exit } = this;
    const y = legs.a;
    const x = legs.b;
    if (holdsLong(ctx, y)) return zVersus(z, exit, -1) >= 0 ? exitLong(ctx, y) : undefined; // z ≥ −exit
    if (holdsLong(ctx, x)) return zVersus(z, exit, 1) <= 0 ? exitLong(ctx, x) : undefined; // z ≤ exit
    if (!isFlat(ctx, y) || !isFlat(ctx, x)) return;
    if (zVersus(z, entry, -1) < 0) return enterLong(ctx, y, fraction, legs.closeA); // z < −entry
    if (zVersus(z, entry, 1) > 0) return enterLong(ctx, x, fraction, legs.closeB); // z > entry
  }
}

/** z = N / √M exactly (M > 0). */
interface ExactZ {
  readonly n: bigint;
  readonly m: bigint;
}

/** sign(z − sign·r) for a level r = num/den ≥ 0: compares squares, so no root is taken. */
function zVersus(z: ExactZ, r: { readonly num: bigint; readonly den: bigint }, sign: 1 | -1): -1 | 0 | 1 {
  // z + r = −((−z) − r): reduce −r to the +r case on −N.
  const n = sign === 1 ? z.n : -z.n;
  let s: -1 | 0 | 1;
  if (n <= 0n) s = r.num === 0n ? (n < 0n ? -1 : 0) : -1;
  else {
    const l = n * n * r.den * r.den;
    const q = r.num * r.num * z.m;
    s = l > q ? 1 : l < q ? -1 : 0;
  }
  return sign === 1 ? s : ((-s) as -1 | 0 | 1);
}

/** The rolling window of paired closes in price units, with the exact sums the z-score needs. */
class ExactPairWindow {
  private readonly ys: bigint[] = [];
  private readonly xs: bigint[] = [];
  private sy = 0n;
  private sx = 0n;
  private syy = 0n;
  private sxx = 0n;
  private sxy = 0n;

  push(y: bigint, x: bigint, length: number): void {
    this.ys.push(y);
    this.xs.push(x);
    this.add(y, x, 1n);
    if (this.ys.length > length) this.add(this.ys.shift()!, this.xs.shift()!, -1n);
  }

  private add(y: bigint, x: bigint, w: bigint): void {
    this.sy += w * y;
    this.sx += w * x;
    this.syy += w * y * y;
    this.sxx += w * x * x;
    this.sxy += w * x * y;
  }

  /** The last point's z-score as N / √M (see Pairs), or null when x or the spread does not vary. */
  z(): ExactZ | null {
    const n = BigInt(this.ys.length);
    const sxx = n * this.sxx - this.sx * this.sx;
    if (sxx === 0n) return null;
    const sxy = n * this.sxy - this.sx * this.sy;
    const q = (n * this.syy - this.sy * this.sy) * sxx - sxy * sxy;
    if (q === 0n) return null;
    const y = this.ys[this.ys.length - 1]!;
    const x = this.xs[this.xs.length - 1]!;
    return { n: sxx * (n * y - this.sy) - sxy * (n * x - this.sx), m: sxx * q };
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof PairsParams })[] = [
  { name: 'lookback', default: '60', doc: 'rolling OLS and z-score window (bar times with both instruments), ≥ 3' },
  { name: 'entry', default: '2', doc: 'enter when |z| > entry, > 0' },
  { name: 'exit', default: '0.5', doc: 'exit when z is back within ±exit, in [0, entry)' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const pairsFactory: RegisteredStrategy = {
  name: NAME,
  family: 'mean reversion',
  description: 'pairs z-score on a rolling-OLS spread of data 1 on data 2; long-only legs (cash account): buy the cheap leg when |z| > entry, sell when |z| ≤ exit',
  params: PARAMS,
  create(params) {
    return new Pairs(parseNumericParams(NAME, PARAMS, params));
  },
};
