/**
 * FAULTS 25 at IB: the node stops (its adapter and engine gone), IB goes on trading its orders;
 * a new engine recovered from the journal and a new adapter under the same client id find the
 * orders again by IB order id and orderRef, and reconciliation brings in what happened meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { startFakeIbkr, type FakeTws } from '../../support/fake-ibkr/server.ts';
import { AAPL, connectHarness, fills, position, statusOf, type Harness } from './harness.ts';

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
});
