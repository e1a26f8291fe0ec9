import { describe, expect, it } from 'vitest';
import { kellyFraction, kellySize } from '../../../src/risk/sizing/index.ts';
import { aaplCtx, expectInvalidField } from './fixtures.ts';

describe('Kelly fraction f* = W - (1 - W) / R', () => {
  it('is 0.25 for W 0.5 and a 2:1 payoff (Kelly 1956; Thorp, "The Kelly criterion", p - q/b)', () => {
    expect(kellyFraction({ winRate: 0.5, avgWin: 2, avgLoss: 1 })).toBe(0.25);
  });

  it('is 0.6 - 0.4 / 1.5 = 1/3 for W 0.6, R 1.5', () => {
    expect(kellyFraction({ winRate: 0.6, avgWin: 150, avgLoss: 100 })).toBeCloseTo(1 / 3, 15);
  });

  it('is negative without an edge: W 0.4, R 1 → -0.2', () => {
    expect(kellyFraction({ winRate: 0.4, avgWin: 1, avgLoss: 1 })).toBeCloseTo(-0.2, 15);
  });

  it('refuses a win rate outside [0, 1] and non-positive averages', () => {
    expectInvalidField(() => kellyFraction({ winRate: 1.2, avgWin: 1, avgLoss: 1 }), 'winRate');
    expectInvalidField(() => kellyFraction({ winRate: -0.1, avgWin: 1, avgLoss: 1 }), 'winRate');
    expectInvalidField(() => kellyFraction({ winRate: 0.5, avgWin: 0, avgLoss: 1 }), 'avgWin');
    expectInvalidField(() => kellyFraction({ winRate: 0.5, avgWin: 1, avgLoss: -1 }), 'avgLoss');
  });
});

describe('Kelly sizing', () => {
  it('full Kelly risks f* of the balance: 0.25 × 10 000 = 2 500 / 5 stop → 500 shares', () => {
    const r = kellySize(aaplCtx({ balance: 10_000, price: 100 }), { winRate: 0.5, avgWin: 2, avgLoss: 1, stopDistance: 5 });
    expect(r.riskPct).toBe(0.25);
    expect(r.quantity.toString()).toBe('500');
  });

  it('half Kelly with a 10% cap: 0.125 capped to 0.1 → 1 000 / 5 → 200 shares', () => {
    const r = kellySize(aaplCtx({ balance: 10_000, price: 100 }), { winRate: 0.5, avgWin: 2, avgLoss: 1, fraction: 0.5, cap: 0.1, stopDistance: 5 });
    expect(r.method).toBe('kelly');
    expect(r.riskPct).toBe(0.1);
    expect(r.riskAmount).toBe(1000);
    expect(r.quantity.toString()).toBe('200');
    expect(r.audit.map((a) => a.step)).toEqual(
      expect.arrayContaining(['kelly', 'fractionalKelly', 'riskPct', 'riskAmount', 'riskPerUnit', 'units', 'quantity.floored']),
    );
  });

  it('says do not trade when f* <= 0', () => {
    const r = kellySize(aaplCtx(), { winRate: 0.4, avgWin: 1, avgLoss: 1, stopDistance: 5 });
    expect(r.quantity.isZero()).toBe(true);
    expect(r.riskAmount).toBe(0);
    expect(r.audit.find((a) => a.step === 'decision')?.value).toBe('no-trade');
  });

  it('refuses a fraction outside (0, 1] and a cap outside [0, 1]', () => {
    const base = { winRate: 0.5, avgWin: 2, avgLoss: 1, stopDistance: 5 };
    expectInvalidField(() => kellySize(aaplCtx(), { ...base, fraction: 0 }), 'fraction');
    expectInvalidField(() => kellySize(aaplCtx(), { ...base, fraction: 1.5 }), 'fraction');
    expectInvalidField(() => kellySize(aaplCtx(), { ...base, cap: 2 }), 'cap');
  });
});
