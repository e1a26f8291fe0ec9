/**
 * An order our books hold as closed without having filled (canceled, expired, rejected as never
 * having reached the venue) that the venue later reports working used to stay alive there when no
 * Executor was in between: its accept was an ILLEGAL_TRANSITION alert, and the engine could not
 * cancel a closed order (ORDER_NOT_OPEN). Now the report is decided by deadOrderVerdict (pure),
 * alerted (DEAD_ORDER_WORKING), a late fill booked, and the order canceled straight at the venue by
 * the assembled stack's CancelChaser, with backoff, until the venue confirms it dead.
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { deadOrderVerdict } from '../../src/engine/dead-orders.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { reconcile } from '../../src/engine/reconcile.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import { guardedStack } from '../../src/execution/risk-stack.ts';
import { ManualTimer } from '../../src/execution/timer.ts';
import { Currencies } from '../../src/model/currency.ts';
import { clientOrderId, tradeId, venueOrderId } from '../../src/model/identifiers.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderEvent } from '../../src/model/orders/events.ts';
import type { OrderStatus } from '../../src/model/orders/status.ts';
import { Quantity } from '../../src/model/values.ts';
import { parseRiskConfig } from '../../src/risk/config/load.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue } from '../../src/venues/sim/faults/index.ts';
import { ConstantLatency } from '../../src/venues/sim/models/index.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'BTCUSDT.SIM';
const RISK = parseRiskConfig(
  'version: 1\nlimits:\n  default: { max_order_quantity: "100", max_order_notional: "1000000", max_position_quantity: "100", max_position_notional: "10000000" }\n',
  'yaml',
  {},
);

describe('deadOrderVerdict (pure): what a report about an order closed unfilled in our books means', () => {
  const q = (s: string) => Quantity.of(s, 3);
  const order = (status: OrderStatus, filled = '0', trades: string[] = []) => ({ status, filledQty: q(filled), quantity: q('2'), hasTrade: (t: string) => trades.includes(t) });
  const id = clientOrderId('Z-1');
  const base = { clientOrderId: id, tsEvent: T0, tsInit: T0 };
  const accepted: OrderEvent = { kind: 'OrderAccepted', ...base, venueOrderId: venueOrderId('V-1') };
  const fill = (qty: string): OrderEvent =>
    ({ kind: 'OrderFilled', ...base, tradeId: tradeId('T-1'), lastQty: q(qty), lastPx: { toString: () => '100.00' } }) as unknown as OrderEvent;

  it.each<[OrderStatus, string]>([
    ['CANCELED', 'KILL'],
    ['EXPIRED', 'KILL'],
    ['REJECTED', 'KILL'],
    ['DENIED', 'KILL'],
    ['ACCEPTED', 'NONE'],
    ['SUBMITTED', 'NONE'],
    ['PENDING_CANCEL', 'NONE'],
    ['FILLED', 'NONE'],
  ])('an accept for an order %s → %s', (status, verdict) => {
    expect(deadOrderVerdict(order(status), accepted).do).toBe(verdict);
  });

  it('REJECTED, a new fill of 0.5 of 2 → KILL, booked; a fill of 2 of 2 → GONE, booked; 1.5 after 0.5 filled late → GONE', () => {
    expect(deadOrderVerdict(order('REJECTED'), fill('0.5'))).toEqual({ do: 'KILL', what: 'filled 0.500 at 100.00', apply: true });
    expect(deadOrderVerdict(order('REJECTED'), fill('2'))).toMatchObject({ do: 'GONE', apply: true });
    expect(deadOrderVerdict(order('CANCELED', '0.5'), fill('1.5'))).toMatchObject({ do: 'GONE', apply: true });
  });

  it('CANCELED, a fill re-sent (trade T-1 booked already) → NONE: a duplicate says nothing about the order', () => {
    expect(deadOrderVerdict(order('CANCELED', '0.5', ['T-1']), fill('0.5'))).toEqual({ do: 'NONE' });
  });

  it('CANCELED, a canceled, expired or rejected report → GONE, not booked (no illegal transition); a refused cancel → CANCEL_REFUSED', () => {
    for (const kind of ['OrderCanceled', 'OrderExpired'] as const) expect(deadOrderVerdict(order('CANCELED'), { kind, ...base })).toEqual({ do: 'GONE', what: kind, apply: false });
    expect(deadOrderVerdict(order('CANCELED'), { kind: 'OrderRejected', ...base, reason: 'x' })).toMatchObject({ do: 'GONE', apply: false });
    expect(deadOrderVerdict(order('CANCELED'), { kind: 'OrderCancelRejected', ...base, reason: 'unknown order' })).toEqual({ do: 'CANCEL_REFUSED', reason: 'unknown order' });
  });
});

/**
 * The assembled stack (guardedStack) straight on a venue, no executor: a simulated exchange taking
 * 500 ms to act on a submit, behind a fault-injecting venue. Z-1 (BUY 2 limit 100) is sent, the
 * process restarts 10 ms later, and reconciliation finds the venue without it: REJECTED, never
 * reached the venue. At 600 ms it lands.
 */
async function zombie() {
  const clock = new TestClock(T0);
  const journal = new MemoryJournal();
  const ex = new SimulatedExchange({ id: 'SIM', clock, latency: new ConstantLatency(500, 0, 0) });
  const faults = new FaultInjectingVenue(ex);
  const a = await guardedStack(RISK, { clock, journal }, { timer: new ManualTimer(clock) });
  a.engine.addVenue(faults);
  const inst: Instrument = await a.engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0' });
  ex.list(inst);
  await a.engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  a.engine.updateMarket(ID, { last: inst.price('100.00') });
  await a.engine.submitOrder({ clientOrderId: 'Z-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '2', price: '100.00' });
  clock.advance(10);
  faults.connect(() => undefined); // the process dies

  const timer = new ManualTimer(clock);
  const b = await guardedStack(RISK, { clock, journal }, { timer }, true);
  const alerts: EngineAlert[] = [];
  b.engine.bus.subscribe('alert', (x) => alerts.push(x));
  b.engine.addVenue(faults);
  const report = await reconcile(b.engine, faults);
  b.chaser.start(b.control);
  expect(report.neverReachedVenue).toEqual(['Z-1']);
  expect(b.engine.order('Z-1')?.status).toBe('REJECTED');
  const codes = (code: string) => alerts.filter((x) => x.code === code);
  const venuePosition = async () => (await ex.queries.positions()).find((p) => p.instrumentId === ID)?.quantity.toString() ?? '0';
  const ours = () => b.engine.portfolio.openPositions().find((p) => p.instrumentId === ID)?.quantity.toString() ?? '0';
  /** The late submit lands at 600 ms; `arrivalPrint` of it trades on arrival. */
  const land = (arrivalPrint: string) => {
    clock.set(T0 + 600);
    ex.onTrade(inst, inst.price('100.00'), arrivalPrint);
  };
  return { clock, timer, ex, faults, inst, engine: b.engine, chaser: b.chaser, alerts, codes, venuePosition, ours, land };
}

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('an order REJECTED as never having reached the venue that lands there afterwards (engine → venue, no executor)', () => {
  it('is alerted DEAD_ORDER_WORKING and canceled at the venue at once; the 0.5 it traded on arrival is booked, and 10 more trading at 100 fill nothing', async () => {
    const h = await zombie();
    h.land('0.5');
    await drain();
    expect(h.codes('DEAD_ORDER_WORKING').map((a) => a.context)).toContainEqual(expect.objectContaining({ clientOrderId: 'Z-1', status: 'REJECTED' }));
    expect(h.ex.workingOrders()).toHaveLength(0);
    expect(h.clock.now()).toBe(T0 + 600);
    h.ex.onTrade(h.inst, h.inst.price('100.00'), '10');
    await h.timer.runUntilIdle();
    expect(await h.venuePosition()).toBe('0.500');
    expect(h.ours()).toBe('0.500');
    expect(h.engine.order('Z-1')?.status).toBe('REJECTED');
    expect(h.codes('ILLEGAL_TRANSITION')).toEqual([]);
    expect(h.chaser.chasing).toEqual([]);
  });

  it('its cancel at the venue failing twice (connection reset) is sent again after 100 and 200 ms more, with an alert each time, until the venue confirms', async () => {
    const h = await zombie();
    h.faults.addCallFault({ call: 'CANCEL', times: 2, fault: { kind: 'NETWORK_RESET', placed: false } });
    const sent: number[] = [];
    const cancel = h.faults.cancel.bind(h.faults);
    h.faults.cancel = (req) => {
      sent.push(h.clock.now() - T0);
      return cancel(req);
    };
    h.land('0');
    await drain();
    expect(h.ex.workingOrders().map((o) => o.id)).toEqual(['Z-1']);
    await h.timer.runUntilIdle();
    expect(sent).toEqual([600, 700, 900]);
    expect(h.codes('CANCEL_RETRY')).toHaveLength(2);
    expect(h.ex.workingOrders()).toHaveLength(0);
    h.ex.onTrade(h.inst, h.inst.price('100.00'), '10');
    await drain();
    expect(await h.venuePosition()).toBe('0');
    expect(h.chaser.chasing).toEqual([]);
    expect(h.timer.pending).toBe(0);
  });

  it('found by a later reconciliation instead (its accept lost): the venue lists it open, so it is killed the same way', async () => {
    const h = await zombie();
    h.faults.addReportFault({ fault: 'DROP', clientOrderId: 'Z-1', reportKind: 'OrderAccepted', times: 1 });
    h.land('0');
    await drain();
    expect(h.ex.workingOrders().map((o) => o.id)).toEqual(['Z-1']);
    expect(h.codes('DEAD_ORDER_WORKING')).toEqual([]);
    await reconcile(h.engine, h.faults);
    await h.timer.runUntilIdle();
    expect(h.codes('DEAD_ORDER_WORKING')).toHaveLength(1);
    expect(h.ex.workingOrders()).toHaveLength(0);
    expect(h.engine.order('Z-1')?.status).toBe('REJECTED');
  });
});

describe('an order CANCELED in our books that the venue still has working (engine → venue, no executor)', () => {
  it('C-1 (BUY 1 limit 99) taken as canceled, then 0.4 fills at the venue: the 0.4 is booked as a late fill and the rest is canceled at the venue', async () => {
    const clock = new TestClock(T0);
    const timer = new ManualTimer(clock);
    const s = await guardedStack(RISK, { clock, journal: new MemoryJournal() }, { timer });
    const ex = new SimulatedExchange({ id: 'SIM', clock });
    s.engine.addVenue(ex);
    const alerts: EngineAlert[] = [];
    s.engine.bus.subscribe('alert', (x) => alerts.push(x));
    const inst = await s.engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0' });
    ex.list(inst);
    await s.engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
    s.engine.updateMarket(ID, { last: inst.price('100.00') });
    await s.engine.submitOrder({ clientOrderId: 'C-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.00' });
    // A canceled report the venue did not mean (or a reconciliation that read it wrong): C-1 is still working there.
    s.engine.applyVenueReport('SIM', { kind: 'OrderCanceled', clientOrderId: clientOrderId('C-1'), ts: clock.now() });
    expect(s.engine.order('C-1')?.status).toBe('CANCELED');
    await expect(s.engine.cancelOrder('C-1')).rejects.toMatchObject({ code: 'ORDER_NOT_OPEN' });

    ex.onTrade(inst, inst.price('99.00'), '0.4');
    await timer.runUntilIdle();
    expect(alerts.filter((a) => a.code === 'DEAD_ORDER_WORKING')).toHaveLength(1);
    expect(ex.workingOrders()).toHaveLength(0);
    expect(s.engine.order('C-1')?.filledQty.toString()).toBe('0.400');
    ex.onTrade(inst, inst.price('99.00'), '5');
    expect(s.engine.portfolio.openPositions().find((p) => p.instrumentId === ID)?.quantity.toString()).toBe('0.400');
    expect((await ex.queries.positions()).find((p) => p.instrumentId === ID)?.quantity.toString()).toBe('0.400');
  });
});
