import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/model/bar.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { reconcile } from '../../src/engine/reconcile.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { SubmitRequest } from '../../src/engine/venue.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { ScriptedVenue } from '../../src/venues/scripted/scripted-venue.ts';

const T0 = Date.parse('2024-01-02T00:00:00Z');
const ID = 'BTCUSDT.BINANCE';

/** A venue that loses submits: the process "died" between journaling the order and calling the venue. */
class DroppingExchange extends SimulatedExchange {
  dropSubmits = false;
  override submit(req: SubmitRequest): void {
    if (!this.dropSubmits) super.submit(req);
  }
}

async function boot(clock: TestClock, journal: MemoryJournal, exchange: SimulatedExchange, fresh: boolean) {
  const engine = fresh ? new Engine({ clock, journal }) : await Engine.fromJournal(journal, { clock });
  engine.addVenue(exchange);
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  if (fresh) {
    const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' });
    exchange.list(inst);
    await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  }
  return { engine, alerts, inst: engine.instrument(ID) };
}

function bar(exchange: SimulatedExchange, engine: Engine, clock: TestClock, minute: number, open: string, high: string, low: string, close: string): void {
  const b: Bar = { instrumentId: instrumentId(ID), ts: T0 + minute * 60_000, durationMs: 60_000, open, high, low, close, volume: '100' };
  clock.set(T0 + (minute + 1) * 60_000);
  exchange.onBar(b, engine.instrument(ID));
}

describe('reconciliation after a restart', () => {
  it('applies fills and expiries the dead engine missed, and agrees on the position', async () => {
    const clock = new TestClock(T0);
    const journal = new MemoryJournal();
    const ex = new SimulatedExchange({ id: 'BINANCE', clock });
    const a = await boot(clock, journal, ex, true);
    bar(ex, a.engine, clock, 0, '40000.00', '40010.00', '39990.00', '40000.00');
    await a.engine.submitOrder({ clientOrderId: 'L-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '39900.00' });
    await a.engine.submitOrder({ clientOrderId: 'L-2', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '39000.00', timeInForce: 'GTD', expireTime: T0 + 3 * 60_000 });
    ex.connect(() => {}); // the engine process dies: reports go nowhere
    bar(ex, a.engine, clock, 1, '40000.00', '40000.00', '39850.00', '39950.00'); // L-1 fills at 39,900
    bar(ex, a.engine, clock, 3, '39950.00', '39960.00', '39940.00', '39950.00'); // L-2 expires

    const b = await boot(clock, journal, ex, false);
    expect(b.engine.order('L-1')?.status).toBe('ACCEPTED');
    const report = await reconcile(b.engine, ex);
    expect(b.engine.order('L-1')?.status).toBe('FILLED');
    expect(b.engine.order('L-2')?.status).toBe('EXPIRED');
    expect(b.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('1.000');
    expect(report).toMatchObject({ supported: true, fillsSeen: 1, positionMismatches: [], halted: false, neverReachedVenue: [] });
    // Running it again changes nothing: the fill is dropped by its trade id.
    const seq = b.engine.lastSeq;
    await reconcile(b.engine, ex);
    expect(b.engine.lastSeq).toBe(seq);
  });

  it('an order journaled but never sent (crash before the call) is marked rejected, never sent again', async () => {
    const clock = new TestClock(T0);
    const journal = new MemoryJournal();
    const ex = new DroppingExchange({ id: 'BINANCE', clock });
    const a = await boot(clock, journal, ex, true);
    bar(ex, a.engine, clock, 0, '40000.00', '40010.00', '39990.00', '40000.00');
    ex.dropSubmits = true;
    await a.engine.submitOrder({ clientOrderId: 'L-9', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'LIMIT', quantity: '1', price: '39900.00' });
    ex.dropSubmits = false;

    const b = await boot(clock, journal, ex, false);
    const report = await reconcile(b.engine, ex);
    expect(report.neverReachedVenue).toEqual(['L-9']);
    expect(b.engine.order('L-9')?.status).toBe('REJECTED');
    expect(ex.workingOrders()).toHaveLength(0);
  });

  it('adopts an order the venue has and we do not know, as external, with an alert', async () => {
    const clock = new TestClock(T0);
    const ex = new SimulatedExchange({ id: 'BINANCE', clock });
    const other = await boot(clock, new MemoryJournal(), ex, true);
    bar(ex, other.engine, clock, 0, '40000.00', '40010.00', '39990.00', '40000.00');
    await other.engine.submitOrder({ clientOrderId: 'X-1', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', quantity: '2', price: '41000.00' });

    const journal = new MemoryJournal();
    const ours = await boot(clock, journal, ex, true);
    const report = await reconcile(ours.engine, ex);
    expect(report.ordersAdopted).toEqual(['X-1']);
    expect(ours.engine.order('X-1')?.spec.tags).toContain('external');
    expect(ours.engine.order('X-1')?.status).toBe('ACCEPTED');
    expect(ours.alerts.map((x) => x.code)).toContain('EXTERNAL_ORDER_ADOPTED');
  });

  it('a venue position it cannot explain halts trading instead of assuming flat (FAULTS 24)', async () => {
    const clock = new TestClock(T0);
    const ex = new SimulatedExchange({ id: 'BINANCE', clock });
    const other = await boot(clock, new MemoryJournal(), ex, true);
    bar(ex, other.engine, clock, 0, '40000.00', '40010.00', '39990.00', '40000.00');
    await other.engine.submitOrder({ clientOrderId: 'X-2', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: '1' });
    bar(ex, other.engine, clock, 1, '40000.00', '40010.00', '39990.00', '40000.00'); // filled: the venue holds 1 BTC for A

    const ours = await boot(clock, new MemoryJournal(), ex, true);
    const report = await reconcile(ours.engine, ex);
    expect(report.positionMismatches).toEqual([{ accountId: 'A', instrumentId: ID, ours: '0', venue: '1000' }]);
    expect(report.halted).toBe(true);
    expect(ours.engine.risk.stateOf('FIRM')).toBe('HALTED');
    expect(ours.alerts.map((x) => x.code)).toContain('POSITION_MISMATCH');
  });

  it('a venue that cannot be queried is reported, not guessed at', async () => {
    const clock = new TestClock(T0);
    const engine = new Engine({ clock, journal: new MemoryJournal() });
    const venue = new ScriptedVenue({ id: 'BINANCE', clock });
    engine.addVenue(venue);
    expect((await reconcile(engine, venue)).supported).toBe(false);
  });
});
