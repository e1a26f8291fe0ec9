/**
 * Running execution algorithms survive a restart: they are journaled (AlgoStarted, AlgoSliceSent,
 * ...), the engine is rebuilt from the same SQLite journal (full replay, or a snapshot and its
 * tail), `algos.recover()` takes them back, the venue is reconciled, and they finish against the
 * same simulated exchange with exactly the remaining quantity — or, when their horizon ended
 * while the node was down, are canceled by the documented rule (src/algos/resume.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionAlgorithms } from '../../src/algos/runner.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { operatorOrigin, strategyOrigin, type Origin } from '../../src/engine/origin.ts';
import { reconcile } from '../../src/engine/reconcile.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { Bar } from '../../src/model/bar.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import { JSON_SNAPSHOTS } from '../../src/journal/snapshot.ts';
import { Snapshotter } from '../../src/journal/snapshotter.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { BTC, BTC_SPEC, MIN, T0 } from './harness.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const s1 = strategyOrigin('s1');
const parent = { accountId: 'A', strategyId: 's1', instrumentId: BTC, side: 'BUY', quantity: '1' } as const;

/** One venue and one clock that outlive the trading process; processes (engine + algorithms) that come and go. */
function world() {
  const clock = new TestClock(T0);
  const ex = new SimulatedExchange({ id: 'SIM', clock });
  const dir = mkdtempSync(join(tmpdir(), 'warden-algos-'));
  dirs.push(dir);
  const path = join(dir, 'journal.sqlite');
  let minute = 0;
  let current: ReturnType<typeof wire> | undefined;
  let listed: Awaited<ReturnType<Engine['registerInstrument']>> | undefined;

  function wire(engine: Engine, journal: SqliteJournal) {
    engine.addVenue(ex);
    const algos = new ExecutionAlgorithms(engine);
    const alerts: EngineAlert[] = [];
    engine.bus.subscribe('alert', (a) => alerts.push(a));
    return { engine, journal, algos, alerts, snapshots: new Snapshotter(engine, journal, { every: 1_000_000 }) };
  }

  async function start() {
    const journal = SqliteJournal.open({ path });
    const engine = new Engine({ clock, journal });
    const w = wire(engine, journal);
    const inst = await engine.registerInstrument(BTC_SPEC);
    ex.list(inst);
    listed = inst;
    await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('10000000', Currencies.USDT), Money.of('100', Currencies.BTC)] });
    current = w;
    return w;
  }

  /** The process dies: nothing of it is kept but its journal; the venue's reports go nowhere until a new one connects. */
  async function crash() {
    const old = current!;
    old.algos.dispose();
    ex.connect(() => {});
    await old.journal.close();
    current = undefined;
  }

  /** A new process: recover the engine (snapshot + tail when there is one), the algorithms, then reconcile with the venue. */
  async function recover() {
    const journal = SqliteJournal.open({ path });
    const engine = await Engine.recover(journal, { clock, snapshotCodec: JSON_SNAPSHOTS });
    const w = wire(engine, journal);
    const recovered = await w.algos.recover();
    await reconcile(engine, ex);
    await w.algos.tick();
    current = w;
    return { ...w, recovered };
  }

  async function restart() {
    await crash();
    return recover();
  }

  /** The next 1-minute bar: the venue walks it, then the engine (if a process is up) sees it at its close. */
  async function bar(open: string, high = open, low = open, close = open) {
    const b: Bar = { instrumentId: instrumentId(BTC), ts: T0 + minute * MIN, durationMs: MIN, open, high, low, close, volume: '1000' };
    minute++;
    clock.set(T0 + minute * MIN);
    const w = current;
    ex.onBar(b, listed!);
    if (!w) return;
    w.engine.updateBar(b);
    await w.algos.idle();
  }

  async function snapshot() {
    const w = current!;
    await new Promise((r) => setTimeout(r, 20)); // the group commit makes the last records durable
    expect(w.snapshots.takeNow()).toBe(w.engine.lastSeq);
    await new Promise((r) => setTimeout(r, 20)); // and the snapshot is written
  }

  /** Every journaled event, across all processes. */
  async function journaled(): Promise<EngineEvent[]> {
    const out: EngineEvent[] = [];
    for await (const { event } of current!.engine.journal.read(1)) out.push(event);
    return out;
  }

  /** Each child as `id:qty@minute` (minutes since T0) with its origin, in the order sent. */
  async function children(prefix: string): Promise<string[]> {
    return (await journaled()).flatMap((e) => (e.kind === 'OrderInitialized' && e.clientOrderId.startsWith(`${prefix}-`) ? [`${e.clientOrderId}:${e.spec.quantity.toString()}@${(e.tsEvent - T0) / MIN} ${e.origin ?? 'none'}`] : []));
  }

  /** Total filled over the children of `prefix`, from the journal's fills. */
  async function filled(prefix: string): Promise<string> {
    let raw = 0n;
    for (const e of await journaled()) if (e.kind === 'OrderFilled' && e.clientOrderId.startsWith(`${prefix}-`)) raw += e.lastQty.raw;
    return (Number(raw) / 1000).toFixed(3);
  }

  return { clock, ex, start, crash, recover, restart, bar, snapshot, journaled, children, filled, get now() { return current!; } };
}

async function twapTen(w: ReturnType<typeof world>, origin: Origin = s1, extra: object = {}) {
  await w.bar('100.00'); // 00:01
  const start = w.now.engine.now();
  await w.now.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 10 * MIN, slices: 10, ...extra }, origin);
  return start;
}

describe('a TWAP across a restart', () => {
  for (const mode of ['full replay', 'snapshot + tail'] as const) {
    it(`${mode}: 10 slices of 0.1, the process dies with T-4 at the venue; the new one finishes T-5..T-10 — 1.000 filled, no id twice, every slice STRATEGY:s1`, async () => {
      const w = world();
      await w.start();
      await twapTen(w);
      await w.bar('100.00'); // T-1 fills, T-2 sent
      if (mode === 'snapshot + tail') await w.snapshot();
      await w.bar('100.00');
      await w.bar('100.00'); // T-4 sent at 00:04, not filled yet
      expect(w.now.algos.progress('T')).toMatchObject({ slicesSent: 4, slicesFilled: 3 });

      const after = await w.restart();
      if (mode === 'snapshot + tail') expect(after.engine.recovery?.snapshotSeq).toBeGreaterThan(0);
      else expect(after.engine.recovery?.snapshotSeq).toBeUndefined();
      expect(after.recovered).toEqual({ resumed: ['T'], stopped: [] });
      expect(after.algos.progress('T')).toMatchObject({ status: 'RUNNING', slicesSent: 4, slicesFilled: 3, children: ['T-1', 'T-2', 'T-3', 'T-4'] });
      expect(after.algos.progress('T').filled.toString()).toBe('0.300');
      for (let i = 0; i < 7; i++) await w.bar('101.00');

      const sent = await w.children('T');
      expect(sent).toEqual(Array.from({ length: 10 }, (_, i) => `T-${i + 1}:0.100@${i + 1} STRATEGY:s1`));
      expect(await w.filled('T')).toBe('1.000');
      const p = after.algos.progress('T');
      expect(p).toMatchObject({ status: 'DONE', reason: 'FILLED', slicesSent: 10, slicesFilled: 10 });
      expect(p.filled.toString()).toBe('1.000');
      expect(after.engine.state.algos.running()).toEqual([]);
      expect(after.alerts).toEqual([]);
    });
  }

  it('down for 3 minutes: T-4 fills at the venue meanwhile (reconciled, counted); the 0.6 left goes over the 4 slices still to come, 0.15 each; 1.000 in all', async () => {
    const w = world();
    await w.start();
    await twapTen(w);
    await w.bar('100.00');
    await w.bar('100.00');
    await w.bar('100.00'); // T-4 sent at 00:04
    await w.crash();
    await w.bar('102.00'); // T-4 fills at 102 while nobody listens; 00:05
    await w.bar('102.00'); // 00:06
    await w.bar('102.00'); // 00:07: slices due at 00:05 and 00:06 were missed

    const after = await w.recover();
    expect(after.recovered.resumed).toEqual(['T']);
    const resumed = (await w.journaled()).find((e) => e.kind === 'AlgoResumed');
    expect(resumed).toMatchObject({ parentId: 'T', slices: ['0.100', '0.100', '0.100', '0.100', '0.000', '0.000', '0.150', '0.150', '0.150', '0.150'] });
    expect(after.algos.progress('T').filled.toString()).toBe('0.400'); // T-4's fill, from reconciliation
    for (let i = 0; i < 4; i++) await w.bar('103.00');

    expect((await w.children('T')).slice(4)).toEqual(['T-5:0.150@7 STRATEGY:s1', 'T-6:0.150@8 STRATEGY:s1', 'T-7:0.150@9 STRATEGY:s1', 'T-8:0.150@10 STRATEGY:s1']);
    expect(await w.filled('T')).toBe('1.000');
    expect(after.algos.progress('T')).toMatchObject({ status: 'DONE', reason: 'FILLED' });
  });

  it('the horizon ends while the node is down (SEND_REMAINDER, a LIMIT slice resting): canceled with ALGO_HORIZON_PASSED, the resting slice canceled, no remainder sent; still canceled after another restart', async () => {
    const w = world();
    await w.start();
    await twapTen(w, s1, { order: { type: 'LIMIT', price: '99.00' }, atEnd: 'SEND_REMAINDER' });
    await w.bar('100.00'); // T-1 still resting at 99; T-1 canceled and T-2 = 0.2 sent at 00:02
    await w.crash();
    for (let i = 0; i < 12; i++) await w.bar('100.00'); // the horizon (00:11) passes

    const after = await w.recover();
    await after.algos.idle();
    expect(after.recovered).toEqual({ resumed: [], stopped: [{ parentId: 'T', status: 'CANCELED', reason: 'HORIZON_PASSED' }] });
    const algoAlerts = after.alerts.filter((a) => a.code.startsWith('ALGO_'));
    expect(algoAlerts.map((a) => a.code)).toEqual(['ALGO_HORIZON_PASSED']);
    expect(algoAlerts[0]?.message).toContain('1.000 of 1.000 unfilled');
    expect(after.algos.progress('T')).toMatchObject({ status: 'CANCELED', reason: 'HORIZON_PASSED' });
    expect(after.engine.order('T-2')?.status).toBe('CANCELED');
    expect(await w.ex.queries.openOrders()).toEqual([]);
    await w.bar('98.00', '98.00', '97.00', '97.50');
    expect((await w.children('T')).map((c) => c.split(':')[0])).toEqual(['T-1', 'T-2']);
    expect(await w.filled('T')).toBe('0.000');

    const again = await w.restart();
    expect(again.recovered).toEqual({ resumed: [], stopped: [] });
    expect(again.engine.state.algos.running()).toEqual([]);
    expect(again.alerts).toEqual([]);
  });

  it('a TWAP canceled before the restart stays canceled: nothing is taken back, later bars send nothing', async () => {
    const w = world();
    await w.start();
    await twapTen(w);
    await w.bar('100.00');
    expect(await w.now.algos.cancel('T')).toBe(true);
    const after = await w.restart();
    expect(after.recovered).toEqual({ resumed: [], stopped: [] });
    expect(after.algos.running()).toEqual([]);
    for (let i = 0; i < 4; i++) await w.bar('100.00');
    expect((await w.children('T')).length).toBe(2);
    expect(() => after.algos.progress('T')).toThrow(expect.objectContaining({ code: 'UNKNOWN_ORDER' }));
  });

  it('an operator\u2019s TWAP goes on as SYSTEM after the restart (the credential died with the process); its earlier slices stay OPERATOR:ops', async () => {
    const w = world();
    await w.start();
    const ops = w.now.engine.authority.issue('ops', ['TRADE']);
    await twapTen(w, operatorOrigin(ops), { strategyId: undefined });
    await w.bar('100.00');
    const after = await w.restart();
    expect(after.recovered.resumed).toEqual(['T']);
    await w.bar('100.00');
    expect((await w.children('T')).map((c) => c.split(' ')[1])).toEqual(['OPERATOR:ops', 'OPERATOR:ops', 'SYSTEM']);
  });
});

describe('VWAP and iceberg across a restart', () => {
  it('VWAP 1:2:3:4 over 8 minutes (snapshot + tail): dies with V-2 at the venue; finishes 0.1, 0.2, 0.3, 0.4 as planned, 1.000 in all', async () => {
    const w = world();
    await w.start();
    await w.bar('100.00');
    const start = w.now.engine.now();
    await w.now.algos.start({ ...parent, kind: 'VWAP', parentId: 'V', startTime: start, endTime: start + 8 * MIN, volume: { kind: 'WEIGHTS', weights: [1, 2, 3, 4] } }, s1);
    await w.bar('100.00');
    await w.snapshot();
    await w.bar('100.00'); // V-2 sent at 00:03
    const after = await w.restart();
    expect(after.engine.recovery?.snapshotSeq).toBeGreaterThan(0);
    expect(after.recovered.resumed).toEqual(['V']);
    for (let i = 0; i < 6; i++) await w.bar('100.00');
    expect(await w.children('V')).toEqual(['V-1:0.100@1 STRATEGY:s1', 'V-2:0.200@3 STRATEGY:s1', 'V-3:0.300@5 STRATEGY:s1', 'V-4:0.400@7 STRATEGY:s1']);
    expect(await w.filled('V')).toBe('1.000');
    expect(after.algos.progress('V')).toMatchObject({ status: 'DONE', reason: 'FILLED' });
  });

  it('iceberg 1.0 shown 0.25 at 99: dies with I-2 resting; I-2 fills while down (reconciled); I-3 and I-4 follow, 1.000 in all, never more than 0.25 on the book', async () => {
    const w = world();
    await w.start();
    await w.bar('100.00');
    await w.now.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.25', price: '99.00' }, s1);
    await w.bar('100.00', '100.00', '98.00', '99.50'); // I-1 fills, I-2 sent
    await w.crash();
    await w.bar('100.00', '100.00', '98.00', '99.50'); // I-2 fills while down

    const after = await w.recover();
    expect(after.recovered.resumed).toEqual(['I']);
    expect(after.algos.progress('I').filled.toString()).toBe('0.500');
    for (let i = 0; i < 3; i++) {
      await w.bar('100.00', '100.00', '98.00', '99.50');
      expect((await w.ex.queries.openOrders()).length).toBeLessThanOrEqual(1);
    }
    expect(await w.children('I')).toEqual(['I-1:0.250@1 STRATEGY:s1', 'I-2:0.250@2 STRATEGY:s1', 'I-3:0.250@3 STRATEGY:s1', 'I-4:0.250@4 STRATEGY:s1']);
    expect(await w.filled('I')).toBe('1.000');
    expect(after.algos.progress('I')).toMatchObject({ status: 'DONE', reason: 'FILLED' });
  });
});

describe('journals without running algorithms', () => {
  it('a journal with orders and no algo events replays; recover() takes nothing back and sends nothing', async () => {
    const w = world();
    await w.start();
    await w.now.engine.submitOrder({ clientOrderId: 'O-1', accountId: 'A', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' });
    await w.bar('100.00');
    const before = w.now.engine.lastSeq;
    const after = await w.restart();
    expect(after.recovered).toEqual({ resumed: [], stopped: [] });
    expect(after.engine.order('O-1')?.status).toBe('FILLED');
    expect(after.engine.lastSeq).toBe(before);
    expect((await w.journaled()).some((e) => e.kind.startsWith('Algo'))).toBe(false);
  });
});

describe('a slice journaled whose order never was', () => {
  it('the process stopped between AlgoSliceSent T-1 and its OrderInitialized: T-1 is sent once after the restart, under the same id', async () => {
    const { algoSetup } = await import('./harness.ts');
    const { MemoryJournal } = await import('../../src/engine/journal.ts');
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 4 * MIN, slices: 2 }, s1);
    // The journal as it was the moment before T-1's order went in.
    const cut = new MemoryJournal();
    for await (const r of h.engine.journal.read(1)) {
      if (r.event.kind === 'OrderInitialized' && r.event.clientOrderId === 'T-1') break;
      void cut.append([r]);
    }
    const kinds: string[] = [];
    for await (const r of cut.read(1)) kinds.push(r.event.kind);
    expect(kinds.slice(-2)).toEqual(['AlgoStarted', 'AlgoSliceSent']);
    const engine = await Engine.fromJournal(cut, { clock: h.clock });
    engine.addVenue(new SimulatedExchange({ id: 'SIM', clock: h.clock }));
    const algos = new ExecutionAlgorithms(engine);
    expect(await algos.recover()).toEqual({ resumed: ['T'], stopped: [] });
    await algos.tick();
    const sent: string[] = [];
    for await (const r of cut.read(1)) if (r.event.kind === 'OrderInitialized') sent.push(`${r.event.clientOrderId}:${r.event.spec.quantity.toString()} ${r.event.origin ?? 'none'}`);
    expect(sent).toEqual(['T-1:0.500 STRATEGY:s1']);
    expect(algos.progress('T')).toMatchObject({ slicesSent: 1, children: ['T-1'] });
  });
});
