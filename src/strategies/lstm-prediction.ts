import type * as Tf from '@tensorflow/tfjs';
import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requireInt, requirePositive, type ParamDoc } from './common.ts';
import { classifierAction, LabelledWindow, RetrainSchedule, type Sample } from './ml-walk-forward.ts';

export interface LstmPredictionParams {
  /** Bars of one-bar returns in an input sequence, ≥ 2. Default 16. */
  readonly lookback: number;
  /** Bars ahead of the label's forward return. Default 5. */
  readonly horizon: number;
  /** LSTM units, ≥ 1. Default 8. */
  readonly units: number;
  /** Labelled sequences the model is trained on (the most recent), ≥ 8. Default 512. */
  readonly window: number;
  /** Bars between retrainings, ≥ 1. Default 1440 (a day of minute bars). */
  readonly retrain: number;
  /** Passes over the window per training, ≥ 1. Default 5. */
  readonly epochs: number;
  /** Adam's learning rate, > 0. Default 0.01. */
  readonly learningRate: number;
  /** Up-probability needed to buy (down-probability to sell), in [0.5, 1]. Default 0.55. */
  readonly threshold: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
  /** Seed of the weight initializers, a whole number in [0, 2^31). Default 1. */
  readonly seed: number;
}

export const LSTM_PREDICTION_DEFAULTS: LstmPredictionParams = { lookback: 16, horizon: 5, units: 8, window: 512, retrain: 1440, epochs: 5, learningRate: 0.01, threshold: 0.55, fraction: 0.95, seed: 1 };

const NAME = 'lstm-prediction';

/** A trained model: the up-probability of an input sequence of raw one-bar returns. */
export interface SequenceModel {
  readonly predict: (returns: readonly number[]) => number;
}

let backendReady: Promise<typeof Tf> | undefined;
/**
 * tfjs, loaded on first use (importing it costs about 0.6 s, which every `warden` command and node
 * start would otherwise pay for a strategy it may not run), with the pure JavaScript CPU backend
 * (never tfjs-node, whose install downloads a binary) in production mode (no debug checks, no
 * "install tfjs-node" banner). Process-wide, set once.
 */
export function tfReady(): Promise<typeof Tf> {
  backendReady ??= import('@tensorflow/tfjs').then(async (tf) => {
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: the cpu backend did not start');
    tf.enableProdMode();
    return tf;
  });
  return backendReady;
}

/**
 * Trains a fresh model on `samples` (each x the raw one-bar returns of a sequence, y its label):
 * inputs standardised by the mean and σ of every return in the window (σ floored at 1e-12),
 * LSTM(units; tanh, sigmoid gates) → dense(1, sigmoid), binary cross-entropy, Adam(learningRate), batches of 32 in
 * order (no shuffling), `epochs` passes. Weights start from seeded initializers (Glorot-uniform
 * kernels with seeds seed and seed + 2, an orthogonal recurrent kernel with seed seed + 1, zero
 * biases), so the same samples and seed give the same weights on the CPU backend, bit for bit.
 * The tfjs model is disposed after training; predictions run lstmForward on its weights.
 */
export async function trainLstm(samples: readonly Sample<number[]>[], p: Pick<LstmPredictionParams, 'units' | 'epochs' | 'learningRate' | 'seed'>): Promise<SequenceModel> {
  const tf = await tfReady();
  const lookback = samples[0]!.x.length;
  let mean = 0;
  let n = 0;
  for (const s of samples)
    for (const r of s.x) {
      mean += r;
      n++;
    }
  mean /= n;
  let v = 0;
  for (const s of samples) for (const r of s.x) v += (r - mean) * (r - mean);
  const sd = Math.max(Math.sqrt(v / n), 1e-12);
  const scale = (xs: readonly number[]): number[] => xs.map((r) => (r - mean) / sd);

  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      units: p.units,
      inputShape: [lookback, 1],
      kernelInitializer: tf.initializers.glorotUniform({ seed: p.seed }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: p.seed + 1 }),
      biasInitializer: 'zeros',
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
    }),
  );
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: p.seed + 2 }), biasInitializer: 'zeros' }));
  const optimizer = tf.train.adam(p.learningRate);
  model.compile({ optimizer, loss: 'binaryCrossentropy' });
  const xs = tf.tensor3d(
    samples.map((s) => scale(s.x).map((r) => [r])),
    [samples.length, lookback, 1],
  );
  const ys = tf.tensor2d(
    samples.map((s) => [s.y]),
    [samples.length, 1],
  );
  try {
    await model.fit(xs, ys, { epochs: p.epochs, batchSize: 32, shuffle: false, verbose: 0 });
  } finally {
    xs.dispose();
    ys.dispose();
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  optimizer.dispose(); // not the model's to dispose: it was given to compile
  const forward = lstmForward(weights, p.units);
  return { predict: (returns) => forward(scale(returns)) };
}

/**
 * The model's forward pass in plain JavaScript (float64 arithmetic on the float32 weights), from
 * `getWeights()` of LSTM(units, tanh, sigmoid gates) → dense(1, sigmoid): [kernel (1 × 4u),
 * recurrent kernel (u × 4u), bias (4u), dense kernel (u × 1), dense bias (1)], gates in tfjs's
 * order i, f, c, o. A prediction per bar through tfjs's predict costs milliseconds of tensor
 * bookkeeping; this costs microseconds. The lstm-prediction test checks it against tfjs.
 */
export function lstmForward(weights: readonly Float32Array[], units: number): (xs: readonly number[]) => number {
  const [kernel, recurrent, bias, dense, denseBias] = weights as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const u = units;
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
  return (xs) => {
    let h = new Array<number>(u).fill(0);
    const c = new Array<number>(u).fill(0);
    const z = new Array<number>(4 * u);
    for (const x of xs) {
      for (let j = 0; j < 4 * u; j++) {
        let s = x * kernel[j]! + bias[j]!;
        for (let k = 0; k < u; k++) s += h[k]! * recurrent[k * 4 * u + j]!;
        z[j] = s;
      }
      const next = new Array<number>(u);
      for (let k = 0; k < u; k++) {
        const i = sigmoid(z[k]!);
        const f = sigmoid(z[u + k]!);
        c[k] = f * c[k]! + i * Math.tanh(z[2 * u + k]!);
        next[k] = sigmoid(z[3 * u + k]!) * Math.tanh(c[k]!);
      }
      h = next;
    }
    let out = denseBias[0]!;
    for (let k = 0; k < u; k++) out += h[k]! * dense[k]!;
    return sigmoid(out);
  };
}

interface State {
  readonly closes: number[];
  readonly labelled: LabelledWindow<number[]>;
  readonly schedule: RetrainSchedule;
  model: SequenceModel | undefined;
}

/** One prediction, for inspection and the leakage test. */
export interface LstmDecision {
  readonly instrumentId: string;
  readonly ts: number;
  readonly p: number;
  readonly action: 'BUY' | 'SELL' | null;
}

/**
 * `lstm-prediction`, long only, per instrument, walk-forward. At the close of bar t:
 * - x_t = the last `lookback` one-bar returns close_i / close_{i−1} − 1, i = t−lookback+1 .. t
 *   (defined from bar index `lookback`);
 * - the sequence of bar t − horizon is labelled up (1) when close_t > close_{t−horizon} exactly
 *   (decimal text compared as integers; a tie is 0); the last `window` labelled sequences are kept;
 * - once `window` are labelled, and then every `retrain` bars, a fresh model is trained on them
 *   (trainLstm: seeded, deterministic): every sequence and label it sees ends at or before bar t;
 * - with a model, p_t = its up-probability for x_t (float32); flat (no position, no working order)
 *   and p_t ≥ threshold: buy floor-to-lot(fraction × equity_t ÷ close_t); long and 1 − p_t ≥
 *   threshold: sell all of it (a float comparison, documented).
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's.
 *
 * Training time (tfjs's pure JavaScript CPU backend), measured on the bundled BTCUSDT minutes
 * (30,240 bars, 2023-03-01 .. 03-21) with the defaults, on the 2-core development machine under
 * load (load average ~10): one training (512 sequences × 16 steps × 5 epochs) ≈ 5 s; the whole
 * month (21 trainings, 29,708 predictions) ≈ 98 s, nearly all of it training: a prediction is a
 * plain JavaScript forward pass of the trained weights (lstmForward), microseconds.
 */
export class LstmPrediction implements Strategy {
  readonly name: string;
  private readonly state = new Map<string, State>();
  /** Every prediction made, in order. */
  readonly decisions: LstmDecision[] = [];

  constructor(
    readonly params: LstmPredictionParams = LSTM_PREDICTION_DEFAULTS,
    name = NAME,
  ) {
    validate(params);
    this.name = name;
  }

  async onStart(): Promise<void> {
    await tfReady();
  }

  async onBar(bar: Bar, ctx: StrategyContext): Promise<void> {
    const id = bar.instrumentId;
    const p = this.params;
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { closes: [], labelled: new LabelledWindow(p.horizon, p.window), schedule: new RetrainSchedule(p.retrain), model: undefined }));
    s.closes.push(Number(bar.close));
    if (s.closes.length > p.lookback + 1) s.closes.shift();
    const x = s.closes.length === p.lookback + 1 ? s.closes.slice(1).map((c, i) => c / s.closes[i]! - 1) : null;
    s.labelled.push(x, bar.close);
    if (s.schedule.due(s.labelled.size >= p.window)) {
      s.model = await trainLstm(s.labelled.samples(), p);
    }
    if (!s.model || !x) return;
    const prob = s.model.predict(x);
    const position = isFlat(ctx, id) ? 'FLAT' : holdsLong(ctx, id) ? 'LONG' : undefined;
    const action = position ? classifierAction(prob, p.threshold, position) : null;
    this.decisions.push({ instrumentId: id, ts: bar.ts, p: prob, action });
    if (action === 'BUY') await enterLong(ctx, id, p.fraction, Number(bar.close));
    else if (action === 'SELL') await exitLong(ctx, id);
  }
}

function validate(p: LstmPredictionParams): void {
  requireInt(NAME, 'lookback', p.lookback, 2);
  requireInt(NAME, 'horizon', p.horizon, 1);
  requireInt(NAME, 'units', p.units, 1);
  requireInt(NAME, 'window', p.window, 8);
  requireInt(NAME, 'retrain', p.retrain, 1);
  requireInt(NAME, 'epochs', p.epochs, 1);
  requirePositive(NAME, 'learningRate', p.learningRate);
  if (!(p.threshold >= 0.5 && p.threshold <= 1)) throw invalidParam(NAME, 'threshold', `must be in [0.5, 1], got ${p.threshold}`);
  requireFraction(NAME, p.fraction);
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed >= 2 ** 31 - 2) throw invalidParam(NAME, 'seed', `must be a whole number in [0, 2^31 − 2), got ${p.seed}`);
}

const PARAMS: readonly (ParamDoc & { name: keyof LstmPredictionParams })[] = [
  { name: 'lookback', default: '16', doc: 'one-bar returns in an input sequence, ≥ 2' },
  { name: 'horizon', default: '5', doc: 'bars ahead of the forward return that labels a sequence (up: close later > close now, exactly)' },
  { name: 'units', default: '8', doc: 'LSTM units' },
  { name: 'window', default: '512', doc: 'most recent labelled sequences the model is trained on, ≥ 8' },
  { name: 'retrain', default: '1440', doc: 'bars between retrainings (a fresh, seeded model each time)' },
  { name: 'epochs', default: '5', doc: 'passes over the window per training' },
  { name: 'learningRate', default: '0.01', doc: "Adam's learning rate, > 0" },
  { name: 'threshold', default: '0.55', doc: 'up-probability needed to buy (down-probability to sell), in [0.5, 1]' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
  { name: 'seed', default: '1', doc: 'seed of the weight initializers (whole number in [0, 2^31 − 2))' },
];

const DESCRIPTION = 'walk-forward LSTM (tfjs, seeded) on the last one-bar returns: buy when the up-probability ≥ threshold, sell when the down-probability ≥ threshold';

export const lstmPredictionFactory: RegisteredStrategy = {
  name: NAME,
  family: 'machine learning',
  description: DESCRIPTION,
  params: PARAMS,
  create: (params) => new LstmPrediction(parseNumericParams(NAME, PARAMS, params)),
};
