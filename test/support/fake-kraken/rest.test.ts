import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { krakenClient, startFakeKraken, type FakeKrakenServer, type KrakenClient } from './server.ts';

let server: FakeKrakenServer;
let kraken: KrakenClient;

beforeEach(async () => {
  server = await startFakeKraken({ balances: { ZUSD: '100000', XXBT: '1' } });
  kraken = krakenClient(server);
  server.matching.quote('XXBTZUSD', '30000.0', '30000.1');
});

afterEach(async () => {
  await kraken.close();
  await server.close();
});

describe('fake Kraken public REST through ccxt', () => {
  it('lists XXBTZUSD so ccxt maps it to BTC/USD with Kraken precision, limits and fees', async () => {
    const markets = await kraken.loadMarkets();
    const btc = markets['BTC/USD']!;
    expect(btc.id).toBe('XXBTZUSD');
    expect(btc.base).toBe('BTC');
    expect(btc.quote).toBe('USD');
    const info = btc.info as Record<string, unknown>;
    expect(info['altname']).toBe('XBTUSD');
    expect(info['wsname']).toBe('XBT/USD');
    expect(btc.precision).toEqual({ amount: 1e-8, price: 0.1 });
    expect(btc.limits.amount?.min).toBe(0.00005);
    expect(btc.limits.cost?.min).toBe(0.5);
    expect(btc.taker).toBe(0.0026);
    expect(btc.maker).toBe(0.0016);
    expect(btc.active).toBe(true);
    expect(markets['ETH/USD']!.precision.price).toBe(0.01);
    expect(kraken.currencies['BTC']!.id).toBe('XXBT');
    expect(kraken.currencies['USD']!.precision).toBe(0.0001);
  });

  it('answers Time and SystemStatus', async () => {
    const t = await kraken.fetchTime();
    expect(Math.abs(t! - Date.now())).toBeLessThan(5000);
    expect((await kraken.fetchStatus()).status).toBe('ok');
    server.faults.maintenance(true);
    expect((await kraken.fetchStatus()).status).toBe('maintenance');
  });

  it('serves ticker, order book, trades and OHLC from the market the test moved', async () => {
    server.matching.trade('XXBTZUSD', '30000.1', '0.25');
    server.matching.trade('XXBTZUSD', '29999.0', '0.75');
    const ticker = await kraken.fetchTicker('BTC/USD');
    expect([ticker.bid, ticker.ask, ticker.last]).toEqual([30000.0, 30000.1, 29999.0]);
    expect(ticker.baseVolume).toBe(1);
    expect(ticker.high).toBe(30000.1);
    expect(ticker.low).toBe(29999.0);
    const book = await kraken.fetchOrderBook('BTC/USD');
    expect(book.bids[0]!.slice(0, 2)).toEqual([30000.0, 1]);
    expect(book.asks[0]!.slice(0, 2)).toEqual([30000.1, 1]);
    const trades = await kraken.fetchTrades('BTC/USD');
    expect(trades.map((t) => [t.side, t.price, t.amount])).toEqual([['buy', 30000.1, 0.25], ['sell', 29999.0, 0.75]]);
    const bars = await kraken.fetchOHLCV('BTC/USD', '1m');
    expect(bars.at(-1)!.slice(1)).toEqual([30000.1, 30000.1, 29999.0, 29999.0, 1]);
  });
});

describe('fake Kraken trading through ccxt', () => {
  it('fills a market buy at the ask and books it in balances, orders and trades', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'market', 'buy', 0.1);
    expect(placed.id).toMatch(/^O[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{6}$/);
    const order = await kraken.fetchOrder(placed.id!);
    expect(order.status).toBe('closed');
    expect(order.type).toBe('market');
    expect(order.filled).toBe(0.1);
    expect(order.average).toBe(30000.1);
    expect(order.cost).toBe(3000.01);
    expect(order.fee?.currency).toBe('USD');
    expect(Number(order.fee?.cost)).toBe(7.80002);
    const mine = await kraken.fetchMyTrades('BTC/USD');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ order: placed.id, side: 'buy', price: 30000.1, amount: 0.1, cost: 3000.01, takerOrMaker: 'taker', symbol: 'BTC/USD' });
    expect(mine[0]!.fee).toEqual({ cost: 7.80002, currency: 'USD' });
    const balance = await kraken.fetchBalance();
    expect(balance['BTC']).toEqual({ free: 1.1, used: 0, total: 1.1 });
    expect(balance['USD']!.total).toBe(96992.1899); // 100000 - 3000.01 - 7.800026, printed with ZUSD's 4 decimals
    expect((await kraken.fetchClosedOrders()).map((o) => o.id)).toEqual([placed.id]);
  });

  it('rests a limit order with the client id as cl_ord_id, lists it open, cancels it, lists it closed', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.5, 29000, { clientOrderId: 'warden-1' });
    expect(server.requests.find((r) => r.path === '/0/private/AddOrder')!.params).toMatchObject({
      pair: 'XXBTZUSD', type: 'buy', ordertype: 'limit', volume: '0.5', price: '29000', cl_ord_id: 'warden-1',
    });
    const open = await kraken.fetchOpenOrders('BTC/USD');
    expect(open.map((o) => [o.id, o.clientOrderId, o.status, o.price, o.amount, o.filled, o.side])).toEqual([[placed.id, 'warden-1', 'open', 29000, 0.5, 0, 'buy']]);
    expect((await kraken.fetchBalance())['USD']!.used).toBeGreaterThanOrEqual(14500);
    await kraken.cancelOrder(placed.id!);
    expect(await kraken.fetchOpenOrders()).toEqual([]);
    const closed = await kraken.fetchClosedOrders();
    expect(closed.map((o) => [o.id, o.status])).toEqual([[placed.id, 'canceled']]);
    expect((await kraken.fetchBalance())['USD']!.used).toBe(0);
  });

  it('fills a resting limit when a trade prints through it, partially first', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'sell', 0.4, 30100);
    server.matching.trade('XXBTZUSD', '30100.0', '0.1');
    const partial = await kraken.fetchOrder(placed.id!);
    expect([partial.status, partial.filled, partial.remaining]).toEqual(['open', 0.1, 0.3]);
    server.matching.trade('XXBTZUSD', '30100.0', '1');
    const done = await kraken.fetchOrder(placed.id!);
    expect([done.status, done.filled, done.average]).toEqual(['closed', 0.4, 30100]);
    const trades = await kraken.fetchMyTrades();
    // both fills may share a millisecond, so compare them whatever their order
    expect(trades.map((t) => [t.amount, t.takerOrMaker]).sort()).toEqual([[0.1, 'maker'], [0.3, 'maker']]);
  });

  it('fetchOrderTrades reads the order\'s trade txids through QueryTrades', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'sell', 0.3, 30100);
    server.matching.trade('XXBTZUSD', '30100.0', '0.1');
    server.matching.trade('XXBTZUSD', '30100.0', '0.5');
    const order = await kraken.fetchOrder(placed.id!);
    expect(order.trades).toHaveLength(2);
    const trades = await kraken.fetchOrderTrades(placed.id!, 'BTC/USD', undefined, undefined, { trades: order.trades });
    expect(server.requests.at(-1)!.path).toBe('/0/private/QueryTrades');
    // Both prints fall in the same millisecond: ccxt's order between them is not Kraken's to fix.
    expect(trades.map((t) => [t.order, t.amount, t.price]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([[placed.id, 0.1, 30100], [placed.id, 0.2, 30100]]);
  });

  it('cancels by client order id', async () => {
    await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.01, 25000, { clientOrderId: 'by-cl' });
    await kraken.cancelOrder('', 'BTC/USD', { clientOrderId: 'by-cl' });
    expect(server.requests.at(-1)!.params).toMatchObject({ cl_ord_id: 'by-cl' });
    expect(await kraken.fetchOpenOrders()).toEqual([]);
  });

  it('places a stop-loss as Kraken stop-loss, triggers it on a print and fills at the market', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'market', 'sell', 0.2, undefined, { stopLossPrice: 29500 });
    expect(server.requests.at(-1)!.params).toMatchObject({ ordertype: 'stop-loss', price: '29500' });
    expect(placed.stopLossPrice).toBe(29500);
    const resting = await kraken.fetchOrder(placed.id!);
    expect([resting.status, resting.stopLossPrice]).toEqual(['open', 29500]);
    server.matching.quote('XXBTZUSD', '29400.0', '29400.1');
    server.matching.trade('XXBTZUSD', '29400.0', '1');
    const done = await kraken.fetchOrder(placed.id!);
    expect(done.status).toBe('closed');
    expect(done.filled).toBe(0.2);
    expect(done.average).toBe(29400);
  });

  it('places a stop-loss-limit with trigger and limit (price2)', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'sell', 0.2, 29400, { stopLossPrice: 29500 });
    expect(server.requests.at(-1)!.params).toMatchObject({ ordertype: 'stop-loss-limit', price: '29500', price2: '29400' });
    const o = await kraken.fetchOrder(placed.id!);
    expect([o.type, o.stopLossPrice, o.price, o.status]).toEqual(['limit', 29500, 29400, 'open']);
  });

  it('sends post-only as oflags=post, and refuses one that would cross', async () => {
    const resting = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.01, 29990, { postOnly: true });
    expect(server.requests.at(-1)!.params['oflags']).toBe('post');
    expect((await kraken.fetchOrder(resting.id!)).postOnly).toBe(true);
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.01, 30000.1, { postOnly: true })).rejects.toThrow('EOrder:Post only order');
  });

  it('buys for a quote amount (viqc), converting at the ask to whole lots, never spending more', async () => {
    await kraken.createMarketBuyOrderWithCost('BTC/USD', 3000);
    expect(server.requests.at(-1)!.params).toMatchObject({ oflags: 'viqc', volume: '3000' });
    const [trade] = await kraken.fetchMyTrades();
    expect(trade!.amount).toBe(0.09999966); // 3000 / 30000.1, truncated to the 8-decimal lot
    expect(trade!.price).toBe(30000.1);
    expect(trade!.cost).toBeLessThanOrEqual(3000);
  });

  it('expires a GTD order at expiretm', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.01, 25000, { timeInForce: 'GTD', expiretm: '+1' });
    expect((await kraken.fetchOrder(placed.id!)).status).toBe('open');
    await new Promise((r) => setTimeout(r, 1300));
    expect((await kraken.fetchOrder(placed.id!)).status).toBe('expired');
  });
});
