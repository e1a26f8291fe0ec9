import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Currencies, currency, CurrencyRegistry } from '../../src/model/currency.ts';
import { MAX_ABS_VALUE } from '../../src/model/decimal.ts';
import { ValidationError } from '../../src/model/errors.ts';
import { Money, MoneyBag } from '../../src/model/money.ts';
import { expectError } from './fixtures.ts';

const { USD, EUR, USDT, BTC } = Currencies;

describe('currency', () => {
  it('builds a frozen currency from a code, precision and kind', () => {
    const jpy = currency('JPY', 0, 'FIAT');
    expect(jpy).toEqual({ code: 'JPY', precision: 0, kind: 'FIAT' });
    expect(Object.isFrozen(jpy)).toBe(true);
  });

  it('knows USD at 2 decimals and USDT, BTC at 8', () => {
    expect(USD.precision).toBe(2);
    expect(USDT.precision).toBe(8);
    expect(BTC.precision).toBe(8);
  });

  it.each(['usd', 'U', '', 'US D', 'TOOLONGCODE123'])('refuses the code %j with INVALID_CURRENCY', (code) => {
    expectError(() => currency(code, 2, 'FIAT'), ValidationError, 'INVALID_CURRENCY', { code });
  });

  it.each([-1, 17, 0.5])('refuses precision %s with VALUE_OUT_OF_RANGE', (p) => {
    expectError(() => currency('ABC', p, 'CRYPTO'), ValidationError, 'VALUE_OUT_OF_RANGE');
  });
});

describe('CurrencyRegistry', () => {
  it('starts with the common currencies and finds USDT by code', () => {
    expect(new CurrencyRegistry().get('USDT')).toBe(USDT);
  });

  it('refuses an unknown code with INVALID_CURRENCY', () => {
    expectError(() => new CurrencyRegistry().get('DOGE'), ValidationError, 'INVALID_CURRENCY', { code: 'DOGE' });
  });

  it('adds a new currency, and accepts re-adding it with the same precision', () => {
    const reg = new CurrencyRegistry();
    const sol = currency('SOL', 9, 'CRYPTO');
    reg.add(sol);
    reg.add(currency('SOL', 9, 'CRYPTO'));
    expect(reg.get('SOL').precision).toBe(9);
  });

  it('refuses re-registering USD with 3 decimals (INVALID_CURRENCY) and keeps the 2-decimal USD', () => {
    const reg = new CurrencyRegistry();
    expectError(() => reg.add(currency('USD', 3, 'FIAT')), ValidationError, 'INVALID_CURRENCY', { code: 'USD' });
    expect(reg.get('USD').precision).toBe(2);
  });
});

describe('Money', () => {
  it('holds 0.1 + 0.2 USD as exactly 0.30 USD', () => {
    const sum = Money.of(0.1, USD).add(Money.of(0.2, USD));
    expect(sum.raw).toBe(30n);
    expect(sum.eq(Money.of('0.3', USD))).toBe(true);
    expect(sum.toString()).toBe('0.30 USD');
    expect(sum.toDecimalString()).toBe('0.30');
    expect(sum.toJSON()).toBe('0.30 USD');
  });

  it('subtracts 10.00 - 12.34 = -2.34 USD and negates -2.34 to 2.34', () => {
    const d = Money.of('10', USD).sub(Money.of('12.34', USD));
    expect(d.toString()).toBe('-2.34 USD');
    expect(d.neg().toString()).toBe('2.34 USD');
  });

  it('keeps 8 decimals for USDT: 2895.7394910 USDT prints as 2895.73949100 USDT', () => {
    expect(Money.of('2895.7394910', USDT).toString()).toBe('2895.73949100 USDT');
  });

  it('refuses 0.001 USD with PRECISION_EXCEEDED instead of rounding to 0.00', () => {
    expectError(() => Money.of('0.001', USD, 'fee'), ValidationError, 'PRECISION_EXCEEDED', { field: 'fee' });
  });

  it.each([NaN, Infinity, 'abc', ''])('refuses %j with INVALID_NUMBER', (v) => {
    expectError(() => Money.of(v, USD), ValidationError, 'INVALID_NUMBER');
  });

  it('refuses amounts beyond 1e15 with VALUE_OUT_OF_RANGE', () => {
    expectError(() => Money.of('1000000000000000.01', USD), ValidationError, 'VALUE_OUT_OF_RANGE');
    expectError(() => Money.fromRaw(MAX_ABS_VALUE * 100n + 1n, USD), ValidationError, 'VALUE_OUT_OF_RANGE');
    expect(Money.fromRaw(-MAX_ABS_VALUE * 100n, USD).toDecimalString()).toBe('-1000000000000000.00');
  });

  it.each([
    ['add', (a: Money, b: Money) => a.add(b)],
    ['sub', (a: Money, b: Money) => a.sub(b)],
    ['cmp', (a: Money, b: Money) => a.cmp(b)],
  ] as const)('refuses %s of USD with EUR with CURRENCY_MISMATCH', (_name, op) => {
    expectError(() => op(Money.of('1', USD), Money.of('1', EUR)), ValidationError, 'CURRENCY_MISMATCH', { left: 'USD', right: 'EUR' });
  });

  it('says 1 USD is not equal to 1 EUR (eq never throws)', () => {
    expect(Money.of('1', USD).eq(Money.of('1', EUR))).toBe(false);
    expect(Money.of('1', USD).eq(Money.of('1.00', USD))).toBe(true);
  });

  it('orders amounts: 1.99 < 2.00 > -5.00', () => {
    expect(Money.of('1.99', USD).cmp(Money.of('2', USD))).toBe(-1);
    expect(Money.of('2', USD).cmp(Money.of('-5', USD))).toBe(1);
    expect(Money.of('2', USD).cmp(Money.of('2.00', USD))).toBe(0);
  });

  it('zero is zero', () => {
    expect(Money.zero(USDT).isZero()).toBe(true);
    expect(Money.zero(USDT).toString()).toBe('0.00000000 USDT');
    expect(Money.of('0.01', USD).isZero()).toBe(false);
  });

  it('fromScaled takes 12.340 at 3 decimals as 12.34 USD, and refuses 12.345 with PRECISION_EXCEEDED', () => {
    expect(Money.fromScaled(12340n, 3, USD).toString()).toBe('12.34 USD');
    expectError(() => Money.fromScaled(12345n, 3, USD), ValidationError, 'PRECISION_EXCEEDED');
  });

  it('rounded applies the named rule: 12.345 -> 12.35 HALF_UP, 12.34 HALF_EVEN, 12.34 DOWN; -12.345 -> -12.35 HALF_UP', () => {
    expect(Money.rounded(12345n, 3, USD, 'HALF_UP').toString()).toBe('12.35 USD');
    expect(Money.rounded(12345n, 3, USD, 'HALF_EVEN').toString()).toBe('12.34 USD');
    expect(Money.rounded(12345n, 3, USD, 'DOWN').toString()).toBe('12.34 USD');
    expect(Money.rounded(12341n, 3, USD, 'UP').toString()).toBe('12.35 USD');
    expect(Money.rounded(-12345n, 3, USD, 'HALF_UP').toString()).toBe('-12.35 USD');
  });

  it('toNumber gives -2.34 for display', () => {
    expect(Money.of('-2.34', USD).toNumber()).toBe(-2.34);
  });

  it('addition is exact, commutative and undone by subtraction (property)', () => {
    const amount = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((raw) => Money.fromRaw(raw, USDT));
    fc.assert(
      fc.property(amount, amount, amount, (a, b, c) => {
        expect(a.add(b).raw).toBe(a.raw + b.raw);
        expect(a.add(b).eq(b.add(a))).toBe(true);
        expect(a.add(b).add(c).eq(a.add(b.add(c)))).toBe(true);
        expect(a.add(b).sub(b).eq(a)).toBe(true);
        expect(a.sub(b).eq(b.sub(a).neg())).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('MoneyBag', () => {
  it('sums per currency: 1.10 + 2.20 USD = 3.30 USD and 0.5 BTC kept apart', () => {
    const bag = new MoneyBag();
    bag.add(Money.of('1.10', USD));
    bag.add(Money.of('0.5', BTC));
    bag.add(Money.of('2.20', USD));
    expect(bag.get(USD).toString()).toBe('3.30 USD');
    expect(bag.get(BTC).toString()).toBe('0.50000000 BTC');
    expect(bag.entries().map((m) => m.toString()).sort()).toEqual(['0.50000000 BTC', '3.30 USD']);
  });

  it('reports zero for a currency it never saw', () => {
    expect(new MoneyBag().get(EUR).toString()).toBe('0.00 EUR');
  });
});
