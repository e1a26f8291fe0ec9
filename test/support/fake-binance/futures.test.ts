import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idOf, info, lastBody, tick } from './ccxt-test-helpers.ts';
import { binanceClient, startFakeBinance, type BinanceClient, type FakeBinanceServer } from './index.ts';

let server: FakeBinanceServer;
let ex: BinanceClient;
let markets: Awaited<ReturnType<BinanceClient['loadMarkets']>>;

beforeEach(async () => {
  server = await startFakeBinance({ kind: 'usdm', balances: { USDT: '10000' } });
  ex = binanceClient(server);
  server.matching.quote('BTCUSDT', '30000.0', '30000.1');
  markets = await ex.loadMarkets();
});

afterEach(async () => {
  await ex.close();
  await server.close();
});


describe('fake Binance USDⓈ-M REST through ccxt binanceusdm', () => {
  it('lists perpetuals ccxt parses as linear swaps with the filters as precision and limits', () => {
    const m = markets['BTC/USDT:USDT']!;
    expect(m).toMatchObject({ id: 'BTCUSDT', type: 'swap', swap: true, linear: true, settle: 'USDT', active: true, contractSize: 1 });
    expect(m.precision).toMatchObject({ price: 0.1, amount: 0.001 });
    expect(m.limits.cost?.min).toBe(100);
    expect(markets['BTC/USDT']).toBeUndefined();
  });

  it('opens a short with a market order, shows it in fetchPositions and fetchBalance, and closes it reduce-only', async () => {
    const sell = await ex.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01);
    expect(sell).toMatchObject({ status: 'closed', filled: 0.01, average: 30000, side: 'sell' });
    const [pos] = await ex.fetchPositions(['BTC/USDT:USDT']);
    expect(pos).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'short', contracts: 0.01, entryPrice: 30000 });
    server.matching.trade('BTCUSDT', '29000.0', '0.5');
    const [marked] = await ex.fetchPositions(['BTC/USDT:USDT']);
    expect(marked!.unrealizedPnl).toBe(10);
    const bal = await ex.fetchBalance();
    // 10000 − 0.15 taker fee (0.05% of 300) + 10 unrealized.
    expect(bal['USDT']!.total).toBeCloseTo(10009.85, 8);
    server.matching.quote('BTCUSDT', '28999.9', '29000.0');
    const close = await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { reduceOnly: true });
    expect(close.status).toBe('closed');
    expect(await ex.fetchPositions(['BTC/USDT:USDT'])).toEqual([]);
    const trades = await ex.fetchMyTrades('BTC/USDT:USDT');
    expect(trades.map((t) => [t.side, t.price])).toEqual([['sell', 30000], ['buy', 29000]]);
    expect(info(trades[1]!)['realizedPnl']).toBe('10.00000000');
  });

  it('rests, finds, lists and cancels a GTC limit; refuses reduce-only with nothing to reduce (-2022)', async () => {
    const o = await ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.01, 29000, { clientOrderId: 'f-1' });
    expect(o).toMatchObject({ id: expect.any(String) as unknown, clientOrderId: 'f-1', status: 'open', price: 29000, amount: 0.01 });
    expect((await ex.fetchOrder(idOf(o), 'BTC/USDT:USDT')).status).toBe('open');
    expect((await ex.fetchOpenOrders('BTC/USDT:USDT')).map((x) => x.id)).toEqual([idOf(o)]);
    expect((await ex.cancelOrder(idOf(o), 'BTC/USDT:USDT')).status).toBe('canceled');
    await expect(ex.cancelOrder(idOf(o), 'BTC/USDT:USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    const e = await ex.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { reduceOnly: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ccxt.ExchangeError);
    expect(lastBody(ex)).toEqual({ code: -2022, msg: 'ReduceOnly Order is rejected.' });
  });

  it('places STOP_MARKET through the algo order API, finds and cancels it as a trigger order', async () => {
    const stop = await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { triggerPrice: 31000 });
    const posted = server.requests.find((r) => r.method === 'POST')!;
    expect(posted.path).toBe('/fapi/v1/algoOrder');
    expect(posted.params).toMatchObject({ algoType: 'CONDITIONAL', type: 'STOP_MARKET', triggerPrice: '31000', quantity: '0.01' });
    expect(stop).toMatchObject({ status: 'open', triggerPrice: 31000, type: 'market' });
    expect((await ex.fetchOrder(idOf(stop), 'BTC/USDT:USDT', { trigger: true })).status).toBe('open');
    expect(await ex.fetchOpenOrders('BTC/USDT:USDT')).toEqual([]);
    expect((await ex.fetchOpenOrders('BTC/USDT:USDT', undefined, undefined, { trigger: true })).map((o) => idOf(o))).toEqual([idOf(stop)]);
    const canceled = await ex.cancelOrder(idOf(stop), 'BTC/USDT:USDT', { trigger: true });
    expect(canceled.id).toBe(idOf(stop));
    expect((await ex.fetchOrder(idOf(stop), 'BTC/USDT:USDT', { trigger: true })).status).toBe('canceled');
  });

  it('a triggered take-profit fills and the algo order reads FINISHED', async () => {
    await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01);
    const tp = await ex.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { takeProfitPrice: 31000, reduceOnly: true });
    expect(server.requests.filter((r) => r.method === 'POST').at(-1)!.params['type']).toBe('TAKE_PROFIT_MARKET');
    server.matching.quote('BTCUSDT', '31000.0', '31000.1');
    server.matching.trade('BTCUSDT', '31000.0', '1');
    const done = await ex.fetchOrder(idOf(tp), 'BTC/USDT:USDT', { trigger: true });
    expect(done.status).toBe('closed');
    expect(info(done)['algoStatus']).toBe('FINISHED');
    expect(await ex.fetchPositions(['BTC/USDT:USDT'])).toEqual([]);
  });
});

describe('fake Binance USDⓈ-M user stream over a listenKey', () => {
  it('watchOrders gets ORDER_TRADE_UPDATE through /private/ws?listenKey=, fills included', async () => {
    const first = ex.watchOrders('BTC/USDT:USDT');
    await tick(300);
    expect(server.listenKeys.live()).toHaveLength(1);
    const o = await ex.createOrder('BTC/USDT:USDT', 'limit', 'sell', 0.02, 30500);
    expect((await first).at(-1)).toMatchObject({ id: idOf(o), status: 'open', amount: 0.02 });
    const next = ex.watchOrders('BTC/USDT:USDT');
    const trades = ex.watchMyTrades('BTC/USDT:USDT');
    server.matching.trade('BTCUSDT', '30500.0', '1');
    const [orders, mine] = await Promise.all([next, trades]);
    expect(orders.at(-1)).toMatchObject({ id: idOf(o), status: 'closed', filled: 0.02, average: 30500 });
    expect(mine.at(-1)).toMatchObject({ order: idOf(o), price: 30500, amount: 0.02, takerOrMaker: 'maker' });
    expect(server.requests.some((r) => r.method === 'POST' && r.path === '/fapi/v1/listenKey')).toBe(true);
  });

  it('watchPositions / watchBalance follow ACCOUNT_UPDATE', async () => {
    // ccxt resolves its first watchPositions with the REST snapshot (flat here).
    expect(await ex.watchPositions(['BTC/USDT:USDT'])).toEqual([]);
    const bal = ex.watchBalance();
    const pos = ex.watchPositions(['BTC/USDT:USDT']);
    await tick(200);
    await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01);
    const [b, p] = await Promise.all([bal, pos]);
    // Wallet: 10000 less the taker fee, 0.05% of 0.01 × 30000.1.
    expect(b['USDT']!.total).toBeCloseTo(10000 - 0.1500005, 8);
    expect(p.at(-1)).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.01, entryPrice: 30000.1 });
  });

  it('a listenKey lapses by itself after listenKeyTtlMs unless kept alive', async () => {
    const short = await startFakeBinance({ kind: 'usdm', listenKeyTtlMs: 300 });
    const client = binanceClient(short);
    try {
      const { listenKey } = (await client.fapiPrivatePostListenKey()) as { listenKey: string };
      await tick(200);
      await client.fapiPrivatePutListenKey();
      await tick(200);
      expect(short.listenKeys.live()).toEqual([listenKey]);
      await tick(250);
      expect(short.listenKeys.live()).toEqual([]);
    } finally {
      await client.close();
      await short.close();
    }
  });

  it('a listenKey without keepalive expires: listenKeyExpired is pushed and keepalive is refused (-1125)', async () => {
    const key = (await ex.fapiPrivatePostListenKey()) as { listenKey: string };
    const ws = new (await import('ws')).WebSocket(`${(server.urls['ws'] as { future: string }).future.replace('/ws', '/private/ws')}?listenKey=${key.listenKey}`);
    const seen: { e?: string }[] = [];
    ws.on('message', (d: Buffer) => seen.push(JSON.parse(d.toString()) as { e?: string }));
    await new Promise((r) => ws.once('open', r));
    expect((await ex.fapiPrivatePutListenKey()) as unknown).toEqual({ listenKey: key.listenKey });
    server.listenKeys.expire(key.listenKey);
    await tick(100);
    expect(seen).toEqual([{ e: 'listenKeyExpired', E: expect.any(Number) as unknown, listenKey: key.listenKey }]);
    await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01);
    await tick(100);
    expect(seen).toHaveLength(1);
    await expect(ex.fapiPrivatePutListenKey()).rejects.toBeInstanceOf(ccxt.ExchangeError);
    expect(lastBody(ex)).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
    ws.close();
  });
});
