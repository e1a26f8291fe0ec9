/**
 * FAULTS 25 at IB: the node stops (its adapter and engine gone), IB goes on trading its orders;
 * a new engine recovered from the journal and a new adapter under the same client id find the
 * orders again by IB order id and orderRef, and reconciliation brings in what happened meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { tradeId } from '../../../src/model/identifiers.ts';
import { startFakeIbkr, type FakeTws } from '../../support/fake-ibkr/server.ts';
import { AAPL, busts, connectHarness, fills, position, statusOf, type Harness } from './harness.ts';

let tws: FakeTws;
let first: Harness;
let second: Harness | undefined;

beforeEach(async () => {
  tws = await startFakeIbkr();
  tws.book.quote('AAPL', 150.24, 150.26);
  first = await connectHarness(tws);
});

afterEach(async () => {
  await second?.close();
  second = undefined;
  await tws.close();
  expect(tws.malformed).toEqual([]);
});

const rest = (h: Harness, id: string, price: string, quantity: string) =>
  h.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'LIMIT', quantity, price, timeInForce: 'GTC' });

describe('IBKR after a node restart', () => {
  it('fills and a cancel that happened while the node was down are reconciled once, by orderRef and IB order id', async () => {
    await rest(first, 'a-1', '150.00', '100');
    await rest(first, 'a-2', '149.00', '50');
    await rest(first, 'a-3', '148.00', '30');
    await statusOf(first, 'a-1', 'ACCEPTED');
    await statusOf(first, 'a-2', 'ACCEPTED');
    await statusOf(first, 'a-3', 'ACCEPTED');
    tws.book.trade('AAPL', 150, 40);
    await statusOf(first, 'a-1', 'PARTIALLY_FILLED');
    await first.close(); // the node is gone

    tws.book.trade('AAPL', 150, 60); // a-1 fills the rest
    tws.book.trade('AAPL', 149, 20); // a-2 partly
    const a3 = [...tws.book.orders.values()].find((o) => o.orderRef === 'a-3')!;
    tws.book.cancel(a3.orderId, 7); // canceled in TWS meanwhile

    second = await connectHarness(tws, { journal: first.journal });
    const r = await reconcile(second.engine, second.executor);
    expect(r.halted).toBe(false);
    await statusOf(second, 'a-1', 'FILLED');
    await statusOf(second, 'a-2', 'PARTIALLY_FILLED');
    await statusOf(second, 'a-3', 'CANCELED');
    const all = [...first.events, ...second.events].flatMap((e) => (e.kind === 'OrderFilled' ? [`${e.clientOrderId} ${e.lastQty.toString()} ${e.tradeId}`] : []));
    expect(new Set(all).size).toBe(all.length);
    expect(second.engine.order('a-1')!.filledQty.toString()).toBe('100');
    expect(second.engine.order('a-2')!.filledQty.toString()).toBe('20');
    expect(position(second)).toBe('120');
    expect(fills(second).map(([id, q]) => `${id} ${q}`).sort()).toEqual(['a-1 60', 'a-2 20']);
  }, 20_000);

  it('an order journaled whose submit never got an answer is found by orderRef after the restart', async () => {
    tws.faults.swallowReplies('placeOrder');
    await rest(first, 'b-1', '149.50', '10');
    await first.close(); // before the executor could settle it
    tws.book.trade('AAPL', 149.5, 10);
    second = await connectHarness(tws, { journal: first.journal });
    await reconcile(second.engine, second.executor);
    await statusOf(second, 'b-1', 'FILLED');
    expect(fills(second)).toEqual([['b-1', '10', '149.50']]);
  }, 20_000);
  it('FAULTS 19 across a restart: IB corrected a fill while the node was down; reconciliation busts it and books the correction, once', async () => {
    await rest(first, 'c-1', '150.00', '100');
    await statusOf(first, 'c-1', 'ACCEPTED');
    tws.book.trade('AAPL', 150, 100);
    await statusOf(first, 'c-1', 'FILLED');
    await first.close();

    const original = tws.book.executions[0]!;
    const corrected = tws.book.correct(original.execId, { shares: 100, price: 149.9 });
    second = await connectHarness(tws, { journal: first.journal });
    const r = await reconcile(second.engine, second.executor);
    expect(r.halted).toBe(false);
    expect(busts(second)).toEqual([['c-1', '100', '150.00', original.execId]]);
    expect(fills(second)).toEqual([['c-1', '100', '149.90']]);
    // Again, and the execution stream replayed to the new adapter: nothing more.
    expect((await reconcile(second.engine, second.executor)).halted).toBe(false);
    tws.faults.replayExecutions();
    await second.adapter.settled();
    await new Promise((res) => setTimeout(res, 200));
    expect(busts(second)).toHaveLength(1);
    expect(fills(second)).toHaveLength(1);
    const o = second.engine.order('c-1')!;
    expect([o.status, o.filledQty.toString(), o.hasTrade(tradeId(original.execId)), o.hasTrade(tradeId(corrected.execId))]).toEqual(['FILLED', '100', true, true]);
    expect(position(second)).toBe('100');
  }, 20_000);

  it('FAULTS 19 across a restart, the original fill missed too: both revisions listed, booked once on the corrected terms whichever read (the reconciliation fill history or the adapter fetch) comes first', async () => {
    await rest(first, 'c-2', '150.00', '50');
    await statusOf(first, 'c-2', 'ACCEPTED');
    await first.close();
    tws.book.trade('AAPL', 150, 50);
    const original = tws.book.executions[0]!;
    tws.book.correct(original.execId, { shares: 50, price: 149.8 });
    second = await connectHarness(tws, { journal: first.journal });
    expect((await reconcile(second.engine, second.executor)).halted).toBe(false);
    await statusOf(second, 'c-2', 'FILLED');
    expect(second.engine.order('c-2')!.filledQty.toString()).toBe('50');
    expect(position(second)).toBe('50');
    expect(second.engine.order('c-2')!.avgPx).toBe(149.8);
    expect(busts(second)).toEqual([['c-2', '50', '150.00', original.execId]]);
    expect(fills(second)).toEqual([['c-2', '50', '150.00'], ['c-2', '50', '149.80']]);
  }, 20_000);
});
