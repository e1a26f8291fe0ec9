import { describe, expect, it } from 'vitest';
import { CROSS_VENUE_ARBITRAGE_DEFAULTS, CrossVenueArbitrage, crossVenueArbitrageFactory } from '../../src/strategies/cross-venue-arbitrage.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { backtest, BTCUSDC, BTCUSDT, expectBadParam, expectDeterministic, expectTrades, rows, simulate, START } from './helpers.ts';

const TO = START + 2 * 86_400_000; // 2,880 bars of each
const FEE_BPS = 1;
const P = { threshold: 2, fraction: 0.95 };
const COST = 1 / 1e4 + 1 / 1e4 + P.threshold / 10_000; // both taker fees + threshold

describe('cross-venue-arbitrage on real BTCUSDT (A) and BTCUSDC (B) minute bars (2023-03-01 .. 03-02)', () => {
  const run = (fee = String(FEE_BPS), p = P) => backtest(new CrossVenueArbitrage(p), [BTCUSDT, BTCUSDC], TO, fee);

  it('trades exactly as documented: buy the cheaper quote when the gap exceeds fees + threshold, sell when they meet', async () => {
    const a = rows(BTCUSDT.file, TO);
    const b = rows(BTCUSDC.file, TO);
    const want = simulate([a, b], P.fraction, FEE_BPS, [BTCUSDT.id, BTCUSDC.id], (t, held) => {
      const pa = a[t]!.close;
      const pb = b[t]!.close;
      if (held === 0) return pa >= pb ? { leg: 0, side: 'SELL' } : null;
      if (held === 1) return pb >= pa ? { leg: 1, side: 'SELL' } : null;
      if (pb / pa - 1 > COST) return { leg: 0, side: 'BUY' };
      if (pa / pb - 1 > COST) return { leg: 1, side: 'BUY' };
      return null;
    });
    const r = await run();
    expect(want.length).toBeGreaterThan(10);
    expectTrades(r, want);
    // The rule held at each decision bar (the trades are the engine's: they equal the simulated ones).
    for (const tr of want) {
      const [cheap, dear] = tr.instrumentId === BTCUSDT.id ? [a, b] : [b, a];
      const e = tr.entryBar;
      expect(dear[e]!.close / cheap[e]!.close - 1).toBeGreaterThan(COST);
      const x = tr.exitBar;
      expect(cheap[x]!.close).toBeGreaterThanOrEqual(dear[x]!.close);
    }
  });

  it('counts the fees: with the defaults (10 bps a side + 5 bps) a 25 bps gap is needed, and these two days have none', async () => {
    const cheap = await run('1');
    const dear = await run('10', CROSS_VENUE_ARBITRAGE_DEFAULTS);
    expect(cheap.trades.length).toBeGreaterThan(10);
    expect(dear.trades.length).toBe(0);
    // Which is what the rule says: the widest gap of these two days is under 10 + 10 + 5 bps.
    const a = rows(BTCUSDT.file, TO);
    const b = rows(BTCUSDC.file, TO);
    const widest = Math.max(...a.map((x, t) => Math.max(b[t]!.close / x.close - 1, x.close / b[t]!.close - 1)));
    expect(widest).toBeLessThanOrEqual(0.0025);
    expect(widest).toBeGreaterThan(COST);
  });

  it('is deterministic', async () => {
    await expectDeterministic(() => run());
  });

  it('is registered with its defaults and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['cross-venue-arbitrage']).toBe(crossVenueArbitrageFactory);
    expect((crossVenueArbitrageFactory.create({}) as CrossVenueArbitrage).params).toEqual(CROSS_VENUE_ARBITRAGE_DEFAULTS);
    expect((crossVenueArbitrageFactory.create({ threshold: '0' }) as CrossVenueArbitrage).params).toEqual({ threshold: 0, fraction: 0.95 });
    expectBadParam(() => crossVenueArbitrageFactory.create({ threshold: '-1' }), 'threshold');
    expectBadParam(() => crossVenueArbitrageFactory.create({ threshold: 'Infinity' }), 'threshold');
    expectBadParam(() => crossVenueArbitrageFactory.create({ fraction: '0' }), 'fraction');
    expectBadParam(() => crossVenueArbitrageFactory.create({ fee: '10' }), 'fee');
  });
});
