import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idOf, info, tick } from './ccxt-test-helpers.ts';
import { binanceClient, startFakeBinance, type BinanceClient, type FakeBinanceServer } from './index.ts';

let server: FakeBinanceServer;
let ex: BinanceClient;

beforeEach(async () => {
  server = await startFakeBinance({ balances: { USDT: '100000', BTC: '1' } });
  ex = binanceClient(server);
  server.matching.quote('BTCUSDT', '30000.00', '30001.00');
  await ex.loadMarkets();
});

afterEach(async () => {
  await ex.close();
  await server.close();
});


/** Gives ccxt time to authenticate on the WebSocket API before the test acts. */
const userStreamReady = (): Promise<void> => tick(250);

describe('fake Binance spot user data over the WebSocket API', () => {
  it('watchOrders and watchMyTrades see a resting order fill when the market trades through it', async () => {
    const orders = ex.watchOrders('BTC/USDT');
    await userStreamReady();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.25, 30100, { clientOrderId: 'ws-1' });
    const first = await orders;
    expect(first.at(-1)).toMatchObject({ id: idOf(placed), clientOrderId: 'ws-1', status: 'open', amount: 0.25, filled: 0, price: 30100 });
    const trades = ex.watchMyTrades('BTC/USDT');
    const filledOrders = ex.watchOrders('BTC/USDT');
    server.matching.trade('BTCUSDT', '30100.00', '1');
    const [t, o] = await Promise.all([trades, filledOrders]);
    expect(t.at(-1)).toMatchObject({ order: idOf(placed), symbol: 'BTC/USDT', side: 'sell', price: 30100, amount: 0.25, takerOrMaker: 'maker', fee: { currency: 'USDT', cost: 7.525 } });
    expect(o.at(-1)).toMatchObject({ id: idOf(placed), status: 'closed', filled: 0.25, cost: 7525 });
  });

  it('watchBalance follows outboundAccountPosition after a fill', async () => {
    const first = ex.watchBalance();
    await userStreamReady();
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.1);
    let balance = await first;
    while (balance['BTC']?.free !== 1.1) balance = await ex.watchBalance();
    expect(balance['BTC']).toMatchObject({ free: 1.1, used: 0 });
    expect(balance['USDT']!.free).toBeCloseTo(100000 - 3000.1 - 3.0001, 6);
  });

  it('a canceled order reports its own client id (C) and ccxt keeps it', async () => {
    const orders = ex.watchOrders('BTC/USDT');
    await userStreamReady();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 29000, { clientOrderId: 'to-cancel' });
    await orders;
    const next = ex.watchOrders('BTC/USDT');
    await ex.cancelOrder(idOf(placed), 'BTC/USDT');
    const o = (await next).at(-1)!;
    expect(o).toMatchObject({ id: idOf(placed), clientOrderId: 'to-cancel', status: 'canceled' });
    expect(info(o)['x']).toBe('CANCELED');
    expect(info(o)['c']).not.toBe('to-cancel');
  });

  it('a bad signature on userDataStream.subscribe.signature is refused with -1022 and nothing is pushed', async () => {
    // Through a plain socket: ccxt itself leaves an internal future unhandled when this is refused.
    const ws = new (await import('ws')).WebSocket((server.urls['ws'] as { 'ws-api': { spot: string } })['ws-api'].spot);
    await new Promise((r) => ws.once('open', r));
    const messages: unknown[] = [];
    ws.on('message', (d: Buffer) => messages.push(JSON.parse(d.toString()) as unknown));
    ex.secret = 'wrong';
    ws.send(JSON.stringify({ id: '7', method: 'userDataStream.subscribe.signature', params: ex.signParams({}) as unknown }));
    await tick(150);
    ex.secret = server.secret;
    await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 30100);
    await tick(150);
    expect(messages).toEqual([{ id: '7', status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' }, rateLimits: expect.any(Array) as unknown }]);
    ws.close();
  });

  it('duplicates and reorders execution reports when told to', async () => {
    const seen: string[] = [];
    const ws = new (await import('ws')).WebSocket((server.urls['ws'] as { 'ws-api': { spot: string } })['ws-api'].spot);
    await new Promise((r) => ws.once('open', r));
    const params = ex.signParams({}) as unknown;
    ws.send(JSON.stringify({ id: '1', method: 'userDataStream.subscribe.signature', params }));
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as { event?: { e: string; x: string } };
      if (m.event?.e === 'executionReport') seen.push(m.event.x);
    });
    await tick(100);
    server.faults.duplicateReports(true);
    await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 30100);
    await tick(100);
    expect(seen).toEqual(['NEW', 'NEW']);
    server.faults.duplicateReports(false);
    server.faults.reorderReports(true);
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01);
    await tick(300);
    expect(seen.slice(2)).toEqual(['TRADE', 'NEW']);
    ws.close();
  });
});

describe('fake Binance spot market streams', () => {
  it('watchTicker (miniTicker), watchTickers by 24hr ticker, watchTrades and watchOHLCV receive what the market does', async () => {
    const ticker = ex.watchTicker('BTC/USDT');
    const full = ex.watchTickers(['BTC/USDT'], { name: 'ticker' });
    const trades = ex.watchTrades('BTC/USDT');
    const bars = ex.watchOHLCV('BTC/USDT', '1m');
    await tick(300);
    server.matching.trade('BTCUSDT', '30000.50', '0.3');
    const [t, f, tr, b] = await Promise.all([ticker, full, trades, bars]);
    expect(t).toMatchObject({ symbol: 'BTC/USDT', last: 30000.5, open: 30000.5, baseVolume: 0.3 });
    expect(f['BTC/USDT']).toMatchObject({ last: 30000.5, bid: 30000, ask: 30001 });
    expect(tr.at(-1)).toMatchObject({ symbol: 'BTC/USDT', price: 30000.5, amount: 0.3 });
    expect(b.at(-1)!.slice(1)).toEqual([30000.5, 30000.5, 30000.5, 30000.5, 0.3]);
    expect(server.requests.every((r) => r.path !== '/api/v3/klines')).toBe(true);
  });

  it('watchOrderBook takes the REST snapshot and applies the depth diffs after it', async () => {
    const first = ex.watchOrderBook('BTC/USDT');
    await tick(300);
    server.matching.quote('BTCUSDT', '30000.50', '30001.00');
    const book = await first;
    expect(server.requests.some((r) => r.path === '/api/v3/depth')).toBe(true);
    let b = book;
    for (let i = 0; i < 5 && b.bids[0]?.[0] !== 30002; i++) {
      server.matching.quote('BTCUSDT', '30002.00', '30003.00');
      b = await ex.watchOrderBook('BTC/USDT');
    }
    expect(b.bids[0]).toEqual([30002, 10]);
    expect(b.asks[0]).toEqual([30003, 10]);
    expect(b.bids.some(([px]) => px === 30000.5)).toBe(false);
  });

  it('dropping the sockets makes ccxt fail the pending watch with a NetworkError', async () => {
    const pending = ex.watchTicker('BTC/USDT');
    await tick(300);
    server.faults.dropSockets({ abrupt: false });
    await expect(pending).rejects.toBeInstanceOf(ccxt.NetworkError);
  });

  it('the server pings every pingIntervalMs, and stops while stalled', async () => {
    const fast = await startFakeBinance({ pingIntervalMs: 50 });
    const ws = new (await import('ws')).WebSocket((fast.urls['ws'] as { spot: string }).spot + '/btcusdt@trade');
    let pings = 0;
    ws.on('ping', () => pings++);
    await new Promise((r) => ws.once('open', r));
    await tick(300);
    expect(pings).toBeGreaterThanOrEqual(3);
    fast.faults.stallSockets(true);
    // A ping the server sent just before the stall may still be on its way: count from after it lands.
    await tick(100);
    const before = pings;
    await tick(300);
    expect(pings).toBe(before);
    ws.close();
    await fast.close();
  });

  it('a stalled socket sends nothing and withholds pongs, so ccxt times the connection out', async () => {
    ex.streaming['keepAlive'] = 200;
    const pending = ex.watchTicker('BTC/USDT');
    await tick(300);
    server.faults.stallSockets(true);
    server.matching.trade('BTCUSDT', '30000.50', '0.3');
    await expect(pending).rejects.toBeInstanceOf(ccxt.RequestTimeout);
  });
});
