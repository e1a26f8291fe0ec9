import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPrecision,
  floorDiv,
  formatRaw,
  MAX_ABS_VALUE,
  parseDecimal,
  rescale,
  roundRaw,
  toRaw,
  type RoundingMode,
} from '../../src/model/decimal.ts';
import { ValidationError } from '../../src/model/errors.ts';
import { expectError } from './fixtures.ts';

describe('parseDecimal: exact text to digits x 10^-scale', () => {
  it.each([
    ['123.45', 12345n, 2],
    ['-0.001', -1n, 3],
    ['+7', 7n, 0],
    ['.5', 5n, 1],
    ['5.', 5n, 0],
    ['1.50', 15n, 1],
    ['100', 100n, 0],
    ['0.000', 0n, 0],
    ['-0', 0n, 0],
    ['  42.10  ', 421n, 1],
    ['1e3', 1000n, 0],
    ['1.5E-3', 15n, 4],
    ['2.5e+2', 250n, 0],
  ])('parses %j as %s x 10^-%i', (text, digits, scale) => {
    expect(parseDecimal(text)).toEqual({ digits, scale });
  });

  it.each([
    [0.1, 1n, 1],
    [1e-7, 1n, 7],
    [1e21, 10n ** 21n, 0],
    [-2.5, -25n, 1],
    [123456.789, 123456789n, 3],
  ])('parses the number %s through its shortest text, not its binary value', (n, digits, scale) => {
    expect(parseDecimal(n)).toEqual({ digits, scale });
  });

  it('parses a bigint as an integer with scale 0', () => {
    expect(parseDecimal(-12345678901234567890n)).toEqual({ digits: -12345678901234567890n, scale: 0 });
  });

  it.each([NaN, Infinity, -Infinity])('refuses the number %s with INVALID_NUMBER', (n) => {
    expectError(() => parseDecimal(n, 'price'), ValidationError, 'INVALID_NUMBER', { field: 'price', input: String(n) });
  });

  it.each(['', '   ', 'abc', '1.2.3', '.', '-', 'e5', '1e', '0x10', '1,000', 'NaN', 'Infinity', '1 000', '--1'])(
    'refuses the text %j with INVALID_NUMBER',
    (text) => {
      expectError(() => parseDecimal(text, 'qty'), ValidationError, 'INVALID_NUMBER', { field: 'qty' });
    },
  );

  it('refuses a non-numeric input type (a payload boolean) with INVALID_NUMBER', () => {
    expectError(() => parseDecimal(true as unknown as string, 'qty'), ValidationError, 'INVALID_NUMBER', { field: 'qty', input: 'boolean' });
  });

  it('refuses an exponent beyond +/-64 with VALUE_OUT_OF_RANGE instead of building a huge bigint', () => {
    expectError(() => parseDecimal('1e65'), ValidationError, 'VALUE_OUT_OF_RANGE');
    expectError(() => parseDecimal('1e-999999'), ValidationError, 'VALUE_OUT_OF_RANGE');
  });
});

describe('toRaw: value to an integer count of 10^-precision units, never rounded', () => {
  it('converts 0.1 at 8 decimals to 10000000 units', () => {
    expect(toRaw(0.1, 8)).toBe(10_000_000n);
  });

  it('converts "30000.5" at 2 decimals to 3000050 units', () => {
    expect(toRaw('30000.5', 2)).toBe(3_000_050n);
  });

  it('converts 1e-7 at 7 decimals to exactly 1 unit', () => {
    expect(toRaw(1e-7, 7)).toBe(1n);
  });

  it('converts the bigint 5 at 3 decimals to 5000 units', () => {
    expect(toRaw(5n, 3)).toBe(5000n);
  });

  it('refuses 1e-7 at 6 decimals with PRECISION_EXCEEDED rather than rounding to 0', () => {
    expectError(() => toRaw(1e-7, 6, 'quantity'), ValidationError, 'PRECISION_EXCEEDED', { field: 'quantity', precision: 6, scale: 7 });
  });

  it('refuses 0.1 + 0.2 (0.30000000000000004) at 8 decimals with PRECISION_EXCEEDED', () => {
    expectError(() => toRaw(0.1 + 0.2, 8), ValidationError, 'PRECISION_EXCEEDED');
  });

  it('refuses "1.005" at 2 decimals with PRECISION_EXCEEDED', () => {
    expectError(() => toRaw('1.005', 2), ValidationError, 'PRECISION_EXCEEDED', { input: '1.005', precision: 2, scale: 3 });
  });

  it('accepts "1.500" at 1 decimal because trailing zeros are not precision', () => {
    expect(toRaw('1.500', 1)).toBe(15n);
  });

  it('accepts exactly +/-1e15 and refuses anything beyond with VALUE_OUT_OF_RANGE', () => {
    expect(toRaw('1000000000000000', 2)).toBe(MAX_ABS_VALUE * 100n);
    expect(toRaw('-1000000000000000', 0)).toBe(-MAX_ABS_VALUE);
    expectError(() => toRaw('1000000000000000.01', 2), ValidationError, 'VALUE_OUT_OF_RANGE');
    expectError(() => toRaw(-1000000000000001n, 0), ValidationError, 'VALUE_OUT_OF_RANGE');
    expectError(() => toRaw(1e21, 0, 'notional'), ValidationError, 'VALUE_OUT_OF_RANGE', { field: 'notional' });
  });

  it('refuses NaN with INVALID_NUMBER', () => {
    expectError(() => toRaw(NaN, 2), ValidationError, 'INVALID_NUMBER');
  });

  it('round-trips formatRaw then toRaw exactly for any in-range raw and precision 0..16 (property)', () => {
    const arb = fc.integer({ min: 0, max: 16 }).chain((precision) => {
      const limit = MAX_ABS_VALUE * 10n ** BigInt(precision);
      return fc.tuple(fc.bigInt({ min: -limit, max: limit }), fc.constant(precision));
    });
    fc.assert(
      fc.property(arb, ([raw, precision]) => {
        expect(toRaw(formatRaw(raw, precision), precision)).toBe(raw);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses any finite double to the value of its shortest text, or refuses it (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), fc.integer({ min: 0, max: 16 }), (n, precision) => {
        let raw: bigint;
        try {
          raw = toRaw(n, precision);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          const code = (e as ValidationError).code;
          // Sub-1e-64 magnitudes (e.g. 5e-324) trip the exponent guard instead: still refused, never rounded.
          if (code === 'VALUE_OUT_OF_RANGE') expect(Math.abs(n)).toBeLessThan(1e-60);
          else expect(code).toBe('PRECISION_EXCEEDED');
          return;
        }
        // The exact decimal text reads back to the same double: nothing was lost or rounded.
        expect(Number(formatRaw(raw, precision))).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatRaw: exact text with exactly `precision` decimals', () => {
  it.each([
    [12345n, 2, '123.45'],
    [5n, 2, '0.05'],
    [-5n, 2, '-0.05'],
    [0n, 3, '0.000'],
    [-1200n, 0, '-1200'],
    [1n, 16, '0.0000000000000001'],
  ])('formats %s at %i decimals as %j', (raw, precision, text) => {
    expect(formatRaw(raw, precision)).toBe(text);
  });
});

describe('checkPrecision', () => {
  it.each([-1, 17, 1.5, NaN])('refuses precision %s with VALUE_OUT_OF_RANGE', (p) => {
    expectError(() => checkPrecision(p, 'price'), ValidationError, 'VALUE_OUT_OF_RANGE');
  });
  it.each([0, 8, 16])('accepts precision %i', (p) => {
    expect(() => checkPrecision(p, 'price')).not.toThrow();
  });
});

describe('rescale: exact change of precision', () => {
  it('scales 1.5 from 1 to 4 decimals as 15000 units', () => {
    expect(rescale(15n, 1, 4)).toBe(15000n);
  });
  it('scales 1.5000 from 4 back to 1 decimal as 15 units', () => {
    expect(rescale(15000n, 4, 1)).toBe(15n);
  });
  it('refuses 1.5001 to 1 decimal with PRECISION_EXCEEDED', () => {
    expectError(() => rescale(15001n, 4, 1, 'amount'), ValidationError, 'PRECISION_EXCEEDED', { field: 'amount', input: '1.5001', precision: 1 });
  });
});

describe('roundRaw: the explicit rounding modes', () => {
  // Each row: value at 3 decimals rounded to 1 decimal, in modes HALF_UP, HALF_EVEN, DOWN, UP.
  const rows: [string, bigint, bigint, bigint, bigint, bigint][] = [
    ['1.250', 1250n, 13n, 12n, 12n, 13n],
    ['1.350', 1350n, 14n, 14n, 13n, 14n],
    ['1.251', 1251n, 13n, 13n, 12n, 13n],
    ['1.249', 1249n, 12n, 12n, 12n, 13n],
    ['1.200', 1200n, 12n, 12n, 12n, 12n],
    ['0.050', 50n, 1n, 0n, 0n, 1n],
    ['-1.250', -1250n, -13n, -12n, -12n, -13n],
    ['-1.350', -1350n, -14n, -14n, -13n, -14n],
    ['-1.251', -1251n, -13n, -13n, -12n, -13n],
    ['-1.249', -1249n, -12n, -12n, -12n, -13n],
    ['-0.050', -50n, -1n, 0n, 0n, -1n],
    ['-0.001', -1n, 0n, 0n, 0n, -1n],
  ];
  it.each(rows)('rounds %s to 1 decimal: HALF_UP %s, HALF_EVEN %s, DOWN %s, UP %s', (_text, raw, halfUp, halfEven, down, up) => {
    expect(roundRaw(raw, 3, 1, 'HALF_UP')).toBe(halfUp);
    expect(roundRaw(raw, 3, 1, 'HALF_EVEN')).toBe(halfEven);
    expect(roundRaw(raw, 3, 1, 'DOWN')).toBe(down);
    expect(roundRaw(raw, 3, 1, 'UP')).toBe(up);
  });

  it('only scales up when the target precision is higher (1.5 -> 1.500)', () => {
    expect(roundRaw(15n, 1, 3, 'DOWN')).toBe(1500n);
  });

  const modes: RoundingMode[] = ['HALF_UP', 'HALF_EVEN', 'DOWN', 'UP'];
  const roundingCase = fc.record({
    raw: fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
    to: fc.integer({ min: 0, max: 8 }),
    extra: fc.integer({ min: 1, max: 8 }),
    mode: fc.constantFrom(...modes),
  });

  it('lands within one unit of the exact value, on the side its mode says (property)', () => {
    fc.assert(
      fc.property(roundingCase, ({ raw, to, extra, mode }) => {
        const f = 10n ** BigInt(extra);
        const r = roundRaw(raw, to + extra, to, mode);
        const err = r * f - raw; // rounded minus exact, in source units
        const absErr = err < 0n ? -err : err;
        expect(absErr < f).toBe(true);
        const abs = (x: bigint): bigint => (x < 0n ? -x : x);
        if (mode === 'DOWN') expect(abs(r * f) <= abs(raw)).toBe(true);
        if (mode === 'UP') expect(abs(r * f) >= abs(raw)).toBe(true);
        if (mode === 'HALF_UP' || mode === 'HALF_EVEN') expect(2n * absErr <= f).toBe(true);
        if (raw % f === 0n) expect(r).toBe(raw / f);
      }),
      { numRuns: 1000 },
    );
  });

  it('is symmetric about zero in every mode: round(-x) = -round(x) (property)', () => {
    fc.assert(
      fc.property(roundingCase, ({ raw, to, extra, mode }) => {
        expect(roundRaw(-raw, to + extra, to, mode)).toBe(-roundRaw(raw, to + extra, to, mode));
      }),
      { numRuns: 500 },
    );
  });

  it('HALF_UP and HALF_EVEN differ only on exact ties with an even neighbour (property)', () => {
    fc.assert(
      fc.property(roundingCase, ({ raw, to, extra }) => {
        const f = 10n ** BigInt(extra);
        const up = roundRaw(raw, to + extra, to, 'HALF_UP');
        const even = roundRaw(raw, to + extra, to, 'HALF_EVEN');
        const rem = raw % f;
        const tie = 2n * (rem < 0n ? -rem : rem) === f;
        if (!tie) expect(even).toBe(up);
        else expect(even % 2n).toBe(0n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('floorDiv: division toward minus infinity', () => {
  it.each([
    [7n, 2n, 3n],
    [-7n, 2n, -4n],
    [7n, -2n, -4n],
    [-7n, -2n, 3n],
    [-6n, 2n, -3n],
    [0n, 5n, 0n],
  ])('floorDiv(%s, %s) = %s', (a, b, q) => {
    expect(floorDiv(a, b)).toBe(q);
  });
});
