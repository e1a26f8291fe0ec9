import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { floorToLot } from '../risk/sizing/lot.ts';
import { exitLong, holdsLong, ignore, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, requirePositive, type ParamDoc } from './common.ts';
import { adfStatistic, compareStat, meanSd, ols } from './stats.ts';

export interface StatisticalArbitrageParams {
  /** Bar times in the rolling cointegration window, ≥ 20. Default 120. */
  readonly lookback: number;
  /** Lagged differences in the ADF regression, ≥ 0. Default 1. */
  readonly adfLags: number;
  /** Cointegrated when the ADF statistic < adfCritical (< 0). Default −3.74 (MacKinnon 5%, three series). */
  readonly adfCritical: number;
  /** Enter when |z| > entry, > 0. Default 2. */
  readonly entry: number;
  /** Leave when z is back to ±exit, in [0, entry). Default 0.5. */
  readonly exit: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const STATISTICAL_ARBITRAGE_DEFAULTS: StatisticalArbitrageParams = { lookback: 120, adfLags: 1, adfCritical: -3.74, entry: 2, exit: 0.5, fraction: 0.95 };

const NAME = 'statistical-arbitrage';

/** The Engle–Granger statistic of a window: weights, the residuals' ADF statistic and the last residual's z-score. */
export interface BasketStat {
  /** [intercept, β_1 .. β_k]: Y ≈ α + Σ β_i X_i. */
  readonly coef: readonly number[];
  readonly adf: number;
  readonly z: number;
}

/**
 * Engle–Granger on one window: OLS of y on [1, x_1 .. x_k] (stats.ts ols), residuals e = y − ŷ,
 * the ADF statistic of e with `lags` lagged differences (stats.ts adfStatistic), and
 * z = (e_last − mean(e)) / σ(e), σ the population sd. Null when the regression is singular or e
 * does not vary. `xs[i]` is the i-th observation's regressors (without the constant).
 */
export function basketStat(y: readonly number[], xs: readonly (readonly number[])[], lags: number): BasketStat | null {
  const fit = ols(y, xs.map((row) => [1, ...row]));
  if (!fit) return null;
  const { mean, sd } = meanSd(fit.residuals);
  if (!(sd > 0)) return null;
  return { coef: fit.coef, adf: adfStatistic(fit.residuals, lags), z: (fit.residuals[fit.residuals.length - 1]! - mean) / sd };
}

/**
 * `statistical-arbitrage`: a basket of three or more instruments (the run's data sources; Y = the
 * first, X_1..X_k the others), evaluated at each bar time t at which every one has a bar (after the
 * last of them). Over the last `lookback` such times (including t), basketStat gives the
 * Engle–Granger weights, the ADF statistic of the spread Y − α − Σ β_i X_i and its z-score z_t.
 * The basket counts as cointegrated when ADF < adfCritical. Statistics compare with thresholds
 * with the 1e-9 tolerance of stats.ts (equality: no entry, exit taken, not cointegrated).
 * A backtest runs a CASH account (no short sale), so each side of the spread trades only its long legs:
 * - flat in every leg (no position, no working order), cointegrated, z_t < −entry (spread cheap:
 *   long Y, short the X's): buy floor-to-lot(fraction × equity_t ÷ closeY_t) of Y;
 * - flat, cointegrated, z_t > entry (spread rich: short Y, long the X's): buy each X_i with β_i > 0,
 *   floor-to-lot(w_i × fraction × equity_t ÷ closeX_i,t) with w_i = β_i closeX_i / Σ_{β_j>0} β_j closeX_j
 *   (the basket's weights, long side only);
 * - holding Y and z_t ≥ −exit: sell all of Y; holding X legs and z_t ≤ exit: sell all of each
 *   (cointegration is not asked again to leave).
 * Market orders, filled at each leg's next open plus slippage; fees are the instruments'. The run's
 * instruments must settle in one currency (the runner's rule), so stablecoins are taken at par.
 */
export class StatisticalArbitrage implements Strategy {
  readonly name: string;
  private ids: string[] = [];
  private readonly lastTs = new Map<string, number>();
  private readonly lastClose = new Map<string, number>();
  private readonly window: number[][] = [];
  /** The last statistic computed (for inspection and tests). */
  last: BasketStat | null = null;

  constructor(
    readonly params: StatisticalArbitrageParams = STATISTICAL_ARBITRAGE_DEFAULTS,
    name = NAME,
  ) {
    const { lookback, adfLags, adfCritical, entry, exit, fraction } = params;
    requireInt(NAME, 'lookback', lookback, 20);
    requireInt(NAME, 'adfLags', adfLags, 0);
    if (adfLags > lookback / 4) throw invalidParam(NAME, 'adfLags', `must be at most lookback / 4 (${lookback / 4}), got ${adfLags}`);
    if (!(Number.isFinite(adfCritical) && adfCritical < 0)) throw invalidParam(NAME, 'adfCritical', `must be a number < 0, got ${adfCritical}`);
    requirePositive(NAME, 'entry', entry);
    if (!(exit >= 0 && exit < entry)) throw invalidParam(NAME, 'exit', `must be in [0, entry (${entry})), got ${exit}`);
    requireFraction(NAME, fraction);
    this.name = name;
  }

  onStart(ctx: StrategyContext): void {
    if (ctx.instruments.length < 3) throw invalidParam(NAME, 'sources', `needs a basket of three or more instruments (three --data), got ${ctx.instruments.length}`);
    this.ids = ctx.instruments.map((i) => i.id);
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    this.lastTs.set(bar.instrumentId, bar.ts);
    this.lastClose.set(bar.instrumentId, Number(bar.close));
    if (!this.ids.every((id) => this.lastTs.get(id) === bar.ts)) return;
    const closes = this.ids.map((id) => this.lastClose.get(id)!);
    this.window.push(closes);
    if (this.window.length > this.params.lookback) this.window.shift();
    if (this.window.length < this.params.lookback) return;
    const st = (this.last = basketStat(this.window.map((r) => r[0]!), this.window.map((r) => r.slice(1)), this.params.adfLags));
    if (st === null) return;
    return this.act(st, closes, ctx);
  }

  private act(st: BasketStat, closes: number[], ctx: StrategyContext): Promise<void> | undefined {
    const { entry, exit, fraction, adfCritical } = this.params;
    const [y, ...xs] = this.ids as [string, ...string[]];
    if (holdsLong(ctx, y)) return compareStat(st.z, -exit) >= 0 ? exitLong(ctx, y) : undefined;
    const heldX = xs.filter((x) => holdsLong(ctx, x));
    if (heldX.length > 0) return compareStat(st.z, exit) <= 0 ? Promise.all(heldX.map((x) => exitLong(ctx, x) ?? Promise.resolve())).then(ignore) : undefined;
    if (!this.ids.every((id) => isFlat(ctx, id)) || compareStat(st.adf, adfCritical) >= 0) return;
    const equity = ctx.equity().toNumber();
    if (compareStat(st.z, -entry) < 0) return this.buy(ctx, [[y, (fraction * equity) / closes[0]!]]);
    if (compareStat(st.z, entry) <= 0) return;
    const longs = xs.map((x, i) => ({ x, beta: st.coef[i + 1]!, px: closes[i + 1]! })).filter((l) => l.beta > 0);
    const total = longs.reduce((s, l) => s + l.beta * l.px, 0);
    return this.buy(ctx, longs.map((l) => [l.x, (((l.beta * l.px) / total) * fraction * equity) / l.px]));
  }

  private buy(ctx: StrategyContext, legs: readonly (readonly [string, number])[]): Promise<void> | undefined {
    const orders = legs.map(([id, q]) => [id, floorToLot(ctx.instrument(id), q)] as const).filter(([, q]) => !q.isZero());
    if (orders.length === 0) return undefined;
    return Promise.all(orders.map(([id, q]) => ctx.market(id, 'BUY', q))).then(ignore);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof StatisticalArbitrageParams })[] = [
  { name: 'lookback', default: '120', doc: 'rolling Engle–Granger window (bar times with every instrument), ≥ 20' },
  { name: 'adfLags', default: '1', doc: 'lagged differences in the ADF test of the spread, ≥ 0' },
  { name: 'adfCritical', default: '-3.74', doc: 'cointegrated when the ADF statistic < this (MacKinnon 5%: −3.34 two series, −3.74 three, −4.10 four)' },
  { name: 'entry', default: '2', doc: 'enter when |z| > entry, > 0' },
  { name: 'exit', default: '0.5', doc: 'exit when z is back within ±exit, in [0, entry)' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

const DESCRIPTION = 'basket of ≥ 3 instruments: rolling Engle–Granger weights (OLS + ADF), long-only legs on the spread\'s z-score while cointegrated';

export const statisticalArbitrageFactory: RegisteredStrategy = {
  name: NAME,
  family: 'arbitrage',
  description: DESCRIPTION,
  params: PARAMS,
  create(params) {
    return new StatisticalArbitrage(parseNumericParams(NAME, PARAMS, params));
  },
};
