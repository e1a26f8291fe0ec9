/**
 * The engine trading Binance USDⓈ-M perpetuals through the ccxt adapter (profile binanceusdm):
 * the real ccxt client against a local server speaking Binance's /fapi REST, its algo order
 * endpoints and the listenKey user stream (test/support/fake-binance, kind usdm), a MARGIN
 * account holding a PERPETUAL position. Fills come by the user stream, exact to the unit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { startFakeBinance, type FakeBinanceServer } from '../../support/fake-binance/index.ts';
import { connectHarness, statusOf, until, type Harness } from './harness.ts';

const BTC = 'BTCUSDT-PERP.BINANCEUSDM';
/** The fake's one account (the API key's). */
const ACCOUNT = 'main';
let server: FakeBinanceServer;
let h: Harness;

beforeEach(async () => {
  server = await startFakeBinance({ kind: 'usdm', balances: { USDT: '10000' } });
  server.matching.quote('BTCUSDT', '30000.0', '30000.1');
  // The listenKey kept alive every 300 ms, so that a lapsed key is noticed within the test.
  h = await connectHarness(server, 'binanceusdm', [{ id: BTC, symbol: 'BTCUSDT' }], { venueId: 'BINANCEUSDM', accountType: 'MARGIN', options: { listenKeyRefreshRate: 300 } });
});

afterEach(async () => {
  await h.close();
  await server.close();
});

const usdt = () => h.engine.portfolio.account(accountId('A')).balance(Currencies.USDT).total.toDecimalString();
const posted = (path: string) => server.requests.filter((r) => r.method === 'POST' && r.path === path);
const fills = () => h.events.filter((e) => e.kind === 'OrderFilled').map((f) => [f.clientOrderId, f.tradeId, f.lastQty.toString(), f.lastPx.toString(), f.commission.toString()]);
const venuePositions = async () => (await h.adapter.queries.positions()).map((p) => [p.instrumentId, p.side, p.quantity.toString()]);
const ourPosition = () => h.engine.portfolio.openPositions().map((p) => [p.instrumentId, String(p.signedQtyRaw)]);

async function openLong(id: string, qty: string): Promise<void> {
  const r = await h.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: qty });
  expect(r.denied).toEqual([]);
  await statusOf(h, id, 'FILLED');
}

describe('Binance USDⓈ-M through ccxt', () => {
  it('opens a long at market and closes it with a reduce-only limit sent natively; positions and wallet agree to the unit', async () => {
    await openLong('m-1', '0.010');
    expect(await venuePositions()).toEqual([[BTC, 'LONG', '0.010']]);
    expect(ourPosition()).toEqual([[BTC, '10']]);
    // The mark moves: the venue's margin balance carries the unrealized PnL, the wallet does not.
    server.matching.trade('BTCUSDT', '30300.0', '0.5');
    const open = await reconcile(h.engine, h.executor);
    expect([open.halted, open.positionMismatches, h.alerts.map((a) => [a.code, a.message])]).toEqual([false, [], []]);
    // 10000 − 0.1500005 fee; ccxt's total (the margin balance) was 2.999 higher: 0.010 × (30300.0 − 30000.1).
    expect([usdt(), (await h.adapter.queries.balances()).map((b) => [b.currency, b.total])]).toEqual(['9999.84999950', [['USDT', '9999.8499995']]]);
    await h.engine.submitOrder({ clientOrderId: 'l-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.010', price: '30500.0', reduceOnly: true });
    await statusOf(h, 'l-1', 'ACCEPTED');
    expect(posted('/fapi/v1/order').at(-1)!.params).toMatchObject({ newClientOrderId: 'l-1', type: 'LIMIT', side: 'SELL', reduceOnly: 'true', price: '30500', quantity: '0.01' });
    expect(server.matching.openOrders(ACCOUNT)[0]!.reduceOnly).toBe(true);
    server.matching.trade('BTCUSDT', '30500.0', '1');
    await statusOf(h, 'l-1', 'FILLED');
    expect(fills()).toEqual([
      ['m-1', '5000', '0.010', '30000.1', '0.15000050 USDT'],
      ['l-1', '5001', '0.010', '30500.0', '0.06100000 USDT'],
    ]);
    // 10000 − 0.1500005 + (30500.0 − 30000.1) × 0.010 − 0.061: only PnL and fees move a MARGIN account's cash.
    expect(usdt()).toBe('10004.78799950');
    expect(await venuePositions()).toEqual([]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches, h.alerts.map((a) => a.code)]).toEqual([false, [], []]);
  });

  it('a STOP_MARKET goes to the algo order API, is followed through ALGO_UPDATE and ORDER_TRADE_UPDATE, and its fill and end reach the engine once', async () => {
    await openLong('m-2', '0.020');
    await h.engine.submitOrder({ clientOrderId: 's-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'STOP_MARKET', quantity: '0.020', triggerPrice: '29500.0', reduceOnly: true });
    await statusOf(h, 's-1', 'ACCEPTED');
    expect(posted('/fapi/v1/algoOrder').map((r) => r.params)).toEqual([
      expect.objectContaining({ algoType: 'CONDITIONAL', type: 'STOP_MARKET', side: 'SELL', triggerPrice: '29500', quantity: '0.02', clientAlgoId: 's-1', reduceOnly: 'true' }),
    ]);
    const algoId = String(server.matching.allOrders(ACCOUNT).find((o) => o.clientOrderId === 's-1')!.orderId);
    expect(h.engine.order('s-1')!.venueOrderId).toBe(algoId);
    server.faults.duplicateReports(true);
    // A print at the trigger triggers it; the market order it becomes fills against the prints, in two parts.
    server.matching.trade('BTCUSDT', '29500.0', '0.005');
    await statusOf(h, 's-1', 'PARTIALLY_FILLED');
    server.matching.trade('BTCUSDT', '29500.0', '1');
    await statusOf(h, 's-1', 'FILLED');
    await h.adapter.settled();
    expect(fills()).toEqual([
      ['m-2', '5000', '0.020', '30000.1', '0.30000100 USDT'],
      ['s-1', '5001', '0.005', '29500.0', '0.07375000 USDT'],
      ['s-1', '5002', '0.015', '29500.0', '0.22125000 USDT'],
    ]);
    expect(h.events.filter((e) => e.clientOrderId === 's-1').map((e) => e.kind)).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(await venuePositions()).toEqual([]);
    expect(ourPosition()).toEqual([]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches, r.fillsSeen, h.alerts.map((a) => a.code)]).toEqual([false, [], 3, []]);
  });

  it('a MARK-triggered stop is sent with workingType MARK_PRICE; a resting stop and a resting limit cancel, the stop through the algo endpoint', async () => {
    await openLong('m-3', '0.010');
    await h.engine.submitOrder({ clientOrderId: 's-2', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'STOP_MARKET', quantity: '0.010', triggerPrice: '29000.0', triggerType: 'MARK', reduceOnly: true });
    await statusOf(h, 's-2', 'ACCEPTED');
    expect(posted('/fapi/v1/algoOrder').at(-1)!.params).toMatchObject({ type: 'STOP_MARKET', workingType: 'MARK_PRICE', triggerPrice: '29000' });
    await h.engine.submitOrder({ clientOrderId: 'l-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.010', price: '29000.0' });
    await statusOf(h, 'l-2', 'ACCEPTED');
    const open = await h.adapter.queries.openOrders();
    expect(open.map((o) => [o.clientOrderId, o.status]).sort()).toEqual([['l-2', 'OPEN'], ['s-2', 'OPEN']]);
    // Reconciliation finds the resting stop where it is, among the algo orders: nothing to correct.
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.statusesUpdated, r.neverReachedVenue, r.positionMismatches]).toEqual([false, [], [], []]);
    await h.engine.cancelOrder('s-2');
    await statusOf(h, 's-2', 'CANCELED');
    await h.engine.cancelOrder('l-2');
    await statusOf(h, 'l-2', 'CANCELED');
    expect(server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/fapi/v1/algoOrder', '/fapi/v1/order']);
    expect(server.matching.openOrders(ACCOUNT)).toEqual([]);
    expect((await h.adapter.queries.orderStatus('s-2' as never))?.status).toBe('CANCELED');
    expect(h.events.filter((e) => e.kind === 'OrderCanceled').map((e) => e.clientOrderId)).toEqual(['s-2', 'l-2']);
    expect(h.alerts.map((a) => a.code)).toEqual([]);
  });

  it('rejects what Binance refuses: a reduce-only order with nothing to reduce (-2022), an order beyond the margin (-2019); nothing changes', async () => {
    await openLong('m-4', '0.010');
    // The position is closed behind our back: the engine still holds it, the venue does not.
    server.matching.place({ account: ACCOUNT, symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.010' });
    await h.engine.submitOrder({ clientOrderId: 'ro', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'MARKET', quantity: '0.010', reduceOnly: true });
    await statusOf(h, 'ro', 'REJECTED');
    const why = (id: string) => h.events.filter((e) => e.kind === 'OrderRejected' && e.clientOrderId === id).map((e) => ('reason' in e ? e.reason : ''));
    // ccxt reads -2022 as InvalidOrder only from Binance's own futures host; from a local URL its generic table says ExchangeError.
    expect(why('ro')).toEqual([expect.stringMatching(/^EXCHANGE_ERROR: .*"code":-2022,"msg":"ReduceOnly Order is rejected."/)]);
    const cash = usdt();
    await h.engine.submitOrder({ clientOrderId: 'big', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.600', price: '29000.0' });
    await statusOf(h, 'big', 'REJECTED');
    expect(why('big')).toEqual([expect.stringMatching(/^EXCHANGE_ERROR: .*"code":-2019,"msg":"Margin is insufficient."/)]);
    expect(usdt()).toBe(cash);
    expect(server.matching.openOrders(ACCOUNT)).toEqual([]);
  });

  it('opens a short at market and buys it back reduce-only at market; the venue reports it SHORT and reconciliation agrees', async () => {
    await h.engine.submitOrder({ clientOrderId: 'sh-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'MARKET', quantity: '0.010' });
    await statusOf(h, 'sh-1', 'FILLED');
    expect([await venuePositions(), ourPosition()]).toEqual([[[BTC, 'SHORT', '0.010']], [[BTC, '-10']]]);
    const open = await reconcile(h.engine, h.executor);
    expect([open.halted, open.positionMismatches]).toEqual([false, []]);
    server.matching.quote('BTCUSDT', '29800.0', '29800.1');
    await h.engine.submitOrder({ clientOrderId: 'sh-2', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.010', reduceOnly: true });
    await statusOf(h, 'sh-2', 'FILLED');
    expect(posted('/fapi/v1/order').at(-1)!.params).toMatchObject({ newClientOrderId: 'sh-2', type: 'MARKET', side: 'BUY', reduceOnly: 'true' });
    expect(fills()).toEqual([
      ['sh-1', '5000', '0.010', '30000.0', '0.15000000 USDT'],
      ['sh-2', '5001', '0.010', '29800.1', '0.14900050 USDT'],
    ]);
    // 10000 − 0.15 + (30000.0 − 29800.1) × 0.010 − 0.1490005
    expect(usdt()).toBe('10001.69999950');
    expect([await venuePositions(), ourPosition()]).toEqual([[], []]);
    const closed = await reconcile(h.engine, h.executor);
    expect([closed.halted, closed.positionMismatches, h.alerts.map((a) => a.code)]).toEqual([false, [], []]);
  });

  it('a position the venue reports that we do not hold halts trading with POSITION_MISMATCH', async () => {
    await openLong('m-5', '0.010');
    server.matching.place({ account: ACCOUNT, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.005' }); // not ours
    expect(await venuePositions()).toEqual([[BTC, 'LONG', '0.015']]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([true, [{ accountId: 'A', instrumentId: BTC, ours: '10', venue: '15' }]]);
    expect(h.alerts.map((a) => a.code)).toContain('POSITION_MISMATCH');
  });

  it('FAULTS 20 and 22: duplicated reports count once; a dropped listenKey stream is DOWN, and a fill missed meanwhile comes back by reconciliation', async () => {
    server.faults.duplicateReports(true);
    await openLong('m-6', '0.030');
    await h.engine.submitOrder({ clientOrderId: 'd-1', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.010', price: '30100.0' });
    await statusOf(h, 'd-1', 'ACCEPTED');
    server.matching.trade('BTCUSDT', '30100.0', '1');
    await statusOf(h, 'd-1', 'FILLED');
    server.faults.duplicateReports(false);
    await h.engine.submitOrder({ clientOrderId: 'd-2', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.010', price: '30200.0' });
    await statusOf(h, 'd-2', 'ACCEPTED');
    server.faults.stallSockets(true);
    server.matching.trade('BTCUSDT', '30200.0', '1'); // filled while nothing reaches us
    server.faults.stallSockets(false);
    server.faults.dropSockets({ abrupt: true });
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'the disconnect');
    await statusOf(h, 'd-2', 'FILLED');
    await until(() => h.engine.risk.stateOf('VENUE:BINANCEUSDM') === 'ACTIVE', 'the venue active again');
    expect(fills().map((f) => f[0])).toEqual(['m-6', 'd-1', 'd-2']);
    expect(ourPosition()).toEqual([[BTC, '10']]);
    expect(await venuePositions()).toEqual([[BTC, 'LONG', '0.010']]);
    expect(h.alerts.map((a) => a.code)).not.toContain('POSITION_MISMATCH');
  });

  it('a lapsed listenKey (listenKeyExpired) is noticed at its keepalive: DOWN, a new key, UP and reconciled, and fills stream again', async () => {
    const userTrades = () => server.requests.filter((r) => r.path === '/fapi/v1/userTrades').length;
    // A fill by the stream first: the socket on the first key is up.
    await h.engine.submitOrder({ clientOrderId: 'k-0', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.010', price: '29950.0' });
    await statusOf(h, 'k-0', 'ACCEPTED');
    server.matching.trade('BTCUSDT', '29950.0', '1');
    await statusOf(h, 'k-0', 'FILLED');
    expect(userTrades()).toBe(0);
    const [first] = server.listenKeys.live();
    server.listenKeys.expire(first!);
    await h.engine.submitOrder({ clientOrderId: 'k-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.010', price: '29900.0' });
    await statusOf(h, 'k-1', 'ACCEPTED');
    server.matching.trade('BTCUSDT', '29900.0', '1'); // pushed to nobody: the key has lapsed
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'the lapse noticed');
    expect(h.alerts.find((a) => a.code === 'VENUE_STREAM_FAILED')?.message).toMatch(/-1125|listenKey does not exist/);
    await statusOf(h, 'k-1', 'FILLED');
    await until(() => h.engine.risk.stateOf('VENUE:BINANCEUSDM') === 'ACTIVE', 'the venue active again');
    await until(() => server.listenKeys.live().length === 1, 'a new listenKey');
    expect(server.listenKeys.live()).not.toContain(first);
    await h.engine.submitOrder({ clientOrderId: 'k-2', accountId: 'A', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.020', price: '30100.0', reduceOnly: true });
    await statusOf(h, 'k-2', 'ACCEPTED');
    const before = userTrades();
    server.matching.trade('BTCUSDT', '30100.0', '1');
    await statusOf(h, 'k-2', 'FILLED');
    // That fill came by the stream on the new key, not by a REST look-up.
    expect(userTrades()).toBe(before);
    expect(fills().map((f) => f[0])).toEqual(['k-0', 'k-1', 'k-2']);
    expect(await venuePositions()).toEqual([]);
    expect(ourPosition()).toEqual([]);
  });
});
