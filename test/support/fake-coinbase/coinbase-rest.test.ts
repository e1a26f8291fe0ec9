import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coinbaseClient, startFakeCoinbase, type FakeCoinbaseServer } from './server.ts';

let server: FakeCoinbaseServer;
let cb: ReturnType<typeof coinbaseClient>;

beforeEach(async () => {
  server = await startFakeCoinbase();
  server.matching.quote('BTC-USD', '30000.00', '30001.00');
  server.matching.trade('BTC-USD', '30000.50', '0.1');
  cb = coinbaseClient(server);
});

afterEach(async () => {
  await cb.close();
  await server.close();
});

describe('fake Coinbase REST through real ccxt', () => {
  it('loadMarkets reads products with Coinbase increments as precision and sizes as limits', async () => {
    const markets = await cb.loadMarkets();
    const btc = markets['BTC/USD']!;
    expect(btc.id).toBe('BTC-USD');
    expect(btc.spot).toBe(true);
    expect(btc.active).toBe(true);
    expect(btc.precision).toEqual({ amount: 0.00000001, price: 0.01 });
    expect(btc.limits.amount).toEqual({ min: 0.00000001, max: 3400 });
    expect(btc.limits.cost?.min).toBe(1);
    expect(btc.taker).toBe(0.006);
    expect(btc.maker).toBe(0.004);
    expect(Object.keys(markets).sort()).toEqual(['BTC/USD', 'ETH/USD']);
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/api/v3/brokerage/market/products');
    expect(paths).toContain('/api/v3/brokerage/transaction_summary');
  });

  it('fetchTicker, fetchOrderBook, fetchTrades and fetchOHLCV read the market the test set', async () => {
    server.matching.trade('BTC-USD', '30002.00', '0.2');
    server.matching.quote('BTC-USD', '30001.00', '30003.00');
    const t = await cb.fetchTicker('BTC/USD');
    expect(t).toMatchObject({ symbol: 'BTC/USD', last: 30002, bid: 30001, ask: 30003 });
    const book = await cb.fetchOrderBook('BTC/USD');
    expect(book.bids).toEqual([[30001, 1.5]]);
    expect(book.asks).toEqual([[30003, 1.5]]);
    const bidsAsks = await cb.fetchBidsAsks(['BTC/USD']);
    expect(bidsAsks['BTC/USD']).toMatchObject({ bid: 30001, ask: 30003, bidVolume: 1.5, askVolume: 1.5 });
    const trades = await cb.fetchTrades('BTC/USD');
    expect(trades.map((x) => [x.price, x.amount])).toEqual([
      [30000.5, 0.1],
      [30002, 0.2],
    ]);
    const candles = await cb.fetchOHLCV('BTC/USD', '1m');
    expect(candles.length).toBeGreaterThanOrEqual(1);
    const last = candles.at(-1)!;
    expect(last[4]).toBe(30002);
    expect(candles.reduce((v, c) => v + (c[5] ?? 0), 0)).toBeCloseTo(0.3, 10);
  });

  it('fetchTime reads /api/v3/brokerage/time on the exchange clock (skewed when told)', async () => {
    server.faults.clockSkew(90_000);
    const t = await cb.fetchTime({ method: 'v3PublicGetBrokerageTime' });
    expect(Math.abs(t! - (Date.now() + 90_000))).toBeLessThan(2000);
  });
});

