/**
 * FAULTS 16, 17, 23, 24 and 33 end to end on Binance spot: the engine, a LIVE executor and the
 * ccxt adapter against the local fake Binance, the real ccxt client in between.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { startFakeBinance, type FakeBinanceServer } from '../../support/fake-binance/index.ts';
import { connectHarness, statusOf, until, type Harness } from './harness.ts';

const BTC = 'BTCUSDT.BINANCE';
const ACCOUNT = 'main';
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

const rest = (id: string, side: 'BUY' | 'SELL', price: string, quantity = '0.01') =>
  h.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: BTC, side, type: 'LIMIT', quantity, price });

describe('Binance spot venue faults through ccxt', () => {
  it('FAULTS 16: a cancel the exchange fails (503) is sent again and the order ends canceled once', async () => {
    await rest('c-1', 'BUY', '29000.00');
    await statusOf(h, 'c-1', 'ACCEPTED');
    server.faults.serverError({ status: 503, times: 1 });
    await h.engine.cancelOrder('c-1');
    await statusOf(h, 'c-1', 'CANCELED');
    expect(server.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith('/order'))).toHaveLength(2);
    expect(h.events.filter((e) => e.kind === 'OrderCanceled')).toHaveLength(1);
  });

  it('FAULTS 16 and 17: the order filled before the cancel arrived: "unknown order" is settled by a query, the fill applied, the position right', async () => {
    await rest('f-1', 'SELL', '30100.00', '0.04');
    await statusOf(h, 'f-1', 'ACCEPTED');
    server.faults.stallSockets(true); // the fill's report does not reach us
    server.matching.trade('BTCUSDT', '30100.00', '1');
    await h.engine.cancelOrder('f-1');
    await statusOf(h, 'f-1', 'FILLED');
    server.faults.stallSockets(false);
    expect(h.events.filter((e) => e.kind === 'OrderFilled').map((e) => e.clientOrderId)).toEqual(['f-1']);
    expect(h.engine.portfolio.account(accountId('A')).balance(Currencies.BTC).total.toDecimalString()).toBe('0.96000000');
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(false);
  });

  it('FAULTS 23: an order placed at the exchange by hand is adopted as external with an alert', async () => {
    server.matching.place({ account: ACCOUNT, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.02', price: '28000.00', clientOrderId: 'by-hand' });
    const r = await reconcile(h.engine, h.executor);
    expect(r.ordersAdopted).toEqual(['by-hand']);
    expect(h.engine.order('by-hand')!.status).toBe('ACCEPTED');
    expect(h.alerts.some((a) => a.code === 'EXTERNAL_ORDER_ADOPTED')).toBe(true);
  });

  it('FAULTS 24: holdings moved behind our back (a trade we never saw) are not assumed: trading halts with BALANCE_MISMATCH', async () => {
    server.matching.place({ account: ACCOUNT, symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.5', clientOrderId: 'elsewhere' });
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(true);
    expect(h.alerts.filter((a) => a.code === 'BALANCE_MISMATCH').map((a) => a.context['currency'])).toEqual(['BTC', 'USDT']);
    expect(h.engine.risk.stateOf('FIRM')).toBe('HALTED');
  });

  it('FAULTS 33: a socket open but silent (no pushes, no pongs) is noticed by the keepalive, and the fill made meanwhile is recovered', async () => {
    await rest('s-1', 'SELL', '30100.00', '0.03');
    await statusOf(h, 's-1', 'ACCEPTED');
    server.faults.stallSockets(true);
    server.matching.trade('BTCUSDT', '30100.00', '1');
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'the stall noticed', 10_000);
    server.faults.stallSockets(false);
    await statusOf(h, 's-1', 'FILLED');
    await until(() => h.engine.risk.stateOf('VENUE:BINANCE') === 'ACTIVE', 'the venue active again', 10_000);
    expect(h.events.filter((e) => e.kind === 'OrderFilled').map((e) => [e.clientOrderId, e.lastQty.toString()])).toEqual([['s-1', '0.03000']]);
  }, 20_000);
});
