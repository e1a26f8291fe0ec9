import ccxt from 'ccxt';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coinbaseClient, startFakeCoinbase, type FakeCoinbaseServer } from './server.ts';

let server: FakeCoinbaseServer;
let cb: ReturnType<typeof coinbaseClient>;

beforeEach(async () => {
  server = await startFakeCoinbase({ heartbeatMs: 200 });
  server.matching.trade('BTC-USD', '30000.50', '0.1');
  server.matching.quote('BTC-USD', '30000.00', '30001.00');
  cb = coinbaseClient(server);
  await cb.loadMarkets();
});

afterEach(async () => {
  await cb.close();
  await server.close();
});

type Order = Awaited<ReturnType<typeof cb.watchOrders>>[number];

/** Watches orders until one satisfies `pred` (the first push is the user channel's snapshot). */
async function watchUntil(pred: (o: Order) => boolean, rounds = 10): Promise<Order> {
  for (let i = 0; i < rounds; i++) {
    const found = (await cb.watchOrders()).find(pred);
    if (found) return found;
  }
  throw new Error('no matching order update');
}

describe('fake Coinbase WebSocket through real ccxt.pro', () => {
  it('watchTicker gets the snapshot, then an update when the quote moves', async () => {
    const first = await cb.watchTicker('BTC/USD');
    expect(first).toMatchObject({ symbol: 'BTC/USD', last: 30000.5, bid: 30000, ask: 30001, bidVolume: 1.5 });
    setTimeout(() => server.matching.quote('BTC-USD', '30010.00', '30011.00'), 20);
    const next = await cb.watchTicker('BTC/USD');
    expect(next).toMatchObject({ bid: 30010, ask: 30011 });
  });

  it('unWatchTicker is acknowledged with an empty subscriptions event, which ccxt waits for', async () => {
    await cb.watchTicker('BTC/USD');
    await cb.unWatchTicker('BTC/USD');
    expect(cb.options['unSubscriptionPending']).toBe(false);
    expect(Object.keys((Object.values(cb.clients)[0] as { subscriptions: object }).subscriptions)).not.toContain('ticker::BTC/USD');
  });

  it('watchTrades receives the market trades the test prints', async () => {
    const snapshot = await cb.watchTrades('BTC/USD');
    expect(snapshot.map((t) => t.price)).toEqual([30000.5]);
    setTimeout(() => server.matching.trade('BTC-USD', '30002.00', '0.25'), 20);
    const trades = await cb.watchTrades('BTC/USD');
    expect(trades.at(-1)).toMatchObject({ symbol: 'BTC/USD', price: 30002, amount: 0.25, side: 'buy' });
  });

  it('watchOrderBook gets the l2_data snapshot and updates with a resting order', async () => {
    const book = await cb.watchOrderBook('BTC/USD');
    expect(book.bids[0]).toEqual([30000, 1.5]);
    expect(book.asks[0]).toEqual([30001, 1.5]);
    await cb.createOrder('BTC/USD', 'limit', 'buy', 0.5, 29990);
    const after = await cb.watchOrderBook('BTC/USD');
    expect(after.bids.slice(0, 2)).toEqual([
      [30000, 1.5],
      [29990, 0.5],
    ]);
  });

  it('watchOrders (JWT-authenticated user channel) receives the fill a market trade causes', async () => {
    const placed = await cb.createOrder('BTC/USD', 'limit', 'sell', 0.3, 30100);
    const open = await watchUntil((o) => o.id === placed.id);
    expect(open.status).toBe('open');
    setTimeout(() => server.matching.trade('BTC-USD', '30100.00', '1'), 20);
    const filled = await watchUntil((o) => o.id === placed.id && o.status === 'closed');
    expect(filled).toMatchObject({ symbol: 'BTC/USD', side: 'sell', filled: 0.3, remaining: 0, average: 30100, price: 30100 });
  });

  it('a user subscription with a bad JWT is answered with an error message (ccxt: ExchangeError)', async () => {
    const other = coinbaseClient({ ...server, secret: (await import('node:crypto')).generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString() });
    other.markets = cb.markets;
    other.markets_by_id = cb.markets_by_id;
    const err = await other.watchOrders().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ccxt.ExchangeError);
    expect(String(err)).toContain('authentication failure');
    await other.close();
  });

  it('dropSockets fails the pending watch with a NetworkError; a new watch reconnects', async () => {
    await cb.watchTicker('BTC/USD');
    const pending = cb.watchTicker('BTC/USD').then(
      () => undefined,
      (e: unknown) => e,
    );
    server.faults.dropSockets({ abrupt: true });
    expect(await pending).toBeInstanceOf(ccxt.NetworkError);
    const again = await cb.watchTicker('BTC/USD');
    expect(again.bid).toBe(30000);
  });

  it('the user channel envelope: subscriptions ack, snapshot, then updates with a rising sequence_num', async () => {
    const raw = await rawUserSocket();
    const placed = await cb.createOrder('BTC/USD', 'limit', 'sell', 0.3, 30100);
    server.matching.trade('BTC-USD', '30100.00', '0.1');
    await until(() => raw.messages.filter((m) => m.channel === 'user').length >= 3);
    const channels = raw.messages.map((m) => m.channel);
    expect(channels.slice(0, 2)).toEqual(['user', 'subscriptions']);
    expect(raw.messages.map((m) => m.sequence_num)).toEqual(raw.messages.map((_, i) => i));
    expect(raw.messages[0]!.events[0]).toMatchObject({ type: 'snapshot', orders: [] });
    const updates = raw.userOrders().slice(0, 2);
    expect(updates).toEqual([`${placed.id!}:OPEN:0`, `${placed.id!}:OPEN:0.1`]);
    raw.close();
  });

  it('duplicateReports pushes each user update twice; reorderReports swaps consecutive ones', async () => {
    const raw = await rawUserSocket();
    const placed = await cb.createOrder('BTC/USD', 'limit', 'sell', 0.3, 30100);
    await until(() => raw.userOrders().length === 1);
    server.faults.duplicateReports(true);
    server.matching.trade('BTC-USD', '30100.00', '0.1');
    await until(() => raw.userOrders().length === 3);
    expect(raw.userOrders().slice(1)).toEqual([`${placed.id!}:OPEN:0.1`, `${placed.id!}:OPEN:0.1`]);
    server.faults.duplicateReports(false);
    server.faults.reorderReports(true);
    const second = await cb.createOrder('BTC/USD', 'limit', 'sell', 0.1, 30200);
    await cb.cancelOrder(second.id!);
    await until(() => raw.userOrders().length === 5);
    expect(raw.userOrders().slice(3)).toEqual([`${second.id!}:CANCELLED:0`, `${second.id!}:OPEN:0`]);
    raw.close();
  });

  it('the candles channel pushes the running five-minute candle on each print', async () => {
    const raw = await rawUserSocket([]);
    raw.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channel: 'candles' }));
    await until(() => raw.messages.some((m) => m.channel === 'candles'));
    server.matching.trade('BTC-USD', '30100.00', '0.4');
    await until(() => raw.messages.filter((m) => m.channel === 'candles').length === 2);
    const update = raw.messages.filter((m) => m.channel === 'candles')[1]!.events[0] as unknown as { type: string; candles: Record<string, string>[] };
    expect(update.type).toBe('update');
    expect(update.candles).toEqual([{ start: expect.stringMatching(/^\d+$/) as unknown, open: '30000.50', high: '30100.00', low: '30000.50', close: '30100.00', volume: '0.5', product_id: 'BTC-USD' }]);
    expect(Number(update.candles[0]!['start']) % 300).toBe(0);
    raw.close();
  });

  it('stallSockets: no heartbeats and no pongs while stalled; they resume after', async () => {
    const raw = await rawUserSocket(['heartbeats']);
    await until(() => raw.messages.some((m) => m.channel === 'heartbeats'));
    server.faults.stallSockets(true);
    await new Promise((r) => setTimeout(r, 50));
    const before = raw.messages.length;
    let pongs = 0;
    raw.ws.on('pong', () => pongs++);
    raw.ws.ping();
    await new Promise((r) => setTimeout(r, 600));
    expect(raw.messages.length).toBe(before);
    expect(pongs).toBe(0);
    server.faults.stallSockets(false);
    raw.ws.ping();
    await until(() => raw.messages.length > before && pongs === 1);
    raw.close();
  });
});

interface Envelope {
  channel: string;
  client_id: string;
  sequence_num: number;
  events: { type?: string; orders?: { order_id: string; status: string; cumulative_quantity: string }[] }[];
}

/** A plain WebSocket client on the fake's Advanced Trade endpoint, authenticated with ccxt's own JWT. */
async function rawUserSocket(channels: string[] = ['user']): Promise<{ ws: WebSocket; messages: Envelope[]; userOrders(): string[]; close(): void }> {
  const ws = new WebSocket(server.urls['ws'] as string);
  const messages: Envelope[] = [];
  ws.on('message', (d: Buffer) => messages.push(JSON.parse(d.toString('utf8')) as Envelope));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  for (const channel of channels) ws.send(JSON.stringify({ type: 'subscribe', product_ids: [], channel, jwt: cb.createAuthToken(cb.seconds()) }));
  if (channels.length > 0) await until(() => messages.some((m) => m.channel === 'subscriptions'));
  return {
    ws,
    messages,
    userOrders: () =>
      messages
        .filter((m) => m.channel === 'user' && m.events[0]?.type === 'update')
        .flatMap((m) => (m.events[0]?.orders ?? []).map((o) => `${o.order_id}:${o.status}:${Number(o.cumulative_quantity)}`)),
    close: () => ws.close(),
  };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
