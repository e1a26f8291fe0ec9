import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, requirePositive, type ParamDoc } from './common.ts';
import { compareStat } from './stats.ts';

export interface KalmanMeanReversionParams {
  /** Process (fair-value) variance per bar of the log price, > 0. Default 1e-7. */
  readonly q: number;
  /** Observation-noise variance of the log price, > 0. Default 1e-6. */
  readonly r: number;
  /** Enter when z < −entry, > 0. Default 2. */
  readonly entry: number;
  /** Leave when z ≥ −exit, in [0, entry). Default 0. */
  readonly exit: number;
  /** Bars seen before the first decision (the filter settles), ≥ 1. Default 30. */
  readonly warmup: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const KALMAN_MEAN_REVERSION_DEFAULTS: KalmanMeanReversionParams = { q: 1e-7, r: 1e-6, entry: 2, exit: 0, warmup: 30, fraction: 0.95 };

const NAME = 'kalman-mean-reversion';

/** The filter's state: the fair log price and its variance. */
export interface KalmanState {
  readonly x: number;
  readonly p: number;
}

/** One step of the filter: the innovation's z-score and the updated state. */
export interface KalmanStep {
  readonly z: number;
  readonly fair: number;
  readonly state: KalmanState;
}

/**
 * The local-level Kalman filter on y = ln(close): fair value x follows a random walk
 * (x_t = x_{t−1} + w, Var w = q) and is observed with noise (y_t = x_t + v, Var v = r).
 * Predict: x⁻ = x, P⁻ = P + q. Innovation e = y − x⁻, its variance S = P⁻ + r, z = e / √S.
 * Update: K = P⁻ / S, x = x⁻ + K e, P = (1 − K) P⁻. The first close starts it at x = y_0, P = r.
 */
export function kalmanStep(s: KalmanState, y: number, q: number, r: number): KalmanStep {
  const pPrior = s.p + q;
  const e = y - s.x;
  const sv = pPrior + r;
  const k = pPrior / sv;
  const x = s.x + k * e;
  return { z: e / Math.sqrt(sv), fair: Math.exp(x), state: { x, p: (1 - k) * pPrior } };
}

export type KalmanDecision = 'ENTER' | 'EXIT' | 'HOLD';

/**
 * The rule on one z, with the documented tolerance (stats.ts compareStat: z within 1e-9 of a
 * threshold equals it): long and z ≥ −exit (equality exits) → EXIT; flat and z < −entry (strictly:
 * equality does not enter) → ENTER; otherwise HOLD.
 */
export function kalmanDecision(z: number, long: boolean, p: Pick<KalmanMeanReversionParams, 'entry' | 'exit'>): KalmanDecision {
  if (long) return compareStat(z, -p.exit) >= 0 ? 'EXIT' : 'HOLD';
  return compareStat(z, -p.entry) < 0 ? 'ENTER' : 'HOLD';
}

/**
 * `kalman-mean-reversion`, long only (a backtest runs a CASH account: no short sale), per
 * instrument. Each close updates a local-level Kalman filter of the log price (kalmanStep): the
 * predicted fair value before the close is x⁻ and the close's innovation z-score is
 * z_t = (ln close_t − x⁻) / √S_t, so z < 0 means the close is below the filter's fair value. From
 * the `warmup`-th bar on (bar index ≥ warmup), at the close of bar t:
 * - long (an open position, no working order) and z_t ≥ −exit: sell all of it (back at fair value);
 * - flat (no position, no working order) and z_t < −entry: buy floor-to-lot(fraction × equity_t ÷ close_t);
 * z is compared with thresholds with the tolerance of stats.ts (1e-9, relative above 1): at
 * exactly −entry it does not enter, at exactly −exit it exits.
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's.
 */
export class KalmanMeanReversion implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, { s: KalmanState; bars: number }>();
  /** The last step per instrument (for inspection and tests). */
  readonly last = new Map<string, KalmanStep>();

  constructor(
    readonly params: KalmanMeanReversionParams = KALMAN_MEAN_REVERSION_DEFAULTS,
    name = NAME,
  ) {
    requirePositive(NAME, 'q', params.q);
    requirePositive(NAME, 'r', params.r);
    requirePositive(NAME, 'entry', params.entry);
    if (!(params.exit >= 0 && params.exit < params.entry)) throw invalidParam(NAME, 'exit', `must be in [0, entry (${params.entry})), got ${params.exit}`);
    requireInt(NAME, 'warmup', params.warmup, 1);
    requireFraction(NAME, params.fraction);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const id = bar.instrumentId;
    const close = Number(bar.close);
    const y = Math.log(close);
    const held = this.state.get(id);
    if (!held) {
      this.state.set(id, { s: { x: y, p: this.params.r }, bars: 1 });
      return;
    }
    const step = kalmanStep(held.s, y, this.params.q, this.params.r);
    held.s = step.state;
    held.bars++;
    this.last.set(id, step);
    if (held.bars <= this.params.warmup) return;
    if (holdsLong(ctx, id)) return kalmanDecision(step.z, true, this.params) === 'EXIT' ? exitLong(ctx, id) : undefined;
    if (isFlat(ctx, id) && kalmanDecision(step.z, false, this.params) === 'ENTER') return enterLong(ctx, id, this.params.fraction, close);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof KalmanMeanReversionParams })[] = [
  { name: 'q', default: '1e-7', doc: 'process variance of the fair log price per bar, > 0' },
  { name: 'r', default: '1e-6', doc: 'observation-noise variance of the log price, > 0' },
  { name: 'entry', default: '2', doc: 'buy when the innovation z-score < −entry, > 0' },
  { name: 'exit', default: '0', doc: 'sell when z ≥ −exit, in [0, entry)' },
  { name: 'warmup', default: '30', doc: 'bars before the first decision, ≥ 1' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

const DESCRIPTION = 'long-only mean reversion to a Kalman-filtered fair value: buy when the close\'s innovation z-score < −entry, sell when z ≥ −exit';

export const kalmanMeanReversionFactory: RegisteredStrategy = {
  name: NAME,
  family: 'mean reversion',
  description: DESCRIPTION,
  params: PARAMS,
  create(params) {
    return new KalmanMeanReversion(parseNumericParams(NAME, PARAMS, params));
  },
};
