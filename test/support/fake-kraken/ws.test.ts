import ccxt from 'ccxt';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { krakenClient, startFakeKraken, type FakeKrakenServer, type KrakenClient } from './server.ts';

let server: FakeKrakenServer;
let kraken: KrakenClient;

beforeEach(async () => {
  server = await startFakeKraken({ balances: { ZUSD: '100000', XXBT: '1' } });
  kraken = krakenClient(server);
  server.matching.quote('XXBTZUSD', '30000.0', '30000.1');
  await kraken.loadMarkets();
});

afterEach(async () => {
  await kraken.close();
  await server.close();
});

/** Lets the server's pushes reach ccxt. */
const tick = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('fake Kraken public WebSocket v2 through ccxt.pro', () => {
  it('watchTicker: the snapshot, then an update per print', async () => {
    server.matching.trade('XXBTZUSD', '30000.1', '0.5');
    const first = await kraken.watchTicker('BTC/USD');
    expect([first.symbol, first.bid, first.ask, first.last]).toEqual(['BTC/USD', 30000, 30000.1, 30000.1]);
    const next = kraken.watchTicker('BTC/USD');
    await tick();
    server.matching.trade('XXBTZUSD', '29990.0', '0.25');
    const updated = await next;
    expect([updated.last, updated.baseVolume, updated.low, updated.high]).toEqual([29990, 0.75, 29990, 30000.1]);
  });

  it('watchTrades: the last prints as a snapshot, then each print with side, price, amount and id', async () => {
    server.matching.trade('XXBTZUSD', '30000.1', '0.1');
    const snapshot = await kraken.watchTrades('BTC/USD');
    expect(snapshot.map((t) => [t.symbol, t.side, t.price, t.amount, t.id])).toEqual([['BTC/USD', 'buy', 30000.1, 0.1, '1']]);
    const next = kraken.watchTrades('BTC/USD');
    await tick();
    server.matching.trade('XXBTZUSD', '29999.0', '0.3');
    const trades = await next;
    expect(trades.map((t) => [t.symbol, t.side, t.price, t.amount, t.id])).toEqual([['BTC/USD', 'sell', 29999, 0.3, '2']]);
  });

  it('watchOHLCV: the bar of the minute folds each print', async () => {
    server.matching.trade('XXBTZUSD', '30000.0', '0.1');
    const first = await kraken.watchOHLCV('BTC/USD', '1m');
    expect(first.at(-1)!.slice(1)).toEqual([30000, 30000, 30000, 30000, 0.1]);
    const next = kraken.watchOHLCV('BTC/USD', '1m');
    await tick();
    server.matching.trade('XXBTZUSD', '30010.0', '0.2');
    const bars = await next;
    const bar = bars.at(-1)!;
    if (bar[0]! === first.at(-1)![0]) expect(bar.slice(1)).toEqual([30000, 30010, 30000, 30010, 0.3]);
    else expect(bar.slice(1)).toEqual([30010, 30010, 30010, 30010, 0.2]); // the print fell into the next minute
  });

  it('watchOrderBook: the quoted top of book, moved by the next quote', async () => {
    const book = await kraken.watchOrderBook('BTC/USD');
    expect(book.bids[0]).toEqual([30000, 1]);
    expect(book.asks[0]).toEqual([30000.1, 1]);
    const next = kraken.watchOrderBook('BTC/USD');
    await tick();
    server.matching.quote('XXBTZUSD', '30005.0', '30005.5');
    const moved = await next;
    expect(moved.bids[0]).toEqual([30005, 1]);
    expect(moved.asks[0]).toEqual([30005.5, 1]);
    expect(moved.bids.length).toBe(1);
  });

  it('answers ccxt pings with pongs', async () => {
    await kraken.watchTicker('BTC/USD');
    const client = kraken.clients[server.urls.ws.publicV2] as unknown as { lastPong: number | undefined; ping?: unknown };
    const before = client.lastPong ?? 0;
    const url = server.urls.ws.publicV2;
    const socket = kraken.clients[url] as unknown as { send(m: unknown): Promise<void> };
    await socket.send({ method: 'ping', req_id: 99 });
    await tick(100);
    expect(client.lastPong!).toBeGreaterThan(before);
  });
});

describe('fake Kraken executions channel through ccxt.pro', () => {
  it('watchOrders sees the new order, and watchMyTrades the fill a market print causes', async () => {
    const orders = kraken.watchOrders('BTC/USD');
    await tick(150);
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'sell', 0.2, 30100, { clientOrderId: 'ws-1' });
    const seen = await orders;
    expect(seen.at(-1)).toMatchObject({ id: placed.id, symbol: 'BTC/USD', side: 'sell', price: 30100, amount: 0.2, status: 'open', type: 'limit' });
    expect((seen.at(-1)!.info as Record<string, unknown>)['cl_ord_id']).toBe('ws-1');
    const fills = kraken.watchMyTrades('BTC/USD');
    await tick(150);
    server.matching.trade('XXBTZUSD', '30100.0', '1');
    const trades = await fills;
    expect(trades.at(-1)).toMatchObject({ order: placed.id, symbol: 'BTC/USD', side: 'sell', price: 30100, amount: 0.2, cost: 6020, takerOrMaker: 'maker' });
    expect(trades.at(-1)!.fee).toEqual({ cost: 9.632, currency: 'USD' }); // 0.16% maker on 6020
    // The `filled` update followed the trade on the same socket; it carries no symbol (as Kraken's
    // status updates), so ccxt files it under the order id without one
    await tick(100);
    const cached = [...(kraken.orders as unknown as { id: string; status: string }[])].filter((o) => o.id === placed.id);
    expect(cached.at(-1)).toMatchObject({ id: placed.id, status: 'closed', average: 30100, cost: 6020 });
  });

  it('watchBalance: the snapshot, then the balances a fill moved', async () => {
    const snapshot = await kraken.watchBalance();
    expect([snapshot['BTC']!.total, snapshot['USD']!.total]).toEqual([1, 100000]);
    const next = kraken.watchBalance();
    await tick();
    await kraken.createOrder('BTC/USD', 'market', 'buy', 0.1);
    const after = await next;
    expect(after['BTC']!.total).toBe(1.1);
    expect(after['USD']!.total).toBe(96992.1899); // 100000 - 3000.01 - 7.800026 fee, at ZUSD's 4 decimals
  });

  it('reports a cancel', async () => {
    const placed = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29000);
    const snapshot = await kraken.watchOrders();
    expect(snapshot.map((o) => [o.id, o.status])).toEqual([[placed.id, 'open']]);
    const next = kraken.watchOrders();
    await tick();
    await kraken.cancelOrder(placed.id!);
    const after = await next;
    expect(after.at(-1)).toMatchObject({ id: placed.id, status: 'canceled' });
  });

  it('duplicate reports: each execution arrives twice', async () => {
    const seen: (string | undefined)[] = [];
    const loop = (async () => {
      for (;;) {
        const trades = await kraken.watchMyTrades();
        seen.push(...trades.map((t) => t.id));
        if (seen.length >= 2) return;
      }
    })();
    await tick(150);
    server.faults.duplicateReports(true);
    await kraken.createOrder('BTC/USD', 'market', 'buy', 0.01);
    await loop;
    expect(seen.length).toBe(2);
    expect(seen[0]).toBe(seen[1]);
  });

  it('reordered reports: each event overtakes the one before it on the wire, with increasing sequence numbers', async () => {
    const token = ((await kraken.privatePostGetWebSocketsToken()) as { result: { token: string } }).result.token;
    const raw = await rawSocket(server.urls.ws.privateV2);
    raw.send({ method: 'subscribe', params: { channel: 'executions', token, snap_orders: false }, req_id: 7 });
    await raw.next((m) => m['method'] === 'subscribe');
    server.faults.reorderReports(true);
    await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.01, 29000);
    server.matching.quote('XXBTZUSD', '28990.0', '28999.0');
    const events: Record<string, unknown>[] = [];
    while (events.length < 4) events.push(await raw.next((m) => m['channel'] === 'executions'));
    const data = events.map((e) => (e['data'] as Record<string, unknown>[])[0]!);
    expect(data.map((d) => d['exec_type'])).toEqual(['new', 'pending_new', 'filled', 'trade']);
    expect(events.map((e) => e['sequence'])).toEqual([1, 2, 3, 4]);
    raw.close();
  });

  it('greets with the status channel and sends heartbeats while subscribed', async () => {
    const raw = await rawSocket(server.urls.ws.publicV2);
    const status = await raw.next((m) => m['channel'] === 'status');
    expect((status['data'] as Record<string, unknown>[])[0]).toMatchObject({ system: 'online', api_version: 'v2' });
    raw.send({ method: 'subscribe', params: { channel: 'ticker', symbol: ['BTC/USD', 'DOGE/USD'] }, req_id: 3 });
    expect(await raw.next((m) => m['method'] === 'subscribe' && m['success'] === true)).toMatchObject({ req_id: 3, result: { channel: 'ticker', symbol: 'BTC/USD', snapshot: true } });
    expect(await raw.next((m) => m['success'] === false)).toMatchObject({ req_id: 3, error: 'Currency pair not supported DOGE/USD' });
    expect(await raw.next((m) => m['channel'] === 'heartbeat')).toEqual({ channel: 'heartbeat' });
    raw.send({ method: 'ping', req_id: 4 });
    expect(await raw.next((m) => m['method'] === 'pong')).toMatchObject({ req_id: 4 });
    raw.close();
  });

  it('dropSockets: the pending watch fails with a NetworkError, and ccxt resubscribes', async () => {
    await kraken.watchTicker('BTC/USD');
    const pending = kraken.watchTicker('BTC/USD');
    await tick();
    server.faults.dropSockets({ abrupt: true });
    await expect(pending).rejects.toThrow(ccxt.NetworkError);
    server.matching.trade('XXBTZUSD', '30000.1', '0.1');
    const again = await kraken.watchTicker('BTC/USD');
    expect(again.last).toBe(30000.1);
  });

  it('stallSockets: no pongs, so ccxt times the connection out', async () => {
    const slow = krakenClient(server);
    slow.streaming = { ...slow.streaming, keepAlive: 300 };
    await slow.watchTicker('BTC/USD');
    server.faults.stallSockets(true);
    await expect(slow.watchTicker('BTC/USD')).rejects.toThrow(ccxt.RequestTimeout);
    server.faults.stallSockets(false);
    await slow.close();
  });
});

/** A plain WebSocket to read the wire as Kraken sends it. */
async function rawSocket(url: string): Promise<{ send(m: unknown): void; next(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>; close(): void }> {
  const ws = new WebSocket(url);
  const inbox: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  ws.on('message', (d) => {
    inbox.push(JSON.parse((d as Buffer).toString('utf8')) as Record<string, unknown>);
    wake?.();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    send: (m) => ws.send(JSON.stringify(m)),
    async next(match) {
      for (;;) {
        const i = inbox.findIndex(match);
        if (i >= 0) return inbox.splice(i, 1)[0]!;
        await new Promise<void>((r) => (wake = r));
      }
    },
    close: () => ws.close(),
  };
}
