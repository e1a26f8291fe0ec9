import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { krakenClient, startFakeKraken, type FakeKrakenServer, type KrakenClient } from './server.ts';
import { newSecret } from './signing.ts';

let server: FakeKrakenServer;
let kraken: KrakenClient;

beforeEach(async () => {
  server = await startFakeKraken({ balances: { ZUSD: '1000', XXBT: '0' } });
  kraken = krakenClient(server, { timeout: 1000 });
  server.matching.quote('XXBTZUSD', '30000.0', '30000.1');
  await kraken.loadMarkets();
});

afterEach(async () => {
  await kraken.close();
  await server.close();
});

describe('fake Kraken refusals, as ccxt classifies Kraken errors', () => {
  it('EOrder:Insufficient funds → InsufficientFunds', async () => {
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 1, 29000)).rejects.toThrow(ccxt.InsufficientFunds);
    await expect(kraken.createOrder('BTC/USD', 'market', 'sell', 0.01)).rejects.toThrow(/EOrder:Insufficient funds/);
  });

  it('EOrder:Unknown order on cancel → OrderNotFound; EOrder:Invalid order on a query → InvalidOrder', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000);
    await kraken.cancelOrder(placed.id!);
    await expect(kraken.cancelOrder(placed.id!)).rejects.toThrow(ccxt.OrderNotFound);
    await expect(kraken.cancelOrder('OAAAAA-BBBBB-CCCCCC')).rejects.toThrow(/EOrder:Unknown order/);
    const query = kraken.fetchOrder('OAAAAA-BBBBB-CCCCCC');
    await expect(query).rejects.toThrow(ccxt.InvalidOrder);
    await expect(query).rejects.toThrow(/EOrder:Invalid order/);
  });

  it('EOrder:Order minimum not met and off-grid prices → InvalidOrder', async () => {
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.00001, 29000)).rejects.toThrow(/EOrder:Order minimum not met/);
    await expect(kraken.privatePostAddOrder({ pair: 'XXBTZUSD', type: 'buy', ordertype: 'limit', volume: '0.001', price: '29000.05' })).rejects.toThrow(ccxt.InvalidOrder);
  });

  it('EAPI:Invalid nonce → InvalidNonce, after nonceReset and for a nonce below the window', async () => {
    server.faults.nonceReset();
    await expect(kraken.fetchBalance()).rejects.toThrow(ccxt.InvalidNonce);
    expect((await kraken.fetchBalance())['USD']!.total).toBe(1000);
    kraken.options['timeDifference'] = 60_000; // ccxt now signs with a nonce a minute behind
    await expect(kraken.fetchBalance()).rejects.toThrow(/EAPI:Invalid nonce/);
  });

  it('EAPI:Invalid key → AuthenticationError; a wrong secret gets EAPI:Invalid signature, which ccxt leaves an ExchangeError', async () => {
    const stranger = krakenClient(server, { apiKey: 'not-a-key' });
    await expect(stranger.fetchBalance()).rejects.toThrow(ccxt.AuthenticationError);
    const forger = krakenClient(server, { secret: newSecret() });
    const refused = forger.fetchBalance();
    await expect(refused).rejects.toThrow(ccxt.ExchangeError);
    await expect(refused).rejects.toThrow(/EAPI:Invalid signature/);
    await expect(refused).rejects.not.toThrow(ccxt.AuthenticationError);
    await Promise.all([stranger.close(), forger.close()]);
  });

  it('never echoes the key or the secret in an error', async () => {
    const forger = krakenClient(server, { secret: newSecret() });
    const err = await forger.fetchBalance().then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/EAPI:Invalid signature/);
    expect(err?.message).not.toContain(server.apiKey);
    expect(err?.message).not.toContain(server.secret);
    expect(JSON.stringify(server.requests)).not.toContain(server.apiKey);
    await forger.close();
  });

  it('rate limit: EAPI:Rate limit exceeded (HTTP 200) → DDoSProtection; EOrder:Rate limit exceeded on AddOrder', async () => {
    server.faults.rateLimit({ retryAfterSec: 1, path: 'BalanceEx' });
    await expect(kraken.fetchBalance()).rejects.toThrow(ccxt.DDoSProtection);
    server.faults.rateLimit({ retryAfterSec: 1, path: 'AddOrder', times: 2 });
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000)).rejects.toThrow(/EOrder:Rate limit exceeded/);
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000)).rejects.toThrow(ccxt.DDoSProtection);
    expect((await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000)).id).toMatch(/^O/);
  });

  it('Kraken service errors: EService:Busy and EService:Unavailable → ExchangeNotAvailable, EGeneral:Temporary lockout → DDoSProtection', async () => {
    server.faults.rejectNext({ error: 'EService:Busy' });
    await expect(kraken.fetchOpenOrders()).rejects.toThrow(ccxt.ExchangeNotAvailable);
    server.faults.rejectNext({ error: 'EGeneral:Temporary lockout' });
    await expect(kraken.fetchOpenOrders()).rejects.toThrow(ccxt.DDoSProtection);
    expect(await kraken.fetchOpenOrders()).toEqual([]);
  });

  it('Cloudflare 5xx pages → ExchangeNotAvailable', async () => {
    server.faults.serverError({ status: 502 });
    await expect(kraken.fetchTicker('BTC/USD')).rejects.toThrow(ccxt.ExchangeNotAvailable);
    server.faults.serverError({ status: 520 });
    await expect(kraken.fetchBalance()).rejects.toThrow(ccxt.ExchangeNotAvailable);
    expect((await kraken.fetchTicker('BTC/USD')).bid).toBe(30000);
  });

  it('maintenance: SystemStatus says so and trading gets EService:Unavailable → ExchangeNotAvailable', async () => {
    server.faults.maintenance(true);
    expect((await kraken.fetchStatus()).status).toBe('maintenance');
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000)).rejects.toThrow(ccxt.ExchangeNotAvailable);
    server.faults.maintenance(false);
    expect((await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000)).id).toMatch(/^O/);
  });

  it('cancel_only and post_only modes → OnMaintenance, cancels still allowed', async () => {
    const resting = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000);
    server.faults.systemStatus('cancel_only');
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000)).rejects.toThrow(ccxt.OnMaintenance);
    await kraken.cancelOrder(resting.id!);
    server.faults.systemStatus('post_only');
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000)).rejects.toThrow(/EService:Market in post_only mode/);
    expect((await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000, { postOnly: true })).id).toMatch(/^O/);
  });

  it('submit timeout → RequestTimeout; the order is on the book when placed, absent otherwise', async () => {
    server.faults.submitTimeout({ placed: true });
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000, { clientOrderId: 'lost-1' })).rejects.toThrow(ccxt.RequestTimeout);
    const open = await kraken.fetchOpenOrders(undefined, undefined, undefined, { clientOrderId: 'lost-1' });
    expect(open.map((o) => o.clientOrderId)).toEqual(['lost-1']);
    server.faults.submitTimeout({ placed: false });
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.001, 29000, { clientOrderId: 'lost-2' })).rejects.toThrow(ccxt.RequestTimeout);
    expect(await kraken.fetchOpenOrders(undefined, undefined, undefined, { clientOrderId: 'lost-2' })).toEqual([]);
  });

  it('clockSkew is a no-op: Kraken signs with a nonce, not a timestamp', async () => {
    server.faults.clockSkew(120_000);
    expect((await kraken.fetchBalance())['USD']!.total).toBe(1000);
  });
});
