import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { Currencies } from '../../src/model/currency.ts';
import { clientOrderId } from '../../src/model/identifiers.ts';
import type { Command } from '../../src/engine/commands.ts';
import {
  BTC,
  ETH,
  FailingJournal,
  FailingVenue,
  HoldingVenue,
  MaxNotionalGate,
  ManualJournal,
  T0,
  asyncOf,
  kinds,
  limit,
  marketBuy,
  observe,
  recordsAfter,
  settle,
  setup,
  snapshot,
} from './fixtures.ts';

const usdt = (h: { engine: Engine }, account = 'ACC-1') => {
  const b = h.engine.portfolio.account(account as never).balance(Currencies.USDT);
  return { total: b.total.toDecimalString(), locked: b.locked.toDecimalString() };
};
const btc = (h: { engine: Engine }, account = 'ACC-1') => {
  const b = h.engine.portfolio.account(account as never).balance(Currencies.BTC);
  return { total: b.total.toDecimalString(), locked: b.locked.toDecimalString() };
};

describe('order lifecycle through the engine', () => {
  it('journals a market buy as Initialized, Submitted, Accepted, Filled with gap-free seq 1..9', async () => {
    const h = await setup();
    expect(h.engine.lastSeq).toBe(5); // 3 instruments + 2 accounts

    const result = await h.engine.submitOrder(marketBuy('O-1', '0.5'));

    expect(kinds(result.records)).toEqual(['OrderInitialized', 'OrderSubmitted']);
    expect(kinds(recordsAfter(h.journal, 5))).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    expect(h.journal.all().map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.engine.lastSeq).toBe(9);
    const o = h.engine.order('O-1');
    expect(o?.status).toBe('FILLED');
    expect(o?.filledQty.toString()).toBe('0.500');
    expect(o?.venueOrderId).toBe('BINANCE-1');
    expect(h.venue.calls).toEqual([{ kind: 'submit', clientOrderId: 'O-1' }]);
    // 1,000,000 − 0.5 × 24,100 − 0.1% taker fee (12.05)
    expect(usdt(h)).toEqual({ total: '987937.95000000', locked: '0.00000000' });
    expect(btc(h).total).toBe('10.50000000');
    const pos = h.engine.portfolio.openPositions();
    expect(pos.map((p) => [p.id, p.side, p.quantity.toString()])).toEqual([[`ACC-1/${BTC}/s1`, 'LONG', '0.500']]);
    expect(h.alerts).toEqual([]);
  });

  it('rests a limit buy, locks 0.2 × 24,000 = 4,800 USDT, then a 0.05 partial fill leaves 3,600 locked', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    const o = h.engine.order('L-1');
    expect(o?.status).toBe('ACCEPTED');
    expect(usdt(h)).toEqual({ total: '1000000.00000000', locked: '4800.00000000' });

    h.venue.fill('L-1', '0.05', '24000.00');
    await settle();

    expect(o?.status).toBe('PARTIALLY_FILLED');
    expect(o?.filledQty.toString()).toBe('0.050');
    expect(o?.leavesQty.toString()).toBe('0.150');
    // paid 1,200 + 2 bps maker fee 0.24; locked 0.15 × 24,000
    expect(usdt(h)).toEqual({ total: '998799.76000000', locked: '3600.00000000' });
    expect(kinds(recordsAfter(h.journal, 5))).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
  });

  it('modifies the price as OrderPendingUpdate then OrderUpdated and re-locks 0.15 × 23,950 = 3,592.50', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    h.venue.fill('L-1', '0.05', '24000.00');
    await settle();
    const before = h.engine.lastSeq;

    const r = await h.engine.modifyOrder('L-1', { price: '23950.00' });

    expect(kinds(r.records)).toEqual(['OrderPendingUpdate']);
    expect(kinds(recordsAfter(h.journal, before))).toEqual(['OrderPendingUpdate', 'OrderUpdated']);
    const o = h.engine.order('L-1');
    expect(o?.status).toBe('PARTIALLY_FILLED');
    expect(o?.price?.toString()).toBe('23950.00');
    expect(usdt(h).locked).toBe('3592.50000000');
    expect(h.venue.calls.map((c) => c.kind)).toEqual(['submit', 'modify']);
  });

  it('modifies the quantity up from 0.2 to 0.3 and locks the new 0.3 × 24,000 = 7,200', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    await h.engine.modifyOrder('L-1', { quantity: '0.3' });
    expect(h.engine.order('L-1')?.quantity.toString()).toBe('0.300');
    expect(usdt(h).locked).toBe('7200.00000000');
  });

  it('cancels as OrderPendingCancel then OrderCanceled, releases the lock and keeps the 0.05 filled', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    h.venue.fill('L-1', '0.05', '24000.00');
    await settle();
    const before = h.engine.lastSeq;

    const r = await h.engine.cancelOrder('L-1');

    expect(kinds(r.records)).toEqual(['OrderPendingCancel']);
    expect(kinds(recordsAfter(h.journal, before))).toEqual(['OrderPendingCancel', 'OrderCanceled']);
    const o = h.engine.order('L-1');
    expect(o?.status).toBe('CANCELED');
    expect(o?.filledQty.toString()).toBe('0.050');
    expect(h.engine.state.openOrders.has(clientOrderId('L-1'))).toBe(false);
    expect(usdt(h).locked).toBe('0.00000000');
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.050');
  });

  it('a resting sell on a CASH spot account locks its 0.3 BTC and releases it on cancel', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('S-1', 'SELL', '0.3', '25000.00'));
    expect(btc(h)).toEqual({ total: '10.00000000', locked: '0.30000000' });
    await h.engine.cancelOrder('S-1');
    expect(btc(h)).toEqual({ total: '10.00000000', locked: '0.00000000' });
  });

  it('QueryOrder returns the order and journals nothing; an unknown id is UNKNOWN_ORDER', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    const before = h.engine.lastSeq;
    const r = await h.engine.execute({ kind: 'QueryOrder', clientOrderId: 'L-1' });
    expect(r.records).toEqual([]);
    expect(r.orders.map((o) => [o.clientOrderId, o.status])).toEqual([['L-1', 'ACCEPTED']]);
    expect(h.engine.lastSeq).toBe(before);
    await expect(h.engine.execute({ kind: 'QueryOrder', clientOrderId: 'NOPE' })).rejects.toMatchObject({ code: 'UNKNOWN_ORDER' });
  });
});

describe('CancelAllOrders', () => {
  /** A: BTC buy ACC-1 s1; B: BTC sell ACC-1 s2; C: ETH buy ACC-1 s1; D: BTC buy ACC-2 s1; E: filled market (not open). */
  async function fourResting() {
    const h = await setup();
    await h.engine.submitOrder(limit('A', 'BUY', '0.1', '24000.00'));
    await h.engine.submitOrder(limit('B', 'SELL', '0.1', '25000.00', { strategyId: 's2' }));
    await h.engine.submitOrder(limit('C', 'BUY', '1', '1500.00', { instrumentId: ETH }));
    await h.engine.submitOrder(limit('D', 'BUY', '0.1', '24000.00', { accountId: 'ACC-2' }));
    await h.engine.submitOrder(marketBuy('E', '0.1'));
    return h;
  }

  const cases: [string, Omit<Extract<Command, { kind: 'CancelAllOrders' }>, 'kind'>, string[]][] = [
    ['no filter cancels every open order', {}, ['A', 'B', 'C', 'D']],
    ['instrument ETHUSDT cancels only C', { instrumentId: ETH }, ['C']],
    ['account ACC-2 cancels only D', { accountId: 'ACC-2' }, ['D']],
    ['strategy s2 cancels only B', { strategyId: 's2' }, ['B']],
    ['side SELL cancels only B', { side: 'SELL' }, ['B']],
    ['instrument BTCUSDT + side BUY + account ACC-1 cancels only A', { instrumentId: BTC, side: 'BUY', accountId: 'ACC-1' }, ['A']],
    ['a filter nothing matches cancels nothing and journals nothing', { strategyId: 'nobody' }, []],
  ];

  it.each(cases)('%s', async (_name, filter, expected) => {
    const h = await fourResting();
    const before = h.engine.lastSeq;
    const r = await h.engine.execute({ kind: 'CancelAllOrders', ...filter });
    expect(r.orders.map((o) => o.clientOrderId).sort()).toEqual(expected);
    expect(r.records.map((x) => [x.event.kind, 'clientOrderId' in x.event ? x.event.clientOrderId : ''])).toEqual(
      expected.map((id) => ['OrderPendingCancel', id]),
    );
    expect(h.engine.lastSeq).toBe(before + 2 * expected.length);
    for (const id of ['A', 'B', 'C', 'D']) {
      expect(h.engine.order(id)?.status).toBe(expected.includes(id) ? 'CANCELED' : 'ACCEPTED');
    }
    expect(h.engine.order('E')?.status).toBe('FILLED');
    expect(h.venue.calls.filter((c) => c.kind === 'cancel').map((c) => c.clientOrderId).sort()).toEqual(expected);
  });
});

describe('SubmitOrderList', () => {
  const list = (ids: string[], qty = '0.1') => ids.map((id) => limit(id, 'BUY', qty, '24000.00'));

  it('submits every order of the list with the list id on each spec', async () => {
    const h = await setup();
    const r = await h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'LIST-1', orders: list(['L-1', 'L-2', 'L-3']) });
    expect(kinds(r.records)).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderInitialized', 'OrderSubmitted', 'OrderInitialized', 'OrderSubmitted']);
    expect(r.denied).toEqual([]);
    expect(r.orders.map((o) => [o.clientOrderId, o.status, o.spec.orderListId])).toEqual([
      ['L-1', 'ACCEPTED', 'LIST-1'],
      ['L-2', 'ACCEPTED', 'LIST-1'],
      ['L-3', 'ACCEPTED', 'LIST-1'],
    ]);
    expect(h.venue.calls.map((c) => c.clientOrderId)).toEqual(['L-1', 'L-2', 'L-3']);
    expect(usdt(h).locked).toBe('7200.00000000');
  });

  it('a gate that denies one order (0.5 × 24,000 > 10,000) denies all three with OrderDenied and calls no venue', async () => {
    const h = await setup({ gate: new MaxNotionalGate(10_000) });
    const orders = [limit('L-1', 'BUY', '0.1', '24000.00'), limit('L-2', 'BUY', '0.5', '24000.00'), limit('L-3', 'BUY', '0.1', '24000.00')];
    const r = await h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'LIST-1', orders });

    expect(r.records.map((x) => x.event.kind)).toEqual([
      'OrderInitialized', 'OrderDenied', 'OrderInitialized', 'OrderDenied', 'OrderInitialized', 'OrderDenied',
    ]);
    const denials = r.records.flatMap((x) => (x.event.kind === 'OrderDenied' ? [[x.event.clientOrderId, x.event.code]] : []));
    expect(denials).toEqual([
      ['L-1', 'MAX_ORDER_NOTIONAL_EXCEEDED'],
      ['L-2', 'MAX_ORDER_NOTIONAL_EXCEEDED'],
      ['L-3', 'MAX_ORDER_NOTIONAL_EXCEEDED'],
    ]);
    expect(r.denied.map((d) => [d.clientOrderId, d.code])).toEqual(denials);
    expect(r.orders.map((o) => o.status)).toEqual(['DENIED', 'DENIED', 'DENIED']);
    expect(h.venue.calls).toEqual([]);
    expect(usdt(h).locked).toBe('0.00000000');
    expect(h.engine.state.openOrders.size).toBe(0);
  });

  it('invalid input in the third order rejects the whole list and journals nothing', async () => {
    const h = await setup();
    const before = observe(h);
    const orders = [...list(['L-1', 'L-2']), limit('L-3', 'BUY', '0.003', '24000.00')];
    await expect(h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'LIST-1', orders })).rejects.toMatchObject({ code: 'OFF_LOT_GRID' });
    expect(observe(h)).toEqual(before);
  });

  it('a client order id repeated inside the list is DUPLICATE_CLIENT_ORDER_ID and journals nothing', async () => {
    const h = await setup();
    const before = observe(h);
    await expect(h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'LIST-1', orders: list(['L-1', 'L-1']) })).rejects.toMatchObject({
      code: 'DUPLICATE_CLIENT_ORDER_ID',
    });
    expect(observe(h)).toEqual(before);
  });

  it('an empty list is INVALID_FIELD naming orders', async () => {
    const h = await setup();
    const before = observe(h);
    await expect(h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'LIST-1', orders: [] })).rejects.toMatchObject({
      code: 'INVALID_FIELD',
      context: { field: 'orders' },
    });
    expect(observe(h)).toEqual(before);
  });
});

describe('a command resolves only after its events are durable', () => {
  it('holds the venue call and the result until the journal append resolves', async () => {
    const journal = new ManualJournal();
    const h = await setup({ journal });
    journal.hold = true;
    const records: number[] = [];
    h.engine.bus.subscribe('record', (r) => records.push(r.seq));

    let resolved = false;
    const p = h.engine.submitOrder(marketBuy('O-1', '0.5')).then((r) => {
      resolved = true;
      return r;
    });
    await settle();
    await settle();

    expect(resolved).toBe(false);
    expect(h.venue.calls).toEqual([]);
    expect(journal.all().length).toBe(5);
    expect(journal.pendingCount).toBe(1);
    expect(records).toEqual([]);

    await journal.release();
    const r = await p;
    expect(resolved).toBe(true);
    expect(r.records.map((x) => x.seq)).toEqual([6, 7]);
    expect(h.venue.calls).toEqual([{ kind: 'submit', clientOrderId: 'O-1' }]);
    expect(records).toEqual([6, 7]);
    // The venue's Accepted and Filled reports (one append each) now wait on the journal in turn.
    expect(journal.pendingCount).toBe(2);
    expect(records).toEqual([6, 7]);
    await journal.release();
    await settle();
    expect(journal.all().map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(records).toEqual([6, 7, 8, 9]);
  });

  it('a failed append stops the engine: the caller gets a typed error, later commands get ENGINE_STOPPED, the venue sees nothing', async () => {
    const journal = new FailingJournal();
    const h = await setup({ journal });
    journal.failing = true;

    const first = await h.engine.submitOrder(marketBuy('O-1', '0.5')).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'ENGINE_STOPPED' });
    expect(h.engine.isStopped).toBe(true);
    expect(h.alerts.map((a) => a.code)).toEqual(['ENGINE_STOPPED']);
    expect(h.alerts[0]?.ts).toBe(T0);

    journal.failing = false; // even with the disk back, the engine does not resume on its own
    await expect(h.engine.submitOrder(marketBuy('O-2', '0.5'))).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
    await expect(h.engine.cancelOrder('O-1')).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
    await expect(h.engine.registerInstrument({ ...{ id: 'SOLUSDT.BINANCE', kind: 'SPOT', base: Currencies.ETH, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.01' } })).rejects.toMatchObject({
      code: 'ENGINE_STOPPED',
    });
    expect(h.venue.calls).toEqual([]);
    expect(journal.all().length).toBe(5);
  });

  it('a stopped engine drops venue reports with REPORT_DROPPED and journals nothing', async () => {
    const journal = new FailingJournal();
    const h = await setup({ journal });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    const len = journal.all().length;
    journal.failing = true;
    await expect(h.engine.submitOrder(limit('L-2', 'BUY', '0.1', '24000.00'))).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
    h.venue.fill('L-1', '0.1', '24000.00');
    await settle();
    expect(h.alerts.map((a) => a.code)).toEqual(['ENGINE_STOPPED', 'REPORT_DROPPED']);
    expect(journal.all().length).toBe(len);
  });
});

describe('pre-trade gate', () => {
  it('a denial (0.5 × 24,000 = 12,000 > 10,000) is journaled as OrderDenied with its code and the venue is never called', async () => {
    const gate = new MaxNotionalGate(10_000);
    const h = await setup({ gate });
    const r = await h.engine.submitOrder(limit('L-1', 'BUY', '0.5', '24000.00'));

    expect(kinds(r.records)).toEqual(['OrderInitialized', 'OrderDenied']);
    const denied = r.records[1]?.event;
    expect(denied).toMatchObject({ kind: 'OrderDenied', code: 'MAX_ORDER_NOTIONAL_EXCEEDED', context: { notional: 12000, limit: 10000 } });
    expect(r.denied).toEqual([{ clientOrderId: 'L-1', code: 'MAX_ORDER_NOTIONAL_EXCEEDED', reason: 'notional 12000 exceeds 10000' }]);
    expect(h.engine.order('L-1')?.status).toBe('DENIED');
    expect(h.venue.calls).toEqual([]);
    expect(usdt(h).locked).toBe('0.00000000');
    expect(gate.seen.map((s) => s.kind)).toEqual(['submit']);
  });

  it('allows 0.4 × 24,000 = 9,600 under the same 10,000 limit', async () => {
    const h = await setup({ gate: new MaxNotionalGate(10_000) });
    const r = await h.engine.submitOrder(limit('L-1', 'BUY', '0.4', '24000.00'));
    expect(r.denied).toEqual([]);
    expect(h.engine.order('L-1')?.status).toBe('ACCEPTED');
  });

  it('a denied modify (0.4 → 0.5 at 24,000) is journaled as OrderModifyRejected and leaves the order as it was', async () => {
    const h = await setup({ gate: new MaxNotionalGate(10_000) });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.4', '24000.00'));
    const before = h.engine.lastSeq;

    const r = await h.engine.modifyOrder('L-1', { quantity: '0.5' });

    expect(kinds(recordsAfter(h.journal, before))).toEqual(['OrderModifyRejected']);
    expect(r.records[0]?.event).toMatchObject({ kind: 'OrderModifyRejected', reason: 'MAX_ORDER_NOTIONAL_EXCEEDED: notional 12000 exceeds 10000' });
    expect(r.denied).toEqual([{ clientOrderId: 'L-1', code: 'MAX_ORDER_NOTIONAL_EXCEEDED', reason: 'notional 12000 exceeds 10000' }]);
    const o = h.engine.order('L-1');
    expect(o?.status).toBe('ACCEPTED');
    expect(o?.quantity.toString()).toBe('0.400');
    expect(usdt(h).locked).toBe('9600.00000000');
    expect(h.venue.calls.map((c) => c.kind)).toEqual(['submit']);
  });
});

describe('venue reports', () => {
  it('the same fill delivered twice (same trade id) is counted once', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    const fill = {
      kind: 'OrderFilled', clientOrderId: clientOrderId('L-1'), tradeId: 'T-1' as never, lastQty: '0.1', lastPx: '24000.00', liquidity: 'MAKER', ts: T0,
    } as const;
    h.venue.emit(fill);
    await settle();
    const after1 = { seq: h.engine.lastSeq, snap: snapshot(h.engine) };

    h.venue.emit(fill);
    await settle();

    expect(h.engine.lastSeq).toBe(after1.seq);
    expect(snapshot(h.engine)).toEqual(after1.snap);
    expect(h.engine.order('L-1')?.filledQty.toString()).toBe('0.100');
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.100');
    expect(h.alerts).toEqual([]);
  });

  it('an overfill (0.3 on a 0.2 order) is refused by default: OVERFILL alert, nothing journaled', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    const before = observe(h);
    h.venue.fill('L-1', '0.3', '24000.00');
    await settle();
    expect(h.alerts.map((a) => a.code)).toEqual(['OVERFILL']);
    expect(observe(h)).toEqual(before);
    expect(h.engine.isStopped).toBe(false);
  });

  it("with overfillPolicy 'RECORD' the 0.3 fill on a 0.2 order is applied and 0.1 overfill recorded", async () => {
    const h = await setup({ overfillPolicy: 'RECORD' });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    h.venue.fill('L-1', '0.3', '24000.00');
    await settle();
    const o = h.engine.order('L-1');
    expect(o?.status).toBe('FILLED');
    expect(o?.filledQty.toString()).toBe('0.300');
    expect(o?.overfilledQty?.toString()).toBe('0.100');
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.300');
    expect(kinds(h.journal.all()).at(-1)).toBe('OrderFilled');
    expect(h.alerts).toEqual([]);
  });

  it('a fill arriving while the cancel is pending is applied and the position is right; the cancel then completes', async () => {
    const h = await setup({ venue: (clock, m) => new HoldingVenue({ id: 'BINANCE', clock, marketPrice: () => m.last }) });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    await h.engine.cancelOrder('L-1');
    const o = h.engine.order('L-1');
    expect(o?.status).toBe('PENDING_CANCEL');

    h.venue.fill('L-1', '0.05', '24000.00');
    await settle();
    expect(o?.status).toBe('PENDING_CANCEL');
    expect(o?.filledQty.toString()).toBe('0.050');
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.050');
    expect(usdt(h).locked).toBe('3600.00000000');

    h.venue.emit({ kind: 'OrderCanceled', clientOrderId: clientOrderId('L-1'), ts: T0 });
    await settle();
    expect(o?.status).toBe('CANCELED');
    expect(usdt(h).locked).toBe('0.00000000');
    expect(kinds(recordsAfter(h.journal, 5))).toEqual([
      'OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderPendingCancel', 'OrderFilled', 'OrderCanceled',
    ]);
  });

  it('a fill that completes the order during the pending cancel makes it FILLED; the cancel reject that follows leaves it FILLED', async () => {
    const h = await setup({ venue: (clock, m) => new HoldingVenue({ id: 'BINANCE', clock, marketPrice: () => m.last }) });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    await h.engine.cancelOrder('L-1');
    h.venue.fill('L-1', '0.2', '24000.00');
    h.venue.emit({ kind: 'OrderCancelRejected', clientOrderId: clientOrderId('L-1'), reason: 'too late to cancel', ts: T0 });
    await settle();
    expect(h.engine.order('L-1')?.status).toBe('FILLED');
    expect(kinds(h.journal.all()).slice(-2)).toEqual(['OrderFilled', 'OrderCancelRejected']);
    expect(h.alerts).toEqual([]);
  });

  it('a late fill after CANCELED is applied to the position and the order stays CANCELED', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    await h.engine.cancelOrder('L-1');
    const seq = h.engine.lastSeq;

    h.venue.fill('L-1', '0.1', '24000.00');
    await settle();

    const o = h.engine.order('L-1');
    expect(o?.status).toBe('CANCELED');
    expect(o?.lateFill).toBe(true);
    expect(o?.filledQty.toString()).toBe('0.100');
    expect(h.engine.lastSeq).toBe(seq + 1);
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.100');
    expect(usdt(h)).toEqual({ total: '997599.52000000', locked: '0.00000000' }); // − 2,400 − 0.48 fee
  });

  it('a report for an order the engine does not know is alerted and not journaled', async () => {
    const h = await setup();
    const before = observe(h);
    h.venue.emit({ kind: 'OrderAccepted', clientOrderId: clientOrderId('GHOST-1'), venueOrderId: 'V-9' as never, ts: T0 });
    await settle();
    expect(h.alerts.map((a) => [a.code, a.context.kind])).toEqual([['UNKNOWN_ORDER', 'OrderAccepted']]);
    expect(observe(h)).toEqual(before);
  });

  it('an illegal report (OrderAccepted for a FILLED order) is alerted and changes nothing', async () => {
    const h = await setup();
    await h.engine.submitOrder(marketBuy('O-1', '0.5'));
    const before = observe(h);
    h.venue.emit({ kind: 'OrderAccepted', clientOrderId: clientOrderId('O-1'), venueOrderId: 'OTHER-7' as never, ts: T0 });
    await settle();
    expect(h.alerts.map((a) => a.code)).toEqual(['ILLEGAL_TRANSITION']);
    expect(observe(h)).toEqual(before);
    expect(h.engine.order('O-1')?.venueOrderId).toBe('BINANCE-1');
    expect(h.engine.isStopped).toBe(false);
  });

  it('a fill off the lot grid (0.003) from the venue is alerted, never rounded', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    const before = observe(h);
    h.venue.fill('L-1', '0.003', '24000.00');
    await settle();
    expect(h.alerts.map((a) => a.code)).toEqual(['OFF_LOT_GRID']);
    expect(observe(h)).toEqual(before);
  });

  it.each(['throw', 'reject'] as const)('a venue submit that fails (%s) alerts VENUE_CALL_FAILED and the order stays SUBMITTED', async (mode) => {
    const h = await setup({ venue: (clock) => new FailingVenue({ id: 'BINANCE', clock }, mode) });
    const r = await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    await settle();
    expect(r.orders[0]?.status).toBe('SUBMITTED');
    expect(h.alerts.map((a) => [a.code, a.context.clientOrderId, a.context.venue])).toEqual([['VENUE_CALL_FAILED', 'L-1', 'BINANCE']]);
    expect(h.engine.order('L-1')?.status).toBe('SUBMITTED');
    expect(kinds(recordsAfter(h.journal, 5))).toEqual(['OrderInitialized', 'OrderSubmitted']);
    // Still open: the lock stays, and it can be canceled (reconciliation settles it).
    expect(usdt(h).locked).toBe('4800.00000000');
    expect(h.engine.isStopped).toBe(false);
  });
});

describe('Engine.fromJournal', () => {
  async function scenario() {
    const h = await setup();
    await h.engine.submitOrder(marketBuy('O-1', '0.5'));
    h.clock.advance(60_000);
    await h.engine.submitOrder(limit('L-1', 'SELL', '0.3', '24500.00'));
    h.venue.fill('L-1', '0.1', '24500.00');
    await h.engine.modifyOrder('L-1', { price: '24600.00' });
    await h.engine.submitOrder(limit('L-2', 'BUY', '0.2', '23000.00', { accountId: 'ACC-2', strategyId: 's2' }));
    await h.engine.cancelOrder('L-1');
    h.venue.fill('L-1', '0.05', '24600.00'); // late fill
    h.market.last = '24350.50';
    await h.engine.submitOrder(marketBuy('O-2', '0.25'));
    await settle();
    return h;
  }

  it('rebuilds exactly the same orders, positions and balances', async () => {
    const h = await scenario();
    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock });
    expect(snapshot(replayed)).toEqual(snapshot(h.engine));
    expect(replayed.lastSeq).toBe(h.journal.all().length);
    expect(replayed.order('L-1')?.lateFill).toBe(true);
    expect(usdt({ engine: replayed }, 'ACC-2').locked).toBe('4600.00000000');
  });

  it('continues appending at lastSeq + 1', async () => {
    const h = await scenario();
    const n = h.journal.all().length;
    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock });
    const { ScriptedVenue } = await import('../../src/venues/scripted/scripted-venue.ts');
    replayed.addVenue(new ScriptedVenue({ id: 'BINANCE', clock: h.clock, marketPrice: () => '24000.00' }));
    const r = await replayed.submitOrder(marketBuy('O-3', '0.1'));
    expect(r.records.map((x) => x.seq)).toEqual([n + 1, n + 2]);
    expect(h.journal.all().map((x) => x.seq)).toEqual(Array.from({ length: n + 4 }, (_, i) => i + 1));
    // a client order id from before the restart is still a duplicate
    await expect(replayed.submitOrder(marketBuy('O-1', '0.1'))).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID' });
  });

  it('refuses a journal with a gap in the sequence as JOURNAL_CORRUPT', async () => {
    const h = await scenario();
    const records = h.journal.all();
    const gappy = {
      lastSeq: () => records.length,
      append: () => Promise.resolve(),
      close: () => Promise.resolve(),
      read: () => asyncOf(records.filter((r) => r.seq !== 7)),
    };
    await expect(Engine.fromJournal(gappy, { clock: h.clock })).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT', context: { expected: 7, actual: 8 } });
  });

  it('refuses a journal holding an event that cannot be applied as JOURNAL_CORRUPT', async () => {
    const h = await scenario();
    const records = [...h.journal.all()];
    const bad = { seq: records.length + 1, event: { kind: 'OrderAccepted', clientOrderId: clientOrderId('O-1'), venueOrderId: 'X' as never, tsEvent: T0, tsInit: T0 } } as const;
    const journal = {
      lastSeq: () => records.length + 1,
      append: () => Promise.resolve(),
      close: () => Promise.resolve(),
      read: () => asyncOf([...records, bad]),
    };
    await expect(Engine.fromJournal(journal, { clock: h.clock })).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT', context: { seq: records.length + 1 } });
  });
});

describe('retention of closed orders', () => {
  it('with retainClosedOrders 5, after 20 filled orders 5 remain in memory and the journal keeps all 80 order events', async () => {
    const h = await setup({ retainClosedOrders: 5 });
    for (let i = 1; i <= 20; i++) await h.engine.submitOrder(marketBuy(`O-${i}`, '0.01'));
    expect([...h.engine.state.orders.keys()]).toEqual(['O-16', 'O-17', 'O-18', 'O-19', 'O-20']);
    expect(h.journal.all().length).toBe(5 + 20 * 4);
    expect(kinds(recordsAfter(h.journal, 5)).filter((k) => k === 'OrderFilled').length).toBe(20);
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.200');

    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock, retainClosedOrders: 5 });
    expect(snapshot(replayed)).toEqual(snapshot(h.engine));
  });

  it('keeps open orders regardless of the window', async () => {
    const h = await setup({ retainClosedOrders: 2 });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    for (let i = 1; i <= 5; i++) await h.engine.submitOrder(marketBuy(`O-${i}`, '0.01'));
    expect([...h.engine.state.orders.keys()]).toEqual(['L-1', 'O-4', 'O-5']);
  });
});

describe('clock', () => {
  it('stamps events with the injected clock time', async () => {
    const h = await setup();
    h.clock.advance(1_500);
    await h.engine.submitOrder(marketBuy('O-1', '0.5'));
    const evs = recordsAfter(h.journal, 5).map((r) => r.event.tsInit);
    expect(evs).toEqual([T0 + 1_500, T0 + 1_500, T0 + 1_500, T0 + 1_500]);
  });
});
