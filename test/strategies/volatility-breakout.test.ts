import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { VOLATILITY_BREAKOUT_DEFAULTS, VolatilityBreakout, volatilityBreakoutFactory } from '../../src/strategies/volatility-breakout.ts';
import { backtest, BTCUSDT, expectBadParam, expectDeterministic, expectTrades, rows, simulate, START, type Row } from './helpers.ts';

const TO = START + 3 * 86_400_000; // 4,320 bars
const P = { ...VOLATILITY_BREAKOUT_DEFAULTS, k: 1.5 }; // period 14, k 1.5 (2 ATRs in one minute is rare), fraction 0.95

/** Wilder ATR by hand (NaN before index n−1) and the SMA of closes. */
function indicators(bars: Row[], n: number): { atr: number[]; sma: number[] } {
  const atr: number[] = [];
  const sma: number[] = [];
  let a = 0;
  for (let t = 0; t < bars.length; t++) {
    const b = bars[t]!;
    const pc = t > 0 ? bars[t - 1]!.close : undefined;
    const tr = pc === undefined ? b.high - b.low : Math.max(b.high - b.low, Math.abs(b.high - pc), Math.abs(b.low - pc));
    if (t < n) a += tr;
    if (t === n - 1) a /= n;
    else if (t >= n) a += (tr - a) / n;
    atr.push(t >= n - 1 ? a : Number.NaN);
    if (t < n - 1) sma.push(Number.NaN);
    else {
      let s = 0;
      for (let i = t - n + 1; i <= t; i++) s += bars[i]!.close;
      sma.push(s / n);
    }
  }
  return { atr, sma };
}

describe('volatility-breakout on real BTCUSDT minute bars (2023-03-01 .. 03-03)', () => {
  const run = () => backtest(new VolatilityBreakout(P), [BTCUSDT], TO);

  it('trades exactly as documented: breakout above close + k·ATR, exit below the middle or the trailing stop', async () => {
    const bars = rows(BTCUSDT.file, TO);
    const c = bars.map((b) => b.close);
    const { atr, sma } = indicators(bars, P.period);
    let peak: number | undefined;
    const reasons = { middle: 0, stop: 0 };
    const want = simulate([bars], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      if (t < 1 || Number.isNaN(atr[t - 1]!) || Number.isNaN(sma[t - 1]!)) return null;
      if (held === 0) {
        const p = peak ?? c[t]!;
        const belowMiddle = c[t]! < sma[t - 1]!;
        const belowStop = c[t]! < p - P.k * atr[t - 1]!;
        if (belowMiddle || belowStop) {
          if (belowMiddle) reasons.middle++;
          if (belowStop) reasons.stop++;
          peak = undefined;
          return { leg: 0, side: 'SELL' };
        }
        peak = Math.max(p, c[t]!);
        return null;
      }
      if (c[t]! > c[t - 1]! + P.k * atr[t - 1]!) {
        peak = c[t]!;
        return { leg: 0, side: 'BUY' };
      }
      return null;
    });
    const r = await run();
    expect(want.length).toBeGreaterThan(10);
    expect(reasons.middle).toBeGreaterThan(0);
    expectTrades(r, want);
    const at = (ts: number) => bars.findIndex((b) => b.ts === ts) - 1;
    for (const tr of r.trades) {
      const e = at(tr.entryTime);
      expect(c[e]!).toBeGreaterThan(c[e - 1]! + P.k * atr[e - 1]!);
      // The exit bar closed below the middle band or below (highest close since entry) − k·ATR.
      const x = at(tr.exitTime);
      const hi = Math.max(...c.slice(e, x));
      expect(c[x]! < sma[x - 1]! || c[x]! < hi - P.k * atr[x - 1]!).toBe(true);
    }
  });

  it('the trailing stop alone closes a trade when the middle band is far below', async () => {
    // A long band (period 200) puts the middle low under a rally; a tight k makes the ATR stop bite first.
    const bars = rows(BTCUSDT.file, TO);
    const r = await backtest(new VolatilityBreakout({ period: 200, k: 1, fraction: 0.5 }), [BTCUSDT], TO);
    const { atr, sma } = indicators(bars, 200);
    const c = bars.map((b) => b.close);
    const at = (ts: number) => bars.findIndex((b) => b.ts === ts) - 1;
    let byStopOnly = 0;
    for (const tr of r.trades) {
      const e = at(tr.entryTime);
      const x = at(tr.exitTime);
      const hi = Math.max(...c.slice(e, x));
      const stop = c[x]! < hi - atr[x - 1]!;
      expect(c[x]! < sma[x - 1]! || stop).toBe(true);
      if (stop && c[x]! >= sma[x - 1]!) byStopOnly++;
    }
    expect(byStopOnly).toBeGreaterThan(0);
  });

  it('is deterministic', async () => {
    await expectDeterministic(run);
  });

  it('is registered with its defaults and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['volatility-breakout']).toBe(volatilityBreakoutFactory);
    expect((volatilityBreakoutFactory.create({}) as VolatilityBreakout).params).toEqual(VOLATILITY_BREAKOUT_DEFAULTS);
    expectBadParam(() => volatilityBreakoutFactory.create({ period: '0' }), 'period');
    expectBadParam(() => volatilityBreakoutFactory.create({ period: '1e400' }), 'period');
    expectBadParam(() => volatilityBreakoutFactory.create({ k: '0' }), 'k');
    expectBadParam(() => volatilityBreakoutFactory.create({ fraction: '-0.1' }), 'fraction');
    expectBadParam(() => volatilityBreakoutFactory.create({ atr: '14' }), 'atr');
  });
});
