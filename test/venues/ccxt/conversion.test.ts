/**
 * The adapter's edge: ccxt's floats read as the exact decimals the exchange sent, markets turned
 * into Warden's grid or refused (never rounded), Warden's orders as ccxt's arguments, and ccxt's
 * error classes (the library's own) as venue codes.
 */
import ccxt from 'ccxt';
import type { MarketInterface } from 'ccxt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VenueCallError } from '../../../src/model/errors.ts';
import { Instrument } from '../../../src/model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../../../src/model/orders/factory.ts';
import { ClientIds } from '../../../src/venues/ccxt/client-ids.ts';
import { cleanMessage, mapCcxtError, retryAfterMs } from '../../../src/venues/ccxt/errors.ts';
import { loadCcxt } from '../../../src/venues/ccxt/library.ts';
import { exactText, stepFromPrecision } from '../../../src/venues/ccxt/exact.ts';
import { currenciesFor, findMarket, instrumentSpecOf } from '../../../src/venues/ccxt/markets.ts';
import { toCcxtOrder } from '../../../src/venues/ccxt/orders.ts';
import { profileFor } from '../../../src/venues/ccxt/profiles.ts';

// The adapter loads ccxt lazily (src/venues/ccxt/library.ts); its classifier knows ccxt's classes once a client could exist.
await loadCcxt();

/** A market as ccxt's binance parses Binance's exchangeInfo for BTC/USDT (figures from the live exchange). */
function btcusdt(over: Partial<MarketInterface> = {}): MarketInterface {
  return {
    id: 'BTCUSDT', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', settle: undefined, baseId: 'BTC', quoteId: 'USDT', settleId: undefined,
    type: 'spot', spot: true, margin: false, swap: false, future: false, option: false, active: true, contract: false, linear: undefined, inverse: undefined,
    taker: 0.001, maker: 0.001, contractSize: undefined, expiry: undefined, expiryDatetime: undefined, strike: undefined, optionType: undefined,
    precision: { amount: 0.00001, price: 0.01 },
    limits: { amount: { min: 0.00001, max: 9000 }, price: { min: 0.01, max: 1000000 }, cost: { min: 5, max: 9000000 }, leverage: { min: undefined, max: undefined } },
    created: undefined, info: {},
    ...over,
  };
}

describe('exact figures at the edge', () => {
  it('reads a float as the shortest decimal that gives it back, exponents spelled out', () => {
    expect(exactText(0.1, 'x')).toBe('0.1');
    expect(exactText(1e-8, 'x')).toBe('0.00000001');
    expect(exactText(-2.5e-7, 'x')).toBe('-0.00000025');
    expect(exactText('0.00100000', 'x')).toBe('0.001');
    expect(exactText(1e21, 'x')).toBe('1000000000000000000000');
    expect(stepFromPrecision(8, 'DECIMAL_PLACES', 'p')).toBe('0.00000001');
    expect(stepFromPrecision(0.01, 'TICK_SIZE', 'p')).toBe('0.01');
  });

  it('refuses what is not a number instead of inventing one', () => {
    for (const bad of [NaN, Infinity, undefined, null, '', 'abc', '1.2.3', {}]) expect(() => exactText(bad, 'price')).toThrow(/price/);
  });

  it('gives back any decimal of up to 15 significant digits that went through a float', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 12 }), (digits, scale) => {
        const s = digits.toString().padStart(scale + 1, '0');
        const text = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
        const expected = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
        expect(exactText(Number(text), 'x')).toBe(expected.replace(/^0+(?=\d)/, ''));
      }),
    );
  });
});

describe('markets as instruments', () => {
  const currencies = currenciesFor([btcusdt()], 'TICK_SIZE', () => undefined);

  it('takes tick, lot, limits and fees exactly', () => {
    const spec = instrumentSpecOf('BTCUSDT.BINANCE', btcusdt(), 'TICK_SIZE', currencies);
    const inst = new Instrument(spec);
    expect([inst.tickSize.toString(), inst.lotSize.toString(), String(spec.minNotional), String(spec.maxQuantity), String(spec.takerFee)]).toEqual(['0.01', '0.00001', '5', '9000', '0.001']);
    expect(currencies.get('USDT')!.precision).toBe(8);
  });

  it('widens a currency to hold every notional exactly (Kraken BTC/USD: tick 0.1, lot 0.00000001)', () => {
    const m = btcusdt({ id: 'XXBTZUSD', symbol: 'BTC/USD', quote: 'USD', precision: { amount: 0.00000001, price: 0.1 } });
    const c = currenciesFor([m], 'TICK_SIZE', () => undefined);
    expect(c.get('USD')!.precision).toBe(9);
    expect(() => new Instrument(instrumentSpecOf('BTCUSD.KRAKEN', m, 'TICK_SIZE', c))).not.toThrow();
  });

  it('refuses a market whose minimum is off its own lot grid, naming it', () => {
    const m = btcusdt({ limits: { amount: { min: 0.000015, max: 9000 }, price: {}, cost: {}, leverage: {} } as MarketInterface['limits'] });
    expect(() => instrumentSpecOf('BTCUSDT.BINANCE', m, 'TICK_SIZE', currencies)).toThrow(/BTC\/USDT does not fit/);
  });

  it('finds a market by exchange id, unified symbol, or base and quote together', () => {
    const markets = [btcusdt(), btcusdt({ id: 'XXBTZUSD', symbol: 'BTC/USD', quote: 'USD' })];
    expect(findMarket(markets, 'BTCUSDT').symbol).toBe('BTC/USDT');
    expect(findMarket(markets, 'BTCUSD').id).toBe('XXBTZUSD');
    expect(() => findMarket(markets, 'ETHUSDT')).toThrow(/no market for ETHUSDT/);
  });
});

describe('orders as ccxt arguments', () => {
  const inst = new Instrument(instrumentSpecOf('BTCUSDT.BINANCE', btcusdt(), 'TICK_SIZE', currenciesFor([btcusdt()], 'TICK_SIZE', () => undefined)));
  const spec = (r: Partial<OrderRequest>) => createOrderSpec({ clientOrderId: 'c-1', accountId: 'A', instrumentId: inst.id, side: 'BUY', type: 'LIMIT', quantity: '0.12345', price: '30000.01', ...r }, inst, 0);
  const binance = profileFor('binance');

  it('sends the client id as the exchange field, stops as stopLossPrice and if-touched as takeProfitPrice', () => {
    const lim = toCcxtOrder(spec({ postOnly: true }), 'BTC/USDT', 'c-1', binance);
    expect(lim).toEqual({ ok: true, args: { symbol: 'BTC/USDT', type: 'limit', side: 'buy', amount: 0.12345, price: 30000.01, params: { clientOrderId: 'c-1', postOnly: true } } });
    const stop = toCcxtOrder(spec({ type: 'STOP_LIMIT', side: 'SELL', triggerPrice: '29000', price: '28990' }), 'BTC/USDT', 'c-1', binance);
    expect(stop.ok && stop.args.params).toEqual({ clientOrderId: 'c-1', stopLossPrice: 29000 });
    const mit = toCcxtOrder(spec({ type: 'MARKET_IF_TOUCHED', side: 'SELL', triggerPrice: '31000', price: undefined }), 'BTC/USDT', 'c-1', binance);
    expect(mit.ok && [mit.args.type, mit.args.params['takeProfitPrice']]).toEqual(['market', 31000]);
    const coinbase = toCcxtOrder(spec({}), 'BTC/USD', 'c-1', profileFor('coinbase'));
    expect(coinbase.ok && coinbase.args.params).toEqual({ client_order_id: 'c-1' });
  });

  it('says what the exchange cannot take natively instead of sending something else', () => {
    expect(toCcxtOrder(spec({ timeInForce: 'DAY' }), 'BTC/USDT', 'c-1', binance)).toEqual({ ok: false, reason: 'UNSUPPORTED_AT_VENUE: binance does not take DAY orders natively' });
    const generic = toCcxtOrder(spec({ type: 'STOP_MARKET', triggerPrice: '31000', price: undefined }), 'BTC/USDT', 'c-1', profileFor('someexchange'));
    expect(generic.ok).toBe(false);
    expect(toCcxtOrder(spec({ type: 'STOP_MARKET', triggerPrice: '31000', triggerType: 'MID', price: undefined }), 'BTC/USDT', 'c-1', binance).ok).toBe(false);
  });

  it('maps ids the exchange would refuse to a stable hash, and back', () => {
    const kraken = new ClientIds(profileFor('kraken').clientId);
    const long = 'strategy-alpha-000000123';
    const sent = kraken.toVenue(long);
    expect(sent).toMatch(/^w[0-9a-f]{17}$/);
    expect(new ClientIds(profileFor('kraken').clientId).toVenue(long)).toBe(sent);
    expect(kraken.toWarden(sent)).toBe(long);
    expect(kraken.toVenue('short-1')).toBe('short-1');
    expect(kraken.toWarden('someone-else')).toBe('someone-else');
  });
});

describe("ccxt's error classes as venue codes", () => {
  const code = (e: Error, kind: 'ORDER' | 'READ' = 'ORDER') => {
    const m = mapCcxtError(e, kind, 1500).error as VenueCallError;
    return [m.code, m.ambiguous, m.message.split(':')[0]];
  };
  it('rejects what the exchange refused, settles by query what it may have done, backs off a rate limit', () => {
    expect(code(new ccxt.InsufficientFunds('binance {"code":-2010}'))).toEqual(['VENUE_REJECTED', false, 'INSUFFICIENT_BALANCE']);
    expect(code(new ccxt.OrderNotFound('x'))).toEqual(['VENUE_REJECTED', false, 'ORDER_NOT_FOUND']);
    expect(code(new ccxt.OnMaintenance('x'))).toEqual(['VENUE_REJECTED', false, 'VENUE_UNAVAILABLE']);
    expect(code(new ccxt.RequestTimeout('x'))[0]).toBe('VENUE_TIMEOUT');
    expect(code(new ccxt.RequestTimeout('x'))[1]).toBe(true);
    expect(code(new ccxt.ExchangeNotAvailable('x'))[0]).toBe('VENUE_UNAVAILABLE');
    expect(code(new ccxt.DuplicateOrderId('x'))[1]).toBe(true);
    expect(code(new ccxt.InsufficientFunds('x'), 'READ')[0]).toBe('VENUE_QUERY_FAILED');
    const rl = mapCcxtError(new ccxt.RateLimitExceeded('x'), 'ORDER', 1500).error as VenueCallError;
    expect([rl.code, rl.retryAfterMs]).toEqual(['VENUE_RATE_LIMITED', 1500]);
    const skew = mapCcxtError(new ccxt.InvalidNonce('-1021'), 'ORDER', undefined);
    expect(skew.resyncTime).toBe(true);
    const other = new TypeError('boom');
    expect(mapCcxtError(other, 'ORDER', undefined).error).toBe(other);
  });

  it('reads Retry-After in seconds or as a date, and strips signatures from messages', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, 0)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
    expect(retryAfterMs({}, 0)).toBeUndefined();
    expect(cleanMessage('binance POST http://x/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=abcdef 400')).toBe('binance POST http://x/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=<redacted> 400');
  });
});
