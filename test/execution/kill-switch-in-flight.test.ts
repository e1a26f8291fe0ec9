import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { RiskControl } from '../../src/risk/control/risk-control.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { Venue } from '../../src/engine/venue.ts';
import { CancelChaser } from '../../src/execution/cancel-chaser.ts';
import { Executor } from '../../src/execution/executor.ts';
import { ManualTimer } from '../../src/execution/timer.ts';
import { Currencies } from '../../src/model/currency.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue } from '../../src/venues/sim/faults/index.ts';
import { ConstantLatency } from '../../src/venues/sim/models/index.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'BTCUSDT.SIM';

/** Lets every queued promise chain run, without firing any timer. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

type Wiring = 'engine → venue' | 'engine → executor → venue';

/**
 * An engine, a risk control and a cancel chaser over a simulated exchange that takes `submitMs`
 * to act on a submit and no time on a cancel (a cancel overtakes a submit in flight), optionally
 * behind a fault-injecting venue, optionally behind an executor.
 */
async function rig(wiring: Wiring, submitMs: number) {
  const clock = new TestClock(T0);
  const timer = new ManualTimer(clock);
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const ex = new SimulatedExchange({ id: 'SIM', clock, latency: new ConstantLatency(submitMs, 0, 0) });
  const faults = new FaultInjectingVenue(ex);
  const alerts: EngineAlert[] = [];
  const venue: Venue =
    wiring === 'engine → venue'
      ? faults
      : new Executor(faults, { mode: 'PAPER', clock, timer, retry: { cancelAttempts: 1 }, onAlert: (a) => alerts.push(a) });
  engine.addVenue(venue);
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  const inst: Instrument = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0' });
  ex.list(inst);
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  const control = new RiskControl(engine);
  await control.start();
  const chaser = new CancelChaser(engine, { timer });
  chaser.start(control);
  const codes = (code: string) => alerts.filter((a) => a.code === code);
  const position = () => engine.portfolio.openPositions().find((p) => p.instrumentId === ID)?.quantity.toString() ?? '0';
  return { clock, timer, engine, ex, faults, control, chaser, alerts, codes, inst, position };
}

describe.each<Wiring>(['engine → venue', 'engine → executor → venue'])('an order in flight when the kill switch engages (%s)', (wiring) => {
  it('its cancel comes back "not found"; when the order lands 600 ms later it is canceled at once, and only the 0.5 that traded on arrival is booked', async () => {
    const h = await rig(wiring, 500);
    const { engine, ex, inst, clock } = h;
    await engine.submitOrder({ clientOrderId: 'B-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '2', price: '100.00' });
    clock.advance(10);
    await h.control.engageKillSwitch({ operator: h.engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
    await drain();
    // The cancel overtook the submit: the venue does not know the order yet.
    expect(engine.order('B-1')?.status).toBe('SUBMITTED');
    expect(h.codes('CANCEL_RETRY')).toHaveLength(1);
    expect(h.chaser.chasing).toEqual(['B-1']);

    // 600 ms in, the submit lands (the exchange catches up on the next print) and 0.5 of the 2 trades on a print of 0.5 at 100.
    clock.set(T0 + 600);
    ex.onTrade(inst, inst.price('100.00'), '0.5');
    await drain();
    expect(engine.order('B-1')?.status).toBe('CANCELED');
    expect(engine.order('B-1')?.filledQty.toString()).toBe('0.500');
    expect(h.codes('DEAD_ORDER_WORKING')).toHaveLength(1);
    expect(ex.workingOrders()).toHaveLength(0);
    // Canceled at 600 ms, not at the next retry of the backoff: no timer had to fire.
    expect(clock.now()).toBe(T0 + 600);

    // The market then trades plenty at 100: nothing more fills, the books hold the 0.5.
    ex.onTrade(inst, inst.price('100.00'), '10');
    await h.timer.runUntilIdle();
    expect(h.position()).toBe('0.500');
    const venue = (await ex.queries.positions()).find((p) => p.instrumentId === ID);
    expect(venue?.quantity.toString()).toBe('0.500');
    expect(h.chaser.chasing).toEqual([]);
  });

  it('a cancel that fails 3 times is sent again after 100, 200 and 400 ms, with an alert each time, until the venue confirms it', async () => {
    const h = await rig(wiring, 0);
    await h.engine.submitOrder({ clientOrderId: 'B-2', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '90.00' });
    expect(h.engine.order('B-2')?.status).toBe('ACCEPTED');
    h.faults.addCallFault({ call: 'CANCEL', times: 3, fault: { kind: 'NETWORK_RESET', placed: false } });
    await h.control.engageKillSwitch({ operator: h.engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
    await drain();
    const sentAt: number[] = [];
    h.engine.bus.subscribe('order', (e) => {
      if (e.clientOrderId === 'B-2' && e.kind === 'OrderPendingCancel') sentAt.push(e.tsEvent - T0);
    });
    await h.timer.runUntilIdle();
    expect(sentAt).toEqual([100, 300, 700]);
    expect(h.codes('CANCEL_RETRY').map((a) => a.message)).toEqual([
      expect.stringContaining('cancel 1 of B-2'),
      expect.stringContaining('cancel 2 of B-2'),
      expect.stringContaining('cancel 3 of B-2'),
    ]);
    expect(h.engine.order('B-2')?.status).toBe('CANCELED');
    expect(h.ex.workingOrders()).toHaveLength(0);
    expect(h.chaser.chasing).toEqual([]);
    expect(h.timer.pending).toBe(0);
  });

  it('a cancel the venue never answers (held forever) counts as failed within 10 s and is sent again', async () => {
    const h = await rig(wiring, 0);
    await h.engine.submitOrder({ clientOrderId: 'B-3', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '90.00' });
    h.faults.addCallFault({ call: 'CANCEL', fault: { kind: 'DELAY' } });
    await h.control.engageKillSwitch({ operator: h.engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
    await h.timer.runUntilIdle();
    expect(h.faults.heldCalls).toEqual([{ call: 'CANCEL', clientOrderId: 'B-3' }]);
    expect(h.engine.order('B-3')?.status).toBe('CANCELED');
    expect(h.ex.workingOrders()).toHaveLength(0);
    expect(h.codes('CANCEL_RETRY')).toHaveLength(1);
    expect(h.clock.now() - T0).toBeLessThanOrEqual(10_100);
  });
});
