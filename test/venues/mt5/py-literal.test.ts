import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dictGet, parsePyLiteral, textOf, type PyValue } from '../../../src/venues/mt5/py-literal.ts';
import { pyRepr, reprFloat } from '../../support/fake-mt5/py-repr.ts';

const scalar: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ unit: 'binary' }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((value) => ({ kind: 'int' as const, value, text: value.toString() })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => ({ kind: 'float' as const, text: reprFloat(x) })),
);
const hashable: fc.Arbitrary<PyValue> = fc.oneof(fc.string(), fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((value) => ({ kind: 'int' as const, value, text: value.toString() })));

const { value } = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hashable, tie('value')), { maxLength: 4 }).map((entries) => ({ kind: 'dict' as const, entries })),
  ),
}));

describe('Python literal parser (the DWX bridge replies)', () => {
  it('parses back any value printed the Python way to the same value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(parsePyLiteral(pyRepr(v))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a float printed by repr back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const parsed = parsePyLiteral(reprFloat(x));
        expect(Object.is(Number(textOf(parsed)), x)).toBe(true);
      }),
    );
  });

  it('reads the execution reply as the EA writes it, numbers kept as written', () => {
    const reply = parsePyLiteral("{'_action': 'EXECUTION', '_symbol': 'EURUSD', '_magic': 123, '_ticket': 456, '_open_time': '2020.01.01 10:00:00', '_open_price': 1.10234000}");
    expect(dictGet(reply, '_action')).toBe('EXECUTION');
    expect(textOf(dictGet(reply, '_open_price'))).toBe('1.10234000');
    expect(dictGet(reply, '_ticket')).toEqual({ kind: 'int', value: 456n, text: '456' });
  });

  it('reads open trades keyed by ticket numbers and escapes in both quote kinds', () => {
    const reply = parsePyLiteral(`{'_action': 'OPEN_TRADES', '_trades': {7: {'_comment': "it's", 'x': 'a\\'b\\n\\x41\\u00e9'}, 8: {}}, 'l': [True, False, None, -1.5e-05,]}`);
    const trades = dictGet(reply, '_trades');
    expect(trades).toMatchObject({ kind: 'dict' });
    const seven = (trades as unknown as { entries: [PyValue, PyValue][] }).entries[0]!;
    expect(seven[0]).toEqual({ kind: 'int', value: 7n, text: '7' });
    expect(dictGet(seven[1], '_comment')).toBe("it's");
    expect(dictGet(seven[1], 'x')).toBe("a'b\nAé");
    expect(dictGet(reply, 'l')).toEqual([true, false, null, { kind: 'float', text: '-1.5e-05' }]);
  });

  it.each([
    ["{'a': 1", 'unexpected end'],
    ["{'a' 1}", 'expected ":"'],
    ["{'a': 1} x", 'unexpected character'],
    ["{'a': __import__('os')}", 'unexpected character'],
    ["{'a': 'open", 'unterminated string'],
    ['{[1]: 2}', 'unhashable'],
    ['012', 'leading zero'],
    ['1.2.3', 'malformed number'],
    ['{1: 2} {3: 4}', 'text after the value'],
  ])('refuses %s with a typed error (%s)', (text, what) => {
    let error: unknown;
    try {
      parsePyLiteral(text);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INVALID_FIELD' });
    expect((error as Error).message).toContain(what);
  });
});
