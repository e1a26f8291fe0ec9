import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../src/backtest/runner.ts';
import type { Bar } from '../../src/model/bar.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { LSTM_PREDICTION_DEFAULTS, LstmPrediction, lstmForward, lstmPredictionFactory, tfReady, trainLstm, type SequenceModel } from '../../src/strategies/lstm-prediction.ts';
import { classifierAction } from '../../src/strategies/ml-walk-forward.ts';
import { BTCUSDT, expectBadParam, expectTrades, rows, simulate, START } from './helpers.ts';
import { cents, loadBars, runOn, shuffleAfter } from './ml-helpers.ts';

const TO = START + 86_400_000; // 2023-03-01: 1,440 bars
// A tiny model keeps the test in seconds: 8 returns, 4 units, 128 sequences, 2 epochs, retrained every 480 bars;
// its probabilities stay near 0.5 (0.44 .. 0.67 on this day), so it trades at 0.52.
const P = { ...LSTM_PREDICTION_DEFAULTS, lookback: 8, units: 4, window: 128, epochs: 2, retrain: 480, threshold: 0.52 };

/** The documented walk-forward by hand: sequences, exact labels in cents, the schedule; p from the model trained last. */
async function referenceProbabilities(bars: readonly Bar[]): Promise<{ p: number[]; trainedAt: number[] }> {
  const c = bars.map((b) => Number(b.close));
  const xs = bars.map((_, t) => (t < P.lookback ? null : Array.from({ length: P.lookback }, (_, j) => c[t - P.lookback + 1 + j]! / c[t - P.lookback + j]! - 1)));
  const p = bars.map(() => Number.NaN);
  const trainedAt: number[] = [];
  let model: SequenceModel | undefined;
  for (let t = 0; t < bars.length; t++) {
    const labelled: { x: number[]; y: 0 | 1 }[] = [];
    for (let i = 0; i + P.horizon <= t; i++) {
      const x = xs[i];
      if (x) labelled.push({ x, y: cents(bars[i + P.horizon]!.close) > cents(bars[i]!.close) ? 1 : 0 });
    }
    const last = trainedAt[trainedAt.length - 1];
    if (labelled.length >= P.window && (last === undefined || t - last >= P.retrain)) {
      trainedAt.push(t);
      model = await trainLstm(labelled.slice(-P.window), P);
    }
    const x = xs[t];
    if (model && x) p[t] = model.predict(x);
  }
  return { p, trainedAt };
}

describe('lstm-prediction on real BTCUSDT minute bars (2023-03-01)', () => {
  let bars: Bar[];
  let first: LstmPrediction;
  let r: BacktestResult;
  beforeAll(async () => {
    bars = await loadBars(BTCUSDT, TO);
    first = new LstmPrediction(P);
    r = await runOn(first, BTCUSDT, bars);
  });

  it('trades exactly as documented: walk-forward seeded LSTM, probability against the threshold, recomputed by hand', async () => {
    const { p, trainedAt } = await referenceProbabilities(bars);
    expect(trainedAt).toEqual([140, 620, 1100]); // 8 + 128 + 5 − 1: the first window is full at bar 140
    const byTs = new Map(bars.map((b, t) => [b.ts, t]));
    expect(first.decisions.length).toBe(p.filter((v) => !Number.isNaN(v)).length);
    for (const d of first.decisions) expect(d.p, `p at ${d.ts}`).toBe(p[byTs.get(d.ts)!]);
    const want = simulate([rows(BTCUSDT.file, TO)], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      if (Number.isNaN(p[t]!)) return null;
      const a = classifierAction(p[t]!, P.threshold, held === -1 ? 'FLAT' : 'LONG');
      return a === null ? null : { leg: 0, side: a };
    });
    expect(r.bars).toBe(1440);
    expect(want.length).toBeGreaterThan(3);
    expectTrades(r, want);
    for (const w of want) {
      expect(p[w.entryBar]!).toBeGreaterThanOrEqual(P.threshold);
      expect(1 - p[w.exitBar]!).toBeGreaterThanOrEqual(P.threshold);
    }
  });

  it('no future data leaks into training: shuffling every bar after a point leaves every decision before it unchanged', async () => {
    const k = 900; // after the second training (620), before the third (1100)
    const shuffled = shuffleAfter(bars, k, 11);
    const other = new LstmPrediction(P);
    const r2 = await runOn(other, BTCUSDT, shuffled);
    const cut = bars[k + 1]!.ts;
    const before = (ds: LstmPrediction['decisions']) => ds.filter((d) => d.ts < cut);
    expect(before(first.decisions).length).toBeGreaterThan(700);
    expect(before(other.decisions)).toEqual(before(first.decisions));
    expect(r2.fills.filter((f) => f.time < cut)).toEqual(r.fills.filter((f) => f.time < cut));
    expect(other.decisions.filter((d) => d.ts >= cut)).not.toEqual(first.decisions.filter((d) => d.ts >= cut));
  });

  it('is reproducible: a second run (fresh seeded models) gives the same trades, fills and probabilities', async () => {
    const again = new LstmPrediction(P);
    const r2 = await runOn(again, BTCUSDT, bars);
    expect(again.decisions).toEqual(first.decisions);
    expect(r2.trades).toEqual(r.trades);
    expect(r2.fills).toEqual(r.fills);
    expect(r2.finalEquity).toBe(r.finalEquity);
  });

  it('another seed gives another model, and training leaves no tensor behind', async () => {
    await tfReady();
    const before = tf.memory().numTensors;
    const samples = Array.from({ length: 64 }, (_, i) => ({ x: Array.from({ length: 8 }, (_, j) => Math.sin(i + j) / 1000), y: (i % 2) as 0 | 1 }));
    const a = await trainLstm(samples, P);
    const b = await trainLstm(samples, { ...P, seed: 2 });
    expect(a.predict(samples[3]!.x)).not.toBe(b.predict(samples[3]!.x));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the JavaScript forward pass equals tfjs's predict on the same weights (to float32 precision)", async () => {
    await tfReady();
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 4, inputShape: [8, 1], activation: 'tanh', recurrentActivation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 6 }), biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 7 }) }));
    m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }), biasInitializer: tf.initializers.constant({ value: 0.3 }) }));
    const forward = lstmForward(m.getWeights().map((w) => Float32Array.from(w.dataSync())), 4);
    for (let i = 0; i < 5; i++) {
      const xs = Array.from({ length: 8 }, (_, j) => Math.sin(3 * i + j) * 2);
      const want = tf.tidy(() => (m.predict(tf.tensor3d([xs.map((x) => [x])], [1, 8, 1])) as tf.Tensor).dataSync()[0]!);
      expect(Math.abs(forward(xs) - want)).toBeLessThan(1e-6);
    }
    m.dispose();
  });

  it('is registered with its defaults and metadata and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['lstm-prediction']).toBe(lstmPredictionFactory);
    expect((lstmPredictionFactory.create({}) as LstmPrediction).params).toEqual(LSTM_PREDICTION_DEFAULTS);
    expect(lstmPredictionFactory.family).toBe('machine learning');
    expect(lstmPredictionFactory.params.map((x) => [x.name, Number(x.default)])).toEqual(Object.entries(LSTM_PREDICTION_DEFAULTS));
    expectBadParam(() => lstmPredictionFactory.create({ lookback: '1' }), 'lookback');
    expectBadParam(() => lstmPredictionFactory.create({ horizon: '0' }), 'horizon');
    expectBadParam(() => lstmPredictionFactory.create({ units: '2.5' }), 'units');
    expectBadParam(() => lstmPredictionFactory.create({ window: '7' }), 'window');
    expectBadParam(() => lstmPredictionFactory.create({ retrain: '0' }), 'retrain');
    expectBadParam(() => lstmPredictionFactory.create({ epochs: '0' }), 'epochs');
    expectBadParam(() => lstmPredictionFactory.create({ learningRate: '0' }), 'learningRate');
    expectBadParam(() => lstmPredictionFactory.create({ threshold: '0.49' }), 'threshold');
    expectBadParam(() => lstmPredictionFactory.create({ fraction: '1.1' }), 'fraction');
    expectBadParam(() => lstmPredictionFactory.create({ seed: '0.5' }), 'seed');
    expectBadParam(() => lstmPredictionFactory.create({ dropout: '0.1' }), 'dropout');
  });
});
