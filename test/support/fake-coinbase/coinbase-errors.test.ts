import { generateKeyPairSync } from 'node:crypto';
import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coinbaseClient, startFakeCoinbase, type FakeCoinbaseServer } from './server.ts';

let server: FakeCoinbaseServer;
let cb: ReturnType<typeof coinbaseClient>;

beforeEach(async () => {
  server = await startFakeCoinbase({ balances: { USD: '1000', BTC: '0.01' } });
  server.matching.trade('BTC-USD', '30000.50', '0.1');
  server.matching.quote('BTC-USD', '30000.00', '30001.00');
  cb = coinbaseClient(server, { timeout: 1500 });
  await cb.loadMarkets();
});

afterEach(async () => {
  await cb.close();
  await server.close();
});

const fail = (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error('expected a failure'), (e: unknown) => e);

describe('fake Coinbase errors as real ccxt classifies them', () => {
  it('an unaffordable order is InsufficientFunds (INSUFFICIENT_FUND / PREVIEW_INSUFFICIENT_FUND)', async () => {
    const err = await fail(cb.createOrder('BTC/USD', 'limit', 'buy', 1, 29000));
    expect(err).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(String(err)).toContain('"error":"INSUFFICIENT_FUND"');
    expect(await cb.fetchOpenOrders()).toEqual([]);
  });

  it('an unknown order id: fetchOrder gets 404 NOT_FOUND (ccxt 4.5.84 leaves it a plain ExchangeError), cancelOrder gets UNKNOWN_CANCEL_ORDER (BadRequest)', async () => {
    const missing = '11111111-2222-4333-8444-555555555555';
    const fetched = await fail(cb.fetchOrder(missing));
    expect(fetched).toBeInstanceOf(ccxt.ExchangeError);
    expect(fetched).not.toBeInstanceOf(ccxt.OrderNotFound);
    expect(String(fetched)).toContain('order with this orderID was not found');
    const canceled = await fail(cb.cancelOrder(missing));
    expect(canceled).toBeInstanceOf(ccxt.BadRequest);
    const body = server.requests.find((r) => r.path === '/api/v3/brokerage/orders/batch_cancel')!;
    expect(JSON.parse(body.params['order_ids']!)).toEqual([missing]);
  });

  it('a JWT signed with another key is refused 401 (AuthenticationError), and the body names neither key nor secret', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const impostor = coinbaseClient({ ...server, urls: server.urls, apiKey: server.apiKey, secret: other });
    impostor.markets = cb.markets;
    impostor.markets_by_id = cb.markets_by_id;
    const err = await fail(impostor.fetchBalance());
    expect(err).toBeInstanceOf(ccxt.AuthenticationError);
    expect(String(err)).not.toContain(server.apiKey);
    expect(String(err)).not.toContain('PRIVATE KEY');
    await impostor.close();
  });

  it('an expired or not-yet-valid JWT (exchange clock skewed ±3 min) is AuthenticationError; within the window it passes', async () => {
    server.faults.clockSkew(3 * 60_000);
    expect(await fail(cb.fetchBalance())).toBeInstanceOf(ccxt.AuthenticationError);
    server.faults.clockSkew(-3 * 60_000);
    expect(await fail(cb.fetchBalance())).toBeInstanceOf(ccxt.AuthenticationError);
    server.faults.clockSkew(60_000);
    expect((await cb.fetchBalance())['USD']?.total).toBe(1000);
  });

  it('HTTP 429 with Retry-After is RateLimitExceeded, for the given number of requests only', async () => {
    server.faults.rateLimit({ retryAfterSec: 2, times: 1, path: '/api/v3/brokerage/accounts' });
    expect(await fail(cb.fetchBalance())).toBeInstanceOf(ccxt.RateLimitExceeded);
    expect((await cb.fetchBalance())['BTC']?.total).toBe(0.01);
    server.faults.rateLimit({ retryAfterSec: 7 });
    const res = await fetch(`${server.urls['rest'] as string}/api/v3/brokerage/market/products`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ errors: [{ id: 'rate_limit_exceeded', message: 'Too many requests' }] });
  });

  it('502/503 from the gateway are ExchangeNotAvailable; a 500 from the API is ExchangeError', async () => {
    server.faults.serverError({ status: 503 });
    expect(await fail(cb.fetchOpenOrders())).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    server.faults.serverError({ status: 502 });
    expect(await fail(cb.fetchOpenOrders())).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    server.faults.serverError({ status: 500 });
    const err = await fail(cb.fetchOpenOrders());
    expect(err).toBeInstanceOf(ccxt.ExchangeError);
    expect(err).not.toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(await cb.fetchOpenOrders()).toEqual([]);
  });

  it('a submit that times out is RequestTimeout; with placed=true the order exists, with placed=false it does not', async () => {
    server.faults.submitTimeout({ placed: true });
    expect(await fail(cb.createOrder('BTC/USD', 'limit', 'buy', 0.01, 29000))).toBeInstanceOf(ccxt.RequestTimeout);
    const open = await cb.fetchOpenOrders();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ side: 'buy', price: 29000, amount: 0.01 });
    server.faults.submitTimeout({ placed: false });
    expect(await fail(cb.createOrder('BTC/USD', 'limit', 'buy', 0.01, 28000))).toBeInstanceOf(ccxt.RequestTimeout);
    expect(await cb.fetchOpenOrders()).toHaveLength(1);
  });

  it('maintenance: order entry answers 503 (ExchangeNotAvailable) and products show trading_disabled (market inactive)', async () => {
    server.faults.maintenance(true);
    expect(await fail(cb.createOrder('BTC/USD', 'limit', 'buy', 0.01, 29000))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    const markets = await cb.loadMarkets(true);
    expect(markets['BTC/USD']?.active).toBe(false);
    expect((markets['BTC/USD']?.info as Record<string, unknown>)['status']).toBe('offline');
    server.faults.maintenance(false);
    const placed = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.01, 29000);
    expect((await cb.fetchOrder(placed.id!)).status).toBe('open');
  });
});
