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
});
