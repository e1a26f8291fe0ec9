import { getAverage, getStandardDeviation } from 'trading-signals';
import type { Strategy, StrategyContext, StrategyFactory } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
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
  /** The last statistic computed (for inspection and tests). */
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
    this.name = name;
  }

  onStart(ctx: StrategyContext): void {
    this.legs.start(NAME, ctx);
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const legs = this.legs;
    if (!legs.update(bar.instrumentId, bar.ts, Number(bar.close))) return;
    this.ys.push(legs.closeA);
    this.xs.push(legs.closeB);
    if (this.ys.length > this.params.lookback) {
      this.ys.shift();
      this.xs.shift();
    }
    if (this.ys.length < this.params.lookback) return;
    const st = (this.last = pairsStat(this.ys, this.xs));
    if (st === null) return;
    const { entry, exit, fraction } = this.params;
    const y = legs.a;
    const x = legs.b;
    if (holdsLong(ctx, y)) return st.z >= -exit ? exitLong(ctx, y) : undefined;
    if (holdsLong(ctx, x)) return st.z <= exit ? exitLong(ctx, x) : undefined;
    if (!isFlat(ctx, y) || !isFlat(ctx, x)) return;
    if (st.z < -entry) return enterLong(ctx, y, fraction, legs.closeA);
    if (st.z > entry) return enterLong(ctx, x, fraction, legs.closeB);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof PairsParams })[] = [
  { name: 'lookback', default: '60', doc: 'rolling OLS and z-score window (bar times with both instruments), ≥ 3' },
  { name: 'entry', default: '2', doc: 'enter when |z| > entry, > 0' },
  { name: 'exit', default: '0.5', doc: 'exit when z is back within ±exit, in [0, entry)' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const pairsFactory: StrategyFactory = {
  name: NAME,
  description: 'pairs z-score on a rolling-OLS spread of data 1 on data 2; long-only legs (cash account): buy the cheap leg when |z| > entry, sell when |z| ≤ exit',
  params: PARAMS,
  create(params) {
    return new Pairs(parseNumericParams(NAME, PARAMS, params));
  },
};
