import { describe, expect, it } from 'vitest';
import { Quantity } from '../../../src/model/values.ts';
import { STRESS_SCENARIOS, stressAll, stressTest, type StressPosition } from '../../../src/risk/analytics/index.ts';
import { expectInvalidField } from './helpers.ts';

const BOOK: StressPosition[] = [
  { instrument: 'BTCUSDT.BINANCE', asset: 'BTC', assetClass: 'crypto', quantity: Quantity.of('2', 5), price: 30_000 }, // 60 000
  { instrument: 'ETHUSDT.BINANCE', asset: 'ETH', assetClass: 'crypto', quantity: 10, price: 2_000 }, // 20 000
  { instrument: 'BTC-PERP.BYBIT', asset: 'BTC', assetClass: 'crypto', quantity: 1, price: 30_000, side: 'SHORT' }, // -30 000
  { instrument: 'AAPL.NASDAQ', assetClass: 'equity', quantity: 100, price: 150 }, // 15 000
  { instrument: 'USDCUSDT.BINANCE', asset: 'USDC', assetClass: 'stablecoin', quantity: 10_000, price: 1 }, // 10 000
];

describe('stress tests', () => {
  it("crypto-crash-2022 (BTC and crypto -50%): -30 000 - 10 000 + 15 000 on the short = -25 000", () => {
    const r = stressTest(BOOK, 'crypto-crash-2022');
    expect(r.positions.map((p) => p.pnl)).toEqual([-30_000, -10_000, 15_000, 0, 0]);
    expect(r.positions.map((p) => p.matchedBy)).toEqual(['asset', 'assetClass', 'asset', 'none', 'none']);
    expect(r.totalPnl).toBe(-25_000);
    expect(r.totalValue).toBe(75_000);
  });

  it('covid-2020-03 (equities -34%): 15 000 × -0.34 = -5 100', () => {
    expect(stressTest(BOOK, 'covid-2020-03').totalPnl).toBeCloseTo(-5100, 9);
  });

  it('usdc-depeg-2023-03 (USDC -10%): -1 000', () => {
    expect(stressTest(BOOK, 'usdc-depeg-2023-03').totalPnl).toBeCloseTo(-1000, 9);
  });

  it('custom scenarios: an instrument shock overrides its asset shock', () => {
    const r = stressTest(BOOK, {
      name: 'perp-squeeze',
      description: 'BTC -10% spot, perp +20%',
      shocks: { byAsset: { BTC: -0.1 }, byInstrument: { 'BTC-PERP.BYBIT': 0.2 } },
    });
    expect(r.positions[0]?.pnl).toBeCloseTo(-6000, 9);
    expect(r.positions[2]).toMatchObject({ matchedBy: 'instrument', pnl: -6000 });
  });

  it('runs every built-in scenario, worst first', () => {
    const all = stressAll(BOOK);
    expect(all.map((r) => r.scenario)).toEqual(['crypto-crash-2022', 'covid-2020-03', 'usdc-depeg-2023-03']);
    expect(Object.keys(STRESS_SCENARIOS)).toHaveLength(3);
  });

  it('refuses unknown scenarios, shocks below -100% and negative quantities', () => {
    expectInvalidField(() => stressTest(BOOK, 'nope' as 'covid-2020-03'), 'scenario');
    expectInvalidField(() => stressTest(BOOK, { name: 'x', description: '', shocks: { byAsset: { BTC: -1.5 } } }), 'shocks.byAsset.BTC');
    expectInvalidField(() => stressTest([{ instrument: 'X', quantity: -1, price: 1 }], 'covid-2020-03'), 'positions[0].quantity');
  });
});
