import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { RiskControl } from '../../src/risk/control/risk-control.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { CancelRequest } from '../../src/engine/venue.ts';
import { CancelChaser } from '../../src/execution/cancel-chaser.ts';
import { ManualTimer } from '../../src/execution/timer.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import type { RiskAction } from '../../src/risk/actions.ts';
import type { RiskMonitor } from '../../src/risk/breakers/monitor.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { ConstantLatency } from '../../src/venues/sim/models/index.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'BTCUSDT.SIM';
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A breaker that trips on ACCOUNT:A with cancelOrders the first time it is asked. */
class TripOnce implements RiskMonitor {
  readonly name = 'trip_once';
  private done = false;
  onTime(): readonly RiskAction[] {
    if (this.done) return [];
    this.done = true;
    return [{ do: 'trip', breaker: this.name, scope: 'ACCOUNT:A', value: 1, threshold: 0, action: 'HALT', cancelOrders: true, flatten: false, autoResetAt: undefined, message: 'test' }];
  }
}

/** An exchange whose cancels can be lost on the way (a process that dies before the call). */
class LossyExchange extends SimulatedExchange {
  dropCancels = false;
  override cancel(req: CancelRequest): void {
    if (!this.dropCancels) super.cancel(req);
  }
}

async function boot(clock: TestClock, journal: MemoryJournal, ex: SimulatedExchange, fresh: boolean, monitors: RiskMonitor[] = []) {
  const engine = fresh ? new Engine({ clock, journal }) : await Engine.fromJournal(journal, { clock });
  engine.addVenue(ex);
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  if (fresh) {
    const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0' });
    ex.list(inst);
    for (const id of ['A', 'B']) await engine.openAccount({ id, type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  }
  const control = new RiskControl(engine, monitors);
  await control.start();
  const timer = new ManualTimer(clock);
  const chaser = new CancelChaser(engine, { timer, queries: (v) => (v === ex.id ? ex.queries : undefined) });
  return { engine, control, chaser, timer, alerts, inst: engine.instrument(ID) };
}

const limit = (id: string, account: string, price = '100.00') =>
  ({ clientOrderId: id, accountId: account, instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price }) as const;

describe('the cancel chaser', () => {
  it('after a breaker on ACCOUNT:A cancels its orders, A\'s order in flight is canceled when it lands 500 ms later; B\'s order keeps working', async () => {
    const clock = new TestClock(T0);
    const ex = new SimulatedExchange({ id: 'SIM', clock, latency: new ConstantLatency(500, 0, 0) });
    const h = await boot(clock, new MemoryJournal(), ex, true, [new TripOnce()]);
    h.chaser.start(h.control);
    await h.engine.submitOrder(limit('B-1', 'B', '90.00'));
    clock.advance(500);
    ex.advance(); // B-1 is working
    await h.engine.submitOrder(limit('A-1', 'A'));
    clock.advance(10);
    await h.control.tick(); // trips: cancel-all on ACCOUNT:A; A-1's cancel comes back not found
    await drain();
    expect(h.engine.order('A-1')?.status).toBe('SUBMITTED');
    expect(h.chaser.chasing).toEqual(['A-1']);
    clock.advance(500);
    ex.onTrade(h.inst, h.inst.price('95.00'), '0.1'); // A-1 lands and takes 0.1 of this print; the rest of it dies
    await drain();
    expect(h.engine.order('A-1')?.status).toBe('CANCELED');
    expect(h.engine.order('A-1')?.filledQty.toString()).toBe('0.100');
    ex.onTrade(h.inst, h.inst.price('95.00'), '5');
    expect(h.engine.order('A-1')?.filledQty.toString()).toBe('0.100');
    expect(h.engine.order('B-1')?.status).toBe('ACCEPTED');
    expect(ex.workingOrders().map((o) => o.id)).toEqual(['B-1']);
  });

  it('under the kill switch, an order the venue reports that we did not know is adopted with its 0.4 fill, and canceled', async () => {
    const clock = new TestClock(T0);
    const ex = new SimulatedExchange({ id: 'SIM', clock });
    const other = await boot(clock, new MemoryJournal(), ex, true);
    await other.engine.submitOrder({ ...limit('X-1', 'A'), quantity: '2' });
    const h = await boot(clock, new MemoryJournal(), ex, true); // takes over the venue's report stream
    h.chaser.start(h.control);
    await h.control.engageKillSwitch({ operator: h.engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
    ex.onTrade(h.inst, h.inst.price('100.00'), '0.4'); // a fill for X-1: unknown to us
    await drain();
    const x = h.engine.order('X-1');
    expect(x?.spec.tags).toContain('external');
    expect(x?.status).toBe('CANCELED');
    expect(x?.filledQty.toString()).toBe('0.400');
    expect(ex.workingOrders()).toHaveLength(0);
    expect(h.alerts.map((a) => a.code)).toEqual(expect.arrayContaining(['UNKNOWN_ORDER', 'EXTERNAL_ORDER_ADOPTED']));
  });

  it('after a restart with the kill switch engaged, an order whose kill-switch cancel was lost is canceled when the chaser starts', async () => {
    const clock = new TestClock(T0);
    const journal = new MemoryJournal();
    const ex = new LossyExchange({ id: 'SIM', clock });
    const a = await boot(clock, journal, ex, true);
    await a.engine.submitOrder(limit('A-1', 'A', '90.00'));
    ex.dropCancels = true;
    await a.control.engageKillSwitch({ operator: a.engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
    ex.dropCancels = false;
    expect(ex.workingOrders().map((o) => o.id)).toEqual(['A-1']);

    const b = await boot(clock, journal, ex, false);
    expect(b.engine.risk.killSwitch).toBeDefined();
    b.chaser.start(b.control);
    await drain();
    expect(b.engine.order('A-1')?.status).toBe('CANCELED');
    expect(ex.workingOrders()).toHaveLength(0);
  });
});
