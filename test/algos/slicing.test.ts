import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalSlices, weightedSlices, type LotGrid } from '../../src/algos/slicing.ts';
import { WardenError } from '../../src/model/errors.ts';
import { Quantity } from '../../src/model/values.ts';

const P = 3; // size precision
const q = (s: string) => Quantity.of(s, P);
const grid = (lot: bigint, minLots?: bigint): LotGrid => ({
  lotSize: Quantity.fromRaw(lot, P),
  minQuantity: minLots === undefined ? undefined : Quantity.fromRaw(lot * minLots, P),
});
const texts = (xs: Quantity[]) => xs.map((x) => x.toString());
const sumRaw = (xs: Quantity[]) => xs.reduce((a, b) => a + b.raw, 0n);

const arbCase = fc.record({
  lot: fc.bigInt({ min: 1n, max: 50n }),
  lots: fc.bigInt({ min: 1n, max: 5_000n }),
  minLots: fc.option(fc.bigInt({ min: 1n, max: 40n }), { nil: undefined }),
  weights: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 60 }),
});

describe('slicing: exact lots, sum exact, nothing below the minimum', () => {
  it('TWAP 1.000 in 5 → five 0.200; 1.001 in 5 → the first slice takes the odd lot', () => {
    expect(texts(equalSlices(q('1'), 5, grid(1n)))).toEqual(['0.200', '0.200', '0.200', '0.200', '0.200']);
    expect(texts(equalSlices(q('1.001'), 5, grid(1n)))).toEqual(['0.201', '0.200', '0.200', '0.200', '0.200']);
  });

  it('VWAP 1.000 over weights 1:2:3:4 → 0.1, 0.2, 0.3, 0.4; thirds round by largest remainder to sum exactly', () => {
    expect(texts(weightedSlices(q('1'), [1, 2, 3, 4], grid(1n)))).toEqual(['0.100', '0.200', '0.300', '0.400']);
    expect(texts(weightedSlices(q('0.010'), [1, 1, 1], grid(1n)))).toEqual(['0.004', '0.003', '0.003']);
  });

  it('slices below the minimum (0.010) carry into the next one; the leftover at the end joins the last slice sent', () => {
    // 0.025 in 5 is 0.005 each: two make 0.010, two more make 0.010, the last 0.005 joins the one before.
    expect(texts(equalSlices(q('0.025'), 5, grid(1n, 10n)))).toEqual(['0.000', '0.010', '0.000', '0.015', '0.000']);
    // Less than the minimum in all: the whole parent is one slice.
    expect(texts(equalSlices(q('0.004'), 3, grid(1n, 10n)))).toEqual(['0.004', '0.000', '0.000']);
  });

  it('refuses bad input with stable codes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as WardenError).code;
      }
      return 'none';
    };
    expect(code(() => equalSlices(q('1'), 0, grid(1n)))).toBe('INVALID_FIELD');
    expect(code(() => equalSlices(q('1'), 2.5, grid(1n)))).toBe('INVALID_FIELD');
    expect(code(() => weightedSlices(q('1'), [0, 0], grid(1n)))).toBe('INVALID_FIELD');
    expect(code(() => weightedSlices(q('1'), [1, Number.NaN], grid(1n)))).toBe('INVALID_FIELD');
    expect(code(() => weightedSlices(q('1'), [1, -1], grid(1n)))).toBe('INVALID_FIELD');
    expect(code(() => equalSlices(q('1.001'), 2, grid(5n)))).toBe('OFF_LOT_GRID');
    expect(code(() => equalSlices(q('0'), 2, grid(1n)))).toBe('NON_POSITIVE_QUANTITY');
  });

  it('property: slices sum exactly to the parent, each is on the lot grid, and each is 0 or ≥ the minimum unless it is the whole parent', () => {
    fc.assert(
      fc.property(arbCase, ({ lot, lots, minLots, weights }) => {
        fc.pre(weights.some((w) => w > 0));
        const g = grid(lot, minLots);
        const total = Quantity.fromRaw(lot * lots, P);
        for (const slices of [weightedSlices(total, weights, g), equalSlices(total, weights.length, g)]) {
          expect(slices).toHaveLength(weights.length);
          expect(sumRaw(slices)).toBe(total.raw);
          for (const s of slices) {
            expect(s.raw % lot).toBe(0n);
            if (s.raw > 0n && g.minQuantity && s.raw !== total.raw) expect(s.raw).toBeGreaterThanOrEqual(g.minQuantity.raw);
          }
        }
      }),
    );
  });

  it('property: without a minimum, each VWAP slice is within one lot of its exact share of the profile, and a zero weight gets nothing', () => {
    fc.assert(
      fc.property(arbCase, ({ lot, lots, weights }) => {
        const ints = weights.map((w) => Math.round(w)); // integer weights: the exact share is a rational we can check in bigint
        fc.pre(ints.some((w) => w > 0));
        const total = Quantity.fromRaw(lot * lots, P);
        const slices = weightedSlices(total, ints, grid(lot));
        const W = BigInt(ints.reduce((a, b) => a + b, 0));
        slices.forEach((s, i) => {
          const w = BigInt(ints[i]!);
          const got = (s.raw / lot) * W; // lots × W
          const exact = lots * w; // exact share × W
          const diff = got > exact ? got - exact : exact - got;
          expect(diff < W).toBe(true);
          if (w === 0n) expect(s.raw).toBe(0n);
        });
      }),
    );
  });

  it('property: float weights are taken exactly (scaling every weight by a power of two changes nothing)', () => {
    fc.assert(
      fc.property(arbCase, fc.integer({ min: -20, max: 20 }), ({ lot, lots, weights }, k) => {
        fc.pre(weights.some((w) => w > 0));
        // Subnormal weights would lose bits when scaled: that is the scaling's rounding, not the slicer's.
        fc.pre(weights.every((w) => w === 0 || w >= 1e-290));
        const total = Quantity.fromRaw(lot * lots, P);
        expect(texts(weightedSlices(total, weights.map((w) => w * 2 ** k), grid(lot)))).toEqual(texts(weightedSlices(total, weights, grid(lot))));
      }),
    );
  });
});
