import { describe, expect, it } from 'vitest';
import { BOLLINGER_REVERSION_DEFAULTS, BollingerReversion, bollingerReversionFactory } from '../../src/strategies/bollinger-reversion.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { backtest, BTCUSDT, expectBadParam, expectDeterministic, expectTrades, rows, simulate, START } from './helpers.ts';

const TO = START + 3 * 86_400_000; // 4,320 bars
const P = BOLLINGER_REVERSION_DEFAULTS; // period 20, k 2, fraction 0.95

/** Mean and lower band of the last n closes ending at t (population σ); NaN before n−1. */
function bands(closes: number[], n: number, k: number): { middle: number[]; lower: number[] } {
  const middle: number[] = [];
  const lower: number[] = [];
  for (let t = 0; t < closes.length; t++) {
    if (t < n - 1) {
      middle.push(Number.NaN);
      lower.push(Number.NaN);
      continue;
    }
    let s = 0;
    for (let i = t - n + 1; i <= t; i++) s += closes[i]!;
    const m = s / n;
    let v = 0;
    for (let i = t - n + 1; i <= t; i++) v += (closes[i]! - m) ** 2;
    middle.push(m);
    lower.push(m - k * Math.sqrt(v / n));
  }
  return { middle, lower };
}

describe('bollinger-reversion on real BTCUSDT minute bars (2023-03-01 .. 03-03)', () => {
  const run = () => backtest(new BollingerReversion(P), [BTCUSDT], TO);

  it('trades exactly as documented: buy below the lower band, sell at the middle, bands recomputed by hand', async () => {
    const bars = rows(BTCUSDT.file, TO);
    const closes = bars.map((b) => b.close);
    const { middle, lower } = bands(closes, P.period, P.k);
    const want = simulate([bars], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      if (Number.isNaN(middle[t]!)) return null;
      if (closes[t]! < lower[t]! && held === -1) return { leg: 0, side: 'BUY' };
      if (closes[t]! >= middle[t]! && held === 0) return { leg: 0, side: 'SELL' };
      return null;
    });
    const r = await run();
    expect(want.length).toBeGreaterThan(30);
    expectTrades(r, want);
    const at = (ts: number) => bars.findIndex((b) => b.ts === ts) - 1;
    for (const tr of r.trades) {
      const e = at(tr.entryTime);
      expect(closes[e]!).toBeLessThan(lower[e]!);
      const x = at(tr.exitTime);
      expect(closes[x]!).toBeGreaterThanOrEqual(middle[x]!);
    }
  });

  it('is deterministic', async () => {
    await expectDeterministic(run);
  });

  it('is registered with its defaults and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['bollinger-reversion']).toBe(bollingerReversionFactory);
    expect((bollingerReversionFactory.create({}) as BollingerReversion).params).toEqual(BOLLINGER_REVERSION_DEFAULTS);
    expect((bollingerReversionFactory.create({ period: '50', k: '2.5' }) as BollingerReversion).params).toEqual({ period: 50, k: 2.5, fraction: 0.95 });
    expectBadParam(() => bollingerReversionFactory.create({ period: '1' }), 'period');
    expectBadParam(() => bollingerReversionFactory.create({ k: '0' }), 'k');
    expectBadParam(() => bollingerReversionFactory.create({ k: '-1' }), 'k');
    expectBadParam(() => bollingerReversionFactory.create({ fraction: 'abc' }), 'fraction');
    expectBadParam(() => bollingerReversionFactory.create({ slow: '3' }), 'slow');
  });
});
