import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { reconcile } from '../../src/engine/reconcile.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { CancelRequest, ModifyRequest } from '../../src/engine/venue.ts';
import { JSON_SNAPSHOTS } from '../../src/journal/snapshot.ts';
import type { Bar } from '../../src/model/bar.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';

const T0 = Date.parse('2024-01-02T00:00:00Z');
const ID = 'BTCUSDT.BINANCE';

/** An exchange that can lose cancels and modifies: the process died between journaling the request and making the call. */
class DroppingExchange extends SimulatedExchange {
  drop = false;
  readonly received: string[] = [];
  override cancel(req: CancelRequest): void {
    if (this.drop) return;
    this.received.push(`cancel ${req.clientOrderId}`);
    super.cancel(req);
  }
  override modify(req: ModifyRequest): void {
    if (this.drop) return;
    this.received.push(`modify ${req.clientOrderId}`);
    super.modify(req);
  }
}

/** A first engine with L-1, BUY 1 limit 39,900, working at the exchange. */
async function before() {
  const clock = new TestClock(T0);
  const journal = new MemoryJournal();
  const ex = new DroppingExchange({ id: 'BINANCE', clock });
  const engine = new Engine({ clock, journal });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' });
  ex.list(inst);
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  await engine.submitOrder({ clientOrderId: 'L-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '39900.00' });
  expect(engine.order('L-1')?.status).toBe('ACCEPTED');
  return { clock, journal, ex, engine };
}

/** The process dies (the venue's reports go nowhere) and a new engine is recovered from the same journal, with the same exchange. */
async function restart(clock: TestClock, journal: MemoryJournal, ex: SimulatedExchange) {
  ex.connect(() => {});
  const engine = await Engine.recover(journal, { clock, snapshotCodec: JSON_SNAPSHOTS });
  engine.addVenue(ex);
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  return { engine, alerts };
}

/** A minute bar down to `low`: a resting BUY at or above it fills. */
function barDownTo(ex: SimulatedExchange, engine: Engine, clock: TestClock, low: string): void {
  const b: Bar = { instrumentId: instrumentId(ID), ts: clock.now(), durationMs: 60_000, open: '40000.00', high: '40000.00', low, close: '40000.00', volume: '100' };
  clock.advance(60_000);
  ex.onBar(b, engine.instrument(ID));
}

describe('a cancel or modify journaled before a crash, after recovery and reconciliation', () => {
  it('a cancel journaled but never sent is sent again: L-1 is canceled at the venue and CANCELED here, and a fall to 39,800 fills nothing', async () => {
    const a = await before();
    a.ex.drop = true;
    await a.engine.cancelOrder('L-1');
    a.ex.drop = false;
    expect(a.engine.order('L-1')?.status).toBe('PENDING_CANCEL');

    const b = await restart(a.clock, a.journal, a.ex);
    expect(b.engine.order('L-1')?.status).toBe('PENDING_CANCEL');
    expect(a.ex.workingOrders().map((o) => o.id)).toEqual(['L-1']);
    const report = await reconcile(b.engine, a.ex);
    expect(b.engine.order('L-1')?.status).toBe('CANCELED');
    expect(a.ex.workingOrders()).toHaveLength(0);
    expect(report.cancelsResent).toEqual(['L-1']);
    barDownTo(a.ex, b.engine, a.clock, '39800.00');
    expect(b.engine.portfolio.openPositions()).toHaveLength(0);
  });

  it('a cancel that reached the venue but whose answer was lost is settled as CANCELED, not sent again', async () => {
    const a = await before();
    a.ex.connect(() => {}); // the answer is lost
    await a.engine.cancelOrder('L-1');
    const b = await restart(a.clock, a.journal, a.ex);
    const report = await reconcile(b.engine, a.ex);
    expect(b.engine.order('L-1')?.status).toBe('CANCELED');
    expect(report.cancelsResent).toEqual([]);
    expect(a.ex.received).toEqual(['cancel L-1']);
  });

  it('a modify to 39,950 journaled but never sent is rolled back (ACCEPTED at 39,900, MODIFY_ROLLED_BACK), never resent', async () => {
    const a = await before();
    a.ex.drop = true;
    await a.engine.modifyOrder('L-1', { price: '39950.00' });
    a.ex.drop = false;

    const b = await restart(a.clock, a.journal, a.ex);
    expect(b.engine.order('L-1')?.status).toBe('PENDING_UPDATE');
    const report = await reconcile(b.engine, a.ex);
    const o = b.engine.order('L-1');
    expect(o?.status).toBe('ACCEPTED');
    expect(o?.price?.toString()).toBe('39900.00');
    expect(report.modifiesSettled).toEqual([{ clientOrderId: 'L-1', outcome: 'ROLLED_BACK' }]);
    expect(b.alerts.map((x) => x.code)).toContain('MODIFY_ROLLED_BACK');
    expect(a.ex.received).toEqual([]);
    // Both sides agree on 39,900: a fall to 39,920 fills nothing, one to 39,900 fills it.
    barDownTo(a.ex, b.engine, a.clock, '39920.00');
    expect(b.engine.order('L-1')?.filledQty.toString()).toBe('0.000');
    barDownTo(a.ex, b.engine, a.clock, '39900.00');
    expect(b.engine.order('L-1')?.status).toBe('FILLED');
  });

  it('a modify to 39,950 that reached the venue but whose answer was lost is settled as applied: ACCEPTED at 39,950', async () => {
    const a = await before();
    a.ex.connect(() => {}); // the answer is lost
    await a.engine.modifyOrder('L-1', { price: '39950.00' });

    const b = await restart(a.clock, a.journal, a.ex);
    expect(b.engine.order('L-1')?.status).toBe('PENDING_UPDATE');
    const report = await reconcile(b.engine, a.ex);
    const o = b.engine.order('L-1');
    expect(o?.status).toBe('ACCEPTED');
    expect(o?.price?.toString()).toBe('39950.00');
    expect(report.modifiesSettled).toEqual([{ clientOrderId: 'L-1', outcome: 'APPLIED' }]);
    expect(a.ex.received).toEqual(['modify L-1']);
    barDownTo(a.ex, b.engine, a.clock, '39920.00');
    expect(b.engine.order('L-1')?.status).toBe('FILLED');
  });
});
