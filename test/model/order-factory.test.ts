import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, WardenError } from '../../src/model/errors.ts';
import { createOrderSpec, type OrderRequest } from '../../src/model/orders/factory.ts';
import { limitPriceOf, oppositeSide, triggerPriceOf, type OrderSpec, type OrderSpecOf, type OrderType } from '../../src/model/orders/types.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { BTCUSDT, NOW, baseRequest, expectError, instrumentWith, limitRequest } from './fixtures.ts';

const create = (req: OrderRequest, instrument = BTCUSDT, now = NOW): OrderSpec => createOrderSpec(req, instrument, now);
const invalid = (req: OrderRequest, code: Parameters<typeof expectError>[2], field?: string, instrument = BTCUSDT): WardenError =>
  expectError(() => create(req, instrument), ValidationError, code, field === undefined ? undefined : { field });

function as<T extends OrderType>(s: OrderSpec, type: T): OrderSpecOf<T> {
  expect(s.type).toBe(type);
  return s as OrderSpecOf<T>;
}

describe('createOrderSpec: one valid order of every type', () => {
  it('MARKET BUY 1 BTC: defaults GTC, strategy "default", contingency NONE, no prices', () => {
    const s = as(create(baseRequest({ type: 'MARKET' })), 'MARKET');
    expect(s.clientOrderId).toBe('O-1');
    expect(s.accountId).toBe('ACC-1');
    expect(s.strategyId).toBe('default');
    expect(s.instrumentId).toBe('BTCUSDT.BINANCE');
    expect(s.side).toBe('BUY');
    expect(s.quantity.toString()).toBe('1.00000');
    expect(s.timeInForce).toBe('GTC');
    expect(s.expireTime).toBeUndefined();
    expect(s.postOnly).toBe(false);
    expect(s.reduceOnly).toBe(false);
    expect(s.displayQuantity).toBeUndefined();
    expect(s.contingency).toBe('NONE');
    expect(s.linkedOrderIds).toEqual([]);
    expect(s.tags).toEqual([]);
    expect(limitPriceOf(s)).toBeUndefined();
    expect(triggerPriceOf(s)).toBeUndefined();
  });

  it('LIMIT SELL 0.12345 BTC @ 23456.78 keeps both values exactly', () => {
    const s = as(create(limitRequest({ side: 'SELL', quantity: '0.12345', price: '23456.78', strategyId: 'MM-1' })), 'LIMIT');
    expect(s.side).toBe('SELL');
    expect(s.strategyId).toBe('MM-1');
    expect(s.quantity.raw).toBe(12345n);
    expect(s.price.toString()).toBe('23456.78');
    expect(limitPriceOf(s)?.toString()).toBe('23456.78');
    expect(triggerPriceOf(s)).toBeUndefined();
  });

  it('accepts numbers and Quantity objects: quantity 0.5 (number) and Quantity 0.25', () => {
    expect(create(limitRequest({ quantity: 0.5 })).quantity.toString()).toBe('0.50000');
    expect(create(limitRequest({ quantity: Quantity.of('0.25', 2) })).quantity.toString()).toBe('0.25000');
  });

  it('STOP_MARKET SELL 1 @ trigger 29000.00 watching LAST', () => {
    const s = as(create(baseRequest({ type: 'STOP_MARKET', side: 'SELL', triggerPrice: '29000', triggerType: 'LAST' })), 'STOP_MARKET');
    expect(s.triggerPrice.toString()).toBe('29000.00');
    expect(s.triggerType).toBe('LAST');
    expect(triggerPriceOf(s)?.toString()).toBe('29000.00');
    expect(limitPriceOf(s)).toBeUndefined();
  });

  it('STOP_LIMIT BUY 1: trigger 31000.00, limit 31050.00, trigger type DEFAULT', () => {
    const s = as(create(baseRequest({ type: 'STOP_LIMIT', triggerPrice: '31000', price: '31050' })), 'STOP_LIMIT');
    expect(s.triggerPrice.toString()).toBe('31000.00');
    expect(s.price.toString()).toBe('31050.00');
    expect(s.triggerType).toBe('DEFAULT');
  });

  it('MARKET_IF_TOUCHED BUY 1 @ trigger 28000.00', () => {
    const s = as(create(baseRequest({ type: 'MARKET_IF_TOUCHED', triggerPrice: '28000' })), 'MARKET_IF_TOUCHED');
    expect(s.triggerPrice.toString()).toBe('28000.00');
  });

  it('LIMIT_IF_TOUCHED BUY 1: trigger 28000.00, limit 27990.00, trigger type MID', () => {
    const s = as(create(baseRequest({ type: 'LIMIT_IF_TOUCHED', triggerPrice: '28000', price: '27990', triggerType: 'MID' })), 'LIMIT_IF_TOUCHED');
    expect(s.triggerPrice.toString()).toBe('28000.00');
    expect(s.price.toString()).toBe('27990.00');
    expect(s.triggerType).toBe('MID');
  });

  it('TRAILING_STOP_MARKET SELL 1 trailing 50.00 USDT, activating at 31000.00', () => {
    const s = as(
      create(baseRequest({ type: 'TRAILING_STOP_MARKET', side: 'SELL', trailingOffset: '50', trailingOffsetType: 'PRICE', activationPrice: '31000' })),
      'TRAILING_STOP_MARKET',
    );
    expect(s.trailingOffset.type).toBe('PRICE');
    expect(s.trailingOffset.type === 'PRICE' && s.trailingOffset.price.toString()).toBe('50.00');
    expect(s.activationPrice?.toString()).toBe('31000.00');
    expect(s.triggerPrice).toBeUndefined();
    expect(triggerPriceOf(s)).toBeUndefined();
  });

  it('TRAILING_STOP_MARKET trailing 25 basis points keeps the rate exactly', () => {
    const s = as(create(baseRequest({ type: 'TRAILING_STOP_MARKET', trailingOffset: '25.5', trailingOffsetType: 'BASIS_POINTS' })), 'TRAILING_STOP_MARKET');
    expect(s.trailingOffset).toEqual({ type: 'BASIS_POINTS', bps: { digits: 255n, scale: 1 } });
  });

  it('TRAILING_STOP_MARKET trailing 10 ticks with an initial trigger 29000.00', () => {
    const s = as(
      create(baseRequest({ type: 'TRAILING_STOP_MARKET', trailingOffset: 10, trailingOffsetType: 'TICKS', triggerPrice: '29000' })),
      'TRAILING_STOP_MARKET',
    );
    expect(s.trailingOffset).toEqual({ type: 'TICKS', ticks: 10n });
    expect(s.triggerPrice?.toString()).toBe('29000.00');
  });

  it('TRAILING_STOP_LIMIT SELL 1 trailing 100.00 with the limit 5.00 beyond the trigger, limit price 29950.00', () => {
    const s = as(
      create(
        baseRequest({
          type: 'TRAILING_STOP_LIMIT',
          side: 'SELL',
          trailingOffset: '100',
          trailingOffsetType: 'PRICE',
          limitOffset: '5',
          price: '29950',
        }),
      ),
      'TRAILING_STOP_LIMIT',
    );
    expect(s.trailingOffset.type === 'PRICE' && s.trailingOffset.price.toString()).toBe('100.00');
    expect(s.limitOffset.type === 'PRICE' && s.limitOffset.price.toString()).toBe('5.00');
    expect(s.price?.toString()).toBe('29950.00');
    expect(limitPriceOf(s)?.toString()).toBe('29950.00');
  });

  it('GTD LIMIT expiring one minute after now keeps the expiry', () => {
    expect(create(limitRequest({ timeInForce: 'GTD', expireTime: NOW + 60_000 })).expireTime).toBe(NOW + 60_000);
  });

  it('iceberg LIMIT 1 BTC showing 0.1, post-only, reduce-only, in an OCO list with tags', () => {
    const s = create(
      limitRequest({
        displayQuantity: '0.1',
        postOnly: true,
        reduceOnly: true,
        positionId: 'P-7',
        orderListId: 'L-1',
        contingency: 'OCO',
        linkedOrderIds: ['O-2'],
        parentOrderId: 'O-0',
        tags: ['grid', 'level-3'],
      }),
    );
    expect(s.displayQuantity?.toString()).toBe('0.10000');
    expect(s.postOnly).toBe(true);
    expect(s.reduceOnly).toBe(true);
    expect(s.positionId).toBe('P-7');
    expect(s.orderListId).toBe('L-1');
    expect(s.contingency).toBe('OCO');
    expect(s.linkedOrderIds).toEqual(['O-2']);
    expect(s.parentOrderId).toBe('O-0');
    expect(s.tags).toEqual(['grid', 'level-3']);
  });

  it('copies tags, so changing the request afterwards does not change the spec', () => {
    const tags = ['a'];
    const s = create(limitRequest({ tags }));
    tags.push('b');
    expect(s.tags).toEqual(['a']);
  });

  it('display quantity equal to the quantity (1 of 1) is allowed', () => {
    expect(create(limitRequest({ displayQuantity: '1' })).displayQuantity?.toString()).toBe('1.00000');
  });

  it('MARKET IOC and MARKET FOK are allowed', () => {
    expect(create(baseRequest({ timeInForce: 'IOC' })).timeInForce).toBe('IOC');
    expect(create(baseRequest({ timeInForce: 'FOK' })).timeInForce).toBe('FOK');
  });
});

describe('createOrderSpec: missing and unexpected prices', () => {
  it.each([
    ['LIMIT', { type: 'LIMIT' }, 'MISSING_PRICE', 'price'],
    ['STOP_LIMIT without a limit price', { type: 'STOP_LIMIT', triggerPrice: '31000' }, 'MISSING_PRICE', 'price'],
    ['STOP_LIMIT without a trigger price', { type: 'STOP_LIMIT', price: '31050' }, 'MISSING_TRIGGER_PRICE', 'triggerPrice'],
    ['STOP_MARKET', { type: 'STOP_MARKET' }, 'MISSING_TRIGGER_PRICE', 'triggerPrice'],
    ['MARKET_IF_TOUCHED', { type: 'MARKET_IF_TOUCHED' }, 'MISSING_TRIGGER_PRICE', 'triggerPrice'],
    ['LIMIT_IF_TOUCHED without a trigger', { type: 'LIMIT_IF_TOUCHED', price: '27990' }, 'MISSING_TRIGGER_PRICE', 'triggerPrice'],
    ['LIMIT_IF_TOUCHED without a limit', { type: 'LIMIT_IF_TOUCHED', triggerPrice: '28000' }, 'MISSING_PRICE', 'price'],
  ] as [string, Partial<OrderRequest>, 'MISSING_PRICE' | 'MISSING_TRIGGER_PRICE', string][])(
    '%s is refused with %s naming %s',
    (_what, overrides, code, field) => {
      invalid(baseRequest(overrides), code, field);
    },
  );

  it.each([
    ['a price on a MARKET order', { type: 'MARKET', price: '30000' }, 'price'],
    ['a price on a STOP_MARKET order', { type: 'STOP_MARKET', triggerPrice: '29000', price: '29000' }, 'price'],
    ['a price on a MARKET_IF_TOUCHED order', { type: 'MARKET_IF_TOUCHED', triggerPrice: '28000', price: '28000' }, 'price'],
    [
      'a price on a TRAILING_STOP_MARKET order',
      { type: 'TRAILING_STOP_MARKET', trailingOffset: '50', trailingOffsetType: 'PRICE', price: '30000' },
      'price',
    ],
    ['a trigger price on a MARKET order', { type: 'MARKET', triggerPrice: '30000' }, 'triggerPrice'],
    ['a trigger price on a LIMIT order', { type: 'LIMIT', price: '30000', triggerPrice: '29000' }, 'triggerPrice'],
    ['a trailing offset on a LIMIT order', { type: 'LIMIT', price: '30000', trailingOffset: '50' }, 'trailingOffset'],
    ['an activation price on a STOP_MARKET order', { type: 'STOP_MARKET', triggerPrice: '29000', activationPrice: '31000' }, 'trailingOffset'],
  ] as [string, Partial<OrderRequest>, string][])('%s is refused with UNEXPECTED_PRICE naming %s', (_what, overrides, field) => {
    invalid(baseRequest(overrides), 'UNEXPECTED_PRICE', field);
  });
});

describe('createOrderSpec: trailing offsets', () => {
  const trailing = (o: Partial<OrderRequest>): OrderRequest => baseRequest({ type: 'TRAILING_STOP_MARKET', trailingOffset: '50', trailingOffsetType: 'PRICE', ...o });

  it('needs a trailing offset (MISSING_TRAILING_OFFSET)', () => {
    invalid(trailing({ trailingOffset: undefined }), 'MISSING_TRAILING_OFFSET', 'trailingOffset');
  });

  it('needs a trailing offset type (MISSING_TRAILING_OFFSET)', () => {
    invalid(trailing({ trailingOffsetType: undefined }), 'MISSING_TRAILING_OFFSET', 'trailingOffset');
  });

  it('TRAILING_STOP_LIMIT also needs a limit offset (MISSING_TRAILING_OFFSET naming limitOffset)', () => {
    invalid(trailing({ type: 'TRAILING_STOP_LIMIT' }), 'MISSING_TRAILING_OFFSET', 'limitOffset');
  });

  it.each([
    ['a price offset of 0', { trailingOffset: '0' }],
    ['a price offset of -50', { trailingOffset: '-50' }],
    ['0 basis points', { trailingOffset: 0, trailingOffsetType: 'BASIS_POINTS' }],
    ['10000 basis points (the whole price)', { trailingOffset: '10000', trailingOffsetType: 'BASIS_POINTS' }],
    ['1.5 ticks', { trailingOffset: '1.5', trailingOffsetType: 'TICKS' }],
    ['0 ticks', { trailingOffset: 0, trailingOffsetType: 'TICKS' }],
  ] as [string, Partial<OrderRequest>][])('refuses %s with MISSING_TRAILING_OFFSET', (_what, o) => {
    invalid(trailing(o), 'MISSING_TRAILING_OFFSET', 'trailingOffset');
  });

  it('accepts 9999.99 basis points', () => {
    const s = create(trailing({ trailingOffset: '9999.99', trailingOffsetType: 'BASIS_POINTS' }));
    expect(s.type === 'TRAILING_STOP_MARKET' && s.trailingOffset).toEqual({ type: 'BASIS_POINTS', bps: { digits: 999999n, scale: 2 } });
  });

  it('refuses a price offset off the tick grid (50.005) with OFF_TICK_GRID', () => {
    invalid(trailing({ trailingOffset: '50.005' }), 'OFF_TICK_GRID', 'trailingOffset');
  });

  it('refuses trailing offset type PERCENT with INVALID_FIELD naming trailingOffsetType', () => {
    invalid(trailing({ trailingOffsetType: 'PERCENT' }), 'INVALID_FIELD', 'trailingOffsetType');
  });

  it('refuses a non-positive activation price with NON_POSITIVE_PRICE naming activationPrice', () => {
    invalid(trailing({ activationPrice: '0' }), 'NON_POSITIVE_PRICE', 'activationPrice');
  });
});

describe('createOrderSpec: time in force', () => {
  it('GTD without expireTime is refused with MISSING_EXPIRE_TIME', () => {
    invalid(limitRequest({ timeInForce: 'GTD' }), 'MISSING_EXPIRE_TIME', 'expireTime');
  });

  it('GTD expiring exactly now or a second ago is refused with EXPIRE_TIME_IN_PAST', () => {
    invalid(limitRequest({ timeInForce: 'GTD', expireTime: NOW }), 'EXPIRE_TIME_IN_PAST', 'expireTime');
    const e = invalid(limitRequest({ timeInForce: 'GTD', expireTime: NOW - 1000 }), 'EXPIRE_TIME_IN_PAST', 'expireTime');
    expect(e.context).toMatchObject({ input: NOW - 1000, now: NOW });
  });

  it('GTD expiring 1 ms after now is accepted', () => {
    expect(create(limitRequest({ timeInForce: 'GTD', expireTime: NOW + 1 })).expireTime).toBe(NOW + 1);
  });

  it('GTD with a fractional or NaN expireTime is refused with INVALID_FIELD naming expireTime', () => {
    invalid(limitRequest({ timeInForce: 'GTD', expireTime: NOW + 0.5 }), 'INVALID_FIELD', 'expireTime');
    invalid(limitRequest({ timeInForce: 'GTD', expireTime: NaN }), 'INVALID_FIELD', 'expireTime');
  });

  it('expireTime on a GTC order is refused with INCOMPATIBLE_ORDER_OPTIONS', () => {
    invalid(limitRequest({ expireTime: NOW + 60_000 }), 'INCOMPATIBLE_ORDER_OPTIONS', 'expireTime');
  });

  it('MARKET DAY and MARKET GTD are refused with INCOMPATIBLE_ORDER_OPTIONS naming timeInForce', () => {
    invalid(baseRequest({ timeInForce: 'DAY' }), 'INCOMPATIBLE_ORDER_OPTIONS', 'timeInForce');
    invalid(baseRequest({ timeInForce: 'GTD', expireTime: NOW + 60_000 }), 'INCOMPATIBLE_ORDER_OPTIONS', 'timeInForce');
  });
});

describe('createOrderSpec: post-only and iceberg', () => {
  it.each([
    ['a MARKET order', baseRequest({ postOnly: true })],
    ['a LIMIT IOC order', limitRequest({ postOnly: true, timeInForce: 'IOC' })],
    ['a LIMIT FOK order', limitRequest({ postOnly: true, timeInForce: 'FOK' })],
    ['a STOP_MARKET order', baseRequest({ type: 'STOP_MARKET', triggerPrice: '29000', postOnly: true })],
  ])('post-only on %s is refused with INCOMPATIBLE_ORDER_OPTIONS', (_what, req) => {
    invalid(req, 'INCOMPATIBLE_ORDER_OPTIONS', 'postOnly');
  });

  it('post-only LIMIT GTC and post-only STOP_LIMIT are accepted', () => {
    expect(create(limitRequest({ postOnly: true })).postOnly).toBe(true);
    expect(create(baseRequest({ type: 'STOP_LIMIT', triggerPrice: '31000', price: '31050', postOnly: true })).postOnly).toBe(true);
  });

  it('display quantity 2 on a 1 BTC order is refused with DISPLAY_QTY_EXCEEDS_QUANTITY', () => {
    const e = invalid(limitRequest({ displayQuantity: '2' }), 'DISPLAY_QTY_EXCEEDS_QUANTITY', 'displayQuantity');
    expect(e.context).toMatchObject({ input: '2.00000', limit: '1.00000' });
  });

  it('display quantity 1.00001 on a 1 BTC order (one lot more) is refused', () => {
    invalid(limitRequest({ displayQuantity: '1.00001' }), 'DISPLAY_QTY_EXCEEDS_QUANTITY', 'displayQuantity');
  });

  it('display quantity 0 is refused with NON_POSITIVE_QUANTITY naming displayQuantity', () => {
    invalid(limitRequest({ displayQuantity: 0 }), 'NON_POSITIVE_QUANTITY', 'displayQuantity');
  });

  it('display quantity off the grid (0.000001) is refused naming displayQuantity', () => {
    invalid(limitRequest({ displayQuantity: '0.000001' }), 'OFF_LOT_GRID', 'displayQuantity');
  });

  it('an iceberg MARKET order and an iceberg FOK LIMIT are refused with INCOMPATIBLE_ORDER_OPTIONS', () => {
    invalid(baseRequest({ displayQuantity: '0.1' }), 'INCOMPATIBLE_ORDER_OPTIONS', 'displayQuantity');
    invalid(limitRequest({ displayQuantity: '0.1', timeInForce: 'FOK' }), 'INCOMPATIBLE_ORDER_OPTIONS', 'displayQuantity');
  });
});

describe('createOrderSpec: quantity (FAULTS 1)', () => {
  it.each([
    [0, 'NON_POSITIVE_QUANTITY'],
    ['0', 'NON_POSITIVE_QUANTITY'],
    ['0.00000', 'NON_POSITIVE_QUANTITY'],
    [-1, 'NEGATIVE_QUANTITY'],
    ['-0.00001', 'NEGATIVE_QUANTITY'],
    [NaN, 'INVALID_NUMBER'],
    [Infinity, 'INVALID_NUMBER'],
    [-Infinity, 'INVALID_NUMBER'],
    ['abc', 'INVALID_NUMBER'],
    ['', 'INVALID_NUMBER'],
    ['1.2.3', 'INVALID_NUMBER'],
    [undefined, 'INVALID_NUMBER'],
    [null, 'INVALID_NUMBER'],
    [{}, 'INVALID_NUMBER'],
    [true, 'INVALID_NUMBER'],
    ['0.000001', 'OFF_LOT_GRID'],
    [1e21, 'VALUE_OUT_OF_RANGE'],
  ] as [unknown, Parameters<typeof expectError>[2]][])('quantity %j is refused with %s naming quantity', (quantity, code) => {
    invalid(limitRequest({ quantity: quantity as string }), code, 'quantity');
  });

  it('quantity 0.012 on a 0.005 lot is refused with OFF_LOT_GRID', () => {
    const lot5 = instrumentWith({ lotSize: '0.005' });
    const e = invalid(limitRequest({ quantity: '0.012' }), 'OFF_LOT_GRID', 'quantity', lot5);
    expect(e.context).toMatchObject({ input: '0.012', lotSize: '0.005', instrument: 'BTCUSDT.BINANCE' });
  });

  describe('instrument min 0.001 / max 10 BTC', () => {
    const bounded = instrumentWith({ minQuantity: '0.001', maxQuantity: '10' });

    it('refuses 0.00099 with QUANTITY_BELOW_MIN and 10.00001 with QUANTITY_ABOVE_MAX', () => {
      const below = invalid(limitRequest({ quantity: '0.00099' }), 'QUANTITY_BELOW_MIN', 'quantity', bounded);
      expect(below.context).toMatchObject({ input: '0.00099', limit: '0.00100' });
      const above = invalid(limitRequest({ quantity: '10.00001' }), 'QUANTITY_ABOVE_MAX', 'quantity', bounded);
      expect(above.context).toMatchObject({ input: '10.00001', limit: '10.00000' });
    });

    it('accepts exactly 0.001 and exactly 10', () => {
      expect(create(limitRequest({ quantity: '0.001' }), bounded).quantity.toString()).toBe('0.00100');
      expect(create(limitRequest({ quantity: '10' }), bounded).quantity.toString()).toBe('10.00000');
    });
  });

  describe('instrument min notional 10 / max notional 1,000,000 USDT', () => {
    const bounded = instrumentWith({ minNotional: '10', maxNotional: '1000000' });

    it('refuses 0.0003 @ 30000.00 = 9 USDT with NOTIONAL_BELOW_MIN', () => {
      const e = invalid(limitRequest({ quantity: '0.0003' }), 'NOTIONAL_BELOW_MIN', 'quantity', bounded);
      expect(e.context).toMatchObject({ input: '9.00000000', limit: '10.00000000' });
    });

    it('refuses 40 @ 30000.00 = 1,200,000 USDT with NOTIONAL_ABOVE_MAX', () => {
      const e = invalid(limitRequest({ quantity: '40' }), 'NOTIONAL_ABOVE_MAX', 'quantity', bounded);
      expect(e.context).toMatchObject({ input: '1200000.00000000', limit: '1000000.00000000' });
    });

    it('accepts exactly 10 USDT (0.0005 @ 20000.00) and exactly 1,000,000 USDT (50 @ 20000.00)', () => {
      expect(create(limitRequest({ quantity: '0.0005', price: '20000' }), bounded).quantity.toString()).toBe('0.00050');
      expect(create(limitRequest({ quantity: '50', price: '20000' }), bounded).quantity.toString()).toBe('50.00000');
    });

    it('checks the limit price of a STOP_LIMIT: 0.0003 @ 31050.00 = 9.315 USDT is below the minimum', () => {
      invalid(baseRequest({ type: 'STOP_LIMIT', quantity: '0.0003', triggerPrice: '31000', price: '31050' }), 'NOTIONAL_BELOW_MIN', 'quantity', bounded);
    });
  });
});

describe('createOrderSpec: prices (FAULTS 2)', () => {
  it.each([
    ['0', 'NON_POSITIVE_PRICE'],
    ['-100', 'NON_POSITIVE_PRICE'],
    [NaN, 'INVALID_NUMBER'],
    [Infinity, 'INVALID_NUMBER'],
    ['abc', 'INVALID_NUMBER'],
    ['30000.005', 'OFF_TICK_GRID'],
  ] as [unknown, Parameters<typeof expectError>[2]][])('limit price %j is refused with %s naming price', (price, code) => {
    invalid(limitRequest({ price: price as string }), code, 'price');
  });

  it('limit price 100.03 on a 0.05 tick is refused with OFF_TICK_GRID', () => {
    invalid(limitRequest({ price: '100.03' }), 'OFF_TICK_GRID', 'price', instrumentWith({ tickSize: '0.05' }));
  });

  it('trigger price 0 on a STOP_MARKET is refused with NON_POSITIVE_PRICE naming triggerPrice', () => {
    invalid(baseRequest({ type: 'STOP_MARKET', triggerPrice: '0' }), 'NON_POSITIVE_PRICE', 'triggerPrice');
  });

  it('a limit price of -1.50 is accepted on an instrument that allows non-positive prices', () => {
    const s = create(limitRequest({ price: '-1.50' }), instrumentWith({ allowNonPositivePrice: true }));
    expect(limitPriceOf(s)?.toString()).toBe('-1.50');
  });
});

describe('createOrderSpec: malformed payloads name the field (FAULTS 9)', () => {
  it.each([
    ['side', { side: 'buy' }],
    ['side', { side: 'LONG' }],
    ['side', { side: undefined }],
    ['type', { type: 'ICEBERG' }],
    ['type', { type: 'limit' }],
    ['timeInForce', { timeInForce: 'GTX' }],
    ['triggerType', { triggerType: 'INDEX' }],
    ['contingency', { contingency: 'OCA' }],
    ['postOnly', { postOnly: 'yes' }],
    ['reduceOnly', { reduceOnly: 1 }],
    ['instrumentId', { instrumentId: 'ETHUSDT.BINANCE' }],
    ['linkedOrderIds', { linkedOrderIds: 'O-2' }],
    ['tags', { tags: ['ok', 7] }],
    ['tags', { tags: 'grid' }],
  ] as [string, Record<string, unknown>][])('%s = %j is refused with INVALID_FIELD naming it', (field, overrides) => {
    const e = invalid(limitRequest(overrides), 'INVALID_FIELD', field);
    expect(e.message).toContain(field);
  });

  it('a null request is refused with INVALID_FIELD naming the request', () => {
    invalid(null as unknown as OrderRequest, 'INVALID_FIELD', 'request');
  });

  it('checks type before side: both bad names type', () => {
    invalid(limitRequest({ type: 'X', side: 'Y' }), 'INVALID_FIELD', 'type');
  });

  it.each([
    ['clientOrderId', { clientOrderId: '' }, 'ClientOrderId'],
    ['accountId', { accountId: 'ACC 1' }, 'AccountId'],
    ['strategyId', { strategyId: '' }, 'StrategyId'],
    ['positionId', { positionId: '' }, 'PositionId'],
    ['linkedOrderIds', { linkedOrderIds: ['O 2'] }, 'ClientOrderId'],
  ] as [string, Partial<OrderRequest>, string][])('a bad %s is refused with INVALID_IDENTIFIER', (_field, overrides, kind) => {
    expectError(() => create(limitRequest(overrides)), ValidationError, 'INVALID_IDENTIFIER', { kind });
  });

  // JSON.parse can give {"toString": {}}: an object that String() cannot convert. Every field must
  // still answer with its ValidationError, never a TypeError.
  const anyJson = fc.jsonValue();

  it.each(['clientOrderId', 'accountId', 'strategyId', 'positionId', 'orderListId', 'parentOrderId'])(
    '%s = {"toString": {}} (parsed JSON) is refused with INVALID_IDENTIFIER, not a TypeError',
    (field) => {
      const req = { ...limitRequest(), [field]: JSON.parse('{"toString": {}}') as unknown };
      expectError(() => create(req), ValidationError, 'INVALID_IDENTIFIER', { input: '{"toString":{}}' });
    },
  );

  it.each(['quantity', 'price', 'displayQuantity'])('%s = {"toString": {}} is refused with INVALID_NUMBER', (field) => {
    const req = { ...limitRequest(), [field]: JSON.parse('{"toString": {}}') as unknown };
    invalid(req, 'INVALID_NUMBER', field);
  });

  it.each(['postOnly', 'reduceOnly'])('%s = {"toString": {}} is refused with INVALID_FIELD naming it', (field) => {
    const req = { ...limitRequest(), [field]: JSON.parse('{"toString": {}}') as unknown };
    invalid(req, 'INVALID_FIELD', field);
  });

  it('side, type, timeInForce, triggerType, contingency, instrumentId = {"toString": {}} are refused with INVALID_FIELD', () => {
    for (const field of ['side', 'type', 'timeInForce', 'triggerType', 'contingency', 'instrumentId']) {
      const req = { ...limitRequest(), [field]: JSON.parse('{"toString": {}}') as unknown };
      invalid(req, 'INVALID_FIELD', field);
    }
  });

  it('any JSON value in any request field gives a spec or a ValidationError, never another exception (property)', () => {
    const fields = [
      'clientOrderId',
      'accountId',
      'strategyId',
      'side',
      'type',
      'quantity',
      'price',
      'triggerPrice',
      'triggerType',
      'timeInForce',
      'expireTime',
      'postOnly',
      'reduceOnly',
      'displayQuantity',
      'contingency',
      'linkedOrderIds',
      'tags',
      'positionId',
      'trailingOffset',
      'trailingOffsetType',
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), anyJson, (field, value) => {
        const req = { ...limitRequest(), [field]: value };
        let spec: OrderSpec | undefined;
        try {
          spec = create(req);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          expect(typeof (e as ValidationError).code).toBe('string');
          return;
        }
        expect(spec.quantity.raw > 0n).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('any on-grid positive quantity and price round-trip into the spec exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 11n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.boolean(), (q, p, sell) => {
        const quantity = Quantity.fromRaw(q, 5).toString();
        const price = Price.fromRaw(p, 2).toString();
        const s = create(limitRequest({ quantity, price, side: sell ? 'SELL' : 'BUY' }));
        expect(s.quantity.raw).toBe(q);
        expect(limitPriceOf(s)?.raw).toBe(p);
        expect(s.side).toBe(sell ? 'SELL' : 'BUY');
        expect(oppositeSide(s.side)).toBe(sell ? 'BUY' : 'SELL');
      }),
      { numRuns: 300 },
    );
  });
});
