/**
 * The engine trading Binance spot through the ccxt adapter: the real ccxt client against a local
 * server speaking Binance's REST and WebSocket protocol (test/support/fake-binance), its orders
 * matched by Warden's simulated exchange. Fills come by the user data stream, exact to the unit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { startFakeBinance, type FakeBinanceServer } from '../../support/fake-binance/index.ts';
import { connectHarness, statusOf, until, type Harness } from './harness.ts';

const BTC = 'BTCUSDT.BINANCE';
let server: FakeBinanceServer;
let h: Harness;

beforeEach(async () => {
  server = await startFakeBinance({ kind: 'spot', balances: { USDT: '100000', BTC: '1' } });
  server.matching.quote('BTCUSDT', '30000.00', '30001.00');
  h = await connectHarness(server, 'binance', [{ id: BTC, symbol: 'BTCUSDT' }]);
});

afterEach(async () => {
  await h.close();
  await server.close();
});

const usdt = () => h.engine.portfolio.account(accountId('A')).balance(Currencies.USDT).total.toDecimalString();
/** The fake's one account (the API key's). */
const ACCOUNT = 'main';

describe('Binance spot through ccxt', () => {
  it('buys at market, rests a limit that a print fills, cancels a resting order; the books agree to the unit', async () => {
    const buy = await h.engine.submitOrder({ clientOrderId: 'm-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' });
    expect(buy.denied).toEqual([]);
    await statusOf(h, 'm-1', 'FILLED');
    await h.engine.submitOrder({ clientOrderId: 'l-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.05', price: '30100.00' });
    await statusOf(h, 'l-1', 'ACCEPTED');
    server.matching.trade('BTCUSDT', '30100.00', '1');
    await statusOf(h, 'l-1', 'FILLED');
    await h.engine.submitOrder({ clientOrderId: 'l-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 'l-2', 'ACCEPTED');
    await h.engine.cancelOrder('l-2');
    await statusOf(h, 'l-2', 'CANCELED');
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString(), f.commission.toString()])).toEqual([
      ['m-1', '0.10000', '30001.00', '3.00010000 USDT'],
      ['l-1', '0.05000', '30100.00', '1.50500000 USDT'],
    ]);
    // 100000 - 3000.10 - 3.0001 + 1505.00 - 1.505
    expect(usdt()).toBe('98500.39490000');
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches, h.alerts.filter((a) => a.code === 'BALANCE_MISMATCH')]).toEqual([false, [], []]);
  });

  it('rejects what Binance refuses with a stable code, and changes nothing', async () => {
    await h.engine.submitOrder({ clientOrderId: 'big', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '10', price: '29000.00' });
    await statusOf(h, 'big', 'REJECTED');
    const rejected = h.events.find((e) => e.kind === 'OrderRejected' && e.clientOrderId === 'big');
    expect(rejected && 'reason' in rejected ? rejected.reason : '').toMatch(/^INSUFFICIENT_BALANCE: /);
    expect(usdt()).toBe('100000.00000000');
    await h.engine.submitOrder({ clientOrderId: 'po', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '30002.00', postOnly: true });
    await statusOf(h, 'po', 'REJECTED');
    expect(server.matching.openOrders(ACCOUNT)).toHaveLength(0);
  });

  it('FAULTS 15: a submit that times out with the order placed is settled by a query, never sent twice', async () => {
    server.faults.submitTimeout({ placed: true });
    await h.engine.submitOrder({ clientOrderId: 't-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 't-1', 'ACCEPTED');
    const atVenue = server.matching.allOrders(ACCOUNT).filter((o) => o.clientOrderId === 't-1');
    expect(atVenue).toHaveLength(1);
    expect(h.engine.order('t-1')!.venueOrderId).toBe(String(atVenue[0]!.orderId));
  });

  it('FAULTS 15: a submit that times out unplaced is found missing and rejected, not resent', async () => {
    server.faults.submitTimeout({ placed: false });
    await h.engine.submitOrder({ clientOrderId: 't-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await until(() => ['REJECTED', 'CANCELED'].includes(h.engine.order('t-2')?.status ?? ''), 't-2 settled', 10_000);
    expect(server.matching.allOrders(ACCOUNT).filter((o) => o.clientOrderId === 't-2')).toHaveLength(0);
  });

  it('FAULTS 21: a 429 backs off and the order goes once; FAULTS 32: a clock skew resyncs and the order goes once', async () => {
    server.faults.rateLimit({ retryAfterSec: 0, times: 1, path: '/api/v3/order' });
    await h.engine.submitOrder({ clientOrderId: 'r-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 'r-1', 'ACCEPTED');
    server.faults.clockSkew(120_000);
    await h.engine.submitOrder({ clientOrderId: 'r-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    await statusOf(h, 'r-2', 'ACCEPTED');
    expect(h.alerts.some((a) => a.code === 'VENUE_CLOCK_RESYNCED')).toBe(true);
    for (const id of ['r-1', 'r-2']) expect(server.matching.allOrders(ACCOUNT).filter((o) => o.clientOrderId === id)).toHaveLength(1);
  });

  it('FAULTS 20 and 22: duplicated reports count once; a dropped stream is DOWN, and a fill missed meanwhile comes back by reconciliation', async () => {
    server.faults.duplicateReports(true);
    await h.engine.submitOrder({ clientOrderId: 'd-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.02', price: '30100.00' });
    await statusOf(h, 'd-1', 'ACCEPTED');
    server.matching.trade('BTCUSDT', '30100.00', '1');
    await statusOf(h, 'd-1', 'FILLED');
    server.faults.duplicateReports(false);
    await h.engine.submitOrder({ clientOrderId: 'd-2', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.03', price: '30200.00' });
    await statusOf(h, 'd-2', 'ACCEPTED');
    server.faults.stallSockets(true);
    server.matching.trade('BTCUSDT', '30200.00', '1'); // filled while nothing reaches us
    server.faults.stallSockets(false);
    server.faults.dropSockets({ abrupt: true });
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'the disconnect');
    await statusOf(h, 'd-2', 'FILLED');
    await until(() => h.engine.risk.stateOf('VENUE:BINANCE') === 'ACTIVE', 'the venue active again');
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => f.clientOrderId)).toEqual(['d-1', 'd-2']);
    expect(h.engine.portfolio.account(accountId('A')).balance(Currencies.BTC).total.toDecimalString()).toBe('0.95000000');
  });
});
