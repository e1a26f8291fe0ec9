/**
 * Held orders and contingent groups survive a restart: they are journaled (EmulationEvents), the
 * engine is rebuilt from the journal (full replay, or a snapshot and its tail, on SQLite), and
 * OrderEmulator.recover() takes them back, carrying out what was decided but not done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { OrderEmulator } from '../../../src/execution/emulation/emulator.ts';
import { strategyOrigin } from '../../../src/engine/origin.ts';
import type { Journal } from '../../../src/engine/journal.ts';
import type { EngineAlert } from '../../../src/engine/topics.ts';
import type { Bar } from '../../../src/model/bar.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { instrumentId } from '../../../src/model/identifiers.ts';
import { Money } from '../../../src/model/money.ts';
import { SqliteJournal } from '../../../src/journal/sqlite.ts';
import { JSON_SNAPSHOTS } from '../../../src/journal/snapshot.ts';
import { Snapshotter } from '../../../src/journal/snapshotter.ts';
import { SimulatedExchange } from '../../../src/venues/sim/exchange/simulated-exchange.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'SOLUSDT.SIM';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** One venue that outlives the trading process, and processes (engine + emulator) that come and go. */
function world() {
  const clock = new TestClock(T0);
  const ex = new SimulatedExchange({ id: 'SIM', clock });
  const dir = mkdtempSync(join(tmpdir(), 'warden-emu-'));
  dirs.push(dir);
  const path = join(dir, 'journal.sqlite');
  let minute = 0;
  let current: Awaited<ReturnType<typeof process>> | undefined;

  const emulatorFor = (engine: Engine) =>
    new OrderEmulator(engine, { capabilities: [{ id: 'SIM', capabilities: { ...ex.capabilities, stopOrders: false, trailingStops: false } }] });

  function wire(engine: Engine, journal: Journal & { close(): Promise<void> }) {
    engine.addVenue(ex);
    const emulator = emulatorFor(engine);
    const alerts: EngineAlert[] = [];
    engine.bus.subscribe('alert', (a) => alerts.push(a));
    return { engine, journal, emulator, alerts, snapshots: new Snapshotter(engine, journal as SqliteJournal, { every: 1_000_000 }) };
  }

  /** A first start: a new journal, the instrument and the account. */
  async function process() {
    const journal = SqliteJournal.open({ path });
    const engine = new Engine({ clock, journal });
    const w = wire(engine, journal);
    const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0' });
    ex.list(inst);
    await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
    w.emulator.start();
    return w;
  }

  /** The process stops (its journal closed, nothing else kept) and a new one recovers. */
  async function restart() {
    const old = current!;
    old.emulator.stop();
    await old.journal.close();
    const journal = SqliteJournal.open({ path });
    const engine = await Engine.recover(journal, { clock, snapshotCodec: JSON_SNAPSHOTS });
    const w = wire(engine, journal);
    await w.emulator.recover();
    w.emulator.start();
    current = w;
    return w;
  }

  async function bar(open: string, high: string, low: string, close: string) {
    const w = current!;
    const inst = w.engine.instrument(ID);
    const b: Bar = { instrumentId: instrumentId(ID), ts: T0 + minute * 60_000, durationMs: 60_000, open, high, low, close, volume: '1000' };
    minute++;
    clock.set(T0 + minute * 60_000);
    ex.onBar(b, inst);
    w.engine.updateBar(b);
    await w.emulator.idle();
  }

  const position = (): string => {
    const p = current!.engine.portfolio.openPositions().find((x) => x.instrumentId === ID);
    return p ? `${p.side === 'SHORT' ? '-' : ''}${p.quantity.toString()}` : '0';
  };

  return {
    ex,
    start: async () => (current = await process()),
    restart,
    bar,
    position,
    get now() {
      return current!;
    },
  };
}

describe('emulated orders across a restart', () => {
  it('a trailing stop comes back at the stop it had ratcheted to, not from scratch, and then exits', async () => {
    const w = world();
    await w.start();
    await w.now.engine.submitOrder({ clientOrderId: 'E-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: '1' });
    await w.bar('100.00', '100.00', '100.00', '100.00');
    await w.now.emulator.submitTrailingStop({
      clientOrderId: 'TS-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '500', trailingOffsetType: 'BASIS_POINTS', referencePrice: '100.00',
    });
    await w.bar('110.00', '120.00', '110.00', '119.00');
    expect(w.now.emulator.get('TS-1')?.triggerPrice?.toString()).toBe('114.00');

    const after = await w.restart();
    expect(after.engine.recovery?.snapshotSeq).toBeUndefined(); // a full replay; the snapshot case is below
    expect(after.emulator.get('TS-1')?.triggerPrice?.toString()).toBe('114.00');
    await w.bar('116.00', '116.00', '113.00', '113.00'); // through 114: released at the close
    await w.bar('113.00', '113.00', '113.00', '113.00'); // fills at the next open
    expect(after.engine.order('TS-1')?.status).toBe('FILLED');
    expect(w.position()).toBe('0');
    expect(after.engine.state.emulation.held()).toEqual([]);
    expect(after.alerts).toEqual([]);
  });

  it('a bracket whose entry filled just before the stop gets its children after the restart, and they protect the position', async () => {
    const w = world();
    await w.start();
    await w.now.emulator.submitBracket({
      entry: { clientOrderId: 'B-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: '1' },
      takeProfitPrice: '110.00',
      stopLossTriggerPrice: '95.00',
    });
    // The process stops watching before the entry fills: the fill is journaled, the children never placed.
    w.now.emulator.stop();
    await w.bar('100.00', '100.00', '100.00', '100.00');
    expect(w.now.engine.order('B-1')?.status).toBe('FILLED');
    expect(w.now.engine.order('B-1-TP-1')).toBeUndefined();

    const after = await w.restart();
    await after.emulator.idle();
    expect(after.engine.order('B-1-TP-1')?.isOpen).toBe(true); // the take-profit is at the venue
    expect(after.emulator.get('B-1-SL-1')?.status).toBe('HELD'); // the stop-loss held here (no stops at the venue)
    await w.bar('99.00', '99.00', '94.00', '94.00'); // through the stop
    await w.bar('94.00', '94.00', '94.00', '94.00');
    expect(after.engine.order('B-1-SL-1')?.status).toBe('FILLED');
    // Reduce-only: the venue expires it once the position is closed (as Binance futures), before the OUO cancel arrives.
    expect(after.engine.order('B-1-TP-1')?.status).toBe('EXPIRED');
    expect(w.position()).toBe('0');
    expect(after.engine.state.emulation.contingencies()).toEqual([]); // settled and journaled complete
  });

  it('a held OUO leg shrunk by the other leg\u2019s partial fill comes back at its new size (snapshot + tail)', async () => {
    const w = world();
    await w.start();
    await w.now.engine.submitOrder({ clientOrderId: 'E-1', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: '1' });
    await w.bar('100.00', '100.00', '100.00', '100.00');
    await w.now.emulator.submitOuo(
      { clientOrderId: 'TP', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1', reduceOnly: true },
      { clientOrderId: 'SL', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1', reduceOnly: true },
    );
    // 0.4 of the take-profit: the engine's fill report, as the venue would send on a partial fill.
    w.now.engine.applyVenueReport('SIM', { kind: 'OrderFilled', clientOrderId: 'TP' as never, tradeId: 'X-1' as never, lastQty: '0.4', lastPx: '105.00', liquidity: 'MAKER', ts: T0 });
    await w.now.emulator.idle();
    expect(w.now.emulator.get('SL')?.spec.quantity.toString()).toBe('0.600');
    await new Promise((r) => setTimeout(r, 20)); // the group commit makes the last records durable
    expect(w.now.snapshots.takeNow()).toBe(w.now.engine.lastSeq);
    await new Promise((r) => setTimeout(r, 20)); // and the snapshot is written

    const after = await w.restart();
    expect(after.engine.recovery?.snapshotSeq).toBeGreaterThan(0);
    expect(after.emulator.get('SL')?.spec.quantity.toString()).toBe('0.600');
    expect(after.emulator.get('SL')?.status).toBe('HELD');
  });

  describe('origins after a restart (released orders and children go out as whoever placed them)', () => {
    const s1 = strategyOrigin('s1');
    const common = { accountId: 'A', strategyId: 's1', instrumentId: ID } as const;
    /** The origin journaled on the order's OrderInitialized. */
    async function journaledOrigin(engine: Engine, id: string): Promise<string | undefined> {
      for await (const { event: e } of engine.journal.read(1)) if (e.kind === 'OrderInitialized' && e.clientOrderId === id) return e.origin;
      return 'never submitted';
    }

    it('full replay: a held stop of s1 released after the restart, and the children of s1\u2019s bracket placed after it, are STRATEGY:s1', async () => {
      const w = world();
      await w.start();
      await w.now.engine.submitOrder({ ...common, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET', quantity: '1' }, s1);
      await w.bar('100.00', '100.00', '100.00', '100.00');
      await w.now.emulator.submitOrder({ ...common, clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' }, s1);
      await w.now.emulator.submitBracket({ entry: { ...common, clientOrderId: 'B-1', side: 'BUY', type: 'MARKET', quantity: '1' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '90.00' }, s1);
      w.now.emulator.stop();
      await w.bar('100.00', '100.00', '100.00', '100.00'); // the entry fills while nobody watches

      const after = await w.restart();
      await after.emulator.idle();
      expect(after.engine.recovery?.snapshotSeq).toBeUndefined();
      expect(await journaledOrigin(after.engine, 'B-1-TP-1')).toBe('STRATEGY:s1');
      expect(after.emulator.get('B-1-SL-1')?.status).toBe('HELD');
      await w.bar('99.00', '99.00', '94.00', '94.00'); // through 95: SL-1 is released
      await w.bar('94.00', '94.00', '94.00', '94.00');
      expect(after.engine.order('SL-1')?.status).toBe('FILLED');
      expect(await journaledOrigin(after.engine, 'SL-1')).toBe('STRATEGY:s1');
      expect(after.alerts).toEqual([]);
    });

    it('snapshot + tail: a held stop of s1 comes back with its origin and is released as STRATEGY:s1', async () => {
      const w = world();
      await w.start();
      await w.now.engine.submitOrder({ ...common, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET', quantity: '1' }, s1);
      await w.bar('100.00', '100.00', '100.00', '100.00');
      await w.now.emulator.submitOrder({ ...common, clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' }, s1);
      await new Promise((r) => setTimeout(r, 20)); // the group commit makes the last records durable
      expect(w.now.snapshots.takeNow()).toBe(w.now.engine.lastSeq);
      await new Promise((r) => setTimeout(r, 20)); // and the snapshot is written

      const after = await w.restart();
      expect(after.engine.recovery?.snapshotSeq).toBeGreaterThan(0);
      expect(after.engine.state.emulation.held().map((r) => r.origin)).toEqual(['STRATEGY:s1']);
      await w.bar('99.00', '99.00', '94.00', '94.00');
      await w.bar('94.00', '94.00', '94.00', '94.00');
      expect(after.engine.order('SL-1')?.status).toBe('FILLED');
      expect(await journaledOrigin(after.engine, 'SL-1')).toBe('STRATEGY:s1');
    });
  });
});
