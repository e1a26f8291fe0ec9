import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { MACD_DEFAULTS, MacdStrategy, macdFactory } from '../../src/strategies/macd.ts';
import { backtest, BTCUSDT, expectBadParam, expectDeterministic, expectTrades, rows, simulate, START } from './helpers.ts';

const TO = START + 3 * 86_400_000; // 2023-03-01 .. 03-03: 4,320 bars
const P = MACD_DEFAULTS; // fast 12, slow 26, signal 9, fraction 0.95

/** EMA as documented: seeded with the first value, e_t = x_t·w + e_{t−1}·(1 − w), w = 2/(n+1). */
function ema(xs: number[], n: number): number[] {
  const w = 2 / (n + 1);
  const out: number[] = [];
  let prev: number | undefined;
  for (const x of xs) out.push((prev = x * w + (prev ?? x) * (1 - w)));
  return out;
}

/** MACD − signal per bar, NaN until the signal EMA has `signal` values. */
function histogram(closes: number[]): number[] {
  const f = ema(closes, P.fast);
  const s = ema(closes, P.slow);
  const line = closes.map((_, t) => f[t]! - s[t]!).slice(P.slow - 1);
  const sig = ema(line, P.signal);
  const h = closes.map(() => Number.NaN);
  for (let i = P.signal - 1; i < line.length; i++) h[i + P.slow - 1] = line[i]! - sig[i]!;
  return h;
}

describe('macd on real BTCUSDT minute bars (2023-03-01 .. 03-03)', () => {
  const run = () => backtest(new MacdStrategy(P), [BTCUSDT], TO);

  it('trades exactly as documented: crosses of MACD over its signal, recomputed by hand', async () => {
    const bars = rows(BTCUSDT.file, TO);
    const h = histogram(bars.map((b) => b.close));
    const want = simulate([bars], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      if (t < 1 || Number.isNaN(h[t - 1]!)) return null;
      if (h[t]! > 0 && h[t - 1]! <= 0 && held === -1) return { leg: 0, side: 'BUY' };
      if (h[t]! < 0 && h[t - 1]! >= 0 && held === 0) return { leg: 0, side: 'SELL' };
      return null;
    });
    const r = await run();
    expect(r.bars).toBe(4320);
    expect(want.length).toBeGreaterThan(30);
    expectTrades(r, want);
    // Each entry's decision bar (the minute before the fill) is a cross above; each exit's a cross below.
    const at = (ts: number) => bars.findIndex((b) => b.ts === ts) - 1;
    for (const tr of r.trades) {
      const e = at(tr.entryTime);
      expect(h[e]! > 0 && h[e - 1]! <= 0).toBe(true);
      const x = at(tr.exitTime);
      expect(h[x]! < 0 && h[x - 1]! >= 0).toBe(true);
    }
  });

  it('is deterministic', async () => {
    await expectDeterministic(run);
  });

  it('is registered with its defaults and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['macd']).toBe(macdFactory);
    expect((macdFactory.create({}) as MacdStrategy).params).toEqual(MACD_DEFAULTS);
    expect((macdFactory.create({ fast: '5', slow: '20', signal: '4', fraction: '0.5' }) as MacdStrategy).params).toEqual({ fast: 5, slow: 20, signal: 4, fraction: 0.5 });
    expectBadParam(() => macdFactory.create({ fast: '0' }), 'fast');
    expectBadParam(() => macdFactory.create({ fast: '2.5' }), 'fast');
    expectBadParam(() => macdFactory.create({ fast: '30', slow: '26' }), 'slow');
    expectBadParam(() => macdFactory.create({ signal: 'x' }), 'signal');
    expectBadParam(() => macdFactory.create({ fraction: '1.5' }), 'fraction');
    expectBadParam(() => macdFactory.create({ fraction: '' }), 'fraction');
    expectBadParam(() => macdFactory.create({ period: '3' }), 'period');
  });
});
