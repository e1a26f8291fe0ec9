/**
 * The CancelChaser (issue 11 item 10) was built only by tests: the risk stack the backtest runner,
 * the paper session and the CLI assemble (guardedEngine) had none, so a kill switch's cancel that
 * overtook its submit was never retried there, and reconciliation's resent cancels were left to
 * one try. These tests use the stacks as assembled by the code (guardedStack, the paper venue
 * wiring of the TradingNode, a paper node with a risk section), never a hand-assembled chaser.
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { Venue } from '../../src/engine/venue.ts';
import { guardedStack, reconcileStack } from '../../src/execution/risk-stack.ts';
import { ManualTimer } from '../../src/execution/timer.ts';
import { Currencies } from '../../src/model/currency.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import { parseRiskConfig } from '../../src/risk/config/load.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue } from '../../src/venues/sim/faults/index.ts';
import { ConstantLatency } from '../../src/venues/sim/models/index.ts';
import { addPaperExecutor } from '../../src/node/venues.ts';
import { BTC, startPaperNode } from '../node/paper-venue.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'BTCUSDT.SIM';
/** The risk file's content, as a node config's `risk` section takes it inline. */
const RISK_SECTION = { version: 1, limits: { default: { max_order_quantity: '100', max_order_notional: '1000000', max_position_quantity: '100', max_position_notional: '10000000' } } };
const RISK = parseRiskConfig(JSON.stringify(RISK_SECTION), 'json', {});

/** Lets every queued promise chain run, without firing any timer. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

type Wiring = 'engine → venue' | 'engine → executor → venue (paper)';

/** guardedStack over a simulated exchange that takes `submitMs` to act on a submit and no time on a cancel. */
async function stack(wiring: Wiring, submitMs: number, journal = new MemoryJournal(), clock = new TestClock(T0)) {
  const timer = new ManualTimer(clock);
  const s = await guardedStack(RISK, { clock, journal }, { timer });
  const ex = new SimulatedExchange({ id: 'SIM', clock, latency: new ConstantLatency(submitMs, 0, 0) });
  const faults = new FaultInjectingVenue(ex);
  const alerts: EngineAlert[] = [];
  s.engine.bus.subscribe('alert', (a) => alerts.push(a));
  let venue: Venue = faults;
  if (wiring === 'engine → venue') s.engine.addVenue(faults);
  else venue = addPaperExecutor(s.engine, faults, { clock, timer, chaser: s.chaser });
  const inst: Instrument = await s.engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0' });
  ex.list(inst);
  await s.engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  s.engine.updateMarket(ID, { last: inst.price('100.00') });
  const codes = (code: string) => alerts.filter((a) => a.code === code);
  const kill = () => s.control.engageKillSwitch({ operator: s.engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
  return { ...s, clock, timer, journal, ex, faults, venue, inst, codes, kill };
}

describe.each<Wiring>(['engine → venue', 'engine → executor → venue (paper)'])('the assembled risk stack (guardedStack, %s) chases its kill switch cancels', (wiring) => {
  it('a submit 500 ms in flight when the kill switch engages: its cancel comes back "not found", the order lands at 600 ms and is canceled at once; 0.5 of 2 traded, nothing more', async () => {
    const h = await stack(wiring, 500);
    await h.engine.submitOrder({ clientOrderId: 'B-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '2', price: '100.00' });
    h.clock.advance(10);
    await h.kill();
    await drain();
    expect(h.chaser.chasing).toEqual(['B-1']);

    h.clock.set(T0 + 600);
    h.ex.onTrade(h.inst, h.inst.price('100.00'), '0.5');
    await drain();
    expect(h.codes('DEAD_ORDER_WORKING')).toHaveLength(1);
    expect(h.ex.workingOrders()).toHaveLength(0);
    expect(h.engine.order('B-1')?.status).toBe('CANCELED');
    h.ex.onTrade(h.inst, h.inst.price('100.00'), '10');
    await h.timer.runUntilIdle();
    expect(h.engine.order('B-1')?.filledQty.toString()).toBe('0.500');
    expect((await h.ex.queries.positions()).find((p) => p.instrumentId === ID)?.quantity.toString()).toBe('0.500');
    expect(h.chaser.chasing).toEqual([]);
  });
});

describe('after a restart, the assembled stack (guardedStack from the journal, then reconcileStack)', () => {
  it("a cancel journaled but lost, resent by reconciliation and failing once (connection reset), is sent again until L-1 is canceled at the venue", async () => {
    const a = await stack('engine → venue', 0);
    await a.engine.submitOrder({ clientOrderId: 'L-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.00' });
    // The process dies between journaling the cancel and making the call.
    a.faults.addCallFault({ call: 'CANCEL', times: 1, fault: { kind: 'NETWORK_RESET', placed: false } });
    await a.engine.cancelOrder('L-1');
    expect(a.engine.order('L-1')?.status).toBe('PENDING_CANCEL');
    a.faults.connect(() => undefined);

    const timer = new ManualTimer(a.clock);
    const b = await guardedStack(RISK, { clock: a.clock, journal: a.journal }, { timer }, true);
    const alerts: EngineAlert[] = [];
    b.engine.bus.subscribe('alert', (x) => alerts.push(x));
    b.engine.addVenue(a.faults);
    // The resent cancel fails too.
    a.faults.addCallFault({ call: 'CANCEL', times: 1, fault: { kind: 'NETWORK_RESET', placed: false } });
    const [report] = await reconcileStack(b, [a.faults]);
    expect(report?.cancelsResent).toEqual(['L-1']);
    expect(b.chaser.chasing).toEqual(['L-1']);
    await timer.runUntilIdle();
    expect(a.ex.workingOrders()).toHaveLength(0);
    expect(b.engine.order('L-1')?.status).toBe('CANCELED');
    expect(alerts.filter((x) => x.code === 'CANCEL_RETRY')).toHaveLength(1);
    expect(b.chaser.chasing).toEqual([]);
  });

  it('with the kill switch engaged while L-2 was in flight and the process dead before it landed: after reconciliation L-2, working at the venue, is canceled', async () => {
    const a = await stack('engine → venue', 500);
    await a.engine.submitOrder({ clientOrderId: 'L-2', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.00' });
    a.clock.advance(10);
    await a.kill();
    await drain();
    a.faults.connect(() => undefined); // the process dies before the chaser's retry
    a.clock.set(T0 + 600);
    a.ex.onTrade(a.inst, a.inst.price('101.00'), '0.1'); // the exchange catches up: L-2 rests at 99
    expect(a.ex.workingOrders().map((o) => o.id)).toEqual(['L-2']);

    const timer = new ManualTimer(a.clock);
    const b = await guardedStack(RISK, { clock: a.clock, journal: a.journal }, { timer }, true);
    expect(b.engine.risk.killSwitch).toBeDefined();
    expect(b.engine.order('L-2')?.status).toBe('SUBMITTED');
    b.engine.addVenue(a.faults);
    const [report] = await reconcileStack(b, [a.faults]);
    expect(report?.cancelsResent).toEqual([]);
    await timer.runUntilIdle();
    expect(a.ex.workingOrders()).toHaveLength(0);
    expect(b.engine.order('L-2')?.status).toBe('CANCELED');
  });
});

describe('a paper node with a risk section (TradingNode, mode paper)', () => {
  it('has the gate, risk control and a chaser: a kill switch cancel refused 6 times (the executor tries 4) is sent again until P-1 is canceled', async () => {
    // What the executor's retries and the chaser's wait on, fired by hand.
    const timer = new ManualTimer(new TestClock(T0));
    const node = await startPaperNode({ balance: '100000', risk: RISK_SECTION }, { timer });
    expect(node.risk).toBeDefined();
    const risk = node.risk!;
    const engine = node.engine;
    const exchange = node.venues.get('BINANCE').exchange!;
    const inst = engine.instrument(BTC);
    engine.updateMarket(BTC, { last: inst.price('100.00') });
    await engine.submitOrder({ clientOrderId: 'P-1', accountId: 'P', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.00' });
    await drain();
    expect(exchange.workingOrders().map((o) => o.id)).toEqual(['P-1']);
    const cancel = exchange.cancel.bind(exchange);
    let refusals = 6;
    exchange.cancel = (req) => {
      if (refusals-- > 0) throw new Error('ECONNRESET');
      return cancel(req);
    };
    await risk.control.engageKillSwitch({ operator: engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
    await timer.runUntilIdle();
    expect(exchange.workingOrders()).toHaveLength(0);
    expect(engine.order('P-1')?.status).toBe('CANCELED');
    expect(refusals).toBe(-1);
    expect(risk.chaser.chasing).toEqual([]);
    await node.stop();
  });
});
