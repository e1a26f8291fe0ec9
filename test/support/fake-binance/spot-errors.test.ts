import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { info, lastBody } from './ccxt-test-helpers.ts';
import { binanceClient, startFakeBinance, type BinanceClient, type FakeBinanceServer } from './index.ts';

let server: FakeBinanceServer;
let ex: BinanceClient;

beforeEach(async () => {
  server = await startFakeBinance({ balances: { USDT: '1000', BTC: '0' } });
  ex = binanceClient(server);
  server.matching.quote('BTCUSDT', '30000.00', '30001.00');
  await ex.loadMarkets();
});

afterEach(async () => {
  await ex.close();
  await server.close();
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('fake Binance spot errors as the real ccxt client classifies them', () => {
  it('-2010 insufficient balance is InsufficientFunds', async () => {
    const e = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 1, 29000));
    expect(e).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(lastBody(ex)).toEqual({ code: -2010, msg: 'Account has insufficient balance for requested action.' });
  });

  it('-2010 post-only that would take is OrderImmediatelyFillable', async () => {
    const e = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 30001, { postOnly: true }));
    expect(e).toBeInstanceOf(ccxt.OrderImmediatelyFillable);
    expect(lastBody(ex)).toEqual({ code: -2010, msg: 'Order would immediately match and take.' });
  });

  it('-1013 NOTIONAL filter failure is BadRequest', async () => {
    const e = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.0001, 29000));
    expect(e).toBeInstanceOf(ccxt.BadRequest);
    expect(e.message).toContain('Filter failure: NOTIONAL');
  });

  it('-2013 fetching and -2011 canceling an unknown order are OrderNotFound', async () => {
    const fetched = await rejection(ex.fetchOrder('424242', 'BTC/USDT'));
    expect(fetched).toBeInstanceOf(ccxt.OrderNotFound);
    expect(fetched.message).toContain('{"code":-2013,"msg":"Order does not exist."}');
    const canceled = await rejection(ex.cancelOrder('424242', 'BTC/USDT'));
    expect(canceled).toBeInstanceOf(ccxt.OrderNotFound);
    expect(canceled.message).toContain('{"code":-2011,"msg":"Unknown order sent."}');
  });

  it('-1021 when the exchange clock is skewed past recvWindow is InvalidNonce', async () => {
    server.faults.clockSkew(30_000);
    const behind = await rejection(ex.fetchBalance());
    expect(behind).toBeInstanceOf(ccxt.InvalidNonce);
    expect(behind.message).toContain('Timestamp for this request is outside of the recvWindow.');
    server.faults.clockSkew(-30_000);
    const ahead = await rejection(ex.fetchBalance());
    expect(ahead).toBeInstanceOf(ccxt.InvalidNonce);
    expect(ahead.message).toContain("Timestamp for this request was 1000ms ahead of the server's time.");
    server.faults.clockSkew(0);
    expect((await ex.fetchBalance())['USDT']!.free).toBe(1000);
  });

  it('429 with -1003 and Retry-After is DDoSProtection, for the path and count asked', async () => {
    server.faults.rateLimit({ retryAfterSec: 7, times: 2, path: '/api/v3/account' });
    expect(await ex.fetchTicker('BTC/USDT')).toBeDefined();
    const e = await rejection(ex.fetchBalance());
    expect(e).toBeInstanceOf(ccxt.DDoSProtection);
    expect(e.message).toContain('"code":-1003');
    expect(lastBody(ex)).toMatchObject({ code: -1003 });
    expect(ex.last_response_headers?.['Retry-After']).toBe('7');
    expect(await rejection(ex.fetchBalance())).toBeInstanceOf(ccxt.DDoSProtection);
    expect((await ex.fetchBalance())['USDT']!.total).toBe(1000);
  });

  it('a wrong secret is -1022 AuthenticationError; an unknown key is -2015', async () => {
    ex.secret = 'not-the-secret';
    const e = await rejection(ex.fetchBalance());
    expect(e).toBeInstanceOf(ccxt.AuthenticationError);
    expect(e.message).toContain('{"code":-1022,"msg":"Signature for this request is not valid."}');
    ex.apiKey = 'someOtherKey';
    const key = await rejection(ex.fetchBalance());
    expect(key).toBeInstanceOf(ccxt.AuthenticationError);
    expect(key.message).toContain('-2015');
    expect(key.message).not.toContain(server.apiKey);
  });

  it('a placement that times out is RequestTimeout; placed:true books it, placed:false does not', async () => {
    ex.timeout = 300;
    server.faults.submitTimeout({ placed: true });
    expect(await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 29000, { clientOrderId: 'held-1' }))).toBeInstanceOf(ccxt.RequestTimeout);
    expect((await ex.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'held-1' })).status).toBe('open');
    server.faults.submitTimeout({ placed: false });
    expect(await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 29000, { clientOrderId: 'held-2' }))).toBeInstanceOf(ccxt.RequestTimeout);
    expect(await rejection(ex.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'held-2' }))).toBeInstanceOf(ccxt.OrderNotFound);
  });

  it('5xx answers are ExchangeNotAvailable (502/503 pages) or OperationFailed (-1001)', async () => {
    server.faults.serverError({ status: 503 });
    expect(await rejection(ex.fetchTicker('BTC/USDT'))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    server.faults.serverError({ status: 502 });
    expect(await rejection(ex.fetchTicker('BTC/USDT'))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    server.faults.serverError({ status: 500 });
    const internal = await rejection(ex.fetchTicker('BTC/USDT'));
    expect(internal).toBeInstanceOf(ccxt.OperationFailed);
    expect(internal.message).toContain('-1001');
    expect((await ex.fetchTicker('BTC/USDT')).bid).toBe(30000);
  });

  it('maintenance puts symbols in BREAK and refuses orders with -1013 "Market is closed." (MarketClosed)', async () => {
    server.faults.maintenance(true);
    const e = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 29000));
    expect(e).toBeInstanceOf(ccxt.MarketClosed);
    expect(lastBody(ex)).toEqual({ code: -1013, msg: 'Market is closed.' });
    const markets = await ex.loadMarkets(true);
    expect(markets['BTC/USDT']!.active).toBe(false);
    expect(info(markets['BTC/USDT']!)['status']).toBe('BREAK');
    server.faults.maintenance(false);
    expect((await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 29000)).status).toBe('open');
  });
});
