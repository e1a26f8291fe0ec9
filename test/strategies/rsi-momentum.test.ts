import { RSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { RSI_MOMENTUM_DEFAULTS, RsiMomentum, rsiMomentumFactory } from '../../src/strategies/rsi-momentum.ts';
import { backtest, BTCUSDT, expectBadParam, expectDeterministic, expectTrades, rows, simulate, START } from './helpers.ts';

const TO = START + 3 * 86_400_000; // 4,320 bars
const P = RSI_MOMENTUM_DEFAULTS; // period 14, entry 60, exit 50, fraction 0.95

/** Wilder's RSI by hand: NaN before bar index `period`. */
function rsi(closes: number[], n: number): number[] {
  const out = closes.map(() => Number.NaN);
  let gain = 0;
  let loss = 0;
  for (let t = 1; t < closes.length; t++) {
    const d = closes[t]! - closes[t - 1]!;
    const g = d > 0 ? d : 0;
    const l = d > 0 ? 0 : -d;
    if (t <= n) {
      gain += g;
      loss += l;
      if (t < n) continue;
      gain /= n;
      loss /= n;
    } else {
      gain += (g - gain) / n;
      loss += (l - loss) / n;
    }
    out[t] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

describe('rsi-momentum on real BTCUSDT minute bars (2023-03-01 .. 03-03)', () => {
  const run = () => backtest(new RsiMomentum(P), [BTCUSDT], TO);

  it('trades exactly as documented: RSI > entry to buy, RSI < exit to sell, RSI recomputed by hand', async () => {
    const bars = rows(BTCUSDT.file, TO);
    const closes = bars.map((b) => b.close);
    const mine = rsi(closes, P.period);
    // The hand-written RSI agrees with trading-signals' to rounding.
    const lib = new RSI(P.period);
    closes.forEach((c, t) => {
      const v = lib.add(c);
      if (Number.isNaN(mine[t]!)) expect(v).toBeNull();
      else expect(Math.abs(v! - mine[t]!)).toBeLessThan(1e-6);
    });
    const want = simulate([bars], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      const v = mine[t]!;
      if (Number.isNaN(v)) return null;
      if (v > P.entry && held === -1) return { leg: 0, side: 'BUY' };
      if (v < P.exit && held === 0) return { leg: 0, side: 'SELL' };
      return null;
    });
    const r = await run();
    expect(want.length).toBeGreaterThan(30);
    expectTrades(r, want);
    const at = (ts: number) => bars.findIndex((b) => b.ts === ts) - 1;
    for (const tr of r.trades) {
      expect(mine[at(tr.entryTime)]!).toBeGreaterThan(P.entry);
      expect(mine[at(tr.exitTime)]!).toBeLessThan(P.exit);
    }
  });

  it('is deterministic', async () => {
    await expectDeterministic(run);
  });

  it('is registered with its defaults and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['rsi-momentum']).toBe(rsiMomentumFactory);
    expect((rsiMomentumFactory.create({}) as RsiMomentum).params).toEqual(RSI_MOMENTUM_DEFAULTS);
    expect((rsiMomentumFactory.create({ period: '7', entry: '70', exit: '30' }) as RsiMomentum).params).toEqual({ period: 7, entry: 70, exit: 30, fraction: 0.95 });
    expectBadParam(() => rsiMomentumFactory.create({ period: '1' }), 'period');
    expectBadParam(() => rsiMomentumFactory.create({ entry: '100' }), 'entry');
    expectBadParam(() => rsiMomentumFactory.create({ entry: '50', exit: '55' }), 'exit');
    expectBadParam(() => rsiMomentumFactory.create({ exit: '0' }), 'exit');
    expectBadParam(() => rsiMomentumFactory.create({ fraction: '0' }), 'fraction');
    expectBadParam(() => rsiMomentumFactory.create({ fast: '3' }), 'fast');
  });
});
