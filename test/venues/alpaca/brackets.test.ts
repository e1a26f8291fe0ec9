/**
 * Bracket, OCO and OTO lists held AT ALPACA (order_class bracket, oco, oto): the emulator sends
 * the list as one POST and holds nothing; Alpaca holds the legs, activates them on the entry's
 * fill and cancels the sibling of the exit that fills; every leg is reported under the Warden
 * child's id. Through the real @alpacahq/alpaca-trade-api client against the local fake Alpaca.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import { startFakeAlpaca, type FakeAlpacaServer } from '../../support/fake-alpaca/index.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import { AAPL, connectAlpaca, fillsOf, statusOf, until, type AlpacaHarness, type HarnessOptions } from './harness.ts';

let server: FakeAlpacaServer;
const open: AlpacaHarness[] = [];

beforeEach(async () => {
  server = await startFakeAlpaca({ cash: '100000' });
  server.market.quote('AAPL', '187.40', '187.42');
});

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await server.close();
});

async function start(o: HarnessOptions = {}): Promise<AlpacaHarness> {
  const h = await connectAlpaca(server, o);
  open.push(h);
  return h;
}

const order = (o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId' | 'type'>): OrderRequest => ({ accountId: 'A', instrumentId: AAPL, side: 'BUY', quantity: '10', timeInForce: 'GTC', ...o });
const posts = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders').map((r) => r.body);
const deletes = () => server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
const usd = (h: AlpacaHarness) => h.engine.portfolio.account(accountId('A')).balance(Currencies.USD).total.toDecimalString();
const position = () => server.book.positions.get('AAPL') ?? '0';
const alpacaOf = (h: AlpacaHarness, id: string) => server.book.orders.get(String(h.engine.order(id)?.venueOrderId));

/** A bracket on 10 AAPL: entry limit 187.00, take-profit 190.00, stop-loss 185.00. */
const bracket = (h: AlpacaHarness, id = 'B-1', over: { takeProfitPrice?: string } = {}) =>
  h.emulator.submitBracket({ entry: order({ clientOrderId: id, type: 'LIMIT', price: '187.00' }), takeProfitPrice: over.takeProfitPrice ?? '190.00', stopLossTriggerPrice: '185.00' });

describe('a bracket held at Alpaca', () => {
  it('goes as one order_class bracket POST; the legs rest at Alpaca held, each the Warden child; nothing is held by the emulator', async () => {
    const h = await start();
    await bracket(h);
    for (const id of ['B-1', 'B-1-TP-1', 'B-1-SL-1']) await statusOf(h, id, 'ACCEPTED');
    expect(posts()).toEqual([
      expect.objectContaining({ symbol: 'AAPL', side: 'buy', type: 'limit', limit_price: '187.00', qty: '10', time_in_force: 'gtc', client_order_id: 'B-1', order_class: 'bracket', take_profit: { limit_price: '190.00' }, stop_loss: { stop_price: '185.00' } }),
    ]);
    const parent = server.book.byClientId('B-1')!;
    expect(parent.legs.map((l) => server.book.orders.get(l)!.status)).toEqual(['held', 'held']);
    // Each child is the leg of its role, by Alpaca's id (its client id is Alpaca's).
    expect([alpacaOf(h, 'B-1-TP-1')!.id, alpacaOf(h, 'B-1-SL-1')!.id]).toEqual(parent.legs);
    expect([alpacaOf(h, 'B-1-TP-1')!.type, alpacaOf(h, 'B-1-SL-1')!.type]).toEqual(['limit', 'stop']);
    expect(h.emulator.heldOrders()).toEqual([]);
    expect(h.emulator.contingencies.watching()).toEqual([]);
    expect(h.engine.order('B-1-TP-1')!.spec).toMatchObject({ side: 'SELL', type: 'LIMIT', parentOrderId: 'B-1', reduceOnly: false });
  });

  it('entry fills, the legs work, the take-profit fills and Alpaca cancels the stop: Warden books it all without sending a cancel', async () => {
    const h = await start();
    await bracket(h);
    await statusOf(h, 'B-1-SL-1', 'ACCEPTED');
    server.market.print('AAPL', '187.00', '10');
    await statusOf(h, 'B-1', 'FILLED');
    const parent = server.book.byClientId('B-1')!;
    expect(parent.legs.map((l) => server.book.orders.get(l)!.status)).toEqual(['new', 'new']);
    server.market.print('AAPL', '190.00', '10');
    await statusOf(h, 'B-1-TP-1', 'FILLED');
    await statusOf(h, 'B-1-SL-1', 'CANCELED');
    expect(fillsOf(h).map((f) => [f.clientOrderId, f.side, f.lastQty.toString(), f.lastPx.toString()])).toEqual([
      ['B-1', 'BUY', '10', '187.00'],
      ['B-1-TP-1', 'SELL', '10', '190.00'],
    ]);
    expect(deletes()).toEqual([]);
    expect(posts()).toHaveLength(1);
    // 100000 - 1870.00 + 1900.00
    expect(usd(h)).toBe('100030.00');
    expect(position()).toBe('0');
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches, r.ordersAdopted]).toEqual([false, [], []]);
  });

  it('canceling the entry cancels the list: one DELETE, the legs end canceled at Alpaca and in Warden', async () => {
    const h = await start();
    await bracket(h);
    await statusOf(h, 'B-1-SL-1', 'ACCEPTED');
    await h.engine.cancelOrder('B-1');
    for (const id of ['B-1', 'B-1-TP-1', 'B-1-SL-1']) await statusOf(h, id, 'CANCELED');
    expect(deletes()).toEqual([`/v2/orders/${String(h.engine.order('B-1')!.venueOrderId)}`]);
    expect([...server.book.orders.values()].map((o) => o.status)).toEqual(['canceled', 'canceled', 'canceled']);
  });

  it('a take-profit below the base price is refused by Alpaca (422): the entry and both children are rejected with its words', async () => {
    const h = await start();
    await bracket(h, 'B-2', { takeProfitPrice: '186.00' });
    for (const id of ['B-2', 'B-2-TP-1', 'B-2-SL-1']) await statusOf(h, id, 'REJECTED');
    const reasons = h.events.filter((e) => e.kind === 'OrderRejected').map((e) => ('reason' in e ? e.reason : ''));
    expect(reasons).toHaveLength(3);
    for (const r of reasons) expect(r).toContain('take_profit.limit_price must be >= base_price + 0.01');
    expect(server.book.orders.size).toBe(0);
  });

  it('a modify of a resting leg is a PATCH of the leg; the child stands at the new price', async () => {
    const h = await start();
    await bracket(h);
    await statusOf(h, 'B-1-SL-1', 'ACCEPTED');
    server.market.print('AAPL', '187.00', '10');
    await statusOf(h, 'B-1', 'FILLED');
    const legId = String(h.engine.order('B-1-SL-1')!.venueOrderId);
    await h.engine.modifyOrder('B-1-SL-1', { triggerPrice: '186.00' });
    await statusOf(h, 'B-1-SL-1', 'ACCEPTED');
    await h.adapter.settled();
    expect(h.engine.order('B-1-SL-1')!.triggerPrice!.toString()).toBe('186.00');
    expect(server.requests.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.body['stop_price']])).toEqual([[`/v2/orders/${legId}`, '186.00']]);
    // The replacement is still the list's leg: the stop fills and Alpaca cancels the take-profit.
    server.market.print('AAPL', '185.90', '10');
    await statusOf(h, 'B-1-SL-1', 'FILLED');
    await statusOf(h, 'B-1-TP-1', 'CANCELED');
    expect(position()).toBe('0');
  });

  it('a submit that times out after Alpaca placed the list: the entry is found by a query, the children through its nested legs', async () => {
    const h = await start();
    server.faults.submitTimeout({ placed: true });
    await bracket(h);
    for (const id of ['B-1', 'B-1-TP-1', 'B-1-SL-1']) await statusOf(h, id, 'ACCEPTED', 8_000);
    expect(server.requests.some((r) => r.method === 'GET' && r.query.includes('nested=true'))).toBe(true);
    expect([alpacaOf(h, 'B-1-TP-1')!.id, alpacaOf(h, 'B-1-SL-1')!.id]).toEqual(server.book.byClientId('B-1')!.legs);
    expect(posts()).toHaveLength(1);
  });
});

describe('OCO and OTO held at Alpaca', () => {
  it('an OCO exit (take-profit limit + stop) is one order_class oco POST; the stop fills and Alpaca cancels the limit', async () => {
    const h = await start();
    await h.engine.submitOrder(order({ clientOrderId: 'buy', type: 'MARKET', timeInForce: 'IOC' }));
    await statusOf(h, 'buy', 'FILLED');
    await h.emulator.submitOco(order({ clientOrderId: 'X-TP', side: 'SELL', type: 'LIMIT', price: '190.00' }), order({ clientOrderId: 'X-SL', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '185.00' }));
    await statusOf(h, 'X-TP', 'ACCEPTED');
    await statusOf(h, 'X-SL', 'ACCEPTED');
    const oco = posts()[1]!;
    expect(oco).toMatchObject({ side: 'sell', type: 'limit', qty: '10', client_order_id: 'X-TP', order_class: 'oco', take_profit: { limit_price: '190.00' }, stop_loss: { stop_price: '185.00' } });
    expect(oco['limit_price']).toBeUndefined();
    expect(server.book.byClientId('X-TP')!.legs).toEqual([String(h.engine.order('X-SL')!.venueOrderId)]);
    server.market.print('AAPL', '185.00', '10');
    await statusOf(h, 'X-SL', 'FILLED');
    await statusOf(h, 'X-TP', 'CANCELED');
    expect(fillsOf(h, 'X-SL').map((f) => [f.lastQty.toString(), f.lastPx.toString()])).toEqual([['10', '185.00']]);
    expect([position(), deletes()]).toEqual(['0', []]);
    // 100000 - 1874.20 + 1850.00
    expect(usd(h)).toBe('99975.80');
    expect(h.emulator.contingencies.watching()).toEqual([]);
  });

  it('an OTO (entry + stop-loss) is one order_class oto POST; the stop works once the entry fills', async () => {
    const h = await start();
    await h.emulator.submitOto({ parent: order({ clientOrderId: 'T-1', type: 'LIMIT', price: '187.00' }), child: { clientOrderId: 'T-1-SL', accountId: 'A', instrumentId: AAPL, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '185.00', timeInForce: 'GTC' } });
    await statusOf(h, 'T-1-SL', 'ACCEPTED');
    expect(posts()).toEqual([expect.objectContaining({ client_order_id: 'T-1', order_class: 'oto', stop_loss: { stop_price: '185.00' } })]);
    expect(posts()[0]!['take_profit']).toBeUndefined();
    expect(alpacaOf(h, 'T-1-SL')!.status).toBe('held');
    // Held: a print through the stop before the entry fills does nothing.
    server.market.print('AAPL', '188.00', '10');
    expect(alpacaOf(h, 'T-1-SL')!.status).toBe('held');
    server.market.print('AAPL', '187.00', '10');
    await statusOf(h, 'T-1', 'FILLED');
    server.market.print('AAPL', '184.90', '10');
    await statusOf(h, 'T-1-SL', 'FILLED');
    expect(fillsOf(h).map((f) => [f.clientOrderId, f.lastPx.toString()])).toEqual([
      ['T-1', '187.00'],
      ['T-1-SL', '184.90'],
    ]);
    expect(position()).toBe('0');
  });
});

describe('emulated where Alpaca does not hold the list', () => {
  it('told Alpaca holds no lists, the emulator holds the bracket: the entry goes alone, the children as simple orders on its fill (and Alpaca refuses the second exit of the same shares)', async () => {
    const h = await start({ capabilities: { orderLists: [] } });
    await bracket(h);
    await statusOf(h, 'B-1', 'ACCEPTED');
    expect(h.engine.order('B-1-TP-1')).toBeUndefined();
    expect(h.emulator.contingencies.watching()).toEqual(['B-1']);
    server.market.print('AAPL', '187.00', '10');
    await statusOf(h, 'B-1-TP-1', 'ACCEPTED');
    // Two simple sells of the same 10 shares: Alpaca holds them for the first. Why lists held at Alpaca matter.
    await statusOf(h, 'B-1-SL-1', 'REJECTED');
    expect(posts().map((b) => [b['client_order_id'], b['order_class'], b['type']])).toEqual([
      ['B-1', 'simple', 'limit'],
      ['B-1-TP-1', 'simple', 'limit'],
      ['B-1-SL-1', 'simple', 'stop'],
    ]);
    const rejected = h.events.find((e) => e.kind === 'OrderRejected' && e.clientOrderId === 'B-1-SL-1');
    expect(rejected && 'reason' in rejected ? rejected.reason : '').toContain('insufficient qty available');
  });

  it('a bracket with a pair per partial fill (trigger PARTIAL) or an IOC entry stays emulated even at Alpaca', async () => {
    const h = await start();
    await h.emulator.submitBracket({ entry: order({ clientOrderId: 'P-1', type: 'LIMIT', price: '187.00' }), takeProfitPrice: '190.00', stopLossTriggerPrice: '185.00', trigger: 'PARTIAL' });
    await h.emulator.submitBracket({ entry: order({ clientOrderId: 'P-2', type: 'LIMIT', price: '186.00', timeInForce: 'DAY' }), takeProfitPrice: '190.00', stopLossTriggerPrice: '185.00', trigger: 'FULL' });
    await h.emulator.submitBracket({ entry: order({ clientOrderId: 'P-3', type: 'LIMIT', price: '187.45', timeInForce: 'IOC' }), takeProfitPrice: '190.00', stopLossTriggerPrice: '185.00' });
    await statusOf(h, 'P-1', 'ACCEPTED');
    await statusOf(h, 'P-3', 'FILLED');
    // P-3's children follow its fill, emulated, as simple orders.
    await statusOf(h, 'P-3-TP-1', 'ACCEPTED');
    expect(posts().map((b) => [b['client_order_id'], b['order_class']])).toEqual([
      ['P-1', 'simple'],
      ['P-2', 'bracket'],
      ['P-3', 'simple'],
      ['P-3-TP-1', 'simple'],
      ['P-3-SL-1', 'simple'],
    ]);
    expect(h.emulator.contingencies.watching()).toContain('P-1');
    expect(h.emulator.contingencies.watching()).not.toContain('P-2');
  });
});

describe('a node restart while the legs rest at Alpaca', () => {
  it('the take-profit fills while the node is down: on restart reconciliation books the fill once and the stop as canceled', async () => {
    const first = await start();
    await bracket(first);
    await statusOf(first, 'B-1-SL-1', 'ACCEPTED');
    server.market.print('AAPL', '187.00', '10');
    await statusOf(first, 'B-1', 'FILLED');
    await first.adapter.settled();
    await first.close();
    open.splice(0);

    // Down: Alpaca still holds the legs; the take-profit fills and Alpaca cancels the stop.
    server.market.print('AAPL', '190.00', '10');
    const legs = server.book.byClientId('B-1')!.legs.map((l) => server.book.orders.get(l)!.status);
    expect(legs).toEqual(['filled', 'canceled']);

    const second = await start({ journal: first.journal });
    const r = await reconcile(second.engine, second.executor);
    expect([r.halted, r.positionMismatches, r.ordersAdopted, r.neverReachedVenue]).toEqual([false, [], [], []]);
    expect([second.engine.order('B-1-TP-1')!.status, second.engine.order('B-1-SL-1')!.status]).toEqual(['FILLED', 'CANCELED']);
    const all = [...fillsOf(first), ...fillsOf(second)].map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString()]);
    expect(all).toEqual([
      ['B-1', '10', '187.00'],
      ['B-1-TP-1', '10', '190.00'],
    ]);
    expect(usd(second)).toBe('100030.00');
    // A second reconciliation finds nothing new.
    const again = await reconcile(second.engine, second.executor);
    expect(again.fillsSeen).toBe(r.fillsSeen);
    expect(fillsOf(second)).toHaveLength(1);
  });

  it('legs whose ids were never journaled (killed before Alpaca answered) are found through the parent on restart', async () => {
    const first = await start();
    // Alpaca places the list but its answer never arrives; the node dies then (its journal as it was).
    server.faults.submitTimeout({ placed: true });
    server.faults.muteStream(true);
    void bracket(first);
    await until(() => server.book.orders.size === 3, 'the list placed at Alpaca');
    const atKill = new MemoryJournal();
    for await (const r of first.journal.read(1)) atKill.append([r]);
    expect(['B-1', 'B-1-TP-1', 'B-1-SL-1'].map((id) => first.engine.order(id)!.status)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    await first.close();
    open.splice(0);
    server.faults.muteStream(false);
    server.market.print('AAPL', '187.00', '10');
    server.market.print('AAPL', '190.00', '10');

    const second = await start({ journal: atKill });
    const r = await reconcile(second.engine, second.executor);
    expect([r.halted, r.positionMismatches, r.ordersAdopted, r.neverReachedVenue]).toEqual([false, [], [], []]);
    expect(['B-1', 'B-1-TP-1', 'B-1-SL-1'].map((id) => second.engine.order(id)!.status)).toEqual(['FILLED', 'FILLED', 'CANCELED']);
    expect(fillsOf(second).map((f) => [f.clientOrderId, f.lastPx.toString()])).toEqual([
      ['B-1', '187.00'],
      ['B-1-TP-1', '190.00'],
    ]);
    expect(String(second.engine.order('B-1-SL-1')!.venueOrderId)).toBe(server.book.byClientId('B-1')!.legs[1]);
    expect(usd(second)).toBe('100030.00');
  });
});
