import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { consensus, fixedFractional, type SizingResult } from '../../../src/risk/sizing/index.ts';
import { aaplCtx, AAPL, btcCtx, BTCUSDT, expectInvalidField } from './fixtures.ts';

/** A fixed-fractional result of exactly `shares` AAPL: risk shares × 1.00, stop 1.00, balance 1e6. */
function shares(n: number, ctx = aaplCtx({ balance: 1_000_000 })): SizingResult {
  return fixedFractional(ctx, { riskPct: n / 1_000_000, stopDistance: 1 });
}

describe('consensus of several methods', () => {
  it('takes the median: 1, 2, 10 shares → 2', () => {
    const r = consensus(aaplCtx({ balance: 1_000_000 }), [shares(10), shares(1), shares(2)]);
    expect(r.method).toBe('consensus');
    expect(r.quantity.toString()).toBe('2');
    expect(r.riskAmount).toBe(2);
    expect(r.audit.filter((a) => a.step.startsWith('component.'))).toHaveLength(3);
  });

  it('with an even count, floors the mean of the middle two to the lot: 1, 2, 3, 10 shares → 2.5 → 2', () => {
    expect(consensus(aaplCtx({ balance: 1_000_000 }), [shares(1), shares(2), shares(3), shares(10)]).quantity.toString()).toBe('2');
  });

  it('on BTC lots the even median 2 and 3 BTC is exactly 2.50000', () => {
    const ctx = btcCtx({ balance: 1_000_000 });
    const btc = (n: number) => fixedFractional(ctx, { riskPct: n / 1_000_000, stopDistance: 1 });
    expect(consensus(ctx, [btc(1), btc(2), btc(3), btc(10)]).quantity.toString()).toBe('2.50000');
  });

  it('offers mean (1, 2, 3, 10 → 4) and min (→ 1)', () => {
    const all = [shares(1), shares(2), shares(3), shares(10)];
    expect(consensus(aaplCtx({ balance: 1_000_000 }), all, { rule: 'mean' }).quantity.toString()).toBe('4');
    expect(consensus(aaplCtx({ balance: 1_000_000 }), all, { rule: 'min' }).quantity.toString()).toBe('1');
  });

  it('refuses no components, another instrument, and unknown rules', () => {
    expectInvalidField(() => consensus(aaplCtx(), []), 'components');
    const btc = fixedFractional(btcCtx(), { riskPct: 0.01, stopDistance: 100 });
    expectInvalidField(() => consensus(aaplCtx(), [btc]), 'components[0].instrument');
    expectInvalidField(() => consensus(aaplCtx(), [shares(1)], { rule: 'max' as 'min' }), 'rule');
  });

  it('property: the consensus lies between the smallest and the largest component, on the grid', () => {
    const ctx = btcCtx({ balance: 1_000_000 });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 9 }),
        fc.constantFrom('median' as const, 'mean' as const, 'min' as const),
        (lots, rule) => {
          const comps = lots.map((l) => fixedFractional(ctx, { riskPct: (l / 100_000) / 1_000_000, stopDistance: 1 }));
          const q = consensus(ctx, comps, { rule }).quantity;
          const raws = comps.map((c) => c.quantity.raw);
          expect(q.raw % BTCUSDT.lotSize.raw).toBe(0n);
          expect(q.raw >= raws.reduce((a, b) => (a < b ? a : b))).toBe(true);
          expect(q.raw <= raws.reduce((a, b) => (a > b ? a : b))).toBe(true);
        },
      ),
    );
    expect(AAPL.lotSize.toString()).toBe('1');
  });
});
