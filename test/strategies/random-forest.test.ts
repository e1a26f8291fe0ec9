import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../src/backtest/runner.ts';
import type { Bar } from '../../src/model/bar.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { BarFeatures, classifierAction, compareDecimal, upLabel } from '../../src/strategies/ml-walk-forward.ts';
import { RANDOM_FOREST_DEFAULTS, RandomForestStrategy, randomForestFactory, trainForest } from '../../src/strategies/random-forest.ts';
import { BTCUSDT, expectBadParam, expectTrades, rows, simulate, START } from './helpers.ts';
import { cents, loadBars, runOn, shuffleAfter } from './ml-helpers.ts';

const TO = START + 2 * 86_400_000; // 2023-03-01 .. 03-02: 2,880 bars
// A smaller forest than the defaults keeps the test in seconds: 300 samples, 10 trees of depth 5, retrained every 360 bars.
const P = { ...RANDOM_FOREST_DEFAULTS, window: 300, retrain: 360, trees: 10, depth: 5 };

/**
 * The documented walk-forward by hand: labels from closes in integer cents, the window of the last
 * P.window labelled samples, trained when it first fills and every P.retrain bars after; the up
 * probability at each bar from the forest trained last. NaN where there is no forest or no input.
 */
function referenceProbabilities(bars: readonly Bar[]): { p: number[]; trainedAt: number[] } {
  const f = new BarFeatures();
  const xs = bars.map((b) => f.next({ high: Number(b.high), low: Number(b.low), close: Number(b.close), volume: Number(b.volume) }));
  const p = bars.map(() => Number.NaN);
  const trainedAt: number[] = [];
  let model: ((x: number[]) => number) | undefined;
  for (let t = 0; t < bars.length; t++) {
    // Samples whose label is known at t: inputs of bars i ≤ t − horizon, labelled by close_{i+h} vs close_i.
    const labelled: { x: number[]; y: 0 | 1 }[] = [];
    for (let i = 0; i + P.horizon <= t; i++) {
      const x = xs[i];
      if (x) labelled.push({ x, y: cents(bars[i + P.horizon]!.close) > cents(bars[i]!.close) ? 1 : 0 });
    }
    const last = trainedAt[trainedAt.length - 1];
    if (labelled.length >= P.window && (last === undefined || t - last >= P.retrain)) {
      trainedAt.push(t);
      model = trainForest(labelled.slice(-P.window), P);
    }
    const x = xs[t];
    if (model && x) p[t] = model(x);
  }
  return { p, trainedAt };
}

describe('random-forest on real BTCUSDT minute bars (2023-03-01 .. 03-02)', () => {
  let bars: Bar[];
  let first: RandomForestStrategy;
  let r: BacktestResult;
  beforeAll(async () => {
    bars = await loadBars(BTCUSDT, TO);
    first = new RandomForestStrategy(P);
    r = await runOn(first, BTCUSDT, bars);
  });

  it('trades exactly as documented: walk-forward forest, vote share against the threshold, recomputed by hand', () => {
    const { p, trainedAt } = referenceProbabilities(bars);
    expect(trainedAt).toEqual([337, 697, 1057, 1417, 1777, 2137, 2497, 2857]); // first input at bar 33, + 5 of horizon + 300 samples − 1; then every 360
    // Each prediction of the run is the hand-made forest's, bar for bar.
    const byTs = new Map(bars.map((b, t) => [b.ts, t]));
    expect(first.decisions.length).toBe(p.filter((v) => !Number.isNaN(v)).length);
    for (const d of first.decisions) expect(d.p, `p at ${d.ts}`).toBe(p[byTs.get(d.ts)!]);
    const want = simulate([rows(BTCUSDT.file, TO)], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      if (Number.isNaN(p[t]!)) return null;
      const a = classifierAction(p[t]!, P.threshold, held === -1 ? 'FLAT' : 'LONG');
      return a === null ? null : { leg: 0, side: a };
    });
    expect(r.bars).toBe(2880);
    expect(want.length).toBeGreaterThan(20);
    expectTrades(r, want);
    // The rule at each decision bar: an entry's vote share ≥ 0.6 up, an exit's ≥ 0.6 down.
    for (const w of want) {
      expect(p[w.entryBar]!).toBeGreaterThanOrEqual(P.threshold);
      expect(1 - p[w.exitBar]!).toBeGreaterThanOrEqual(P.threshold);
    }
  });

  it('no future data leaks into training: shuffling every bar after a point leaves every decision before it unchanged', async () => {
    const k = 1500;
    // The shuffled run stops 400 bars after the cut (time: the forest retrains there once, at bar 1777).
    const shuffled = shuffleAfter(bars, k, 7).slice(0, k + 400);
    expect(shuffled.slice(k + 1).filter((b, i) => b.close !== bars[k + 1 + i]!.close).length).toBeGreaterThan(300);
    const other = new RandomForestStrategy(P);
    const r2 = await runOn(other, BTCUSDT, shuffled);
    const cut = bars[k + 1]!.ts;
    const before = (ds: RandomForestStrategy['decisions']) => ds.filter((d) => d.ts < cut);
    expect(before(first.decisions).length).toBeGreaterThan(500);
    expect(before(other.decisions)).toEqual(before(first.decisions));
    // Orders decided up to bar k fill at the open of k+1 at the latest: every fill before it is the same.
    expect(r2.fills.filter((f) => f.time < cut)).toEqual(r.fills.filter((f) => f.time < cut));
    // And the shuffled future does change what comes after (the test could see a difference).
    const end = shuffled[shuffled.length - 1]!.ts;
    expect(other.decisions.filter((d) => d.ts >= cut)).not.toEqual(first.decisions.filter((d) => d.ts >= cut && d.ts <= end));
  });

  it('is reproducible: a second run gives the same trades, fills and predictions', async () => {
    const again = new RandomForestStrategy(P);
    const r2 = await runOn(again, BTCUSDT, bars);
    expect(r2.trades).toEqual(r.trades);
    expect(r2.fills).toEqual(r.fills);
    expect(again.decisions).toEqual(first.decisions);
    expect(r2.finalEquity).toBe(r.finalEquity);
  });

  it('labels compare closes exactly: an exact tie is down (0), one cent up is up', () => {
    expect(upLabel('22000.10', '22000.1')).toBe(0);
    expect(upLabel('22000.10', '22000.11')).toBe(1);
    expect(upLabel('22000.10', '22000.09')).toBe(0);
    expect(compareDecimal('0.30000000000000004', '0.3')).toBe(1);
    expect(compareDecimal('1.000', '1')).toBe(0);
    expect(compareDecimal('-2.5', '-2.49')).toBe(-1);
  });

  it('the threshold is a float comparison on vote shares, inclusive', () => {
    expect(classifierAction(0.6, 0.6, 'FLAT')).toBe('BUY');
    expect(classifierAction(0.59, 0.6, 'FLAT')).toBe(null);
    expect(classifierAction(0.4, 0.6, 'LONG')).toBe('SELL');
    expect(classifierAction(0.41, 0.6, 'LONG')).toBe(null);
    expect(classifierAction(0.9, 0.6, 'LONG')).toBe(null);
  });

  it('is registered with its defaults and metadata and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['random-forest']).toBe(randomForestFactory);
    expect((randomForestFactory.create({}) as RandomForestStrategy).params).toEqual(RANDOM_FOREST_DEFAULTS);
    expect(randomForestFactory.family).toBe('machine learning');
    expect(randomForestFactory.params.map((x) => [x.name, Number(x.default)])).toEqual(Object.entries(RANDOM_FOREST_DEFAULTS));
    expectBadParam(() => randomForestFactory.create({ horizon: '0' }), 'horizon');
    expectBadParam(() => randomForestFactory.create({ window: '19' }), 'window');
    expectBadParam(() => randomForestFactory.create({ retrain: '1.5' }), 'retrain');
    expectBadParam(() => randomForestFactory.create({ trees: '0' }), 'trees');
    expectBadParam(() => randomForestFactory.create({ depth: 'x' }), 'depth');
    expectBadParam(() => randomForestFactory.create({ threshold: '0.4' }), 'threshold');
    expectBadParam(() => randomForestFactory.create({ threshold: '1.01' }), 'threshold');
    expectBadParam(() => randomForestFactory.create({ fraction: '0' }), 'fraction');
    expectBadParam(() => randomForestFactory.create({ seed: '-1' }), 'seed');
    expectBadParam(() => randomForestFactory.create({ seed: '2147483648' }), 'seed');
    expectBadParam(() => randomForestFactory.create({ lookback: '3' }), 'lookback');
  });
});
