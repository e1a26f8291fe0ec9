import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../src/backtest/runner.ts';
import type { Bar } from '../../src/model/bar.ts';
import { mulberry32 } from '../../src/risk/analytics/random.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { greedy, Q_LEARNING_DEFAULTS, QLearning, qLearningFactory } from '../../src/strategies/q-learning.ts';
import { BTCUSDT, expectBadParam, expectTrades, rows, simulate, START } from './helpers.ts';
import { cents, loadBars, runOn, shuffleAfter } from './ml-helpers.ts';

const TO = START + 3 * 86_400_000; // 2023-03-01 .. 03-03: 4,320 bars
// cost 0.0001: with the default 0.001 (10 bps, the fee) a minute return rarely pays a change of position and the table learns to stay flat.
const P = { ...Q_LEARNING_DEFAULTS, window: 1000, retrain: 720, episodes: 3, cost: 0.0001 };

/**
 * The documented rules written again, plainly: trend by integer cents, σ by a loop, the table
 * trained on the last window + 1 bars when the window fills and every `retrain` bars after, with
 * the same seeded draws; the greedy action at each bar given the position held.
 */
function reference(bars: readonly Bar[]): { act: (t: number, pos: 0 | 1) => 0 | 1 | null; trainedAt: number[] } {
  const c = bars.map((b) => Number(b.close));
  const start = Math.max(P.trendBars, P.volBars);
  const trend = bars.map((b, t) => (t < start ? -1 : cents(b.close) > cents(bars[t - P.trendBars]!.close) ? 2 : cents(b.close) < cents(bars[t - P.trendBars]!.close) ? 0 : 1));
  const sigma = bars.map((_, t) => {
    if (t < start) return Number.NaN;
    const r: number[] = [];
    for (let i = t - P.volBars + 1; i <= t; i++) r.push(c[i]! / c[i - 1]! - 1);
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    return Math.sqrt(r.reduce((a, b) => a + (b - m) * (b - m), 0) / r.length);
  });
  const tables: { from: number; q: number[]; cut: number }[] = [];
  const trainedAt: number[] = [];
  for (let t = start + P.window; t < bars.length; t++) {
    const last = trainedAt[trainedAt.length - 1];
    if (last !== undefined && t - last < P.retrain) continue;
    trainedAt.push(t);
    const idx = Array.from({ length: P.window + 1 }, (_, j) => t - P.window + j);
    const sorted = idx.map((i) => sigma[i]!).sort((a, b) => a - b);
    const cut = sorted[Math.floor(sorted.length / 2)]!;
    const st = (i: number, pos: number) => (trend[i]! * 2 + (sigma[i]! > cut ? 1 : 0)) * 2 + pos;
    const q = new Array<number>(24).fill(0);
    const rng = mulberry32(P.seed + tables.length);
    for (let e = 0; e < P.episodes; e++) {
      let pos = 0;
      for (let j = 0; j < P.window; j++) {
        const i = idx[j]!;
        const s = st(i, pos);
        let a: number;
        if (rng() < P.epsilon) a = rng() < 0.5 ? 1 : 0;
        else a = q[2 * s + 1]! > q[2 * s]! ? 1 : q[2 * s]! > q[2 * s + 1]! ? 0 : pos;
        const reward = a * (c[i + 1]! / c[i]! - 1) - P.cost * Math.abs(a - pos);
        const n = st(i + 1, a);
        q[2 * s + a] = q[2 * s + a]! + P.alpha * (reward + P.gamma * Math.max(q[2 * n]!, q[2 * n + 1]!) - q[2 * s + a]!);
        pos = a;
      }
    }
    tables.push({ from: t, q, cut });
  }
  const act = (t: number, pos: 0 | 1): 0 | 1 | null => {
    const table = tables.filter((x) => x.from <= t).pop();
    if (!table) return null;
    const s = (trend[t]! * 2 + (sigma[t]! > table.cut ? 1 : 0)) * 2 + pos;
    return table.q[2 * s + 1]! > table.q[2 * s]! ? 1 : table.q[2 * s]! > table.q[2 * s + 1]! ? 0 : pos;
  };
  return { act, trainedAt };
}

describe('q-learning on real BTCUSDT minute bars (2023-03-01 .. 03-03)', () => {
  let bars: Bar[];
  let first: QLearning;
  let r: BacktestResult;
  beforeAll(async () => {
    bars = await loadBars(BTCUSDT, TO);
    first = new QLearning(P);
    r = await runOn(first, BTCUSDT, bars);
  });

  it('trades exactly as documented: tables trained on past bars only, greedy out of sample, recomputed by hand', () => {
    const { act, trainedAt } = reference(bars);
    expect(trainedAt).toEqual([1020, 1740, 2460, 3180, 3900]);
    const byTs = new Map(bars.map((b, t) => [b.ts, t]));
    for (const d of first.decisions) expect(d.action, `action at ${d.ts}`).toBe(act(byTs.get(d.ts)!, (d.state % 2) as 0 | 1));
    expect(first.decisions.length).toBe(bars.length - 1020);
    const want = simulate([rows(BTCUSDT.file, TO)], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      const pos = held === -1 ? 0 : 1;
      const a = act(t, pos);
      if (a === 1 && pos === 0) return { leg: 0, side: 'BUY' };
      if (a === 0 && pos === 1) return { leg: 0, side: 'SELL' };
      return null;
    });
    expect(want.length).toBeGreaterThan(5);
    expectTrades(r, want);
  });

  it('no future data leaks into training: shuffling every bar after a point leaves every decision before it unchanged', async () => {
    const k = 2000; // after the second training (1740), before the third (2460)
    const other = new QLearning(P);
    const r2 = await runOn(other, BTCUSDT, shuffleAfter(bars, k, 3));
    const cut = bars[k + 1]!.ts;
    const before = (ds: QLearning['decisions']) => ds.filter((d) => d.ts < cut);
    expect(before(first.decisions).length).toBe(k + 1 - 1020);
    expect(before(other.decisions)).toEqual(before(first.decisions));
    expect(r2.fills.filter((f) => f.time < cut)).toEqual(r.fills.filter((f) => f.time < cut));
    expect(other.decisions.filter((d) => d.ts >= cut)).not.toEqual(first.decisions.filter((d) => d.ts >= cut));
  });

  it('is reproducible: a second run gives the same trades, fills and decisions; another seed explores differently', async () => {
    const again = new QLearning(P);
    const r2 = await runOn(again, BTCUSDT, bars);
    expect(again.decisions).toEqual(first.decisions);
    expect(r2.trades).toEqual(r.trades);
    expect(r2.fills).toEqual(r.fills);
    const seeded = new QLearning({ ...P, seed: 8 });
    await runOn(seeded, BTCUSDT, bars);
    expect(seeded.decisions).not.toEqual(first.decisions);
  });

  it('the greedy action keeps the position on a tie (an unvisited state)', () => {
    const q = new Float64Array(24);
    expect(greedy(q, 3, 0)).toBe(0);
    expect(greedy(q, 3, 1)).toBe(1);
    q[7] = 1e-12;
    expect(greedy(q, 3, 0)).toBe(1);
  });

  it('is registered with its defaults and metadata and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['q-learning']).toBe(qLearningFactory);
    expect((qLearningFactory.create({}) as QLearning).params).toEqual(Q_LEARNING_DEFAULTS);
    expect(qLearningFactory.family).toBe('machine learning');
    expect(qLearningFactory.params.map((x) => [x.name, Number(x.default)])).toEqual(Object.entries(Q_LEARNING_DEFAULTS));
    expectBadParam(() => qLearningFactory.create({ trendBars: '0' }), 'trendBars');
    expectBadParam(() => qLearningFactory.create({ volBars: '1' }), 'volBars');
    expectBadParam(() => qLearningFactory.create({ window: '9' }), 'window');
    expectBadParam(() => qLearningFactory.create({ retrain: '0' }), 'retrain');
    expectBadParam(() => qLearningFactory.create({ episodes: '1.5' }), 'episodes');
    expectBadParam(() => qLearningFactory.create({ alpha: '0' }), 'alpha');
    expectBadParam(() => qLearningFactory.create({ gamma: '1' }), 'gamma');
    expectBadParam(() => qLearningFactory.create({ epsilon: '1.2' }), 'epsilon');
    expectBadParam(() => qLearningFactory.create({ cost: '-0.001' }), 'cost');
    expectBadParam(() => qLearningFactory.create({ fraction: '0' }), 'fraction');
    expectBadParam(() => qLearningFactory.create({ seed: 'x' }), 'seed');
    expectBadParam(() => qLearningFactory.create({ lambda: '0.5' }), 'lambda');
  });
});
