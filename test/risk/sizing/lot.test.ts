import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { floorToLot } from '../../../src/risk/sizing/index.ts';
import { AAPL, BTCUSDT, HALFLOT } from './fixtures.ts';

describe('floorToLot', () => {
  it('reads a float as its shortest decimal text, so 0.3 BTC stays 0.30000 and 0.1 + 0.2 is 0.30000', () => {
    expect(floorToLot(BTCUSDT, 0.3).toString()).toBe('0.30000');
    expect(floorToLot(BTCUSDT, 0.1 + 0.2).toString()).toBe('0.30000'); // 0.30000000000000004
  });

  it('rounds down, never up: 1.234569 → 1.23456, 2.9999999999999996 → 2.99999, 333.9 shares → 333', () => {
    expect(floorToLot(BTCUSDT, 1.234569).toString()).toBe('1.23456');
    expect(floorToLot(BTCUSDT, 2.9999999999999996).toString()).toBe('2.99999');
    expect(floorToLot(AAPL, 333.9).toString()).toBe('333');
  });

  it('floors to lot steps that are not powers of ten: 1.4 on a 0.5 lot → 1.0', () => {
    expect(floorToLot(HALFLOT, 1.4).toString()).toBe('1.0');
    expect(floorToLot(HALFLOT, 0.49).isZero()).toBe(true);
  });

  it('gives zero for zero, negative, NaN and tiny sizes', () => {
    for (const u of [0, -1, Number.NaN, Number.NEGATIVE_INFINITY, 1e-300, 0.000009]) expect(floorToLot(BTCUSDT, u).isZero()).toBe(true);
  });

  it('caps absurd sizes at the representable 1e15', () => {
    expect(floorToLot(AAPL, 1e20).toString()).toBe('1000000000000000');
  });

  it('property: the result is on the grid, <= units, and one more lot would exceed units', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (units) => {
        const q = floorToLot(BTCUSDT, units);
        expect(q.raw % BTCUSDT.lotSize.raw).toBe(0n);
        expect(q.toNumber()).toBeLessThanOrEqual(units);
        expect(q.toNumber() + BTCUSDT.lotSize.toNumber()).toBeGreaterThan(units * (1 - 1e-15));
      }),
    );
  });
});
