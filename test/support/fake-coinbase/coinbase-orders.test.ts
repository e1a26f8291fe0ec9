import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coinbaseClient, startFakeCoinbase, type FakeCoinbaseServer } from './server.ts';

let server: FakeCoinbaseServer;
let cb: ReturnType<typeof coinbaseClient>;

beforeEach(async () => {
  server = await startFakeCoinbase({ balances: { USD: '100000', BTC: '2' } });
  // The last trade first: the touch is what a market order then meets.
  server.matching.trade('BTC-USD', '30000.50', '0.1');
  server.matching.quote('BTC-USD', '30000.00', '30001.00');
  cb = coinbaseClient(server);
  await cb.loadMarkets();
});

afterEach(async () => {
  await cb.close();
  await server.close();
});

describe('fake Coinbase orders through real ccxt', () => {
  it('a market sell fills at the bid; fetchOrder reads it back closed with fees in USD', async () => {
    const placed = await cb.createOrder('BTC/USD', 'market', 'sell', 0.5);
    expect(placed.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(placed.clientOrderId).toMatch(/^ccxt-/);
    const o = await cb.fetchOrder(placed.id!, 'BTC/USD');
    expect(o.status).toBe('closed');
    expect(o.type).toBe('market');
    expect(o.side).toBe('sell');
    expect(o.amount).toBe(0.5);
    expect(o.filled).toBe(0.5);
    expect(o.average).toBe(30000);
    // taker 0.6% of 15000 USD
    expect(o.fee?.currency).toBe('USD');
    expect(Number(o.fee?.cost)).toBe(90); // ccxt's coinbase parseOrder leaves the fee cost a string
    const sent = server.requests.find((r) => r.method === 'POST' && r.path === '/api/v3/brokerage/orders')!;
    expect(JSON.parse(sent.params['order_configuration']!)).toEqual({ market_market_ioc: { base_size: '0.5' } });
  });

  it('a market buy is sent as a quote size and buys what it pays for at the ask', async () => {
    const placed = await cb.createOrder('BTC/USD', 'market', 'buy', 0.1, 30001);
    const o = await cb.fetchOrder(placed.id!);
    expect(o.status).toBe('closed');
    expect(o.filled).toBe(0.1);
    expect(o.average).toBe(30001);
    const sent = server.requests.find((r) => r.method === 'POST' && r.path === '/api/v3/brokerage/orders')!;
    expect(JSON.parse(sent.params['order_configuration']!)).toEqual({ market_market_ioc: { quote_size: '3000.1' } });
  });

  it('a GTC limit rests (open, USD on hold), shows in fetchOpenOrders, fills on a trade, and fetchMyTrades lists the fill', async () => {
    const placed = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.2, 29900);
    let o = await cb.fetchOrder(placed.id!);
    expect(o.status).toBe('open');
    expect(o.price).toBe(29900);
    expect(o.timeInForce).toBe('GTC');
    const bal = await cb.fetchBalance();
    // Coinbase holds the notional plus the fee it may charge (0.6% taker): 5980 × 1.006.
    expect(bal['USD']).toMatchObject({ used: 6015.88, free: 93984.12, total: 100000 });
    const open = await cb.fetchOpenOrders('BTC/USD');
    expect(open.map((x) => x.id)).toEqual([placed.id]);
    server.matching.trade('BTC-USD', '29900.00', '1');
    o = await cb.fetchOrder(placed.id!);
    expect(o.status).toBe('closed');
    expect(o.filled).toBe(0.2);
    expect(await cb.fetchOpenOrders('BTC/USD')).toEqual([]);
    const trades = await cb.fetchMyTrades('BTC/USD');
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ order: placed.id, side: 'buy', price: 29900, amount: 0.2, cost: 5980, takerOrMaker: 'maker' });
    // maker 0.4% of 5980
    expect(trades[0]!.fee).toMatchObject({ cost: 23.92, currency: 'USD' });
    const after = await cb.fetchBalance();
    expect(after['BTC']?.total).toBe(2.2);
    expect(after['USD']?.total).toBe(100000 - 5980 - 23.92);
  });

  it('List Fills narrows to one order by order_ids (the documented array) or the older order_id', async () => {
    const first = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29900);
    const second = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.2, 29900);
    server.matching.trade('BTC-USD', '29900.00', '1');
    expect((await cb.fetchMyTrades('BTC/USD')).map((t) => t.order).sort()).toEqual([first.id, second.id].sort());
    const byList = await cb.fetchMyTrades('BTC/USD', undefined, undefined, { order_ids: [second.id] });
    expect(byList.map((t) => [t.order, t.amount])).toEqual([[second.id, 0.2]]);
    const sent = server.requests.filter((r) => r.path.endsWith('/orders/historical/fills')).at(-1)!;
    expect(sent.params['order_ids']).toBe(second.id);
    const bySingle = await cb.fetchMyTrades('BTC/USD', undefined, undefined, { order_id: first.id });
    expect(bySingle.map((t) => [t.order, t.amount])).toEqual([[first.id, 0.1]]);
  });

  it('cancelOrder cancels a resting order; fetchOrder then says canceled', async () => {
    const placed = await cb.createOrder('BTC/USD', 'limit', 'sell', 0.3, 31000);
    const canceled = await cb.cancelOrder(placed.id!, 'BTC/USD');
    expect(canceled.id).toBe(placed.id);
    const o = await cb.fetchOrder(placed.id!);
    expect(o.status).toBe('canceled');
    expect((await cb.fetchBalance())['BTC']).toMatchObject({ free: 2, used: 0 });
  });

  it('a post-only limit that rests is sent with post_only; one that would cross is refused', async () => {
    const resting = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29950, { postOnly: true });
    expect((await cb.fetchOrder(resting.id!)).postOnly).toBe(true);
    const err = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 30002, { postOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String(err)).toContain('PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY');
    expect(await cb.fetchOpenOrders()).toHaveLength(1);
  });

  it('a stop-loss sell (stop_direction DOWN) waits for its stop, then fills as a limit', async () => {
    const placed = await cb.createOrder('BTC/USD', 'limit', 'sell', 0.4, 29500, { stopLossPrice: 29600 });
    const sent = server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/brokerage/orders').at(-1)!;
    expect(JSON.parse(sent.params['order_configuration']!)).toEqual({
      stop_limit_stop_limit_gtc: { base_size: '0.4', limit_price: '29500', stop_price: '29600', stop_direction: 'STOP_DIRECTION_STOP_DOWN' },
    });
    let o = await cb.fetchOrder(placed.id!);
    expect(o).toMatchObject({ status: 'open', type: 'limit', triggerPrice: 29600, price: 29500, amount: 0.4 });
    expect((o.info as Record<string, unknown>)['trigger_status']).toBe('STOP_PENDING');
    server.matching.trade('BTC-USD', '29800.00', '1');
    expect((await cb.fetchOrder(placed.id!)).status).toBe('open');
    server.matching.trade('BTC-USD', '29600.00', '1');
    server.matching.trade('BTC-USD', '29500.00', '1');
    o = await cb.fetchOrder(placed.id!);
    expect(o.status).toBe('closed');
    expect(o.filled).toBe(0.4);
    expect((o.info as Record<string, unknown>)['trigger_status']).toBe('STOP_TRIGGERED');
  });

  it('a buy stop whose stop is above the last trade is refused as InvalidOrder (ccxt sends STOP_DOWN for buys)', async () => {
    const err = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 30600, { triggerPrice: 30500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ccxt.InvalidOrder);
    expect(String(err)).toContain('PREVIEW_STOP_PRICE_ABOVE_LAST_TRADE_PRICE');
  });

  it('IOC and FOK limits are sent as sor_limit_ioc and limit_limit_fok; what cannot fill does not rest', async () => {
    const ioc = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 30001, { timeInForce: 'IOC' });
    expect((await cb.fetchOrder(ioc.id!)).status).toBe('closed');
    const fok = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29000, { timeInForce: 'FOK' });
    const f = await cb.fetchOrder(fok.id!);
    expect(f.timeInForce).toBe('FOK');
    expect(f.status).toBe('canceled');
    expect(f.filled).toBe(0);
    const keys = server.requests.filter((r) => r.path === '/api/v3/brokerage/orders').map((r) => Object.keys(JSON.parse(r.params['order_configuration']!) as object)[0]);
    expect(keys).toEqual(['sor_limit_ioc', 'limit_limit_fok']);
  });

  it('a repeated client_order_id returns the first order and creates no second one', async () => {
    const first = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29000, { client_order_id: 'my-id-1' });
    const again = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29000, { client_order_id: 'my-id-1' });
    expect(again.id).toBe(first.id);
    expect(first.clientOrderId).toBe('my-id-1');
    expect(await cb.fetchOpenOrders()).toHaveLength(1);
  });

  it('cancelOrders sends one batch_cancel; an unknown id among them fails the call (BadRequest) while the known one is canceled', async () => {
    const a = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29000);
    const b = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29100);
    const both = await cb.cancelOrders([a.id!, b.id!]);
    expect(both.map((o) => o.id)).toEqual([a.id, b.id]);
    const c = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29200);
    const err = await cb.cancelOrders([c.id!, '00000000-0000-4000-8000-000000000000']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ccxt.BadRequest);
    expect((await cb.fetchOrder(c.id!)).status).toBe('canceled');
    expect(server.requests.filter((r) => r.path === '/api/v3/brokerage/orders/batch_cancel')).toHaveLength(2);
  });

  it('fetchClosedOrders and fetchCanceledOrders filter orders/historical/batch by order_status', async () => {
    const filled = await cb.createOrder('BTC/USD', 'market', 'sell', 0.1);
    const canceled = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29000);
    await cb.cancelOrder(canceled.id!);
    const open = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29100);
    expect((await cb.fetchClosedOrders('BTC/USD')).map((o) => o.id)).toEqual([filled.id]);
    expect((await cb.fetchCanceledOrders('BTC/USD')).map((o) => o.id)).toEqual([canceled.id]);
    expect((await cb.fetchOpenOrders('BTC/USD')).map((o) => o.id)).toEqual([open.id]);
    const statuses = server.requests.filter((r) => r.path === '/api/v3/brokerage/orders/historical/batch').map((r) => r.params['order_status']);
    expect(statuses).toEqual(['FILLED', 'CANCELLED', 'OPEN']);
  });

  it('a GTD limit is sent as limit_limit_gtd with its end_time and reads back GOOD_UNTIL_DATE_TIME', async () => {
    const endTime = new Date(Date.now() + 3_600_000).toISOString();
    const placed = await cb.createOrder('BTC/USD', 'limit', 'buy', 0.1, 29000, { timeInForce: 'GTD', end_time: endTime });
    const o = await cb.fetchOrder(placed.id!);
    expect(o).toMatchObject({ status: 'open', timeInForce: 'GTD', price: 29000, amount: 0.1 });
    expect((o.info as { order_configuration: unknown }).order_configuration).toEqual({ limit_limit_gtd: { base_size: '0.1', limit_price: '29000', end_time: endTime, post_only: false } });
  });

  it("fetchBalance through ccxt's default v2 accounts endpoint reports totals (v2 has no holds)", async () => {
    await cb.createOrder('BTC/USD', 'limit', 'sell', 0.5, 31000);
    const v2 = coinbaseClient(server);
    v2.options['fetchBalance'] = 'v2PrivateGetAccounts';
    const bal = await v2.fetchBalance();
    expect(bal['BTC']).toMatchObject({ total: 2, free: 2 });
    expect(bal['USD']).toMatchObject({ total: 100000 });
    expect(server.requests.some((r) => r.path === '/v2/accounts')).toBe(true);
    await v2.close();
  });
});

