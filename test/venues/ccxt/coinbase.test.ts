/**
 * The engine trading Coinbase Advanced through the ccxt adapter: the real ccxt client against a
 * local server speaking Coinbase's REST and WebSocket protocol (test/support/fake-coinbase), its
 * orders matched by Warden's simulated exchange. Coinbase streams orders but not trades: a rise
 * in an order's filled quantity on the user channel is fetched as fills over REST (List Fills by
 * `order_ids`), each reported once. ccxt makes up its own client_order_id, so the adapter sends
 * Warden's raw; Coinbase looks orders up only by its own id, so queries search open and closed
 * orders; its unknown order is a 404 NOT_FOUND or UNKNOWN_CANCEL_ORDER, read as ORDER_NOT_FOUND.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { startFakeCoinbase, type FakeCoinbaseServer } from '../../support/fake-coinbase/index.ts';
import { connectHarness, statusOf, until, type Harness } from './harness.ts';

const BTC = 'BTCUSD.COINBASE';
const PRODUCT = 'BTC-USD';
const ORDERS = '/api/v3/brokerage/orders';
let server: FakeCoinbaseServer;
let h: Harness;

beforeEach(async () => {
  server = await startFakeCoinbase({ balances: { USD: '100000', BTC: '1' } });
  server.matching.quote(PRODUCT, '29999.99', '30000.00');
  h = await connectHarness(server, 'coinbase', [{ id: BTC, symbol: 'BTC/USD' }], { venueId: 'COINBASE' });
});

afterEach(async () => {
  await h.close();
  await server.close();
});

const account = () => h.engine.portfolio.account(accountId('A'));
const usd = () => account().balance(h.engine.instrument(BTC).quote).total.toDecimalString();
const btc = () => account().balance(h.engine.instrument(BTC).base!).total.toDecimalString();
/** The order placements the fake received with this client_order_id. */
const placed = (clientId: string) => server.requests.filter((r) => r.method === 'POST' && r.path === ORDERS && r.params['client_order_id'] === clientId);
const atVenue = () => server.matching.allOrders(server.account);
const noBalanceMismatch = async () => {
  const r = await reconcile(h.engine, h.executor);
  expect([r.halted, r.positionMismatches, h.alerts.filter((a) => a.code === 'BALANCE_MISMATCH').map((a) => a.message)]).toEqual([false, [], []]);
};

describe('Coinbase Advanced through ccxt', () => {
  it('buys at market by base size, rests a limit that a print fills, cancels a resting order; fills fetched once each, the books agree to the unit', async () => {
    await h.engine.submitOrder({ clientOrderId: 'm-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' });
    await statusOf(h, 'm-1', 'FILLED');
    expect(JSON.parse(placed('m-1')[0]?.params['order_configuration'] ?? '{}')).toEqual({ market_market_ioc: { base_size: '0.10000000' } });
    await h.engine.submitOrder({ clientOrderId: 'l-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.05', price: '30100.00' });
    await statusOf(h, 'l-1', 'ACCEPTED');
    server.matching.trade(PRODUCT, '30100.00', '1');
    await statusOf(h, 'l-1', 'FILLED');
    await h.engine.submitOrder({ clientOrderId: 'l-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 'l-2', 'ACCEPTED');
    await h.engine.cancelOrder('l-2');
    await statusOf(h, 'l-2', 'CANCELED');
    expect(server.matching.openOrders(server.account)).toHaveLength(0);
    for (const id of ['m-1', 'l-1', 'l-2']) expect(placed(id)).toHaveLength(1);
    // Each fill was fetched by its order's id.
    const fillQueries = server.requests.filter((r) => r.path === `${ORDERS}/historical/fills` && r.params['order_ids'] !== undefined);
    expect(fillQueries.length).toBeGreaterThanOrEqual(2);
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString(), f.commission.toDecimalString(), f.commission.currency.code])).toEqual([
      ['m-1', '0.10000000', '30000.00', '18.0000000000', 'USD'],
      ['l-1', '0.05000000', '30100.00', '6.0200000000', 'USD'],
    ]);
    // 100000 - 3000.00 - 18.00 + 1505.00 - 6.02
    expect(usd()).toBe('98480.9800000000');
    expect(btc()).toBe('1.05000000');
    await noBalanceMismatch();
  });

  it('rejects an order Coinbase refuses for funds with INSUFFICIENT_BALANCE, and changes nothing', async () => {
    await h.engine.submitOrder({ clientOrderId: 'big', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '10', price: '29000.00' });
    await statusOf(h, 'big', 'REJECTED');
    const rejected = h.events.find((e) => e.kind === 'OrderRejected' && e.clientOrderId === 'big');
    expect(rejected && 'reason' in rejected ? rejected.reason : '').toMatch(/^INSUFFICIENT_BALANCE: .*INSUFFICIENT_FUND/);
    expect(usd()).toBe('100000.0000000000');
    expect(atVenue()).toHaveLength(0);
  });

  it('sends Warden\'s client id raw (a long one too), and finds the order again by it among open and closed orders', async () => {
    const long = 'strategy-7-order-000042'; // 23 characters: Coinbase takes it as is
    await h.engine.submitOrder({ clientOrderId: long, accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, long, 'ACCEPTED');
    expect(placed(long)).toHaveLength(1);
    expect(atVenue().map((o) => o.clientOrderId)).toEqual([long]);
    const open = await h.adapter.queries.orderStatus(long as never);
    expect([open?.clientOrderId, open?.status, open?.venueOrderId]).toEqual([long, 'OPEN', h.engine.order(long)!.venueOrderId]);
    server.matching.trade(PRODUCT, '29000.00', '1');
    await statusOf(h, long, 'FILLED');
    expect((await h.adapter.queries.orderStatus(long as never))?.status).toBe('FILLED');
    expect(await h.adapter.queries.orderStatus('never-sent' as never)).toBeUndefined();
    await noBalanceMismatch();
    // An order journaled before a restart without Coinbase's id, filled since: found among the closed orders.
    const direct = await h.client.createOrder('BTC/USD', 'limit', 'buy', 0.01, 28000, { client_order_id: 'journaled-1' });
    server.matching.trade(PRODUCT, '28000.00', '1');
    h.adapter.remember([{ spec: { ...h.engine.order(long)!.spec, clientOrderId: 'journaled-1' as never }, venueOrderId: undefined }]);
    const closed = await h.adapter.queries.orderStatus('journaled-1' as never);
    expect([closed?.status, closed?.venueOrderId, closed?.filledQty.toString()]).toEqual(['FILLED', direct.id, '0.01000000']);
    await h.adapter.settled();
    expect(h.events.filter((e) => e.kind === 'OrderFilled').map((e) => e.clientOrderId)).toEqual([long]);
    // Its fill is not in our books (the engine never had the order): the balances compared by ccxt's codes show it.
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(true);
    expect(h.alerts.filter((a) => a.code === 'BALANCE_MISMATCH').map((a) => a.message)[0]).toBe('BTC on A: ours 1.01000000, venue 1.02; trading halted');
  });

  it('FAULTS 15: a submit that times out with the order placed is settled by a query, never sent twice', async () => {
    server.faults.submitTimeout({ placed: true });
    await h.engine.submitOrder({ clientOrderId: 't-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 't-1', 'ACCEPTED');
    expect(placed('t-1')).toHaveLength(1);
    expect(atVenue()).toHaveLength(1);
    const [open] = await h.client.fetchOpenOrders('BTC/USD');
    expect(h.engine.order('t-1')!.venueOrderId).toBe(open!.id);
    await h.engine.cancelOrder('t-1');
    await statusOf(h, 't-1', 'CANCELED');
  });

  it('FAULTS 15: a submit that times out, its order partly filled and canceled meanwhile, is found among the canceled orders with its fill', async () => {
    server.faults.stallSockets(true); // only the query can tell
    server.faults.submitTimeout({ placed: true });
    await h.engine.submitOrder({ clientOrderId: 't-3', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await until(() => atVenue().length === 1, 'the order at the venue');
    server.matching.trade(PRODUCT, '29000.00', '0.004');
    server.matching.cancel(server.account, { clientOrderId: 't-3' });
    await statusOf(h, 't-3', 'CANCELED');
    server.faults.stallSockets(false);
    expect(placed('t-3')).toHaveLength(1);
    expect(server.requests.some((r) => r.path === `${ORDERS}/historical/batch` && r.params['order_status'] === 'CANCELLED')).toBe(true);
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => [f.clientOrderId, f.lastQty.toString(), f.commission.toDecimalString()])).toEqual([['t-3', '0.00400000', '0.4640000000']]);
    expect(usd()).toBe('99883.5360000000'); // 100000 - 116 - 0.464
    await noBalanceMismatch();
  });

  it('FAULTS 15: a submit that times out unplaced is found missing and rejected, not resent', async () => {
    server.faults.submitTimeout({ placed: false });
    await h.engine.submitOrder({ clientOrderId: 't-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await until(() => ['REJECTED', 'CANCELED'].includes(h.engine.order('t-2')?.status ?? ''), 't-2 settled', 10_000);
    expect(placed('t-2')).toHaveLength(1);
    expect(atVenue()).toHaveLength(0);
  });

  it('FAULTS 21: a 429 with Retry-After backs off and the order goes once', async () => {
    server.faults.rateLimit({ retryAfterSec: 0, times: 1, path: ORDERS });
    await h.engine.submitOrder({ clientOrderId: 'r-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 'r-1', 'ACCEPTED');
    expect(placed('r-1')).toHaveLength(2); // refused once, sent again after a query found nothing
    expect(atVenue()).toHaveLength(1);
  });

  it('a cancel Coinbase answers UNKNOWN_CANCEL_ORDER (the order filled meanwhile) settles by query', async () => {
    await h.engine.submitOrder({ clientOrderId: 'c-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.02', price: '30100.00' });
    await statusOf(h, 'c-1', 'ACCEPTED');
    server.faults.stallSockets(true);
    server.matching.trade(PRODUCT, '30100.00', '1'); // filled, the report held back
    await h.engine.cancelOrder('c-1');
    await statusOf(h, 'c-1', 'FILLED');
    server.faults.stallSockets(false);
    expect(server.requests.filter((r) => r.path === `${ORDERS}/batch_cancel`)).toHaveLength(1);
    expect(h.events.filter((e) => e.kind === 'OrderFilled').map((e) => [e.clientOrderId, e.lastQty.toString()])).toEqual([['c-1', '0.02000000']]);
    expect(h.alerts.filter((a) => a.code === 'CANCEL_UNRESOLVED')).toEqual([]);
  });

  it('an order id Coinbase does not know: the look-up (404 NOT_FOUND) finds nothing, the cancel (UNKNOWN_CANCEL_ORDER) is ORDER_NOT_FOUND', async () => {
    await h.engine.submitOrder({ clientOrderId: 'k-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 'k-1', 'ACCEPTED');
    const ghost = '11111111-2222-4333-8444-555555555555';
    h.adapter.remember([{ spec: { ...h.engine.order('k-1')!.spec, clientOrderId: 'ghost' as never }, venueOrderId: ghost }]);
    expect(await h.adapter.queries.orderStatus('ghost' as never)).toBeUndefined();
    expect(server.requests.some((r) => r.path === `${ORDERS}/historical/${ghost}`)).toBe(true);
    const refused = await h.adapter.cancel({ clientOrderId: 'ghost' as never, venueOrderId: ghost as never, instrument: h.engine.instrument(BTC) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VENUE_REJECTED' });
    expect((refused as Error).message).toMatch(/^ORDER_NOT_FOUND: .*UNKNOWN_CANCEL_ORDER/);
  });

  it('FAULTS 20 and 22: duplicated reports count once; a dropped stream is DOWN, and a fill missed meanwhile comes back by reconciliation', async () => {
    server.faults.duplicateReports(true);
    await h.engine.submitOrder({ clientOrderId: 'd-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.02', price: '30100.00' });
    await statusOf(h, 'd-1', 'ACCEPTED');
    server.matching.trade(PRODUCT, '30100.00', '1');
    await statusOf(h, 'd-1', 'FILLED');
    server.faults.duplicateReports(false);
    await h.engine.submitOrder({ clientOrderId: 'd-2', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.03', price: '30200.00' });
    await statusOf(h, 'd-2', 'ACCEPTED');
    server.faults.stallSockets(true);
    server.matching.trade(PRODUCT, '30200.00', '1'); // filled while nothing reaches us
    server.faults.stallSockets(false);
    server.faults.dropSockets({ abrupt: true });
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'the disconnect');
    await statusOf(h, 'd-2', 'FILLED');
    await until(() => h.engine.risk.stateOf('VENUE:COINBASE') === 'ACTIVE', 'the venue active again');
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => f.clientOrderId)).toEqual(['d-1', 'd-2']);
    expect(btc()).toBe('0.95000000');
    await noBalanceMismatch();
  });
});
