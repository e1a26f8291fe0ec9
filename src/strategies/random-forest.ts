import { RandomForestClassifier } from 'ml-random-forest';
import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, type ParamDoc } from './common.ts';
import { BarFeatures, classifierAction, FEATURE_NAMES, LabelledWindow, RetrainSchedule, type Sample } from './ml-walk-forward.ts';

export interface RandomForestParams {
  /** Bars ahead of the label's forward return. Default 5. */
  readonly horizon: number;
  /** Labelled samples the forest is trained on (the most recent), ≥ 20. Default 500. */
  readonly window: number;
  /** Bars between retrainings, ≥ 1. Default 240. */
  readonly retrain: number;
  /** Trees in the forest, ≥ 1. Default 25. */
  readonly trees: number;
  /** Deepest split of a tree, ≥ 1. Default 6. */
  readonly depth: number;
  /** Share of trees that must vote for a class to trade it, in [0.5, 1]. Default 0.6. */
  readonly threshold: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
  /** Seed of the forest's sample and feature bagging, a whole number in [0, 2^31). Default 42. */
  readonly seed: number;
}

export const RANDOM_FOREST_DEFAULTS: RandomForestParams = { horizon: 5, window: 500, retrain: 240, trees: 25, depth: 6, threshold: 0.6, fraction: 0.95, seed: 42 };

const NAME = 'random-forest';

/** One prediction, for inspection and the leakage test. */
export interface ForestDecision {
  readonly instrumentId: string;
  readonly ts: number;
  /** Share of trees voting up. */
  readonly p: number;
  readonly action: 'BUY' | 'SELL' | null;
}

/**
 * A forest trained on `samples`: ml-random-forest's classifier with sample bagging, 4 of the 6
 * features per tree drawn without replacement, Mersenne Twister seeded with `seed` (so the same
 * samples and seed give the same trees). Returns p(x) = the share of trees voting class 1.
 */
export function trainForest(samples: readonly Sample<number[]>[], p: Pick<RandomForestParams, 'trees' | 'depth' | 'seed'>): (x: number[]) => number {
  const rf = new RandomForestClassifier({
    nEstimators: p.trees,
    maxFeatures: 4,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: p.seed,
    treeOptions: { maxDepth: p.depth, minNumSamples: 3 },
  });
  rf.train(
    samples.map((s) => s.x),
    samples.map((s) => s.y),
  );
  return (x) => {
    // The share of votes, counted here: the library's predictProbability seeds its sum with the first vote.
    const votes = rf.predictionValues([x]).getRow(0);
    let up = 0;
    for (const v of votes) if (v === 1) up++;
    return up / votes.length;
  };
}

interface State {
  readonly features: BarFeatures;
  readonly labelled: LabelledWindow<number[]>;
  readonly schedule: RetrainSchedule;
  model: ((x: number[]) => number) | undefined;
}

/**
 * `random-forest`, long only, per instrument, walk-forward. At the close of bar t:
 * - x_t = the features of bars ≤ t (see BarFeatures: returns over 1 and 5 bars, RSI(14),
 *   MACD(12, 26, 9) histogram and ATR(14) relative to the close, 20-bar volume z-score);
 * - the sample of bar t − horizon is labelled up (1) when close_t > close_{t−horizon} exactly
 *   (decimal text compared as integers; a tie is down, 0), else 0; the last `window` labelled
 *   samples are kept;
 * - once `window` samples are labelled, and then every `retrain` bars, a new forest (trainForest,
 *   seed `seed`) is trained on them: every sample and label it sees ends at or before bar t;
 * - with a forest and x_t, p_t = share of trees voting up; flat (no position, no working order)
 *   and p_t ≥ threshold: buy floor-to-lot(fraction × equity_t ÷ close_t); long and
 *   1 − p_t ≥ threshold: sell all of it (classifierAction; a float comparison of vote shares).
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's.
 */
export class RandomForestStrategy implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, State>();
  /** Every prediction made, in order. */
  readonly decisions: ForestDecision[] = [];

  constructor(
    readonly params: RandomForestParams = RANDOM_FOREST_DEFAULTS,
    name = NAME,
  ) {
    validate(params);
    this.name = name;
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const id = bar.instrumentId;
    const p = this.params;
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { features: new BarFeatures(), labelled: new LabelledWindow(p.horizon, p.window), schedule: new RetrainSchedule(p.retrain), model: undefined }));
    const x = s.features.next({ high: Number(bar.high), low: Number(bar.low), close: Number(bar.close), volume: Number(bar.volume) });
    s.labelled.push(x, bar.close);
    if (s.schedule.due(s.labelled.size >= p.window)) s.model = trainForest(s.labelled.samples(), p);
    if (!s.model || !x) return;
    const prob = s.model(x);
    const position = isFlat(ctx, id) ? 'FLAT' : holdsLong(ctx, id) ? 'LONG' : undefined;
    const action = position ? classifierAction(prob, p.threshold, position) : null;
    this.decisions.push({ instrumentId: id, ts: bar.ts, p: prob, action });
    if (action === 'BUY') return enterLong(ctx, id, p.fraction, Number(bar.close));
    if (action === 'SELL') return exitLong(ctx, id);
  }
}

function validate(p: RandomForestParams): void {
  requireInt(NAME, 'horizon', p.horizon, 1);
  requireInt(NAME, 'window', p.window, 20);
  requireInt(NAME, 'retrain', p.retrain, 1);
  requireInt(NAME, 'trees', p.trees, 1);
  requireInt(NAME, 'depth', p.depth, 1);
  if (!(p.threshold >= 0.5 && p.threshold <= 1)) throw invalidParam(NAME, 'threshold', `must be in [0.5, 1], got ${p.threshold}`);
  requireFraction(NAME, p.fraction);
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed >= 2 ** 31) throw invalidParam(NAME, 'seed', `must be a whole number in [0, 2^31), got ${p.seed}`);
}

const PARAMS: readonly (ParamDoc & { name: keyof RandomForestParams })[] = [
  { name: 'horizon', default: '5', doc: 'bars ahead of the forward return that labels a sample (up: close later > close now, exactly)' },
  { name: 'window', default: '500', doc: 'most recent labelled samples the forest is trained on, ≥ 20' },
  { name: 'retrain', default: '240', doc: 'bars between retrainings, ≥ 1' },
  { name: 'trees', default: '25', doc: 'trees in the forest' },
  { name: 'depth', default: '6', doc: 'deepest split of a tree' },
  { name: 'threshold', default: '0.6', doc: 'share of trees voting for a class needed to trade it, in [0.5, 1]' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
  { name: 'seed', default: '42', doc: 'seed of the bagging (whole number in [0, 2^31))' },
];

const DESCRIPTION = `walk-forward random forest on ${FEATURE_NAMES.join(', ')}: buy when ≥ threshold of the trees vote up, sell when ≥ threshold vote down`;

export const randomForestFactory: RegisteredStrategy = {
  name: NAME,
  family: 'machine learning',
  description: DESCRIPTION,
  params: PARAMS,
  create: (params) => new RandomForestStrategy(parseNumericParams(NAME, PARAMS, params)),
};

