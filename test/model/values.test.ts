import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ABS_VALUE } from '../../src/model/decimal.ts';
import { ValidationError } from '../../src/model/errors.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { expectError } from './fixtures.ts';

describe('Price', () => {
  it('parses "30000.5" at 2 decimals as 3000050 raw units and prints "30000.50"', () => {
    const p = Price.of('30000.5', 2);
    expect(p.raw).toBe(3_000_050n);
    expect(p.precision).toBe(2);
    expect(p.toString()).toBe('30000.50');
    expect(p.toJSON()).toBe('30000.50');
    expect(JSON.stringify({ p })).toBe('{"p":"30000.50"}');
  });

  it('parses the number 0.1 at 8 decimals exactly (10000000 raw)', () => {
    expect(Price.of(0.1, 8).raw).toBe(10_000_000n);
  });

  it('may be negative or zero (spreads); positivity is the instrument rule', () => {
    expect(Price.of('-1.25', 2).toString()).toBe('-1.25');
    expect(Price.of('-1.25', 2).isPositive()).toBe(false);
    expect(Price.of(0, 2).isPositive()).toBe(false);
    expect(Price.of('0.01', 2).isPositive()).toBe(true);
  });

  it('refuses 100.005 at 2 decimals with PRECISION_EXCEEDED naming the field', () => {
    expectError(() => Price.of('100.005', 2, 'limitPrice'), ValidationError, 'PRECISION_EXCEEDED', { field: 'limitPrice' });
  });

  it.each([NaN, Infinity, 'abc', '', '1.2.3'])('refuses %j with INVALID_NUMBER', (v) => {
    expectError(() => Price.of(v, 2), ValidationError, 'INVALID_NUMBER', { field: 'price' });
  });

  it('refuses 1e15 + 0.01 with VALUE_OUT_OF_RANGE', () => {
    expect(Price.of('1000000000000000', 2).raw).toBe(MAX_ABS_VALUE * 100n);
    expectError(() => Price.of('1000000000000000.01', 2), ValidationError, 'VALUE_OUT_OF_RANGE');
  });

  it.each([-1, 17, 2.5])('refuses precision %s with VALUE_OUT_OF_RANGE', (p) => {
    expectError(() => Price.of('1', p), ValidationError, 'VALUE_OUT_OF_RANGE');
  });

  it.each([-1, 17])('refuses rescaling an existing Price to precision %s with VALUE_OUT_OF_RANGE', (p) => {
    expectError(() => Price.of(Price.of('1', 2), p), ValidationError, 'VALUE_OUT_OF_RANGE');
  });

  it('fromRaw checks range and precision', () => {
    expect(Price.fromRaw(-125n, 2).toString()).toBe('-1.25');
    expectError(() => Price.fromRaw(MAX_ABS_VALUE * 100n + 1n, 2), ValidationError, 'VALUE_OUT_OF_RANGE');
    expectError(() => Price.fromRaw(1n, 17), ValidationError, 'VALUE_OUT_OF_RANGE');
  });

  it('rescales an existing Price exactly: 1.5 at 1 decimal becomes 1.5000 at 4', () => {
    const p = Price.of(Price.of('1.5', 1), 4);
    expect(p.raw).toBe(15000n);
    expect(p.toString()).toBe('1.5000');
  });

  it('returns the same Price when the precision already matches', () => {
    const p = Price.of('1.5', 1);
    expect(Price.of(p, 1)).toBe(p);
  });

  it('refuses to rescale 1.55 down to 1 decimal (PRECISION_EXCEEDED), but 1.50 goes down to 1.5', () => {
    expectError(() => Price.of(Price.of('1.55', 2), 1), ValidationError, 'PRECISION_EXCEEDED');
    expect(Price.of(Price.of('1.50', 2), 1).toString()).toBe('1.5');
  });

  it('adds and subtracts exactly across precisions: 0.1 + 0.02 = 0.12, 0.1 - 0.25 = -0.15', () => {
    const sum = Price.of('0.1', 1).add(Price.of('0.02', 2));
    expect(sum.toString()).toBe('0.12');
    expect(sum.precision).toBe(2);
    expect(Price.of('0.1', 1).sub(Price.of('0.25', 2)).toString()).toBe('-0.15');
  });

  it('compares by value across precisions: 1.5 (1 dp) equals 1.50 (2 dp), 1.49 < 1.5', () => {
    expect(Price.of('1.5', 1).eq(Price.of('1.50', 2))).toBe(true);
    expect(Price.of('1.49', 2).cmp(Price.of('1.5', 1))).toBe(-1);
    expect(Price.of('1.5', 1).cmp(Price.of('1.49', 2))).toBe(1);
    expect(Price.of('-2', 0).cmp(Price.of('-1.99', 2))).toBe(-1);
  });

  it('toNumber gives 30000.5 for display', () => {
    expect(Price.of('30000.50', 2).toNumber()).toBe(30000.5);
  });

  it('add then sub returns the original value exactly (property)', () => {
    const price = fc.record({ raw: fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), precision: fc.integer({ min: 0, max: 8 }) });
    fc.assert(
      fc.property(price, price, (a, b) => {
        const x = Price.fromRaw(a.raw, a.precision);
        const y = Price.fromRaw(b.raw, b.precision);
        expect(x.add(y).sub(y).eq(x)).toBe(true);
        expect(x.add(y).eq(y.add(x))).toBe(true);
        expect(x.cmp(y) + y.cmp(x)).toBe(0); // antisymmetric
      }),
      { numRuns: 300 },
    );
  });
});

describe('Quantity', () => {
  it('parses "0.12345" at 5 decimals as 12345 raw units', () => {
    const q = Quantity.of('0.12345', 5);
    expect(q.raw).toBe(12345n);
    expect(q.toString()).toBe('0.12345');
    expect(q.toJSON()).toBe('0.12345');
  });

  it('allows zero (a fill total starts there) and says so', () => {
    expect(Quantity.of(0, 5).isZero()).toBe(true);
    expect(Quantity.zero(3).toString()).toBe('0.000');
  });

  it.each(['-0.00001', -1, -1n])('refuses the negative quantity %s with NEGATIVE_QUANTITY', (v) => {
    expectError(() => Quantity.of(v, 5, 'quantity'), ValidationError, 'NEGATIVE_QUANTITY', { field: 'quantity' });
  });

  it('refuses a negative raw with NEGATIVE_QUANTITY', () => {
    expectError(() => Quantity.fromRaw(-1n, 5), ValidationError, 'NEGATIVE_QUANTITY');
  });

  it.each([NaN, Infinity, -Infinity, 'abc', '', '1.2.3'])('refuses %j with INVALID_NUMBER', (v) => {
    expectError(() => Quantity.of(v, 5), ValidationError, 'INVALID_NUMBER');
  });

  it('refuses 0.000001 at 5 decimals with PRECISION_EXCEEDED', () => {
    expectError(() => Quantity.of('0.000001', 5), ValidationError, 'PRECISION_EXCEEDED');
  });

  it('refuses 1e21 with VALUE_OUT_OF_RANGE', () => {
    expectError(() => Quantity.of(1e21, 0), ValidationError, 'VALUE_OUT_OF_RANGE');
  });

  it('refuses rescaling an existing Quantity to precision 17 with VALUE_OUT_OF_RANGE', () => {
    expectError(() => Quantity.of(Quantity.of('1', 5), 17), ValidationError, 'VALUE_OUT_OF_RANGE');
  });

  it('adds exactly: 0.1 + 0.2 = 0.3 (no float drift), and across precisions 0.1 + 0.02 = 0.12', () => {
    expect(Quantity.of('0.1', 5).add(Quantity.of('0.2', 5)).toString()).toBe('0.30000');
    expect(Quantity.of('0.1', 1).add(Quantity.of('0.02', 2)).toString()).toBe('0.12');
  });

  it('subtracts 1 - 0.25 = 0.75 and refuses 0.25 - 1 with NEGATIVE_QUANTITY', () => {
    expect(Quantity.of('1', 5).sub(Quantity.of('0.25', 5)).toString()).toBe('0.75000');
    expectError(() => Quantity.of('0.25', 5).sub(Quantity.of('1', 5)), ValidationError, 'NEGATIVE_QUANTITY');
  });

  it('min picks the smaller: min(0.3, 0.25) = 0.25', () => {
    expect(Quantity.of('0.3', 5).min(Quantity.of('0.25', 5)).toString()).toBe('0.25000');
    expect(Quantity.of('0.2', 5).min(Quantity.of('0.25', 5)).toString()).toBe('0.20000');
  });

  it('compares by value across precisions: 2 (0 dp) equals 2.00000 (5 dp)', () => {
    expect(Quantity.of('2', 0).eq(Quantity.of('2', 5))).toBe(true);
    expect(Quantity.of('2', 0).cmp(Quantity.of('2.00001', 5))).toBe(-1);
  });

  it('toNumber gives 0.75 for display', () => {
    expect(Quantity.of('0.75', 5).toNumber()).toBe(0.75);
  });

  it('sum minus part is never negative while part <= sum (property)', () => {
    const raw = fc.bigInt({ min: 0n, max: 10n ** 19n });
    fc.assert(
      fc.property(raw, raw, (a, b) => {
        const x = Quantity.fromRaw(a, 5);
        const y = Quantity.fromRaw(b, 5);
        const sum = x.add(y);
        expect(sum.sub(y).eq(x)).toBe(true);
        expect(sum.cmp(x)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
