/**
 * The engine trading Kraken spot through the ccxt adapter: the real ccxt client against a local
 * server speaking Kraken's REST and WebSocket v2 protocol (test/support/fake-kraken), its orders
 * matched by Warden's simulated exchange. Kraken names its assets XXBT and ZUSD; ccxt calls them
 * BTC and USD, and so does the engine. Fills come by the executions channel, exact to the unit.
 * Prices are chosen so that Kraken's fees (0.26% taker, 0.16% maker) fit the 4 places Kraken
 * keeps USD balances to, so the books compare exactly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { startFakeKraken, type FakeKrakenServer } from '../../support/fake-kraken/server.ts';
import { connectHarness, statusOf, until, type Harness } from './harness.ts';

const BTC = 'BTCUSD.KRAKEN';
const PAIR = 'XXBTZUSD';
let server: FakeKrakenServer;
let h: Harness;

beforeEach(async () => {
  server = await startFakeKraken({ balances: { ZUSD: '100000', XXBT: '1' } });
  server.matching.quote(PAIR, '29999.9', '30000.0');
  h = await connectHarness(server, 'kraken', [{ id: BTC, symbol: 'BTCUSD' }], { venueId: 'KRAKEN', throttle: false });
});

afterEach(async () => {
  await h.close();
  await server.close();
});

const account = () => h.engine.portfolio.account(accountId('A'));
const usd = () => account().balance(h.engine.instrument(BTC).quote).total.toDecimalString();
const btc = () => account().balance(h.engine.instrument(BTC).base!).total.toDecimalString();
const atVenue = (clOrdId: string) => server.requests.filter((r) => r.path === '/0/private/AddOrder' && r.params['cl_ord_id'] === clOrdId);
const noBalanceMismatch = async () => {
  const r = await reconcile(h.engine, h.executor);
  expect([r.halted, r.positionMismatches, h.alerts.filter((a) => a.code === 'BALANCE_MISMATCH').map((a) => a.message)]).toEqual([false, [], []]);
};

describe('Kraken spot through ccxt', () => {
  it('buys at market, rests a limit that a print fills, cancels a resting order; the books agree to the unit, fees included', async () => {
    await h.engine.submitOrder({ clientOrderId: 'm-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' });
    await statusOf(h, 'm-1', 'FILLED');
    await h.engine.submitOrder({ clientOrderId: 'l-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.05', price: '30100.0' });
    await statusOf(h, 'l-1', 'ACCEPTED');
    server.matching.trade(PAIR, '30100.0', '1');
    await statusOf(h, 'l-1', 'FILLED');
    await h.engine.submitOrder({ clientOrderId: 'l-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.0' });
    await statusOf(h, 'l-2', 'ACCEPTED');
    await h.engine.cancelOrder('l-2');
    await statusOf(h, 'l-2', 'CANCELED');
    expect(server.matching.openOrders(server.account)).toHaveLength(0);
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString(), f.commission.toDecimalString(), f.commission.currency.code])).toEqual([
      ['m-1', '0.10000000', '30000.0', '7.800000000', 'USD'],
      ['l-1', '0.05000000', '30100.0', '2.408000000', 'USD'],
    ]);
    // 100000 - 3000.00 - 7.80 + 1505.00 - 2.408
    expect(usd()).toBe('98494.792000000');
    expect(btc()).toBe('1.05000000');
    await noBalanceMismatch();
  });

  it('rejects an order Kraken refuses for funds with INSUFFICIENT_BALANCE, and changes nothing', async () => {
    await h.engine.submitOrder({ clientOrderId: 'big', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '10', price: '29000.0' });
    await statusOf(h, 'big', 'REJECTED');
    const rejected = h.events.find((e) => e.kind === 'OrderRejected' && e.clientOrderId === 'big');
    expect(rejected && 'reason' in rejected ? rejected.reason : '').toMatch(/^INSUFFICIENT_BALANCE: .*EOrder:Insufficient funds/);
    expect(usd()).toBe('100000.000000000');
    expect(server.matching.allOrders(server.account)).toHaveLength(0);
  });

  it('maps a client id longer than Kraken takes (18) to one it does, and finds the order again by it', async () => {
    const long = 'strategy-7-order-000042'; // 23 characters
    await h.engine.submitOrder({ clientOrderId: long, accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.0' });
    await statusOf(h, long, 'ACCEPTED');
    const sent = server.requests.filter((r) => r.path === '/0/private/AddOrder').map((r) => r.params['cl_ord_id'] ?? '');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^w[0-9a-f]{17}$/);
    const found = await h.adapter.queries.orderStatus(long as never);
    expect([found?.clientOrderId, found?.status, found?.venueOrderId]).toEqual([long, 'OPEN', h.engine.order(long)!.venueOrderId]);
    server.matching.trade(PAIR, '29000.0', '1');
    await statusOf(h, long, 'FILLED');
    expect(h.events.filter((e) => e.kind === 'OrderFilled').map((e) => e.clientOrderId)).toEqual([long]);
    await noBalanceMismatch();
    // An order journaled before a restart without Kraken's txid, filled since: found among the closed orders.
    const direct = await h.client.createOrder('BTC/USD', 'limit', 'buy', 0.01, 28000, { clientOrderId: 'journaled-1' });
    server.matching.trade(PAIR, '28000.0', '1');
    h.adapter.remember([{ spec: { ...h.engine.order(long)!.spec, clientOrderId: 'journaled-1' as never }, venueOrderId: undefined }]);
    const closed = await h.adapter.queries.orderStatus('journaled-1' as never);
    expect([closed?.status, closed?.venueOrderId, closed?.filledQty.toString()]).toEqual(['FILLED', direct.id, '0.01000000']);
    // Kraken narrowed its lists by the client id (cl_ord_id), so an order past its 50 most recent is found too.
    expect(server.requests.filter((q) => q.params['cl_ord_id'] === 'journaled-1').map((q) => q.path)).toEqual(['/0/private/AddOrder', '/0/private/OpenOrders', '/0/private/ClosedOrders']);
    // Its fill is not in our books (the engine never had the order): the balances compared by ccxt's codes show it.
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(true);
    expect(h.alerts.filter((a) => a.code === 'BALANCE_MISMATCH').map((a) => a.message)[0]).toBe('BTC on A: ours 1.01000000, venue 1.02; trading halted');
  });

  it('FAULTS 15: a submit that times out with the order placed is settled by a query, never sent twice', async () => {
    server.faults.submitTimeout({ placed: true });
    await h.engine.submitOrder({ clientOrderId: 't-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.0' });
    await statusOf(h, 't-1', 'ACCEPTED');
    expect(atVenue('t-1')).toHaveLength(1);
    const orders = server.matching.allOrders(server.account);
    expect(orders).toHaveLength(1);
    expect(h.engine.order('t-1')!.venueOrderId).toMatch(/^O[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{6}$/);
    await h.engine.cancelOrder('t-1');
    await statusOf(h, 't-1', 'CANCELED');
  });

  it('FAULTS 15: a submit that times out unplaced is found missing and rejected, not resent', async () => {
    server.faults.submitTimeout({ placed: false });
    await h.engine.submitOrder({ clientOrderId: 't-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.0' });
    await until(() => ['REJECTED', 'CANCELED'].includes(h.engine.order('t-2')?.status ?? ''), 't-2 settled', 10_000);
    expect(atVenue('t-2')).toHaveLength(1);
    expect(server.matching.allOrders(server.account)).toHaveLength(0);
  });

  it('FAULTS 21: Kraken\'s rate limit (no Retry-After) backs off and the order goes once', async () => {
    // The fake Kraken's fault path is Kraken's method name, not the URL path.
    server.faults.rateLimit({ retryAfterSec: 0, times: 1, path: 'AddOrder' });
    await h.engine.submitOrder({ clientOrderId: 'r-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.0' });
    await statusOf(h, 'r-1', 'ACCEPTED');
    // Refused once (EOrder:Rate limit exceeded, ccxt's DDoSProtection), then sent again after a query found nothing.
    expect(atVenue('r-1')).toHaveLength(2);
    expect(server.matching.allOrders(server.account)).toHaveLength(1);
  });

  it('a cancel of an order Kraken no longer has settles by query', async () => {
    await h.engine.submitOrder({ clientOrderId: 'c-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.02', price: '30100.0' });
    await statusOf(h, 'c-1', 'ACCEPTED');
    server.faults.stallSockets(true);
    server.matching.trade(PAIR, '30100.0', '1'); // filled, the report held back
    await h.engine.cancelOrder('c-1'); // Kraken: EOrder:Unknown order
    await statusOf(h, 'c-1', 'FILLED');
    server.faults.stallSockets(false);
    expect(server.requests.filter((r) => r.path === '/0/private/CancelOrder')).toHaveLength(1);
    expect(h.events.filter((e) => e.kind === 'OrderFilled').map((e) => [e.clientOrderId, e.lastQty.toString()])).toEqual([['c-1', '0.02000000']]);
    expect(await h.adapter.queries.orderStatus('never-sent' as never)).toBeUndefined();
  });

  it('an order id Kraken does not know: the look-up (EOrder:Invalid order) finds nothing, the cancel is ORDER_NOT_FOUND', async () => {
    await h.engine.submitOrder({ clientOrderId: 'k-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.0' });
    await statusOf(h, 'k-1', 'ACCEPTED');
    const ghost = 'OAAAAA-BBBBB-CCCCCC';
    h.adapter.remember([{ spec: { ...h.engine.order('k-1')!.spec, clientOrderId: 'ghost' as never }, venueOrderId: ghost }]);
    expect(await h.adapter.queries.orderStatus('ghost' as never)).toBeUndefined();
    expect(server.requests.some((r) => r.path === '/0/private/QueryOrders' && r.params['txid'] === ghost)).toBe(true);
    const refused = await h.adapter.cancel({ clientOrderId: 'ghost' as never, venueOrderId: ghost as never, instrument: h.engine.instrument(BTC) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VENUE_REJECTED' });
    expect((refused as Error).message).toMatch(/^ORDER_NOT_FOUND: .*EOrder:Unknown order/);
  });

  it('FAULTS 20 and 22: duplicated reports count once; a dropped stream is DOWN, and a fill missed meanwhile comes back by reconciliation', async () => {
    server.faults.duplicateReports(true);
    await h.engine.submitOrder({ clientOrderId: 'd-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.02', price: '30100.0' });
    await statusOf(h, 'd-1', 'ACCEPTED');
    server.matching.trade(PAIR, '30100.0', '1');
    await statusOf(h, 'd-1', 'FILLED');
    server.faults.duplicateReports(false);
    await h.engine.submitOrder({ clientOrderId: 'd-2', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.03', price: '30200.0' });
    await statusOf(h, 'd-2', 'ACCEPTED');
    server.faults.stallSockets(true);
    server.matching.trade(PAIR, '30200.0', '1'); // filled while nothing reaches us
    server.faults.stallSockets(false);
    server.faults.dropSockets({ abrupt: true });
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'the disconnect');
    await statusOf(h, 'd-2', 'FILLED');
    await until(() => h.engine.risk.stateOf('VENUE:KRAKEN') === 'ACTIVE', 'the venue active again');
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => f.clientOrderId)).toEqual(['d-1', 'd-2']);
    expect(btc()).toBe('0.95000000');
    await noBalanceMismatch();
  });

  it('a fee below the 4 places Kraken shows USD in is no mismatch: the books agree within the last place Kraken shows', async () => {
    server.matching.quote(PAIR, '30000.0', '30000.1');
    await h.engine.submitOrder({ clientOrderId: 'f-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' });
    await statusOf(h, 'f-1', 'FILLED');
    // 0.1 × 30000.1 = 3000.01, fee 0.26% = 7.800026: ours to the unit, Kraken's to 4 places.
    expect(usd()).toBe('96992.189974000');
    await noBalanceMismatch();
  });
});
