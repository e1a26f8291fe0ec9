import { describe, expect, it } from 'vitest';
import { volatilityTarget } from '../../../src/risk/sizing/index.ts';
import { btcCtx, expectInvalidField } from './fixtures.ts';

describe('volatility targeting', () => {
  it('targets 10% on a 40%-vol asset: leverage 0.25 → 25 000 notional → 1 BTC at 25 000', () => {
    const r = volatilityTarget(btcCtx({ price: 25_000 }), { targetVolatility: 0.1, assetVolatility: 0.4 });
    expect(r.method).toBe('volatility-target');
    expect(r.quantity.toString()).toBe('1.00000');
    expect(r.riskAmount).toBeCloseTo(10_000, 9); // 25 000 × 0.40 = 10% of the balance
    expect(r.riskPct).toBeCloseTo(0.1, 12);
  });

  it('caps leverage at 1 by default and at maxLeverage when given', () => {
    // 10% / 5% = 2× wanted.
    const capped = volatilityTarget(btcCtx({ price: 25_000 }), { targetVolatility: 0.1, assetVolatility: 0.05 });
    expect(capped.quantity.toString()).toBe('4.00000'); // 100 000 / 25 000
    const levered = volatilityTarget(btcCtx({ price: 25_000 }), { targetVolatility: 0.1, assetVolatility: 0.05, maxLeverage: 3 });
    expect(levered.quantity.toString()).toBe('8.00000'); // 200 000 / 25 000
  });

  it('refuses non-positive volatilities and leverage', () => {
    expectInvalidField(() => volatilityTarget(btcCtx(), { targetVolatility: 0, assetVolatility: 0.4 }), 'targetVolatility');
    expectInvalidField(() => volatilityTarget(btcCtx(), { targetVolatility: 0.1, assetVolatility: -0.4 }), 'assetVolatility');
    expectInvalidField(() => volatilityTarget(btcCtx(), { targetVolatility: 0.1, assetVolatility: 0.4, maxLeverage: 0 }), 'maxLeverage');
  });
});
