import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { PAIRS_DEFAULTS, Pairs, pairsFactory } from '../../src/strategies/pairs.ts';
import { backtest, BTCUSDC, BTCUSDT, expectBadParam, expectDeterministic, expectTrades, rows, simulate, START } from './helpers.ts';

const TO = START + 2 * 86_400_000; // 2023-03-01 .. 03-02: 2,880 bars of each
const P = PAIRS_DEFAULTS; // lookback 60, entry 2, exit 0.5, fraction 0.95

/** Rolling OLS of y on x over the last n points ending at t and the last residual's z-score, by hand. */
function zScores(y: number[], x: number[], n: number): number[] {
  const z = y.map(() => Number.NaN);
  for (let t = n - 1; t < y.length; t++) {
    let sy = 0;
    let sx = 0;
    for (let i = t - n + 1; i <= t; i++) {
      sy += y[i]!;
      sx += x[i]!;
    }
    const my = sy / n;
    const mx = sx / n;
    let sxx = 0;
    let sxy = 0;
    for (let i = t - n + 1; i <= t; i++) {
      sxx += (x[i]! - mx) * (x[i]! - mx);
      sxy += (x[i]! - mx) * (y[i]! - my);
    }
    if (sxx === 0) continue;
    const beta = sxy / sxx;
    const alpha = my - beta * mx;
    const e: number[] = [];
    for (let i = t - n + 1; i <= t; i++) e.push(y[i]! - alpha - beta * x[i]!);
    const me = e.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(e.reduce((s, v) => s + (v - me) * (v - me), 0) / n);
    if (!(sd > 0)) continue;
    z[t] = (e[n - 1]! - me) / sd;
  }
  return z;
}

describe('pairs on real BTCUSDT (Y) and BTCUSDC (X) minute bars (2023-03-01 .. 03-02)', () => {
  const run = () => backtest(new Pairs(P), [BTCUSDT, BTCUSDC], TO);

  it('trades exactly as documented: long-only legs on the z-score of a rolling-OLS spread, recomputed by hand', async () => {
    const ys = rows(BTCUSDT.file, TO);
    const xs = rows(BTCUSDC.file, TO);
    expect(xs.map((b) => b.ts)).toEqual(ys.map((b) => b.ts));
    const z = zScores(
      ys.map((b) => b.close),
      xs.map((b) => b.close),
      P.lookback,
    );
    const want = simulate([ys, xs], P.fraction, 10, [BTCUSDT.id, BTCUSDC.id], (t, held) => {
      const v = z[t]!;
      if (Number.isNaN(v)) return null;
      if (held === 0) return v >= -P.exit ? { leg: 0, side: 'SELL' } : null;
      if (held === 1) return v <= P.exit ? { leg: 1, side: 'SELL' } : null;
      if (v < -P.entry) return { leg: 0, side: 'BUY' };
      if (v > P.entry) return { leg: 1, side: 'BUY' };
      return null;
    });
    const r = await run();
    expect(r.bars).toBe(2 * 2880);
    expect(want.filter((w) => w.instrumentId === BTCUSDT.id).length).toBeGreaterThan(5);
    expect(want.filter((w) => w.instrumentId === BTCUSDC.id).length).toBeGreaterThan(5);
    expectTrades(r, want);
    // Never both legs at once, never short: every fill is a buy opening or a sell closing one long leg.
    expect(r.trades.every((t) => t.side === 'LONG')).toBe(true);
    // The rule held at each decision bar (the trades are the engine's: they equal the simulated ones).
    for (const tr of want) {
      const e = z[tr.entryBar]!;
      const x = z[tr.exitBar]!;
      if (tr.instrumentId === BTCUSDT.id) {
        expect(e).toBeLessThan(-P.entry);
        expect(x).toBeGreaterThanOrEqual(-P.exit);
      } else {
        expect(e).toBeGreaterThan(P.entry);
        expect(x).toBeLessThanOrEqual(P.exit);
      }
    }
  });

  it('is deterministic', async () => {
    await expectDeterministic(run);
  });

  it('needs two instruments', async () => {
    await expect(backtest(new Pairs(P), [BTCUSDT], START + 3_600_000)).rejects.toThrow(/two instruments/);
  });

  it('is registered with its defaults and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['pairs']).toBe(pairsFactory);
    expect((pairsFactory.create({}) as Pairs).params).toEqual(PAIRS_DEFAULTS);
    expect((pairsFactory.create({ lookback: '120', entry: '2.5', exit: '0' }) as Pairs).params).toEqual({ lookback: 120, entry: 2.5, exit: 0, fraction: 0.95 });
    expectBadParam(() => pairsFactory.create({ lookback: '2' }), 'lookback');
    expectBadParam(() => pairsFactory.create({ entry: '0' }), 'entry');
    expectBadParam(() => pairsFactory.create({ entry: '1', exit: '1' }), 'exit');
    expectBadParam(() => pairsFactory.create({ exit: '-0.5' }), 'exit');
    expectBadParam(() => pairsFactory.create({ fraction: '2' }), 'fraction');
    expectBadParam(() => pairsFactory.create({ hedge: '1' }), 'hedge');
  });
});
