import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idOf, info } from './ccxt-test-helpers.ts';
import { binanceClient, startFakeBinance, type BinanceClient, type FakeBinanceServer } from './index.ts';

let server: FakeBinanceServer;
let ex: BinanceClient;

beforeEach(async () => {
  server = await startFakeBinance({ balances: { USDT: '100000', BTC: '1' } });
  ex = binanceClient(server);
  server.matching.quote('BTCUSDT', '30000.00', '30001.00');
});

afterEach(async () => {
  await ex.close();
  await server.close();
});

describe('fake Binance spot REST through the real ccxt client', () => {
  it('lists markets whose filters ccxt parses into precision and limits', async () => {
    const markets = await ex.loadMarkets();
    const btc = markets['BTC/USDT']!;
    expect(btc.id).toBe('BTCUSDT');
    expect(btc.spot).toBe(true);
    expect(btc.active).toBe(true);
    expect(btc.precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    expect(btc.limits.amount).toEqual({ min: 0.00001, max: 9000 });
    expect(btc.limits.cost?.min).toBe(5);
    expect(server.requests.map((r) => r.path)).toEqual(['/api/v3/exchangeInfo']);
  });

  it('fills a market buy at the ask with FULL fills, and books the balance', async () => {
    const o = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.5);
    expect(o).toMatchObject({ status: 'closed', side: 'buy', type: 'market', filled: 0.5, average: 30001, cost: 15000.5 });
    expect(o.trades).toHaveLength(1);
    expect(o.fee).toEqual({ currency: 'USDT', cost: 15.0005 });
    const balance = await ex.fetchBalance();
    expect(balance['BTC']).toMatchObject({ free: 1.5, used: 0, total: 1.5 });
    expect(balance['USDT']!.free).toBeCloseTo(100000 - 15000.5 - 15.0005, 8);
    const sent = server.requests.find((r) => r.method === 'POST')!;
    expect(sent.params).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5', newOrderRespType: 'FULL' });
    expect(sent.params['signature']).toBeUndefined();
  });

  it('turns a market buy with a price into quoteOrderQty and buys what it pays for at the ask', async () => {
    const o = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, 30001);
    expect(server.requests.find((r) => r.method === 'POST')!.params).toMatchObject({ type: 'MARKET', quoteOrderQty: '300.01' });
    expect(o).toMatchObject({ status: 'closed', filled: 0.01, average: 30001 });
  });

  it('rests a GTC limit (funds locked), finds it by id and client id, lists it open, and cancels it', async () => {
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 29000, { clientOrderId: 'my-limit-1' });
    expect(placed).toMatchObject({ id: '1000', clientOrderId: 'my-limit-1', status: 'open', price: 29000, amount: 0.1, filled: 0, timeInForce: 'GTC' });
    // The matching core reserves the taker fee in the quote asset too (Binance locks 2900 and takes the fee in BTC).
    expect((await ex.fetchBalance())['USDT']!.used).toBe(2902.9);
    expect((await ex.fetchOrder(idOf(placed), 'BTC/USDT')).status).toBe('open');
    expect((await ex.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'my-limit-1' })).id).toBe(idOf(placed));
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => idOf(o))).toEqual([idOf(placed)]);
    const canceled = await ex.cancelOrder(idOf(placed), 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect(await ex.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect((await ex.fetchBalance())['USDT']!.used).toBe(0);
    expect((await ex.fetchOrders('BTC/USDT')).map((o) => o.status)).toEqual(['canceled']);
  });

  it('fills a resting limit when a trade prints through it, and lists the trade (fromId, since)', async () => {
    const o = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.2, 30100);
    server.matching.trade('BTCUSDT', '30100.00', '1');
    const filled = await ex.fetchOrder(idOf(o), 'BTC/USDT');
    expect(filled).toMatchObject({ status: 'closed', filled: 0.2, cost: 6020 });
    const trades = await ex.fetchMyTrades('BTC/USDT');
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ order: idOf(o), side: 'sell', price: 30100, amount: 0.2, takerOrMaker: 'maker', fee: { currency: 'USDT', cost: 6.02 } });
    expect(await ex.fetchMyTrades('BTC/USDT', undefined, undefined, { fromId: Number(trades[0]!.id) + 1 })).toEqual([]);
    expect(await ex.fetchMyTrades('BTC/USDT', trades[0]!.timestamp! + 1)).toEqual([]);
  });

  it('expires an IOC or FOK limit that cannot fill, and fills an IOC that can', async () => {
    const ioc = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 29000, { timeInForce: 'IOC' });
    expect(ioc).toMatchObject({ status: 'expired', filled: 0, timeInForce: 'IOC' });
    const fok = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 29000, { timeInForce: 'FOK' });
    expect(fok.status).toBe('expired');
    const crossing = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 30005, { timeInForce: 'IOC' });
    expect(crossing).toMatchObject({ status: 'closed', filled: 0.1, average: 30001 });
  });

  it('sends post-only as LIMIT_MAKER and rests it when it would not take', async () => {
    const o = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 29999, { postOnly: true });
    expect(o.status).toBe('open');
    expect(server.requests.find((r) => r.method === 'POST')!.params['type']).toBe('LIMIT_MAKER');
    expect(info(await ex.fetchOrder(idOf(o), 'BTC/USDT'))['type']).toBe('LIMIT_MAKER');
  });

  it('places STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT with stopPrice; a trade at the stop triggers it', async () => {
    const stop = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.1, 29400, { stopPrice: 29500 });
    const tp = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.1, 31000, { takeProfitPrice: 31000 });
    const posted = server.requests.filter((r) => r.method === 'POST').map((r) => [r.params['type'], r.params['stopPrice']]);
    expect(posted).toEqual([['STOP_LOSS_LIMIT', '29500'], ['TAKE_PROFIT_LIMIT', '31000']]);
    expect(stop).toMatchObject({ status: 'open', triggerPrice: 29500 });
    expect(tp.status).toBe('open');
    server.matching.trade('BTCUSDT', '29500.00', '1');
    server.matching.trade('BTCUSDT', '29400.00', '1');
    expect((await ex.fetchOrder(idOf(stop), 'BTC/USDT')).status).toBe('closed');
    expect((await ex.fetchOrder(idOf(tp), 'BTC/USDT')).status).toBe('open');
  });

  it('answers ACK and RESULT as Binance does (no fills), and FULL with fills', async () => {
    const ack = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { newOrderRespType: 'ACK' });
    expect(ack.info).toEqual({ symbol: 'BTCUSDT', orderId: Number(ack.id), orderListId: -1, clientOrderId: ack.clientOrderId, transactTime: ack.timestamp });
    const result = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { newOrderRespType: 'RESULT' });
    expect(info(result)['fills']).toBeUndefined();
    expect(result.status).toBe('closed');
  });

  it('serves the market: ticker, order book with lastUpdateId, klines, time', async () => {
    server.matching.trade('BTCUSDT', '30000.50', '0.3');
    server.matching.trade('BTCUSDT', '30002.00', '0.2');
    const t = await ex.fetchTicker('BTC/USDT');
    expect(t).toMatchObject({ symbol: 'BTC/USDT', bid: 30000, ask: 30001, last: 30002, open: 30000.5, high: 30002, low: 30000.5, baseVolume: 0.5 });
    const book = await ex.fetchOrderBook('BTC/USDT');
    expect(book.bids[0]).toEqual([30000, 10]);
    expect(book.asks[0]).toEqual([30001, 10]);
    expect(book.nonce).toBeGreaterThan(1000);
    const bars = await ex.fetchOHLCV('BTC/USDT', '1m');
    expect(bars.at(-1)!.slice(1)).toEqual([30000.5, 30002, 30000.5, 30002, 0.5]);
    expect(Math.abs((await ex.fetchTime())! - Date.now())).toBeLessThan(1000);
  });
});
