/**
 * The gateway's other Binance endpoints a ccxt/Freqtrade bot calls, driven by the real ccxt.pro
 * binance client: editOrder (POST /api/v3/order/cancelReplace), and the market data it asks at
 * start (ticker/24hr, ticker/price, ticker/bookTicker, depth, klines) served from the node's own
 * quotes and bars; an unknown endpoint answers Binance's 404.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHarness, INST, signedCall, until, type BinanceClient, type GatewayHarness } from './support.ts';

let h: GatewayHarness;
let ex: BinanceClient;

beforeAll(async () => {
  h = await gatewayHarness();
  ex = h.client();
  await ex.loadMarkets();
}, 60_000);
afterAll(async () => h?.close());

const raw = (x: { info?: unknown }) => x.info as Record<string, unknown>;
const quote = () => h.s.node.engine.portfolio.quote(INST as never);
const idOf = (x: { id?: string | undefined }): string => {
  if (x.id === undefined) throw new Error('ccxt returned no id');
  return x.id;
};

describe('cancelReplace (ccxt editOrder)', () => {
  it('cancels the resting order and places the new one: both in the answer, the old CANCELED, the new ACCEPTED', async () => {
    const px = h.restingBuy();
    const first = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, px, { clientOrderId: 'cr-old' });
    await until(() => h.s.node.engine.order('cr-old')?.status === 'ACCEPTED', 'cr-old at the venue');
    const edited = await ex.editOrder(idOf(first), 'BTC/USDT', 'limit', 'buy', 0.003, px - 1, { clientOrderId: 'cr-new' });
    expect(edited).toMatchObject({ clientOrderId: 'cr-new', amount: 0.003, price: px - 1 });
    expect(h.s.node.engine.order('cr-old')?.status).toBe('CANCELED');
    await until(() => h.s.node.engine.order('cr-new')?.status === 'ACCEPTED', 'cr-new at the venue');
    expect(Number(edited.id)).toBeGreaterThan(Number(first.id));
    await ex.cancelOrder(idOf(edited), 'BTC/USDT');
  });

  it('STOP_ON_FAILURE with an unknown order: -2022 with both results in data, nothing placed', async () => {
    const r = await signedCall(h.gateway.url, 'POST', '/api/v3/order/cancelReplace', {
      symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.002', price: String(h.restingBuy()), cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrderId: '999999', newClientOrderId: 'cr-never',
    });
    expect(r).toEqual({ status: 400, body: { code: -2022, msg: 'Order cancel-replace failed.', data: { cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse: { code: -2011, msg: 'Unknown order sent.' }, newOrderResponse: null } } });
    expect(h.s.node.engine.order('cr-never')).toBeUndefined();
  });

  it('ALLOW_FAILURE with an unknown order: the new order is placed, 409 -2021 partially failed', async () => {
    const r = await signedCall(h.gateway.url, 'POST', '/api/v3/order/cancelReplace', {
      symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.002', price: String(h.restingBuy()), cancelReplaceMode: 'ALLOW_FAILURE', cancelOrigClientOrderId: 'no-such', newClientOrderId: 'cr-anyway', newOrderRespType: 'ACK',
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: -2021, msg: 'Order cancel-replace partially failed.', data: { cancelResult: 'FAILURE', newOrderResult: 'SUCCESS', cancelResponse: { code: -2011 }, newOrderResponse: { clientOrderId: 'cr-anyway' } } });
    expect(h.s.node.engine.order('cr-anyway')).toBeDefined();
    await signedCall(h.gateway.url, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'cr-anyway' });
  });

  it('a malformed new order cancels nothing (-1102 before the cancel)', async () => {
    const px = h.restingBuy();
    const keep = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, px, { clientOrderId: 'cr-keep' });
    const r = await signedCall(h.gateway.url, 'POST', '/api/v3/order/cancelReplace', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: String(px), cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrderId: idOf(keep) });
    expect(r.body).toEqual({ code: -1102, msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed." });
    expect(h.s.node.engine.order('cr-keep')?.isOpen).toBe(true);
    await ex.cancelOrder(idOf(keep), 'BTC/USDT');
  });
});

describe('market data from the node', () => {
  beforeAll(async () => {
    // The gateway keeps the bars it sees from its start: wait for a few of the replay.
    const end = Date.now() + 15_000;
    while ((await ex.fetchOHLCV('BTC/USDT', '1m', undefined, 20)).length < 12) {
      if (Date.now() > end) throw new Error('timed out waiting for 12 bars');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 20_000);

  it('fetchTicker / fetchTickers (ticker/24hr): last from the node quote (a bar-fed node: also its bid and ask); OHLC and volume from its bars', async () => {
    expect([quote()?.bid, quote()?.ask]).toEqual([undefined, undefined]);
    // Asked first: the ticker's day holds every one of these bars, and maybe newer ones.
    const bars = await ex.fetchOHLCV('BTC/USDT', '1m', undefined, 1000);
    const t = await ex.fetchTicker('BTC/USDT');
    const q = quote()!;
    const info = raw(t);
    expect(info['symbol']).toBe('BTCUSDT');
    for (const f of ['lastPrice', 'bidPrice', 'askPrice', 'openPrice', 'highPrice', 'lowPrice', 'volume']) expect(info[f]).toMatch(/^\d+\.\d{8}$/);
    expect(Number(info['highPrice'])).toBeGreaterThanOrEqual(Number(info['lowPrice']));
    expect(Number(info['volume'])).toBeGreaterThanOrEqual(bars.reduce((v, k) => v + k[5]!, 0) - 1e-6);
    expect(Number(info['highPrice'])).toBeGreaterThanOrEqual(Math.max(...bars.map((k) => k[2]!)));
    expect(info['bidPrice']).toBe(info['lastPrice']);
    expect(info['askPrice']).toBe(info['lastPrice']);
    // The quote moves with the replay: the answer is a recent one, on the instrument grid.
    expect(Math.abs(Number(info['lastPrice']) - Number(q.last!.toString())) / Number(q.last!.toString())).toBeLessThan(0.05);
    const all = await ex.fetchTickers();
    expect(Object.keys(all)).toEqual(['BTC/USDT']);
  });

  it('fetchLastPrices (ticker/price), fetchBidsAsks (ticker/bookTicker) and fetchOrderBook (depth): the top of the book, sizes not known (0)', async () => {
    const prices = await signedCall(h.gateway.url, 'GET', '/api/v3/ticker/price', { symbol: 'BTCUSDT' });
    expect(prices.body).toMatchObject({ symbol: 'BTCUSDT', price: expect.stringMatching(/^\d+\.\d{8}$/) as unknown });
    const book = await ex.fetchOrderBook('BTC/USDT');
    expect(book.bids).toHaveLength(1);
    expect(book.asks).toHaveLength(1);
    expect(book.bids[0]![0]).toBe(book.asks[0]![0]);
    expect(book.bids[0]![1]).toBe(0);
    expect(book.nonce).toBeGreaterThan(0);
    const ba = await ex.fetchBidsAsks(['BTC/USDT']);
    expect(raw(ba['BTC/USDT']!)).toMatchObject({ symbol: 'BTCUSDT', bidQty: '0.00000000', askQty: '0.00000000' });
    expect(await signedCall(h.gateway.url, 'GET', '/api/v3/ticker/price', { symbol: 'ETHUSDT' })).toEqual({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
  });

  it('fetchOHLCV (klines): the node 1m bars, merged to 5m exactly; finer than the bars is -1120', async () => {
    const m1 = await ex.fetchOHLCV('BTC/USDT', '1m', undefined, 10);
    expect(m1.length).toBeGreaterThan(5);
    for (let i = 1; i < m1.length; i++) expect(m1[i]![0]! - m1[i - 1]![0]!).toBe(60_000);
    const m5 = await ex.fetchOHLCV('BTC/USDT', '5m', m1[0]![0]! - (m1[0]![0]! % 300_000), 1);
    const bucket = m5[0]!;
    const inside = (await ex.fetchOHLCV('BTC/USDT', '1m', bucket[0], 5)).filter((k) => k[0]! < bucket[0]! + 300_000);
    expect(bucket[2]).toBe(Math.max(...inside.map((k) => k[2]!)));
    expect(bucket[3]).toBe(Math.min(...inside.map((k) => k[3]!)));
    expect(bucket[4]).toBe(inside.at(-1)![4]);
    await expect(ex.fetchOHLCV('BTC/USDT', '1s')).rejects.toThrow(ccxt.BadRequest);
    expect(JSON.parse(ex.last_http_response as string)).toMatchObject({ code: -1120 });
  });
});

describe('what is not served', () => {
  it('an unknown endpoint or method answers Binance 404 {code, msg}; the gateway stays up', async () => {
    for (const [method, path] of [['GET', '/api/v3/avgPrice'], ['PUT', '/api/v3/order'], ['GET', '/sapi/v1/capital/config/getall'], ['POST', '/api/v3/orderList/oco']] as const) {
      const res = await fetch(`${h.gateway.url}${path}?symbol=BTCUSDT`, { method });
      expect([method, path, res.status, await res.json()]).toEqual([method, path, 404, { code: -1000, msg: 'Not Found' }]);
    }
    const bad = await fetch(`${h.gateway.url}/api/v3/ticker/price?symbols=notjson`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: number }).code).toBe(-1100);
    expect((await fetch(`${h.gateway.url}/api/v3/ping`)).status).toBe(200);
  });
});
