/**
 * Orders Warden holds itself: the paper venue declares no native stops (`native_stops: false`),
 * so a STOP_LOSS_LIMIT or TAKE_PROFIT sent through the gateway is held by the order emulator until
 * its trigger, with no order of record. The real ccxt.pro binance client queries, lists and
 * cancels them like any Binance order, sees them in allOrders, and gets their executionReports.
 */
import type { Order } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../../src/server/gateway/gateway.ts';
import { gatewayConfig, gatewayHarness, signedCall, until, type BinanceClient, type GatewayHarness } from './support.ts';

let h: GatewayHarness;
let ex: BinanceClient;

beforeAll(async () => {
  h = await gatewayHarness({ nativeStops: false });
  ex = h.client();
  await ex.loadMarkets();
}, 60_000);
afterAll(async () => h?.close());

const raw = (x: { info?: unknown }) => x.info as Record<string, unknown>;
const idOf = (x: { id?: string | undefined }): string => {
  if (x.id === undefined) throw new Error('ccxt returned no id');
  return x.id;
};
const last = () => Number(h.s.node.engine.portfolio.quote('BTCUSDT.BINANCEUS' as never)?.last?.toString());
/** A price `pct` percent from the last price, on the cent grid. */
const away = (pct: number) => (Math.round(last() * (100 + pct)) / 100).toFixed(2);
const heldStatus = (id: string) => h.s.node.orderEmulator.get(id)?.status;

/** Watches the user stream until an order update satisfies `pred`; returns that update. */
async function watchUntil(pred: (o: Order) => boolean, first: Promise<Order[]>): Promise<Order> {
  for (let batch = await first; ; batch = await ex.watchOrders('BTC/USDT')) {
    const hit = batch.find(pred);
    if (hit) return hit;
  }
}

describe('orders Warden holds (emulated stops)', () => {
  it('a STOP_LOSS_LIMIT buy is held, not sent: queried as NEW and not working, listed open, canceled, each pushed as an executionReport', async () => {
    const updates = ex.watchOrders('BTC/USDT');
    await until(() => h.gateway.subscribedStreams() > 0, 'the user stream subscription');
    const stop = away(4);
    const limit = away(5);
    const placed = await ex.createOrder('BTC/USDT', 'STOP_LOSS_LIMIT', 'buy', 0.002, Number(limit), { stopPrice: Number(stop), clientOrderId: 'em-stop-1' });
    expect(h.s.node.engine.order('em-stop-1')).toBeUndefined();
    expect(heldStatus('em-stop-1')).toBe('HELD');
    expect(raw(placed)).toMatchObject({ clientOrderId: 'em-stop-1', type: 'STOP_LOSS_LIMIT', status: 'NEW', stopPrice: Number(stop).toFixed(8) });

    const pushed = await watchUntil((o) => o.clientOrderId === 'em-stop-1', updates);
    expect(raw(pushed)).toMatchObject({ e: 'executionReport', x: 'NEW', X: 'NEW', o: 'STOP_LOSS_LIMIT', w: false, P: Number(stop).toFixed(8) });

    const fetched = await ex.fetchOrder(idOf(placed), 'BTC/USDT');
    expect(fetched.status).toBe('open');
    expect(raw(fetched)).toMatchObject({ type: 'STOP_LOSS_LIMIT', status: 'NEW', isWorking: false, workingTime: -1, price: Number(limit).toFixed(8), stopPrice: Number(stop).toFixed(8), executedQty: '0.00000000' });
    const byClientId = await signedCall(h.gateway.url, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'em-stop-1' });
    expect(byClientId.body['orderId']).toBe(Number(placed.id));
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId)).toContain('em-stop-1');

    const next = ex.watchOrders('BTC/USDT');
    const canceled = await ex.cancelOrder(idOf(placed), 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect(raw(canceled)).toMatchObject({ origClientOrderId: 'em-stop-1', status: 'CANCELED', type: 'STOP_LOSS_LIMIT' });
    expect(heldStatus('em-stop-1')).toBe('CANCELED');
    const report = await watchUntil((o) => o.clientOrderId === 'em-stop-1' && o.status === 'canceled', next);
    expect(raw(report)).toMatchObject({ x: 'CANCELED', X: 'CANCELED', o: 'STOP_LOSS_LIMIT' });
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId)).not.toContain('em-stop-1');
    expect((await ex.fetchOrder(idOf(placed), 'BTC/USDT')).status).toBe('canceled');
    // A second cancel: Binance's -2011 Unknown order sent.
    expect(await signedCall(h.gateway.url, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: idOf(placed) })).toEqual({ status: 400, body: { code: -2011, msg: 'Unknown order sent.' } });
  }, 20_000);

  it('a held STOP_LOSS whose trigger is reached is released, fills at the venue and keeps its type and stopPrice', async () => {
    const stop = away(-3);
    const placed = await ex.createOrder('BTC/USDT', 'STOP_LOSS', 'buy', 0.002, undefined, { stopPrice: Number(stop), clientOrderId: 'em-fire-1' });
    expect(raw(placed)).toMatchObject({ type: 'STOP_LOSS', status: 'NEW' });
    // A buy stop under the market fires on the next price the emulator sees.
    await until(() => h.s.node.engine.order('em-fire-1')?.status === 'FILLED', 'the released stop filled', 10_000);
    expect(heldStatus('em-fire-1')).toBe('RELEASED');
    const fetched = await ex.fetchOrder(idOf(placed), 'BTC/USDT');
    expect(fetched).toMatchObject({ status: 'closed', filled: 0.002 });
    expect(raw(fetched)).toMatchObject({ orderId: Number(placed.id), type: 'STOP_LOSS', status: 'FILLED', stopPrice: Number(stop).toFixed(8), isWorking: true });
    const trades = await ex.fetchMyTrades('BTC/USDT');
    expect(trades.filter((t) => t.order === placed.id).reduce((s, t) => s + (t.amount ?? 0), 0)).toBeCloseTo(0.002, 10);
  }, 20_000);

  it('DELETE openOrders cancels the key working orders on the symbol, held and resting alike; allOrders lists them all by order id', async () => {
    const tp = await ex.createOrder('BTC/USDT', 'TAKE_PROFIT', 'buy', 0.002, undefined, { stopPrice: Number(away(-4)), clientOrderId: 'em-tp-1' });
    const resting = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, Number(away(-3)), { clientOrderId: 'em-lim-1' });
    await until(() => h.s.node.engine.order('em-lim-1')?.status === 'ACCEPTED', 'the limit order at the venue');
    expect(heldStatus('em-tp-1')).toBe('HELD');
    const all = await ex.cancelAllOrders('BTC/USDT');
    const answered = (all as unknown as { info: Record<string, unknown> }[]).map((o) => [o.info['origClientOrderId'], o.info['status'], o.info['type']]);
    expect(answered).toEqual(expect.arrayContaining([['em-tp-1', 'CANCELED', 'TAKE_PROFIT'], ['em-lim-1', 'CANCELED', 'LIMIT']]));
    expect([heldStatus('em-tp-1'), h.s.node.engine.order('em-lim-1')?.status]).toEqual(['CANCELED', 'CANCELED']);
    // Nothing left: Binance's -2011.
    expect((await signedCall(h.gateway.url, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body).toEqual({ code: -2011, msg: 'Unknown order sent.' });

    const history = await ex.fetchOrders('BTC/USDT');
    const ids = history.map((o) => Number(o.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const byClient = Object.fromEntries(history.map((o): [string, unknown[]] => [String(o.clientOrderId), [raw(o)['type'], raw(o)['status']]]));
    expect(byClient).toMatchObject({
      'em-stop-1': ['STOP_LOSS_LIMIT', 'CANCELED'],
      'em-fire-1': ['STOP_LOSS', 'FILLED'],
      'em-tp-1': ['TAKE_PROFIT', 'CANCELED'],
      'em-lim-1': ['LIMIT', 'CANCELED'],
    });
    const fromTp = await signedCall(h.gateway.url, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', orderId: idOf(tp), limit: '1' });
    expect((fromTp.body as unknown as { clientOrderId: string }[]).map((o) => o.clientOrderId)).toEqual(['em-tp-1']);
    expect(resting.id).not.toBe(tp.id);
  }, 20_000);

  it('a gateway started later rebuilds the held orders from the journal: same ids, same statuses', async () => {
    const held = await ex.createOrder('BTC/USDT', 'STOP_LOSS_LIMIT', 'sell', 0.001, Number(away(-6)), { stopPrice: Number(away(-5)), clientOrderId: 'em-keep-1' });
    const fresh = await startGateway(h.s.node, gatewayConfig());
    try {
      for (const id of ['em-keep-1', 'em-stop-1']) {
        const before = await signedCall(h.gateway.url, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: id });
        const after = await signedCall(fresh.url, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: id });
        expect(after).toEqual(before);
      }
      const open = await signedCall(fresh.url, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
      expect((open.body as unknown as { orderId: number; status: string }[]).find((o) => o.orderId === Number(held.id))?.status).toBe('NEW');
    } finally {
      await fresh.close();
    }
  }, 20_000);
});
