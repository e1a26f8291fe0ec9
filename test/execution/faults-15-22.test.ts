/**
 * FAULTS.md items 15 to 22, end to end: Engine -> Executor (PAPER) -> FaultInjectingVenue ->
 * SimulatedExchange, on one TestClock. Every case ends with the three promises FAULTS makes
 * (`faultsPromise`): no order sent twice to the venue, no fill lost or counted twice, and our
 * position equal to the venue's; plus what the item itself promises.
 */
import { describe, expect, it } from 'vitest';
import { OrderEmulator } from '../../src/execution/emulation/emulator.ts';
import type { PreTradeGate } from '../../src/engine/gate.ts';
import type { MemoryJournal } from '../../src/engine/journal.ts';
import type { ReconcileReport } from '../../src/engine/reconcile.ts';
import type { SubmitRequest, VenueCapabilities } from '../../src/engine/venue.ts';
import { guardConnection } from '../../src/execution/connection-guard.ts';
import type { ExecutorOptions } from '../../src/execution/executor.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import { RiskGate } from '../../src/risk/gate/index.ts';
import type { FaultInjectingVenueOptions } from '../../src/venues/sim/faults/index.ts';
import { executionSetup, GUARD_LIMITS, ID, type ExecutionRig } from './setup.ts';

/**
 * The rig, instrumented: every submit that reaches the exchange is counted per client order id
 * (the exchange itself would refuse a second one as DUPLICATE_CLIENT_ORDER_ID, which would hide a
 * resend, so it is counted before that), and every order's filled quantity is recorded after each
 * order event, so a step backwards is seen even if a later event hides it.
 */
async function faultsRig(execOpts: Partial<ExecutorOptions> = {}, faultOpts: FaultInjectingVenueOptions = {}, gate?: PreTradeGate) {
  const r = await executionSetup(execOpts, faultOpts, gate);
  const placed = new Map<string, number>();
  const inner = r.ex.submit.bind(r.ex);
  r.ex.submit = (req: SubmitRequest) => {
    placed.set(req.spec.clientOrderId, (placed.get(req.spec.clientOrderId) ?? 0) + 1);
    inner(req);
  };
  const filledTrail = new Map<string, string[]>();
  const backwards: string[] = [];
  const last = new Map<string, bigint>();
  r.engine.bus.subscribe('order', (e) => {
    const o = r.engine.order(e.clientOrderId);
    const q = o?.filledQty.raw ?? 0n;
    // A bust is the one event that takes filled quantity back (FAULTS 19); anything else doing so is a bug.
    if (e.kind !== 'OrderFillBusted' && q < (last.get(e.clientOrderId) ?? 0n)) backwards.push(`${e.clientOrderId} ${e.kind}`);
    last.set(e.clientOrderId, q);
    filledTrail.set(e.clientOrderId, [...(filledTrail.get(e.clientOrderId) ?? []), o?.filledQty.toString() ?? '-']);
  });
  /** The attempts of one order's nth execution, as `what outcome +ms since t0`. */
  const attempts = (id: string, n: number, t0: number) => r.executor.executions(id)[n]?.attempts.map((a) => `${a.what} ${a.outcome} +${a.ts - t0}`) ?? [];
  const reasons = (id: string, kind: string) => r.events.filter((e) => e.clientOrderId === id && e.kind === kind).map((e) => ('reason' in e ? e.reason : ''));
  const fillsOf = (id: string) => r.events.filter((e) => e.clientOrderId === id && e.kind === 'OrderFilled').map((e) => (e.kind === 'OrderFilled' ? `${e.lastQty.toString()}@${e.lastPx.toString()}` : ''));
  return { ...r, placed, filledTrail, backwards, attempts, reasons, fillsOf };
}
type Rig = Awaited<ReturnType<typeof faultsRig>>;

/**
 * What FAULTS promises after every venue fault, checked against the exchange's own books:
 * - no duplicate order: no client order id reached the exchange twice;
 * - no lost fill: the engine's fills (less those busted) are the venue's fill history, trade id by
 *   trade id, and every order's filled quantity is the venue's;
 * - nothing orphaned: the orders open at the venue are exactly those open in the engine;
 * - positions right: the engine's position is the venue's;
 * - filled quantity never went backwards except on a bust.
 */
async function faultsPromise(r: Rig): Promise<void> {
  expect([...r.placed].filter(([, n]) => n > 1), 'an order reached the venue twice').toEqual([]);
  const busted = new Set(r.events.flatMap((e) => (e.kind === 'OrderFillBusted' ? [e.tradeId as string] : [])));
  const ours = r.events
    .flatMap((e) => (e.kind === 'OrderFilled' && !busted.has(e.tradeId) ? [`${e.clientOrderId} ${e.tradeId} ${e.lastQty.toString()}@${e.lastPx.toString()}`] : []))
    .sort();
  const theirs = (await r.ex.queries.fillsSince(0)).map((f) => `${f.clientOrderId} ${f.tradeId} ${f.lastQty.toString()}@${f.lastPx.toString()}`).sort();
  expect(ours, 'engine fills vs venue fills').toEqual(theirs);
  for (const id of r.placed.keys()) {
    const v = await r.ex.queries.orderStatus(id as never);
    expect(r.engine.order(id)?.filledQty.toString(), `${id} filled quantity`).toBe(v?.filledQty.toString());
  }
  const openHere = [...r.engine.openOrders()].map((o) => o.clientOrderId as string).sort();
  const openThere = (await r.ex.queries.openOrders()).map((s) => s.clientOrderId as string).sort();
  expect(openHere, 'open orders: engine vs venue').toEqual(openThere);
  expect(r.position()).toBe(await r.venuePosition());
  expect(r.backwards, 'filled quantity went backwards').toEqual([]);
  expect(r.alerts.map((a) => a.code)).not.toContain('ILLEGAL_TRANSITION');
  expect(r.alerts.map((a) => a.code)).not.toContain('OVERFILL');
}

/** A trade print at the exchange of `size` (the most we can take from it) and a last price for the engine; no timers run. */
function print(r: ExecutionRig, price: string, size: string): void {
  r.ex.onTrade(r.inst, r.inst.price(price), size);
  r.engine.updateMarket(ID, { last: r.inst.price(price) });
}

describe('FAULTS 15: submit times out → order state UNKNOWN, no blind resend; resolve by client order id query, open orders and fills', () => {
  it('placed, its reports late: UNKNOWN, settled FILLED by query (accept, fill 1.000@100.01); the late reports change nothing; sent once', async () => {
    const r = await faultsRig();
    r.quote('99.99', '100.01', '100.00');
    // The accept and fill are held back by the feed; the submit call itself times out.
    r.faults.addReportFault({ fault: 'REORDER', clientOrderId: 'U-1' });
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'U-1', fault: { kind: 'TIMEOUT', placed: true } });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'U-1', side: 'BUY', type: 'MARKET' });
    await r.settle();
    expect(r.kinds('U-1')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderStatusUnknown', 'OrderAccepted', 'OrderFilled']);
    expect(r.attempts('U-1', 0, t0)).toEqual(['SUBMIT VENUE_TIMEOUT +0', 'orderStatus OK +0', 'fillsSince OK +0']);
    const seq = r.engine.lastSeq;
    r.faults.flushReports(); // the fill and the accept arrive after all (reversed)
    await r.settle();
    expect(r.engine.lastSeq).toBe(seq);
    expect(r.engine.order('U-1')?.status).toBe('FILLED');
    expect(r.fillsOf('U-1')).toEqual(['1.000@100.01']);
    expect(r.placed.get('U-1')).toBe(1);
    expect(r.position()).toBe('1.000');
    await faultsPromise(r);
  });

  it('not placed: UNKNOWN, looked for at +0, +1000, +2000, +3000 ms, then REJECTED NOT_AT_VENUE; it never reaches the venue', async () => {
    const r = await faultsRig();
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'U-2', fault: { kind: 'TIMEOUT', placed: false } });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'U-2', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.kinds('U-2')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderStatusUnknown', 'OrderRejected']);
    expect(r.attempts('U-2', 0, t0)).toEqual(['SUBMIT VENUE_TIMEOUT +0', 'orderStatus OK +0', 'orderStatus OK +1000', 'orderStatus OK +2000', 'orderStatus OK +3000']);
    expect(r.placed.get('U-2')).toBeUndefined();
    expect(r.position()).toBe('0');
    await faultsPromise(r);
  });

  it('placed with every report dropped: UNKNOWN, settled ACCEPTED by query; it later fills 1.000@90.00 once reports flow again; sent once', async () => {
    const r = await faultsRig();
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'U-3', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    await r.submit({ clientOrderId: 'U-3', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.kinds('U-3')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderStatusUnknown', 'OrderAccepted']);
    expect(r.engine.order('U-3')?.venueOrderId).toBe('SIM-1');
    expect(r.executor.executions('U-3')[0]).toMatchObject({ settlement: 'QUERY', succeeded: true, wentUnknown: true, retries: 0 });
    await faultsPromise(r); // open at both, nothing filled
    r.faults.resumeReports('U-3');
    await r.bar('91.00', '91.00', '89.00', '90.50');
    expect(r.engine.order('U-3')?.status).toBe('FILLED');
    expect(r.fillsOf('U-3')).toEqual(['1.000@90.00']);
    expect(r.placed.get('U-3')).toBe(1);
    expect(r.position()).toBe('1.000');
    await faultsPromise(r);
  });
});

describe('FAULTS 16: cancel times out → retry the cancel; "order not found" → query to learn filled or canceled', () => {
  it('two network resets: the cancel is sent again at +100 and +300 ms and the third goes through; CANCELED', async () => {
    const r = await faultsRig();
    await r.submit({ clientOrderId: 'K-1', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'K-1', times: 2, fault: { kind: 'NETWORK_RESET', placed: false } });
    const t0 = r.clock.now();
    await r.engine.cancelOrder('K-1');
    await r.settle();
    expect(r.attempts('K-1', 1, t0)).toEqual(['CANCEL VENUE_NETWORK +0', 'CANCEL VENUE_NETWORK +100', 'CANCEL OK +300']);
    expect(r.engine.order('K-1')?.status).toBe('CANCELED');
    await faultsPromise(r);
  });

  it('timed out but applied (reports lost), the retry answered "order not found": the query says CANCELED, and the engine ends CANCELED', async () => {
    const r = await faultsRig();
    await r.submit({ clientOrderId: 'K-2', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'K-2', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'K-2', fault: { kind: 'REJECT', reason: 'ORDER_NOT_FOUND' } });
    const t0 = r.clock.now();
    await r.engine.cancelOrder('K-2');
    await r.settle();
    expect(r.attempts('K-2', 1, t0)).toEqual(['CANCEL VENUE_TIMEOUT +0', 'CANCEL VENUE_REJECTED +100', 'orderStatus OK +100', 'fillsSince OK +100']);
    expect(r.executor.executions('K-2')[1]).toMatchObject({ settlement: 'QUERY', succeeded: true });
    expect(r.kinds('K-2').slice(3)).toEqual(['OrderPendingCancel', 'OrderCanceled']);
    expect(r.engine.order('K-2')?.status).toBe('CANCELED');
    await faultsPromise(r);
  });

  it('"order not found" for an order that had filled (its fill report lost): the query says FILLED, the fill 1.000@90.00 is applied, the cancel rejected', async () => {
    const r = await faultsRig();
    await r.submit({ clientOrderId: 'K-3', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    r.faults.addReportFault({ fault: 'DROP', reportKind: 'OrderFilled', clientOrderId: 'K-3' });
    await r.bar('91.00', '91.00', '89.00', '90.50');
    expect(r.engine.order('K-3')?.status).toBe('ACCEPTED'); // the fill is known only to the venue
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'K-3', fault: { kind: 'REJECT', reason: 'ORDER_NOT_FOUND' } });
    await r.engine.cancelOrder('K-3');
    await r.settle();
    expect(r.kinds('K-3').slice(3)).toEqual(['OrderPendingCancel', 'OrderFilled', 'OrderCancelRejected']);
    expect(r.reasons('K-3', 'OrderCancelRejected')).toEqual(['ORDER_NOT_FOUND (filled before the cancel)']);
    expect(r.engine.order('K-3')?.status).toBe('FILLED');
    expect(r.fillsOf('K-3')).toEqual(['1.000@90.00']);
    expect(r.position()).toBe('1.000');
    await faultsPromise(r);
  });
});

describe('FAULTS 17: fill arrives after the cancel request → applied; the position is right; cancel reported "too late"', () => {
  it('the cancel is held on the way, a bar fills the order at 90.00, then the cancel lands: FILLED, position 1.000, OrderCancelRejected "too late"', async () => {
    const r = await faultsRig();
    await r.submit({ clientOrderId: 'L-1', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'L-1', fault: { kind: 'DELAY' } });
    await r.engine.cancelOrder('L-1');
    expect(r.engine.order('L-1')?.status).toBe('PENDING_CANCEL');
    // A bar trades through 90 while the cancel is on its way; the executor's timers do not run, so
    // the cancel lands before it would give up waiting for the venue's answer.
    r.ex.onBar({ instrumentId: r.inst.id, ts: r.clock.now(), durationMs: 60_000, open: '91.00', high: '91.00', low: '89.00', close: '90.50', volume: '1000' }, r.inst);
    expect(r.engine.order('L-1')?.status).toBe('FILLED');
    expect(r.position()).toBe('1.000');
    await r.faults.releaseHeld('L-1'); // the venue answers ORDER_CLOSED
    await r.settle();
    expect(r.kinds('L-1').slice(3)).toEqual(['OrderPendingCancel', 'OrderFilled', 'OrderCancelRejected']);
    expect(r.reasons('L-1', 'OrderCancelRejected')).toEqual(['ORDER_CLOSED (filled before the cancel)']);
    expect(r.executor.executions('L-1')[1]).toMatchObject({ request: 'CANCEL', settlement: 'QUERY', succeeded: false });
    expect(r.engine.order('L-1')?.status).toBe('FILLED');
    expect(r.fillsOf('L-1')).toEqual(['1.000@90.00']);
    await faultsPromise(r);
  });
});

describe('FAULTS 18: fill on the old order during a pending replace → applied to the chain, nothing orphaned', () => {
  it('modify 90 → 91 held, 0.500 fills at 90 meanwhile, then the modify lands: the rest 1.500 works at 91 and fills there', async () => {
    const r = await faultsRig();
    await r.submit({ clientOrderId: 'R-1', side: 'BUY', type: 'LIMIT', price: '90.00', quantity: '2' });
    await r.settle();
    r.faults.addCallFault({ call: 'MODIFY', clientOrderId: 'R-1', fault: { kind: 'DELAY' } });
    await r.engine.modifyOrder('R-1', { price: '91.00' });
    expect(r.engine.order('R-1')?.status).toBe('PENDING_UPDATE');
    print(r, '89.50', '0.5'); // the old order trades 0.500 while the modify is on its way
    expect(r.engine.order('R-1')?.filledQty.toString()).toBe('0.500');
    await r.faults.releaseHeld('R-1');
    await r.settle();
    expect(r.engine.order('R-1')?.status).toBe('PARTIALLY_FILLED');
    expect(r.engine.order('R-1')?.price?.toString()).toBe('91.00');
    expect((await r.ex.queries.orderStatus('R-1' as never))?.price?.toString()).toBe('91.00');
    await faultsPromise(r); // one order, open at both, 0.500 filled at both
    print(r, '90.50', '5'); // above the old price, below the new: only the modified order trades
    await r.settle();
    expect(r.fillsOf('R-1')).toEqual(['0.500@90.00', '1.500@91.00']);
    expect(r.engine.order('R-1')?.status).toBe('FILLED');
    expect(r.filledTrail.get('R-1')?.at(-1)).toBe('2.000');
    expect(r.position()).toBe('2.000');
    await faultsPromise(r);
  });

  it('modify held while the whole order fills: the modify is rejected (ORDER_CLOSED), the order stays FILLED, nothing left open anywhere', async () => {
    const r = await faultsRig();
    await r.submit({ clientOrderId: 'R-2', side: 'BUY', type: 'LIMIT', price: '90.00', quantity: '2' });
    await r.settle();
    r.faults.addCallFault({ call: 'MODIFY', clientOrderId: 'R-2', fault: { kind: 'DELAY' } });
    await r.engine.modifyOrder('R-2', { quantity: '3' });
    print(r, '89.50', '0.5');
    print(r, '89.00', '5');
    await r.faults.releaseHeld('R-2');
    await r.settle();
    expect(r.kinds('R-2').slice(3)).toEqual(['OrderPendingUpdate', 'OrderFilled', 'OrderFilled', 'OrderModifyRejected']);
    expect(r.reasons('R-2', 'OrderModifyRejected')).toEqual(['ORDER_CLOSED']);
    expect(r.engine.order('R-2')?.status).toBe('FILLED');
    expect(r.engine.order('R-2')?.quantity.toString()).toBe('2.000');
    expect(r.fillsOf('R-2')).toEqual(['0.500@90.00', '1.500@90.00']);
    expect(r.position()).toBe('2.000');
    await faultsPromise(r);
  });
});

describe('FAULTS 19: trade bust / correction after a terminal state → position and PnL corrected', () => {
  it('the sell that closed the position is busted by the venue: the bust passes the fault venue and the executor (doubled: applied once); long 1.000 again, total PnL that of the buy alone (9.99)', async () => {
    const r = await faultsRig();
    r.quote('99.99', '100.01', '100.00');
    await r.submit({ clientOrderId: 'B-1', side: 'BUY', type: 'MARKET' }); // 1.000@100.01
    await r.settle();
    r.quote('109.99', '110.01', '110.00');
    await r.submit({ clientOrderId: 'B-2', side: 'SELL', type: 'MARKET' }); // 1.000@109.99
    await r.settle();
    expect(r.position()).toBe('0');
    const realized = () => [...r.engine.portfolio.pnlByStrategy(Currencies.USDT).values()].map((p) => p.realized.toString());
    expect(realized()).toEqual(['9.98000000 USDT']);
    const sell = r.events.find((e) => e.kind === 'OrderFilled' && e.clientOrderId === 'B-2');
    // The venue's report comes the only way there is: exchange → fault venue → executor → engine; the fault venue doubles it.
    r.faults.addReportFault({ fault: 'DUPLICATE', reportKind: 'FillBusted' });
    expect(r.ex.bustTrade(sell && 'tradeId' in sell ? sell.tradeId : '', 'erroneous trade')).toBe(true);
    await r.settle();
    expect(r.faults.injected.filter((f) => f.on === 'REPORT').map((f) => (f.on === 'REPORT' ? `${f.reportKind} ${f.clientOrderId} ${f.fault}` : ''))).toEqual(['FillBusted B-2 DUPLICATE']);
    expect(r.kinds('B-2').filter((k) => k === 'OrderFillBusted')).toHaveLength(1);
    expect(r.engine.order('B-2')?.status).toBe('FILLED'); // closed at the venue, stays closed
    expect(r.engine.order('B-2')?.filledQty.toString()).toBe('0.000');
    expect(r.position()).toBe('1.000');
    // Booked as the reversing entry (src/model/orders/bust.ts): realized stays 9.98 and the reopened
    // long, entered at the busted 109.99, carries 0.01 at 110.00; together 9.99 = 110.00 - 100.01,
    // what the buy alone gives. Cash and coin are exactly the buy's.
    const p = r.engine.portfolio.openPositions().find((x) => x.instrumentId === ID)!;
    expect([realized()[0], r.engine.portfolio.unrealizedPnl(p).toString()]).toEqual(['9.98000000 USDT', '0.01000000 USDT']);
    expect(r.engine.portfolio.equity('A' as never, Currencies.USDT).toString()).toBe('1000009.99000000 USDT');
    const bal = (c: 'USDT' | 'BTC') => r.engine.portfolio.account('A' as never).balance(Currencies[c]).total.toString();
    expect([bal('USDT'), bal('BTC')]).toEqual(['999899.99000000 USDT', '1.00000000 BTC']);
    expect(r.alerts).toEqual([]);
    await faultsPromise(r);
  });
});

describe('FAULTS 20: the same fill delivered twice (reconnect, replay, REST after WebSocket) → counted once; filled quantity never goes backwards', () => {
  it('every fill report doubled over three partial fills (0.500, 1.000, 1.500): each counted once, filled 0.5 → 1.5 → 3.0', async () => {
    const r = await faultsRig();
    r.faults.addReportFault({ fault: 'DUPLICATE', reportKind: 'OrderFilled' });
    await r.submit({ clientOrderId: 'D-1', side: 'BUY', type: 'LIMIT', price: '90.00', quantity: '3' });
    await r.settle();
    print(r, '89.90', '0.5');
    print(r, '89.80', '1');
    print(r, '89.70', '1.5');
    await r.settle();
    expect(r.faults.injected.filter((f) => f.on === 'REPORT' && f.fault === 'DUPLICATE')).toHaveLength(3);
    expect(r.fillsOf('D-1')).toEqual(['0.500@90.00', '1.000@90.00', '1.500@90.00']);
    expect(r.filledTrail.get('D-1')).toEqual(['0.000', '0.000', '0.000', '0.500', '1.500', '3.000']);
    expect(r.position()).toBe('3.000');
    await faultsPromise(r);
  });

  it('accept and three fills held and delivered reversed (fills before the accept): FILLED, each fill once, filled never backwards', async () => {
    const r = await faultsRig();
    r.faults.addReportFault({ fault: 'REORDER', clientOrderId: 'D-2' });
    await r.submit({ clientOrderId: 'D-2', side: 'BUY', type: 'LIMIT', price: '90.00', quantity: '3' });
    print(r, '89.90', '0.5');
    print(r, '89.80', '1');
    print(r, '89.70', '1.5');
    expect(r.faults.heldReportCount).toBe(4);
    r.faults.flushReports();
    await r.settle();
    expect(r.fillsOf('D-2')).toEqual(['1.500@90.00', '1.000@90.00', '0.500@90.00']);
    expect(r.engine.order('D-2')?.status).toBe('FILLED');
    expect(r.filledTrail.get('D-2')).toEqual(['0.000', '0.000', '1.500', '2.500', '3.000']);
    await faultsPromise(r);
  });

  it('a fill seen live is delivered again by reconciliation after a reconnect: counted once, nothing journaled for it', async () => {
    const r = await faultsRig({}, { queriesWhileDown: false });
    const reports: ReconcileReport[] = [];
    guardConnection(r.engine, r.executor, { onReconciled: (x) => reports.push(x) });
    r.quote('99.99', '100.01', '100.00');
    await r.submit({ clientOrderId: 'D-3', side: 'BUY', type: 'MARKET', quantity: '2' });
    await r.settle();
    expect(r.fillsOf('D-3')).toEqual(['2.000@100.01']);
    r.faults.disconnect();
    await r.settle();
    const fillsBefore = r.events.filter((e) => e.kind === 'OrderFilled').length;
    r.faults.reconnect();
    await r.settle();
    expect(reports.map((x) => x.fillsSeen)).toEqual([1]); // the venue's history replayed the fill
    expect(r.events.filter((e) => e.kind === 'OrderFilled')).toHaveLength(fillsBefore);
    expect(r.engine.order('D-3')?.filledQty.toString()).toBe('2.000');
    expect(r.position()).toBe('2.000');
    await faultsPromise(r);
  });
});

describe('FAULTS 21: 429 / rate limit / 5xx / network reset → back off; a non-idempotent call is never retried blindly', () => {
  it('a submit rate limited twice: waits 100 then 200 ms, asks the venue by client order id before each resend, placed once', async () => {
    const r = await faultsRig();
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'H-1', times: 2, fault: { kind: 'RATE_LIMIT', retryAfterMs: 0 } });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'H-1', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.attempts('H-1', 0, t0)).toEqual(['SUBMIT VENUE_RATE_LIMITED +0', 'orderStatus OK +100', 'SUBMIT VENUE_RATE_LIMITED +100', 'orderStatus OK +300', 'SUBMIT OK +300']);
    expect(r.engine.order('H-1')?.status).toBe('ACCEPTED');
    expect(r.placed.get('H-1')).toBe(1);
    await faultsPromise(r);
  });

  it('a 5xx after the venue placed it (reports lost) and a network reset before it did: neither resent; ACCEPTED and NOT_AT_VENUE by query', async () => {
    const r = await faultsRig();
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'H-2', fault: { kind: 'SERVER_ERROR', placed: true, dropReports: true } });
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'H-3', fault: { kind: 'NETWORK_RESET', placed: false } });
    await r.submit({ clientOrderId: 'H-2', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.submit({ clientOrderId: 'H-3', side: 'BUY', type: 'LIMIT', price: '91.00' });
    await r.settle();
    const submits = (id: string) => r.executor.executions(id)[0]?.attempts.filter((a) => a.what === 'SUBMIT').map((a) => a.outcome);
    expect([submits('H-2'), submits('H-3')]).toEqual([['VENUE_UNAVAILABLE'], ['VENUE_NETWORK']]);
    expect([r.engine.order('H-2')?.status, r.engine.order('H-3')?.status]).toEqual(['ACCEPTED', 'REJECTED']);
    expect([r.placed.get('H-2'), r.placed.get('H-3')]).toEqual([1, undefined]);
    r.faults.resumeReports('H-2');
    await faultsPromise(r);
  });

  it('a cancel hit by 429 (retry after 500 ms), a 5xx and a network reset: retried at +500, +700, +1100 ms, then CANCELED', async () => {
    const r = await faultsRig();
    await r.submit({ clientOrderId: 'H-4', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'H-4', fault: { kind: 'RATE_LIMIT', retryAfterMs: 500 } });
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'H-4', fault: { kind: 'SERVER_ERROR', placed: false } });
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'H-4', fault: { kind: 'NETWORK_RESET', placed: false } });
    const t0 = r.clock.now();
    await r.engine.cancelOrder('H-4');
    await r.settle();
    // Backoff 100 × 2^(n-1): the venue's 500 wins over the first 100; then 200 and 400.
    expect(r.attempts('H-4', 1, t0)).toEqual(['CANCEL VENUE_RATE_LIMITED +0', 'CANCEL VENUE_UNAVAILABLE +500', 'CANCEL VENUE_NETWORK +700', 'CANCEL OK +1100']);
    expect(r.engine.order('H-4')?.status).toBe('CANCELED');
    await faultsPromise(r);
  });
});

describe('FAULTS 22: disconnect → state UNKNOWN until reconciled; no new risk-increasing orders meanwhile', () => {
  it('down: VENUE:SIM REDUCING, a buy denied by the RiskGate, a reduce-only sell passes it; a partial fill and an expiry lost meanwhile come back by reconciliation; then ACTIVE', async () => {
    const r = await faultsRig({}, { queriesWhileDown: false }, new RiskGate(GUARD_LIMITS));
    const states: string[] = [];
    guardConnection(r.engine, r.executor, {
      // What the engine knows at the moment reconciliation ends, before the scope is lifted.
      onReconciled: () => states.push(`${r.engine.risk.stateOf('VENUE:SIM')} ${String(r.engine.order('N-2')?.filledQty.toString())} ${String(r.engine.order('N-3')?.status)}`),
    });
    r.quote('99.99', '100.01', '100.00');
    await r.submit({ clientOrderId: 'N-1', side: 'BUY', type: 'MARKET', quantity: '2' });
    await r.submit({ clientOrderId: 'N-2', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1' });
    await r.submit({ clientOrderId: 'N-3', side: 'BUY', type: 'LIMIT', price: '95.00', quantity: '1', timeInForce: 'GTD', expireTime: r.clock.now() + 90_000 });
    await r.settle();
    expect(r.position()).toBe('2.000');

    r.faults.disconnect();
    await r.settle();
    expect(r.engine.risk.stateOf('VENUE:SIM')).toBe('REDUCING');
    const buy = await r.submit({ clientOrderId: 'N-4', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' });
    expect(buy.denied.map((d) => d.code)).toEqual(['TRADING_REDUCING']);
    const sell = await r.submit({ clientOrderId: 'N-5', side: 'SELL', type: 'LIMIT', price: '104.00', quantity: '0.5', reduceOnly: true });
    expect(sell.denied).toEqual([]);
    await r.settle();
    expect(r.reasons('N-5', 'OrderRejected')).toEqual(['VENUE_DISCONNECTED']); // passed the gate; the call itself cannot go
    // While down: 0.500 of N-2 trades at 105, and N-3 expires at the venue. Neither report arrives.
    r.clock.advance(60_000);
    print(r, '105.50', '0.5');
    r.clock.advance(60_000);
    r.ex.advance();
    // Both are UNKNOWN (journaled) until reconciled: the engine cannot know what happened to them.
    expect([r.engine.order('N-2')?.filledQty.toString(), r.engine.order('N-2')?.status, r.engine.order('N-3')?.status]).toEqual(['0.000', 'UNKNOWN', 'UNKNOWN']);
    expect(r.faults.injected.filter((f) => f.on === 'REPORT').map((f) => (f.on === 'REPORT' ? `${f.reportKind} ${f.clientOrderId} ${f.fault}` : ''))).toEqual([
      'OrderFilled N-2 LOST_WHILE_DOWN',
      'OrderExpired N-3 LOST_WHILE_DOWN',
    ]);

    r.faults.reconnect();
    await r.settle();
    expect(states).toEqual(['REDUCING 0.500 EXPIRED']);
    expect(r.engine.risk.stateOf('VENUE:SIM')).toBe('ACTIVE');
    expect(r.engine.order('N-2')?.status).toBe('PARTIALLY_FILLED');
    expect(r.position()).toBe('1.500');
    const venueStates = (r.engine.journal as MemoryJournal)
      .all()
      .flatMap((x) => (x.event.kind === 'TradingStateChanged' ? [`${x.event.scope} ${x.event.state}`] : []));
    expect(venueStates).toEqual(['VENUE:SIM REDUCING', 'VENUE:SIM ACTIVE']);
    expect(r.placed.has('N-4') || r.placed.has('N-5')).toBe(false);
    await faultsPromise(r);
  });
});

/** The rig with an OrderEmulator on the engine, told the venue has `native` (e.g. no stop orders, so stops are held engine-side). */
async function emulatedRig(native: Partial<VenueCapabilities> = {}) {
  const r = await faultsRig();
  const emulator = new OrderEmulator(r.engine, { capabilities: [{ id: r.ex.id, capabilities: { ...r.ex.capabilities, ...native } }] });
  emulator.start();
  /**
   * Both the emulator (its actions chain) and the executor (its timers) must be idle; either can
   * start work for the other (a fill → a cancel → a report → a correction), so a few rounds.
   */
  const quiet = async () => {
    for (let i = 0; i < 4; i++) {
      await emulator.idle();
      await r.settle();
    }
  };
  const bar = async (open: string, high: string, low: string, close: string) => {
    await r.bar(open, high, low, close);
    await quiet();
  };
  return { ...r, emulator, quiet, bar };
}

const base = { accountId: 'A', instrumentId: ID } as const;

describe('section 4, through the executor: contingent orders under venue faults', () => {
  it('OCO whose legs both fill in one bar (100 → 102 → 98): the sell at 101 wins, the buy at 99 is reported and reversed; position -1.000 at both', async () => {
    const r = await emulatedRig();
    // A CASH account sells only coins it holds (a correction too): it starts with 1 BTC to sell.
    await r.engine.adjustBalance('A', Money.of('1', Currencies.BTC), 'deposit', r.engine.authority.issue('treasury', ['TREASURY']));
    await r.bar('100.00', '100.00', '100.00', '100.00');
    await r.emulator.submitOco(
      { ...base, clientOrderId: 'O-B', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      { ...base, clientOrderId: 'O-S', side: 'SELL', type: 'LIMIT', price: '101.00', quantity: '1' },
    );
    await r.quiet();
    await r.bar('100.00', '102.00', '98.00', '100.00');
    expect(r.fillsOf('O-S')).toEqual(['1.000@101.00']);
    expect(r.fillsOf('O-B')).toEqual(['1.000@99.00']);
    expect(r.alerts.find((a) => a.code === 'OCO_BOTH_FILLED')?.context).toMatchObject({ clientOrderId: 'O-B', winner: 'O-S', correction: 'O-B-FIX-1' });
    await r.bar('100.50', '100.80', '100.20', '100.60'); // the correction, a market sell, fills at the open
    expect(r.fillsOf('O-B-FIX-1')).toEqual(['1.000@100.50']);
    expect(r.position()).toBe('-1.000');
    await faultsPromise(r);
  });

  it('OCO where one leg fills and the cancel of the other times out (applied, reports lost): retried, settled CANCELED by query; it never fills; position +1.000', async () => {
    const r = await emulatedRig();
    await r.bar('100.00', '100.00', '100.00', '100.00');
    await r.emulator.submitOco(
      { ...base, clientOrderId: 'O-B', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      { ...base, clientOrderId: 'O-S', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1' },
    );
    await r.quiet();
    r.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'O-S', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    await r.bar('100.00', '100.20', '98.50', '99.50'); // only the buy trades
    expect(r.fillsOf('O-B')).toEqual(['1.000@99.00']);
    expect(r.executor.executions('O-S')[1]?.attempts.map((a) => `${a.what} ${a.outcome}`)).toEqual(['CANCEL VENUE_TIMEOUT', 'CANCEL OK', 'orderStatus OK', 'fillsSince OK']);
    expect(r.engine.order('O-S')?.status).toBe('CANCELED');
    await r.bar('99.50', '106.00', '99.50', '105.50'); // through the sell's price: nothing left there to fill
    expect(r.fillsOf('O-S')).toEqual([]);
    expect(r.alerts.map((a) => a.code)).not.toContain('OCO_BOTH_FILLED');
    expect(r.position()).toBe('1.000');
    await faultsPromise(r);
  });

  it('bracket with its stop-loss held engine-side: released at 94.50 through the executor, the submit times out (placed, reports lost): filled once, flat', async () => {
    const r = await emulatedRig({ stopOrders: false });
    r.quote('99.99', '100.01', '100.00');
    await r.emulator.submitBracket({ entry: { ...base, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET', quantity: '1' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00' });
    await r.quiet();
    expect(r.fillsOf('E-1')).toEqual(['1.000@100.01']);
    expect(r.emulator.heldOrders().map((h) => h.clientOrderId)).toEqual(['E-1-SL-1']);
    expect(r.placed.has('E-1-SL-1')).toBe(false); // held here, not at the venue
    expect(r.placed.get('E-1-TP-1')).toBe(1);
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'E-1-SL-1', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    // The price falls through 95: the stop fires and goes out as a market sell, which fills at the
    // bid during the call that times out; only the query tells the engine.
    r.quote('94.49', '94.51', '94.50');
    await r.quiet();
    expect(r.kinds('E-1-SL-1')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderStatusUnknown', 'OrderAccepted', 'OrderFilled']);
    expect(r.executor.executions('E-1-SL-1')[0]).toMatchObject({ settlement: 'QUERY', wentUnknown: true, retries: 0 });
    expect(r.fillsOf('E-1-SL-1')).toEqual(['1.000@94.49']);
    expect(r.placed.get('E-1-SL-1')).toBe(1);
    // The venue expires the reduce-only take-profit once the stop has closed the position (as Binance futures), before the OUO cancel.
    expect(r.engine.order('E-1-TP-1')?.status).toBe('EXPIRED');
    expect(r.position()).toBe('0');
    r.faults.resumeReports('E-1-SL-1');
    await faultsPromise(r);
  });
});
