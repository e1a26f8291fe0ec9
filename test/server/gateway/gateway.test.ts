/**
 * The risk gateway driven by the real ccxt.pro binance client: markets, balance, place, fill on
 * the paper venue, query, cancel, Warden's denials in Binance's error shape, Binance's signing
 * errors, the kill switch, and the user data stream (executionReport, reconnect).
 */
import ccxt, { type Order } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binanceCodeOf } from '../../../src/server/gateway/denials.ts';
import { startGateway } from '../../../src/server/gateway/gateway.ts';
import { gatewayConfig, gatewayHarness, INST, OTHER_KEY, OTHER_SECRET, READ_KEY, READ_SECRET, SECRET, signedCall, STRATEGY, until, type BinanceClient, type GatewayHarness } from './support.ts';

let h: GatewayHarness;
let ex: BinanceClient;

beforeAll(async () => {
  h = await gatewayHarness();
  ex = h.client();
  await ex.loadMarkets();
}, 60_000);
afterAll(async () => h?.close());

const raw = (x: { info?: unknown }) => x.info as Record<string, unknown>;
const idOf = (x: { id?: string | undefined }): string => {
  if (x.id === undefined) throw new Error('ccxt returned no id');
  return x.id;
};

/** The Binance error body ccxt saw last. */
function lastError(c: BinanceClient): { code: number; msg: string } {
  return JSON.parse(c.last_http_response as string) as { code: number; msg: string };
}

const status = (id: string) => h.s.node.engine.order(id)?.status;

/** Watches the user stream until an order update satisfies `pred`; returns that update. */
async function watchUntil(pred: (o: Order) => boolean, first?: Promise<Order[]>): Promise<Order> {
  for (let batch = await (first ?? ex.watchOrders('BTC/USDT')); ; batch = await ex.watchOrders('BTC/USDT')) {
    const hit = batch.find(pred);
    if (hit) return hit;
  }
}

describe('markets and account', () => {
  it('exchangeInfo lists the mapped symbol with the instrument grid', () => {
    const m = ex.market('BTC/USDT');
    expect(m.id).toBe('BTCUSDT');
    expect(m.precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    expect(ex.symbols).toEqual(['BTC/USDT']);
  });

  it('fetchBalance is the Warden account (exact text in info)', async () => {
    const b = await ex.fetchBalance();
    const usdt = (raw(b)['balances'] as { asset: string; free: string }[]).find((x) => x.asset === 'USDT');
    expect(usdt?.free).toBe(h.s.node.engine.portfolio.account('ACC-1' as never).balances().find((x) => x.currency.code === 'USDT')?.free.toDecimalString());
    expect(b['USDT']?.free).toBeGreaterThan(0);
  });
});

describe('orders', () => {
  it('a market buy becomes a Warden order of the key strategy and fills on the paper venue', async () => {
    const placed = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'gw-mkt-1' });
    expect(placed.clientOrderId).toBe('gw-mkt-1');
    const o = h.s.node.engine.order('gw-mkt-1');
    expect(o?.spec.strategyId).toBe(STRATEGY);
    expect(o?.spec.accountId).toBe('ACC-1');
    expect(o?.instrumentId).toBe(INST);
    await until(() => status('gw-mkt-1') === 'FILLED', 'the fill');
    const fetched = await ex.fetchOrder(idOf(placed), 'BTC/USDT');
    expect(fetched).toMatchObject({ id: placed.id, status: 'closed', filled: 0.01, amount: 0.01 });
    const trades = await ex.fetchMyTrades('BTC/USDT');
    const mine = trades.filter((t) => t.order === placed.id);
    expect(mine.reduce((s, t) => s + (t.amount ?? 0), 0)).toBeCloseTo(0.01, 10);
    expect(raw(mine[0]!)['qty']).toMatch(/^0\.0\d+$/);
  });

  it('a resting limit order is open, listed, then canceled', async () => {
    const px = h.restingBuy();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, px, { clientOrderId: 'gw-lim-1' });
    expect(placed).toMatchObject({ status: 'open', price: px, amount: 0.002 });
    const open = await ex.fetchOpenOrders('BTC/USDT');
    expect(open.map((x) => x.clientOrderId)).toContain('gw-lim-1');
    const canceled = await ex.cancelOrder(idOf(placed), 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect(h.s.node.engine.order('gw-lim-1')?.status).toBe('CANCELED');
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((x) => x.clientOrderId)).not.toContain('gw-lim-1');
  });

  it('a STOP_LOSS_LIMIT buy becomes a Warden STOP_LIMIT with its trigger, and cancels', async () => {
    const last = h.restingBuy() / 0.97;
    const stop = (Math.round(last * 102) / 100).toFixed(2);
    const limit = (Math.round(last * 103) / 100).toFixed(2);
    const placed = await ex.createOrder('BTC/USDT', 'STOP_LOSS_LIMIT', 'buy', 0.002, Number(limit), { stopPrice: Number(stop), clientOrderId: 'gw-stop-1' });
    expect(raw(placed)).toMatchObject({ type: 'STOP_LOSS_LIMIT', stopPrice: Number(stop).toFixed(8), price: Number(limit).toFixed(8) });
    const o = h.s.node.engine.order('gw-stop-1');
    expect([o?.spec.type, o?.triggerPrice?.toString(), o?.price?.toString()]).toEqual(['STOP_LIMIT', stop, limit]);
    await ex.cancelOrder(idOf(placed), 'BTC/USDT');
    expect(status('gw-stop-1')).toBe('CANCELED');
  });

  it('an order the gate denies is Binance -1013 with Warden code and reason in msg; nothing is sent', async () => {
    await expect(ex.createOrder('BTC/USDT', 'market', 'buy', 11, undefined, { clientOrderId: 'gw-big' })).rejects.toThrow(ccxt.BadRequest);
    const e = lastError(ex);
    expect(e.msg).toMatch(/^Warden MAX_ORDER_(QUANTITY|NOTIONAL)_EXCEEDED: /);
    const code = e.msg.slice('Warden '.length, e.msg.indexOf(':'));
    expect(e.code).toBe(binanceCodeOf(code as never));
    expect(e.code).toBe(-1013);
    expect(h.s.node.engine.order('gw-big')?.status).toBe('DENIED');
  });

  it('an unknown symbol is -1121, an unknown order -2013, a duplicate client id -2010', async () => {
    const unsigned = await fetch(`${h.gateway.url}/api/v3/openOrders?symbol=BTCUSDT`);
    expect([unsigned.status, await unsigned.json()]).toEqual([401, { code: -2014, msg: 'API-key format invalid.' }]);
    expect(await signedCall(h.gateway.url, 'GET', '/api/v3/openOrders', { symbol: 'ETHUSDT' })).toEqual({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    await expect(ex.fetchOrder('999999', 'BTC/USDT')).rejects.toThrow(ccxt.OrderNotFound);
    expect(lastError(ex).code).toBe(-2013);
    await expect(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'gw-mkt-1' })).rejects.toThrow(ccxt.InvalidOrder);
    expect(lastError(ex)).toEqual({ code: -2010, msg: 'Duplicate order sent.' });
  });

  it('a key sees and cancels only its own strategy orders (-2013, -2011 for another key)', async () => {
    const mine = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, h.restingBuy(), { clientOrderId: 'gw-own-1' });
    const other = h.client(OTHER_KEY, OTHER_SECRET);
    await other.loadMarkets();
    expect((await other.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId)).not.toContain('gw-own-1');
    await expect(other.fetchOrder(idOf(mine), 'BTC/USDT')).rejects.toThrow(ccxt.OrderNotFound);
    expect(lastError(other).code).toBe(-2013);
    await expect(other.cancelOrder(idOf(mine), 'BTC/USDT')).rejects.toThrow(ccxt.OrderNotFound);
    expect(lastError(other).code).toBe(-2011);
    expect(status('gw-own-1')).not.toBe('CANCELED');
    await ex.cancelOrder(idOf(mine), 'BTC/USDT');
    expect(status('gw-own-1')).toBe('CANCELED');
  });

  it('a quantity off the lot grid is refused by Warden before the gate: -1013 with its validation code', async () => {
    const r = await signedCall(h.gateway.url, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.0000001', newClientOrderId: 'gw-grid' });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(-1013);
    expect(r.body.msg).toMatch(/^Warden [A-Z_]+: .*0\.0000001/);
    expect(status('gw-grid')).toBeUndefined();
  });

  it('a read-only key reads but cannot place (-2015)', async () => {
    const reader = h.client(READ_KEY, READ_SECRET);
    await reader.loadMarkets();
    expect((await reader.fetchOpenOrders('BTC/USDT')).length).toBeGreaterThanOrEqual(0);
    await expect(reader.createOrder('BTC/USDT', 'market', 'buy', 0.001)).rejects.toThrow(/-2015/);
    expect(lastError(reader).code).toBe(-2015);
  });
});

describe('signing', () => {
  it('a wrong secret is -1022 (AuthenticationError) and places nothing', async () => {
    const before = h.s.node.engine.state.orders.size;
    const bad = h.client(undefined, 'not-the-secret-0123456789abcdefghijklmn');
    await bad.loadMarkets();
    await expect(bad.createOrder('BTC/USDT', 'market', 'buy', 0.001)).rejects.toThrow(ccxt.AuthenticationError);
    expect(lastError(bad).code).toBe(-1022);
    expect(h.s.node.engine.state.orders.size).toBe(before);
  });

  it('an unknown key is -2015; a timestamp outside recvWindow is -1021 (InvalidNonce)', async () => {
    const stranger = h.client('someOtherKey0123456789', 'whatever-0123456789abcdefghijklmnopqr');
    await stranger.loadMarkets();
    await expect(stranger.fetchBalance()).rejects.toThrow(ccxt.AuthenticationError);
    expect(lastError(stranger).code).toBe(-2015);
    h.skew.ms = 60_000;
    try {
      await expect(ex.fetchBalance()).rejects.toThrow(ccxt.InvalidNonce);
      expect(lastError(ex).code).toBe(-1021);
    } finally {
      h.skew.ms = 0;
    }
  });
});

describe('user data stream', () => {
  it('pushes executionReports of a fill (NEW, TRADE) and a cancel, and resumes after a reconnect', async () => {
    const orders = ex.watchOrders('BTC/USDT');
    await until(() => h.gateway.subscribedStreams() > 0, 'the user stream subscription');
    const trades = ex.watchMyTrades('BTC/USDT');
    const placed = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.003, undefined, { clientOrderId: 'gw-ws-1' });
    const filled = await watchUntil((o) => o.id === placed.id && o.status === 'closed', orders);
    expect(filled).toMatchObject({ clientOrderId: 'gw-ws-1', filled: 0.003 });
    expect(raw(filled)['e']).toBe('executionReport');
    let t = await trades;
    while (!t.some((x) => x.order === placed.id)) t = await ex.watchMyTrades('BTC/USDT');
    const trade = t.find((x) => x.order === placed.id)!;
    expect(trade).toMatchObject({ side: 'buy', amount: 0.003 });
    expect(raw(trade)['x']).toBe('TRADE');

    h.gateway.dropUserStreams();
    await until(() => h.gateway.subscribedStreams() === 0, 'the drop');
    const again = ex.watchOrders('BTC/USDT');
    await until(() => h.gateway.subscribedStreams() > 0, 'the resubscription', 8_000);
    const px = h.restingBuy();
    const resting = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.004, px, { clientOrderId: 'gw-ws-2' });
    await watchUntil((o) => o.id === resting.id, again);
    // The watch is asked before the cancel, so its push cannot slip between two watches.
    const next = ex.watchOrders('BTC/USDT');
    await ex.cancelOrder(idOf(resting), 'BTC/USDT');
    const canceled = await watchUntil((o) => o.id === resting.id && o.status === 'canceled', next);
    expect(raw(canceled)['x']).toBe('CANCELED');
  }, 20_000);
});

describe('secrets', () => {
  it('the gateway logs its start, never a key secret or a signature', () => {
    const all = [...h.gatewayLogs, ...h.s.logs].join('\n');
    expect(h.gatewayLogs.join('')).toContain('gateway listening');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(READ_SECRET);
    expect(all).not.toContain('signature=');
  });
});

describe('kill switch', () => {
  it('cancels the key orders that are working and rejects new ones (-2010, KILL_SWITCH_ENGAGED)', async () => {
    const px = h.restingBuy();
    const working = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.005, px, { clientOrderId: 'gw-kill-1' });
    expect(working.status).toBe('open');
    const k = await h.s.call('POST', '/api/risk/kill-switch', { token: h.s.tokens.trader, body: { reason: 'gateway drill' } });
    expect(k.status).toBe(200);
    await until(() => status('gw-kill-1') === 'CANCELED', 'the kill switch cancel');
    expect((await ex.fetchOrder(idOf(working), 'BTC/USDT')).status).toBe('canceled');
    await expect(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'gw-kill-2' })).rejects.toThrow(ccxt.InvalidOrder);
    const e = lastError(ex);
    expect(e.code).toBe(-2010);
    expect(e.msg).toMatch(/^Warden KILL_SWITCH_ENGAGED: /);
    const reset = await h.s.call('POST', '/api/risk/kill-switch/reset', { token: h.s.tokens.risk, body: { reason: 'drill over' } });
    expect(reset.status).toBe(200);
  });
});

describe('restart of the gateway', () => {
  it('a new gateway on the node gives the same order ids and trades, rebuilt from the journal', async () => {
    const q = { symbol: 'BTCUSDT', origClientOrderId: 'gw-mkt-1' };
    const before = await signedCall(h.gateway.url, 'GET', '/api/v3/order', q);
    const tradesBefore = await signedCall(h.gateway.url, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' });
    expect(before.status).toBe(200);
    const fresh = await startGateway(h.s.node, gatewayConfig());
    try {
      const after = await signedCall(fresh.url, 'GET', '/api/v3/order', q);
      expect(after.body).toMatchObject({ orderId: before.body['orderId'], status: 'FILLED', executedQty: before.body['executedQty'], cummulativeQuoteQty: before.body['cummulativeQuoteQty'] });
      const tradesAfter = await signedCall(fresh.url, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' });
      expect(tradesAfter.body).toEqual(tradesBefore.body);
      expect((tradesAfter.body as unknown as unknown[]).length).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });
});
