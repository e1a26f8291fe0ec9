import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { parseDecimal } from '../../src/model/decimal.ts';
import { ValidationError } from '../../src/model/errors.ts';
import { Instrument, type InstrumentSpec } from '../../src/model/instrument.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { BTCUSDT, expectError, instrumentWith } from './fixtures.ts';

const AAPL_SPEC: InstrumentSpec = {
  id: 'AAPL.XNAS',
  kind: 'EQUITY',
  quote: Currencies.USD,
  tickSize: '0.01',
  lotSize: '1',
  takerFee: '0.0005',
};

describe('Instrument definition', () => {
  it('derives BTCUSDT.BINANCE: venue BINANCE, price precision 2, size precision 5, notional scale 7', () => {
    expect(BTCUSDT.id).toBe('BTCUSDT.BINANCE');
    expect(BTCUSDT.venue).toBe('BINANCE');
    expect(BTCUSDT.pricePrecision).toBe(2);
    expect(BTCUSDT.sizePrecision).toBe(5);
    expect(BTCUSDT.notionalScale).toBe(7);
    expect(BTCUSDT.tickSize.toString()).toBe('0.01');
    expect(BTCUSDT.lotSize.toString()).toBe('0.00001');
    expect(BTCUSDT.settlement).toBe(Currencies.USDT);
    expect(BTCUSDT.multiplier).toEqual({ digits: 1n, scale: 0 });
    expect(BTCUSDT.allowNonPositivePrice).toBe(false);
    expect(Object.isFrozen(BTCUSDT)).toBe(true);
  });

  it('settles in the quote currency unless told otherwise', () => {
    expect(instrumentWith({ kind: 'PERPETUAL', settlement: Currencies.USDC }).settlement).toBe(Currencies.USDC);
  });

  it('lets an equity have no base currency', () => {
    expect(new Instrument(AAPL_SPEC).base).toBeUndefined();
  });

  it('refuses USD-quoted tick 0.01 with lot 0.1: 2 + 1 decimals > USD 2 (INVALID_INSTRUMENT)', () => {
    expectError(() => new Instrument({ ...AAPL_SPEC, lotSize: '0.1' }), ValidationError, 'INVALID_INSTRUMENT', { instrument: 'AAPL.XNAS' });
  });

  it('refuses BTCUSDT with tick 0.001 and lot 0.000001: 3 + 6 > USDT 8 (INVALID_INSTRUMENT)', () => {
    expectError(() => instrumentWith({ tickSize: '0.001', lotSize: '0.000001' }), ValidationError, 'INVALID_INSTRUMENT');
  });

  it('accepts 3 + 5 = 8 decimals exactly at the USDT limit', () => {
    expect(instrumentWith({ tickSize: '0.001' }).notionalScale).toBe(8);
  });

  it('counts the multiplier decimals: tick 0.01, lot 0.00001, multiplier 0.01 gives 9 > 8 (INVALID_INSTRUMENT)', () => {
    expectError(() => instrumentWith({ kind: 'PERPETUAL', multiplier: '0.01' }), ValidationError, 'INVALID_INSTRUMENT');
  });

  it('refuses a spot lot finer than its base currency: XRP has 6 decimals, lot 0.0000001 (INVALID_INSTRUMENT)', () => {
    expectError(
      () => new Instrument({ id: 'XRPUSDT.BINANCE', kind: 'SPOT', base: Currencies.XRP, quote: Currencies.USDT, tickSize: '1', lotSize: '0.0000001' }),
      ValidationError,
      'INVALID_INSTRUMENT',
    );
  });

  it.each([
    ['a spot without a base currency', { base: undefined }],
    ['a perpetual without a base currency', { kind: 'PERPETUAL', base: undefined }],
    ['tick size 0', { tickSize: '0' }],
    ['tick size -0.01', { tickSize: '-0.01' }],
    ['lot size 0', { lotSize: 0 }],
    ['multiplier 0', { multiplier: 0 }],
    ['multiplier -1', { multiplier: -1 }],
    ['minQuantity 2 > maxQuantity 1', { minQuantity: '2', maxQuantity: '1' }],
    ['minNotional 100 > maxNotional 10', { minNotional: '100', maxNotional: '10' }],
  ] as [string, Partial<InstrumentSpec>][])('refuses %s with INVALID_INSTRUMENT', (_what, overrides) => {
    expectError(() => instrumentWith(overrides), ValidationError, 'INVALID_INSTRUMENT', { instrument: 'BTCUSDT.BINANCE' });
  });

  it('refuses a malformed id with INVALID_IDENTIFIER', () => {
    expectError(() => instrumentWith({ id: 'BTCUSDT' }), ValidationError, 'INVALID_IDENTIFIER');
  });

  it('refuses a tick size "abc" with INVALID_NUMBER naming tickSize', () => {
    expectError(() => instrumentWith({ tickSize: 'abc' }), ValidationError, 'INVALID_NUMBER', { field: 'tickSize' });
  });

  it('refuses a minQuantity off the lot grid (0.000001 on lot 0.00001)', () => {
    expectError(() => instrumentWith({ minQuantity: '0.000001' }), ValidationError, 'OFF_LOT_GRID', { field: 'minQuantity' });
  });

  it('keeps min/max quantity and notional as exact values', () => {
    const i = instrumentWith({ minQuantity: '0.0001', maxQuantity: '100', minNotional: '5', maxNotional: '1000000' });
    expect(i.minQuantity?.toString()).toBe('0.00010');
    expect(i.maxQuantity?.toString()).toBe('100.00000');
    expect(i.minNotional?.toString()).toBe('5.00000000 USDT');
    expect(i.maxNotional?.toString()).toBe('1000000.00000000 USDT');
  });
});

describe('Instrument price grid', () => {
  const tick5 = instrumentWith({ tickSize: '0.05' });

  it('accepts 30000.01 on tick 0.01 and prints it with 2 decimals', () => {
    expect(BTCUSDT.price('30000.01').toString()).toBe('30000.01');
    expect(BTCUSDT.price(30000.1).toString()).toBe('30000.10');
  });

  it('accepts 100.05 on tick 0.05 and refuses 100.03 with OFF_TICK_GRID', () => {
    expect(tick5.price('100.05').raw).toBe(10005n);
    expectError(() => tick5.price('100.03', 'triggerPrice'), ValidationError, 'OFF_TICK_GRID', {
      field: 'triggerPrice',
      input: '100.03',
      tickSize: '0.05',
      instrument: 'BTCUSDT.BINANCE',
    });
  });

  it('refuses 30000.005 on tick 0.01 (finer than the grid) with OFF_TICK_GRID, never rounded', () => {
    expectError(() => BTCUSDT.price('30000.005'), ValidationError, 'OFF_TICK_GRID');
  });

  it('refuses NaN, Infinity and "abc" prices with INVALID_NUMBER', () => {
    for (const bad of [NaN, Infinity, 'abc']) expectError(() => BTCUSDT.price(bad), ValidationError, 'INVALID_NUMBER');
  });

  it('accepts a Price object of coarser precision: 30000.1 (1 dp) becomes 30000.10', () => {
    expect(BTCUSDT.price(Price.of('30000.1', 1)).toString()).toBe('30000.10');
  });

  it('checks the grid on negative prices too: -0.05 is on tick 0.05, -0.03 is not', () => {
    expect(tick5.price('-0.05').toString()).toBe('-0.05');
    expectError(() => tick5.price('-0.03'), ValidationError, 'OFF_TICK_GRID');
  });

  it('orderPrice refuses 0 and -1.00 with NON_POSITIVE_PRICE', () => {
    expectError(() => BTCUSDT.orderPrice('0'), ValidationError, 'NON_POSITIVE_PRICE', { field: 'price', input: '0.00' });
    expectError(() => BTCUSDT.orderPrice('-1.00', 'triggerPrice'), ValidationError, 'NON_POSITIVE_PRICE', { field: 'triggerPrice' });
  });

  it('orderPrice accepts -1.00 and 0 when allowNonPositivePrice is set (spreads)', () => {
    const spread = instrumentWith({ allowNonPositivePrice: true });
    expect(spread.orderPrice('-1.00').toString()).toBe('-1.00');
    expect(spread.orderPrice(0).toString()).toBe('0.00');
  });

  it('orderPrice still checks the tick grid before positivity', () => {
    expectError(() => tick5.orderPrice('100.03'), ValidationError, 'OFF_TICK_GRID');
  });
});

describe('Instrument lot grid', () => {
  const lot5 = instrumentWith({ lotSize: '0.005' });

  it('accepts 0.12345 BTC on lot 0.00001', () => {
    expect(BTCUSDT.quantity('0.12345').raw).toBe(12345n);
  });

  it('accepts 0.015 on lot 0.005 and refuses 0.012 with OFF_LOT_GRID', () => {
    expect(lot5.quantity('0.015').toString()).toBe('0.015');
    expectError(() => lot5.quantity('0.012'), ValidationError, 'OFF_LOT_GRID', { field: 'quantity', input: '0.012', lotSize: '0.005' });
  });

  it('refuses 15 shares on a round lot of 10 with OFF_LOT_GRID', () => {
    expectError(() => new Instrument({ ...AAPL_SPEC, lotSize: '10' }).quantity(15), ValidationError, 'OFF_LOT_GRID');
  });

  it('refuses 0.000001 BTC (finer than lot 0.00001) with OFF_LOT_GRID', () => {
    expectError(() => BTCUSDT.quantity('0.000001'), ValidationError, 'OFF_LOT_GRID');
  });

  it('refuses -0.1 with NEGATIVE_QUANTITY and NaN with INVALID_NUMBER', () => {
    expectError(() => BTCUSDT.quantity('-0.1'), ValidationError, 'NEGATIVE_QUANTITY');
    expectError(() => BTCUSDT.quantity(NaN), ValidationError, 'INVALID_NUMBER');
  });

  it('accepts a Quantity object: 0.5 at 1 dp becomes 0.50000', () => {
    expect(BTCUSDT.quantity(Quantity.of('0.5', 1)).toString()).toBe('0.50000');
  });
});

describe('Instrument notional and fees', () => {
  const aapl = new Instrument(AAPL_SPEC);

  it('computes 0.12345 BTC x 23456.78 USDT = 2895.73949100 USDT exactly', () => {
    const n = BTCUSDT.notional(BTCUSDT.quantity('0.12345'), BTCUSDT.price('23456.78'));
    expect(n.toString()).toBe('2895.73949100 USDT');
    expect(n.raw).toBe(289_573_949_100n);
    expect(BTCUSDT.notionalRaw(BTCUSDT.quantity('0.12345'), BTCUSDT.price('23456.78'))).toBe(28_957_394_910n);
  });

  it('multiplies by the contract multiplier: 3 x 2000.50 x 0.01 = 60.01500000 USDT', () => {
    const perp = new Instrument({
      id: 'ETHUSDT-PERP.BINANCE',
      kind: 'PERPETUAL',
      base: Currencies.ETH,
      quote: Currencies.USDT,
      tickSize: '0.01',
      lotSize: '1',
      multiplier: '0.01',
    });
    expect(perp.notionalScale).toBe(4);
    expect(perp.notional(perp.quantity(3), perp.price('2000.50')).toString()).toBe('60.01500000 USDT');
  });

  it('signs the notional with the price: 2 x -1.50 = -3.00000000 USDT', () => {
    const spread = instrumentWith({ allowNonPositivePrice: true });
    expect(spread.notional(spread.quantity(2), spread.price('-1.50')).toString()).toBe('-3.00000000 USDT');
  });

  it('charges the 0.1% taker fee on 2895.7394910 as 2.89573949 USDT (HALF_UP of 2.8957394910)', () => {
    expect(BTCUSDT.fee(BTCUSDT.quantity('0.12345'), BTCUSDT.price('23456.78'), 'TAKER').toString()).toBe('2.89573949 USDT');
  });

  it('charges the 0.02% maker fee on 2895.7394910 as 0.57914790 USDT (HALF_UP of 0.5791478982)', () => {
    expect(BTCUSDT.fee(BTCUSDT.quantity('0.12345'), BTCUSDT.price('23456.78'), 'MAKER').toString()).toBe('0.57914790 USDT');
  });

  it('rounds an exact half minor unit up: 0.00001 x 0.50 x 0.1% = 0.000000005 -> 0.00000001 USDT', () => {
    expect(BTCUSDT.fee(BTCUSDT.quantity('0.00001'), BTCUSDT.price('0.50'), 'TAKER').toString()).toBe('0.00000001 USDT');
    expect(BTCUSDT.fee(BTCUSDT.quantity('0.00001'), BTCUSDT.price('0.49'), 'TAKER').toString()).toBe('0.00000000 USDT');
  });

  it('rounds US equity fees to cents: 5 bps of 10.00 = 0.005 -> 0.01, of 9.98 = 0.00499 -> 0.00, of 30.03 = 0.015015 -> 0.02', () => {
    expect(aapl.fee(aapl.quantity(1), aapl.price('10.00'), 'TAKER').toString()).toBe('0.01 USD');
    expect(aapl.fee(aapl.quantity(1), aapl.price('9.98'), 'TAKER').toString()).toBe('0.00 USD');
    expect(aapl.fee(aapl.quantity(3), aapl.price('10.01'), 'TAKER').toString()).toBe('0.02 USD');
  });

  it('charges no fee when no rate is configured (AAPL maker)', () => {
    expect(aapl.fee(aapl.quantity(100), aapl.price('190.00'), 'MAKER').isZero()).toBe(true);
  });

  it('pays a negative maker rebate: -0.01% of 2895.7394910 = -0.2895739491 -> -0.28957395 USDT', () => {
    const rebate = instrumentWith({ makerFee: '-0.0001' });
    expect(rebate.fee(rebate.quantity('0.12345'), rebate.price('23456.78'), 'MAKER').toString()).toBe('-0.28957395 USDT');
  });

  it('charges a positive fee on a negative-price fill: 0.1% of |1 x -5.00| = 0.00500000 USDT', () => {
    const spread = instrumentWith({ allowNonPositivePrice: true });
    expect(spread.fee(spread.quantity(1), spread.price('-5.00'), 'TAKER').toString()).toBe('0.00500000 USDT');
  });

  const qtyArb = fc.bigInt({ min: 0n, max: 10n ** 11n }).map((raw) => Quantity.fromRaw(raw, 5)); // up to 1,000,000 BTC
  const pxArb = fc.bigInt({ min: 1n, max: 10n ** 8n }).map((raw) => Price.fromRaw(raw, 2)); // up to 1,000,000.00

  it('notional(q, p) equals the exact decimal product of the two printed values (property)', () => {
    fc.assert(
      fc.property(qtyArb, pxArb, (q, p) => {
        const a = parseDecimal(q.toString());
        const b = parseDecimal(p.toString());
        const scale = a.scale + b.scale;
        const expectedRaw = a.digits * b.digits * 10n ** BigInt(Currencies.USDT.precision - scale);
        const n = BTCUSDT.notional(q, p);
        expect(n.currency).toBe(Currencies.USDT);
        expect(n.raw).toBe(expectedRaw);
      }),
      { numRuns: 500 },
    );
  });

  it('fee is the exact notional x rate rounded half-up to 1e-8 USDT, off by at most half a unit (property)', () => {
    fc.assert(
      fc.property(qtyArb, pxArb, fc.constantFrom<'MAKER' | 'TAKER'>('MAKER', 'TAKER'), (q, p, liq) => {
        const rate = liq === 'MAKER' ? 2n : 10n; // 0.0002 and 0.0010 as units of 1e-4
        const exact = q.raw * p.raw * rate; // scale 5 + 2 + 4 = 11
        const f = BTCUSDT.fee(q, p, liq);
        const diff = f.raw * 1000n - exact; // fee in units of 1e-11
        expect(diff >= -499n && diff <= 500n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

