import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { TestClock } from '../src/engine/clock.ts';
import { Engine } from '../src/engine/engine.ts';
import type { EngineEvent, JournalRecord } from '../src/engine/events.ts';
import { MemoryJournal } from '../src/engine/journal.ts';
import { PostgresJournal } from '../src/journal/postgres.ts';
import { SqliteJournal } from '../src/journal/sqlite.ts';
import { encodeSnapshot, JSON_SNAPSHOTS } from '../src/journal/snapshot.ts';
import type { DurableJournal } from '../src/journal/types.ts';
import { Currencies } from '../src/model/currency.ts';
import { Money } from '../src/model/money.ts';
import { ScriptedVenue } from '../src/venues/scripted/scripted-venue.ts';
import { recordResult } from './results.ts';

const GOAL_EVENTS_PER_SEC = 50_000;
const GOAL_P99_MS = 10;
const PG_URL = process.env.WARDEN_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Real engine events: market orders against a scripted venue (opening records first). */
export async function engineEvents(orders: number): Promise<{ records: JournalRecord[]; clock: TestClock }> {
  const clock = new TestClock(1_700_000_000_000);
  const journal = new MemoryJournal();
  const engine = new Engine({ clock, journal, retainClosedOrders: 1_000 });
  const inst = await engine.registerInstrument({
    id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001',
  });
  const px = inst.price('25000.00');
  engine.addVenue(new ScriptedVenue({ id: 'BINANCE', clock, marketPrice: () => px, recordCalls: false }));
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000000', Currencies.USDT)] });
  const qty = inst.quantity('0.01');
  for (let n = 1; n <= orders; n++) {
    await engine.submitOrder({ clientOrderId: `C${n}`, accountId: 'A', instrumentId: 'BTCUSDT.BINANCE', side: n % 2 ? 'BUY' : 'SELL', type: 'MARKET', quantity: qty });
  }
  return { records: journal.all(), clock };
}

function pct(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/**
 * `writers` producers, each appending one command's events (4: an order's life) and waiting for
 * durability before the next, as engine commands do; group commit batches whatever is in flight.
 */
async function appendRate(journal: DurableJournal, events: readonly EngineEvent[], total: number, writers: number) {
  const lat = new Float64Array(Math.ceil(total / 4));
  let seq = journal.lastSeq();
  let cmd = 0;
  let next = 0;
  const one = async (): Promise<void> => {
    while (next < total) {
      const batch: JournalRecord[] = [];
      for (let k = 0; k < 4 && next < total; k++, next++) batch.push({ seq: ++seq, event: events[next % events.length]! });
      const t = performance.now();
      await journal.append(batch);
      lat[cmd++] = performance.now() - t;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: writers }, one));
  const secs = (performance.now() - t0) / 1000;
  const l = lat.subarray(0, cmd).sort();
  return { eventsPerSec: Math.round(total / secs), p50Ms: Number(pct(l, 0.5).toFixed(2)), p99Ms: Number(pct(l, 0.99).toFixed(2)) };
}

async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const SNAPSHOT_EVERY = 100_000;
const GOAL_RECOVER_SECS = 5;

/** What one 4 KiB write + fsync costs here: the floor of any durable commit. */
function measureFsync(dir: string): { p50Ms: number; p99Ms: number; samples: number } {
  const fd = openSync(join(dir, 'fsync.bin'), 'w');
  const buf = Buffer.alloc(4096, 1);
  const n = 300;
  const ms = new Float64Array(n);
  try {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      writeSync(fd, buf);
      fsyncSync(fd);
      ms[i] = performance.now() - t;
    }
  } finally {
    closeSync(fd);
  }
  ms.sort();
  return { p50Ms: Number(pct(ms, 0.5).toFixed(3)), p99Ms: Number(pct(ms, 0.99).toFixed(3)), samples: n };
}

export async function runJournalBench(): Promise<Record<string, unknown>> {
  const total = Number(process.env.BENCH_JOURNAL_EVENTS ?? 400_000);
  const replayEvents = Number(process.env.BENCH_JOURNAL_REPLAY ?? 1_000_000);
  const writers = Number(process.env.BENCH_JOURNAL_WRITERS ?? 64);
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  try {
    const { records, clock } = await engineEvents(Math.ceil(replayEvents / 4) + 10);
    const orderEvents = records.slice(6).map((r) => r.event); // order events only (re-appendable in any number)

    const sqlite = SqliteJournal.open({ path: join(dir, 'append.sqlite') });
    const s = await appendRate(sqlite, orderEvents, total, writers);
    await sqlite.close();
    console.log(
      `journal: SQLite ${s.eventsPerSec.toLocaleString('en-US')} durable events/s (goal ${GOAL_EVENTS_PER_SEC.toLocaleString('en-US')}), ` +
        `commit p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms (goal < ${GOAL_P99_MS}) — WAL, synchronous=FULL, ${writers} writers, 4 events/command`,
    );

    let p: Awaited<ReturnType<typeof appendRate>> | undefined;
    if (await pgAvailable()) {
      const schema = `bench_${process.pid}`;
      const pj = await PostgresJournal.open({ connectionString: PG_URL, schema });
      try {
        p = await appendRate(pj, orderEvents, Math.min(total, 200_000), writers);
      } finally {
        await pj.connection.query(`DROP SCHEMA ${schema} CASCADE`);
        await pj.close();
      }
      console.log(`journal: PostgreSQL ${p.eventsPerSec.toLocaleString('en-US')} durable events/s, commit p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms — ${writers} writers`);
    } else {
      console.log(`journal: PostgreSQL skipped (not reachable at ${PG_URL})`);
    }

    // Replay: rebuild an engine from 1,000,000 stored events (decode + validate + apply).
    const rj = SqliteJournal.open({ path: join(dir, 'replay.sqlite'), maxBatch: 10_000 });
    const stored = records.slice(0, replayEvents);
    for (let i = 0; i < stored.length; i += 10_000) rj.append(stored.slice(i, i + 10_000)).catch(() => undefined);
    await rj.close();
    const again = SqliteJournal.open({ path: join(dir, 'replay.sqlite') });
    const t0 = performance.now();
    const engine = await Engine.fromJournal(again, { clock, retainClosedOrders: 1_000 });
    const replaySecs = (performance.now() - t0) / 1000;
    await again.close();
    const replayPerSec = Math.round(engine.lastSeq / replaySecs);
    console.log(`journal: replay ${replayPerSec.toLocaleString('en-US')} events/s rebuilding state from ${engine.lastSeq.toLocaleString('en-US')} SQLite events (${replaySecs.toFixed(1)} s)`);

    // Recovery as it runs in production: the latest snapshot (written every SNAPSHOT_EVERY events)
    // plus the tail. The snapshot here is taken SNAPSHOT_EVERY events before the end: the worst case.
    const cut = Math.max(0, stored.length - SNAPSHOT_EVERY);
    const head = SqliteJournal.open({ path: join(dir, 'head.sqlite'), maxBatch: 10_000 });
    for (let i = 0; i < cut; i += 10_000) head.append(stored.slice(i, Math.min(i + 10_000, cut))).catch(() => undefined);
    await head.close();
    const headAgain = SqliteJournal.open({ path: join(dir, 'head.sqlite') });
    const atCut = await Engine.fromJournal(headAgain, { clock, retainClosedOrders: 1_000 });
    await headAgain.close();
    const withSnap = SqliteJournal.open({ path: join(dir, 'replay.sqlite') });
    withSnap.saveSnapshot(cut, encodeSnapshot(atCut.state.toSnapshot(cut)));
    const t1 = performance.now();
    const recovered = await Engine.recover(withSnap, { clock, retainClosedOrders: 1_000, snapshotCodec: JSON_SNAPSHOTS });
    const recoverSecs = (performance.now() - t1) / 1000;
    await withSnap.close();
    if (recovered.lastSeq !== engine.lastSeq || recovered.recovery?.snapshotSeq !== cut) throw new Error('recovery did not use the snapshot');
    console.log(
      `journal: recovery of ${engine.lastSeq.toLocaleString('en-US')} events = snapshot at ${cut.toLocaleString('en-US')} + ${(engine.lastSeq - cut).toLocaleString('en-US')}-event tail: ` +
        `${recoverSecs.toFixed(2)} s (goal < ${GOAL_RECOVER_SECS} s; a full replay takes ${replaySecs.toFixed(1)} s)`,
    );

    const fsync = measureFsync(dir);
    console.log(`journal: fsync on this machine: p50 ${fsync.p50Ms} ms, p99 ${fsync.p99Ms} ms per 4 KiB write + fsync (${fsync.samples} samples): the floor under a durable commit, which group commit shares among a batch`);

    const figures = {
      sqliteDurableEventsPerSec: s.eventsPerSec,
      sqliteCommitP50Ms: s.p50Ms,
      sqliteCommitP99Ms: s.p99Ms,
      goalEventsPerSec: GOAL_EVENTS_PER_SEC,
      goalP99Ms: GOAL_P99_MS,
      postgresDurableEventsPerSec: p?.eventsPerSec ?? null,
      postgresCommitP50Ms: p?.p50Ms ?? null,
      postgresCommitP99Ms: p?.p99Ms ?? null,
      replayEventsPerSec: replayPerSec,
      replayEvents: engine.lastSeq,
      fullReplay1MSeconds: Number(replaySecs.toFixed(2)),
      recover1MSeconds: Number(recoverSecs.toFixed(2)),
      recoverSnapshotEvery: SNAPSHOT_EVERY,
      goalRecoverSeconds: GOAL_RECOVER_SECS,
      fsyncP50Ms: fsync.p50Ms,
      fsyncP99Ms: fsync.p99Ms,
      writers,
      events: total,
    };
    recordResult('journal', figures);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
