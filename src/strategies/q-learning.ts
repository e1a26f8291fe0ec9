import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { mulberry32 } from '../risk/analytics/random.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, type ParamDoc } from './common.ts';
import { compareDecimal, RetrainSchedule } from './ml-walk-forward.ts';

export interface QLearningParams {
  /** Bars back of the trend comparison, ≥ 1. Default 10. */
  readonly trendBars: number;
  /** One-bar returns in the volatility, ≥ 2. Default 20. */
  readonly volBars: number;
  /** Transitions (bar to next bar) a table is trained on, the most recent, ≥ 10. Default 2000. */
  readonly window: number;
  /** Bars between retrainings, ≥ 1. Default 1440. */
  readonly retrain: number;
  /** Passes over the window per training, ≥ 1. Default 5. */
  readonly episodes: number;
  /** Learning rate, in (0, 1]. Default 0.1. */
  readonly alpha: number;
  /** Discount, in [0, 1). Default 0.9. */
  readonly gamma: number;
  /** Exploration probability while training, in [0, 1]. Default 0.1. */
  readonly epsilon: number;
  /** Reward charged per change of position, as a fraction of the position (fees and slippage), ≥ 0. Default 0.001. */
  readonly cost: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
  /** Seed of the exploration (training k uses seed + k), a whole number in [0, 2^31). Default 7. */
  readonly seed: number;
}

export const Q_LEARNING_DEFAULTS: QLearningParams = { trendBars: 10, volBars: 20, window: 2000, retrain: 1440, episodes: 5, alpha: 0.1, gamma: 0.9, epsilon: 0.1, cost: 0.001, fraction: 0.95, seed: 7 };

const NAME = 'q-learning';

/** What a bar contributes to the state: the trend (0 down, 1 level, 2 up), the volatility σ and the close. */
export interface QBar {
  readonly trend: 0 | 1 | 2;
  readonly sigma: number;
  readonly close: number;
}

/** A trained table: Q[state × 2 + action], and the volatility cut it was trained with. */
export interface QPolicy {
  readonly q: Float64Array;
  readonly volCut: number;
}

/** State index: ((trend × 2 + high volatility) × 2 + position), 12 states; σ > volCut is high (a float comparison). */
export function stateOf(bar: QBar, volCut: number, position: 0 | 1): number {
  return ((bar.trend * 2 + (bar.sigma > volCut ? 1 : 0)) * 2 + position) | 0;
}

/** The greedy action (0 flat, 1 long) in a state; on a tie (an unvisited state) the position is kept. */
export function greedy(q: Float64Array, state: number, position: 0 | 1): 0 | 1 {
  const flat = q[state * 2]!;
  const long = q[state * 2 + 1]!;
  return long > flat ? 1 : flat > long ? 0 : position;
}

/**
 * Tabular Q-learning over the transitions bars[i] → bars[i+1] (all in the past). volCut = the
 * median σ of the bars (sorted, element ⌊n/2⌋). Each of `episodes` passes starts flat and walks
 * the bars in order: in state s (position p) it draws u = rng(); u < epsilon explores (action = 1
 * when a second draw is < 0.5, else 0), otherwise acts greedily; reward = a × (close_{i+1} ÷
 * close_i − 1) − cost × |a − p|; Q[s,a] += alpha × (reward + gamma × max Q[s'] − Q[s,a]) with
 * s' the next bar's state at position a. rng = mulberry32(seed). The table starts at zero.
 */
export function trainQTable(bars: readonly QBar[], p: Pick<QLearningParams, 'episodes' | 'alpha' | 'gamma' | 'epsilon' | 'cost'>, seed: number): QPolicy {
  const sorted = bars.map((b) => b.sigma).sort((a, b) => a - b);
  const volCut = sorted[Math.floor(sorted.length / 2)]!;
  const q = new Float64Array(24);
  const rng = mulberry32(seed);
  for (let e = 0; e < p.episodes; e++) {
    let pos: 0 | 1 = 0;
    for (let i = 0; i + 1 < bars.length; i++) {
      const s = stateOf(bars[i]!, volCut, pos);
      const a: 0 | 1 = rng() < p.epsilon ? (rng() < 0.5 ? 1 : 0) : greedy(q, s, pos);
      const reward = a * (bars[i + 1]!.close / bars[i]!.close - 1) - p.cost * Math.abs(a - pos);
      const next = stateOf(bars[i + 1]!, volCut, a);
      const best = Math.max(q[next * 2]!, q[next * 2 + 1]!);
      q[s * 2 + a] = q[s * 2 + a]! + p.alpha * (reward + p.gamma * best - q[s * 2 + a]!);
      pos = a;
    }
  }
  return { q, volCut };
}

/** Population σ of the values. */
function sigmaOf(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return Math.sqrt(v / xs.length);
}

interface State {
  readonly closes: string[];
  readonly returns: number[];
  readonly bars: QBar[];
  readonly schedule: RetrainSchedule;
  trainings: number;
  policy: QPolicy | undefined;
}

/** One greedy decision, for inspection and the leakage test. */
export interface QDecision {
  readonly instrumentId: string;
  readonly ts: number;
  readonly state: number;
  readonly action: 0 | 1;
}

/**
 * `q-learning`, long only, per instrument: tabular Q-learning trained on past bars, traded out
 * of sample. At the close of bar t (from bar index max(trendBars, volBars)):
 * - trend_t = up / level / down as close_t is above / equal to / below close_{t−trendBars},
 *   compared exactly (decimal text as integers); σ_t = population σ of the last volBars one-bar
 *   returns close_i ÷ close_{i−1} − 1;
 * - once `window` transitions are known (window + 1 such bars), and then every `retrain` bars, a
 *   fresh table is trained on the last window + 1 bars (trainQTable, seed seed + k for the k-th
 *   training, k from 0): every reward it learns from ends at or before close_t. The bars after t,
 *   until the next training, are out of sample for it;
 * - with a table: state = (trend_t, σ_t > the table's volCut, position: 0 flat, 1 long), action
 *   = greedy (tie: keep the position); flat (no position, no working order) and action long: buy
 *   floor-to-lot(fraction × equity_t ÷ close_t); long and action flat: sell all of it.
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's.
 */
export class QLearning implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, State>();
  /** Every greedy decision made, in order. */
  readonly decisions: QDecision[] = [];

  constructor(
    readonly params: QLearningParams = Q_LEARNING_DEFAULTS,
    name = NAME,
  ) {
    validate(params);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const id = bar.instrumentId;
    const p = this.params;
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { closes: [], returns: [], bars: [], schedule: new RetrainSchedule(p.retrain), trainings: 0, policy: undefined }));
    const prev = s.closes[s.closes.length - 1];
    s.closes.push(bar.close);
    if (s.closes.length > p.trendBars + 1) s.closes.shift();
    if (prev !== undefined) s.returns.push(Number(bar.close) / Number(prev) - 1);
    if (s.returns.length > p.volBars) s.returns.shift();
    let now: QBar | undefined;
    if (s.closes.length === p.trendBars + 1 && s.returns.length === p.volBars) {
      const c = compareDecimal(bar.close, s.closes[0]!);
      now = { trend: c < 0 ? 0 : c === 0 ? 1 : 2, sigma: sigmaOf(s.returns), close: Number(bar.close) };
      s.bars.push(now);
      if (s.bars.length > p.window + 1) s.bars.shift();
    }
    if (s.schedule.due(s.bars.length > p.window)) s.policy = trainQTable(s.bars, p, p.seed + s.trainings++);
    if (!s.policy || !now) return;
    const position = isFlat(ctx, id) ? 0 : holdsLong(ctx, id) ? 1 : undefined;
    if (position === undefined) return;
    const st = stateOf(now, s.policy.volCut, position);
    const action = greedy(s.policy.q, st, position);
    this.decisions.push({ instrumentId: id, ts: bar.ts, state: st, action });
    if (action === 1 && position === 0) return enterLong(ctx, id, p.fraction, Number(bar.close));
    if (action === 0 && position === 1) return exitLong(ctx, id);
  }
}

function validate(p: QLearningParams): void {
  requireInt(NAME, 'trendBars', p.trendBars, 1);
  requireInt(NAME, 'volBars', p.volBars, 2);
  requireInt(NAME, 'window', p.window, 10);
  requireInt(NAME, 'retrain', p.retrain, 1);
  requireInt(NAME, 'episodes', p.episodes, 1);
  if (!(p.alpha > 0 && p.alpha <= 1)) throw invalidParam(NAME, 'alpha', `must be in (0, 1], got ${p.alpha}`);
  if (!(p.gamma >= 0 && p.gamma < 1)) throw invalidParam(NAME, 'gamma', `must be in [0, 1), got ${p.gamma}`);
  if (!(p.epsilon >= 0 && p.epsilon <= 1)) throw invalidParam(NAME, 'epsilon', `must be in [0, 1], got ${p.epsilon}`);
  if (!(p.cost >= 0 && Number.isFinite(p.cost))) throw invalidParam(NAME, 'cost', `must be a number ≥ 0, got ${p.cost}`);
  requireFraction(NAME, p.fraction);
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed >= 2 ** 31) throw invalidParam(NAME, 'seed', `must be a whole number in [0, 2^31), got ${p.seed}`);
}

const PARAMS: readonly (ParamDoc & { name: keyof QLearningParams })[] = [
  { name: 'trendBars', default: '10', doc: 'trend: close now against the close this many bars back (exact)' },
  { name: 'volBars', default: '20', doc: 'one-bar returns in the volatility σ, ≥ 2' },
  { name: 'window', default: '2000', doc: 'most recent transitions a table is trained on, ≥ 10' },
  { name: 'retrain', default: '1440', doc: 'bars between retrainings (a fresh table each time)' },
  { name: 'episodes', default: '5', doc: 'passes over the window per training' },
  { name: 'alpha', default: '0.1', doc: 'learning rate, in (0, 1]' },
  { name: 'gamma', default: '0.9', doc: 'discount, in [0, 1)' },
  { name: 'epsilon', default: '0.1', doc: 'exploration probability while training (seeded), in [0, 1]' },
  { name: 'cost', default: '0.001', doc: 'reward charged per change of position (fraction), ≥ 0' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
  { name: 'seed', default: '7', doc: 'seed of the exploration (training k uses seed + k)' },
];

const DESCRIPTION = 'tabular Q-learning over (trend, volatility, position), trained on past bars with seeded exploration, traded greedily out of sample: long or flat';

export const qLearningFactory: RegisteredStrategy = {
  name: NAME,
  family: 'machine learning',
  description: DESCRIPTION,
  params: PARAMS,
  create: (params) => new QLearning(parseNumericParams(NAME, PARAMS, params)),
};
