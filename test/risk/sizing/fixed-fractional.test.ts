import { describe, expect, it } from 'vitest';
import { fixedFractional } from '../../../src/risk/sizing/index.ts';
import { aaplCtx, btcCtx, BTCPERP, expectInvalidField } from './fixtures.ts';

describe('fixed fractional sizing', () => {
  it('risks 1% of 100 000 with a 250 stop on BTC: 1 000 at risk → 4 BTC, notional 120 000, margin 120%', () => {
    const r = fixedFractional(btcCtx(), { riskPct: 0.01, stopDistance: 250 });
    expect(r.method).toBe('fixed-fractional');
    expect(r.riskAmount).toBe(1000);
    expect(r.riskPct).toBe(0.01);
    expect(r.quantity.toString()).toBe('4.00000');
    expect(r.quantityText).toBe('4.00000');
    expect(r.notional).toBe(120_000);
    expect(r.estimatedMargin).toBe(120_000);
    expect(r.marginUtilization).toBeCloseTo(1.2, 12);
  });

  it('buys whole shares only: 2% of 50 000 with a 3.00 stop → 333.33 → 333 shares', () => {
    const r = fixedFractional(aaplCtx(), { riskPct: 0.02, stopDistance: 3 });
    expect(r.quantity.toString()).toBe('333');
    expect(r.notional).toBe(49_950);
    expect(r.marginUtilization).toBeCloseTo(0.999, 12);
  });

  it('uses the 10% initial margin of a perpetual and cuts to its max quantity of 5', () => {
    // 1% of 1 000 000 = 10 000; / 1 000 stop = 10 contracts; max 5 → margin 5 × 30 000 × 0.1 = 15 000.
    const r = fixedFractional({ instrument: BTCPERP, balance: 1_000_000, price: 30_000 }, { riskPct: 0.01, stopDistance: 1000 });
    expect(r.quantity.toString()).toBe('5.000');
    expect(r.estimatedMargin).toBeCloseTo(15_000, 9);
    expect(r.audit.map((a) => a.step)).toContain('quantity.maxCapped');
  });

  it('says do not trade (zero) when the size is below the minimum quantity instead of rounding up', () => {
    // 100 × 1% = 1 at risk / 200 stop = 0.005 < min 0.01.
    const r = fixedFractional({ instrument: BTCPERP, balance: 100, price: 30_000 }, { riskPct: 0.01, stopDistance: 200 });
    expect(r.quantity.isZero()).toBe(true);
    expect(r.audit.find((a) => a.step === 'quantity.belowMin')).toBeDefined();
  });

  it('honours an explicit value per point (e.g. 50 per point on a futures-like contract)', () => {
    // 10 000 × 1% = 100; stop 1 × 50 = 50 per contract → 2.
    const r = fixedFractional(aaplCtx({ balance: 10_000, valuePerPoint: 50 }), { riskPct: 0.01, stopDistance: 1 });
    expect(r.quantity.toString()).toBe('2');
  });

  it('serializes to plain JSON with the quantity as exact text and the audit trail', () => {
    const r = fixedFractional(btcCtx(), { riskPct: 0.01, stopDistance: 250 });
    const json = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
    expect(json).toMatchObject({ method: 'fixed-fractional', instrument: 'BTCUSDT.BINANCE', riskAmount: 1000, quantity: '4.00000' });
    expect(json.audit).toEqual(r.audit);
  });

  it('refuses bad inputs with INVALID_FIELD naming the field', () => {
    expectInvalidField(() => fixedFractional(btcCtx({ balance: -1 }), { riskPct: 0.01, stopDistance: 250 }), 'balance');
    expectInvalidField(() => fixedFractional(btcCtx({ price: 0 }), { riskPct: 0.01, stopDistance: 250 }), 'price');
    expectInvalidField(() => fixedFractional(btcCtx(), { riskPct: 0.01, stopDistance: 0 }), 'stopDistance');
    expectInvalidField(() => fixedFractional(btcCtx(), { riskPct: 0.01, stopDistance: -5 }), 'stopDistance');
    expectInvalidField(() => fixedFractional(btcCtx(), { riskPct: 1.5, stopDistance: 250 }), 'riskPct');
    expectInvalidField(() => fixedFractional(btcCtx(), { riskPct: Number.NaN, stopDistance: 250 }), 'riskPct');
    expectInvalidField(() => fixedFractional(btcCtx({ valuePerPoint: 0 }), { riskPct: 0.01, stopDistance: 250 }), 'valuePerPoint');
  });

  it('sizes zero with a zero balance', () => {
    const r = fixedFractional(btcCtx({ balance: 0 }), { riskPct: 0.01, stopDistance: 250 });
    expect(r.quantity.isZero()).toBe(true);
    expect(r.marginUtilization).toBe(0);
  });
});
