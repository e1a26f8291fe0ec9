import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { KALMAN_MEAN_REVERSION_DEFAULTS, KalmanMeanReversion, kalmanDecision, kalmanMeanReversionFactory, kalmanStep } from '../../src/strategies/kalman-mean-reversion.ts';
import { backtest, BTCUSDT, expectBadParam, expectDeterministic, expectTrades, rows, simulate, START } from './helpers.ts';

const TO = START + 2 * 86_400_000; // 2023-03-01 .. 03-02: 2,880 minute bars
const P = KALMAN_MEAN_REVERSION_DEFAULTS; // q 1e-7, r 1e-6, entry 2, exit 0, warmup 30, fraction 0.95

/** The innovation z-scores of a local-level Kalman filter on ln(close), written out by hand. */
function zScores(closes: number[]): number[] {
  const z = closes.map(() => Number.NaN);
  let x = Math.log(closes[0]!);
  let p = P.r;
  for (let t = 1; t < closes.length; t++) {
    const y = Math.log(closes[t]!);
    const prior = p + P.q;
    const s = prior + P.r;
    z[t] = (y - x) / Math.sqrt(s);
    const k = prior / s;
    x = x + k * (y - x);
    p = (1 - k) * prior;
  }
  return z;
}

describe('kalman-mean-reversion on real BTCUSDT minute bars (2023-03-01 .. 03-02)', () => {
  const run = () => backtest(new KalmanMeanReversion(P), [BTCUSDT], TO);

  it('trades exactly as documented: buy on an innovation z < −2, sell once z ≥ 0, recomputed by hand', async () => {
    const bars = rows(BTCUSDT.file, TO);
    const z = zScores(bars.map((b) => b.close));
    const want = simulate([bars], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      if (t < P.warmup) return null; // bar index ≥ warmup
      if (held === 0) return z[t]! >= -P.exit ? { leg: 0, side: 'SELL' } : null;
      return z[t]! < -P.entry ? { leg: 0, side: 'BUY' } : null;
    });
    expect(want.length).toBeGreaterThan(5);
    // No decision of these two days sits within the tolerance of a threshold, so the plain float comparisons above are the rule.
    for (const v of z.slice(P.warmup)) {
      expect(Math.abs(v + P.entry)).toBeGreaterThan(1e-9);
      expect(Math.abs(v + P.exit)).toBeGreaterThan(1e-9);
    }
    const r = await run();
    expectTrades(r, want);
    for (const tr of want) {
      expect(z[tr.entryBar]!).toBeLessThan(-P.entry);
      expect(z[tr.exitBar]!).toBeGreaterThanOrEqual(-P.exit);
    }
  });

  it('follows the documented tie rule: z at exactly −entry does not enter, z at exactly −exit exits (tolerance 1e-9)', () => {
    // A z that is −2 in exact arithmetic but not in float64: −(0.1 + 0.2) / 0.15.
    const almostTwo = -(0.1 + 0.2) / 0.15;
    expect(almostTwo).not.toBe(-2);
    expect(kalmanDecision(almostTwo, false, P)).toBe('HOLD');
    expect(kalmanDecision(-2, false, P)).toBe('HOLD');
    expect(kalmanDecision(-2 - 1e-8, false, P)).toBe('ENTER');
    expect(kalmanDecision(0.1 + 0.2 - 0.3 - 1e-16, true, P)).toBe('EXIT');
    expect(kalmanDecision(-2e-9, true, P)).toBe('HOLD');
    // And through the filter: from x = ln 100 with P = r, a close whose innovation is exactly −2·√S.
    const s = P.r + P.q + P.r;
    const step = kalmanStep({ x: Math.log(100), p: P.r }, Math.log(100) - 2 * Math.sqrt(s), P.q, P.r);
    expect(Math.abs(step.z + 2)).toBeLessThan(1e-12);
    expect(kalmanDecision(step.z, false, P)).toBe('HOLD');
  });

  it('is deterministic', async () => {
    await expectDeterministic(run);
  });

  it('is registered with its defaults and info, and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['kalman-mean-reversion']).toBe(kalmanMeanReversionFactory);
    expect((kalmanMeanReversionFactory.create({}) as KalmanMeanReversion).params).toEqual(P);
    expect(kalmanMeanReversionFactory.family).toBe('mean reversion');
    expect(kalmanMeanReversionFactory.params.map((p) => [p.name, Number(p.default)])).toEqual(Object.entries(P));
    expectBadParam(() => kalmanMeanReversionFactory.create({ q: '0' }), 'q');
    expectBadParam(() => kalmanMeanReversionFactory.create({ r: '-1' }), 'r');
    expectBadParam(() => kalmanMeanReversionFactory.create({ entry: '0' }), 'entry');
    expectBadParam(() => kalmanMeanReversionFactory.create({ entry: '1', exit: '1' }), 'exit');
    expectBadParam(() => kalmanMeanReversionFactory.create({ warmup: '0.5' }), 'warmup');
    expectBadParam(() => kalmanMeanReversionFactory.create({ fraction: '1.5' }), 'fraction');
    expectBadParam(() => kalmanMeanReversionFactory.create({ gain: '1' }), 'gain');
  });
});
