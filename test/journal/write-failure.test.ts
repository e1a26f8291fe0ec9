/**
 * FAULTS 29 with real failures: the SQLite file fills up (max_page_count: SQLITE_FULL, as a full
 * disk), the PostgreSQL connection is killed by the server. The engine stops, the failing command
 * rejects, nothing unjournaled reaches the venue, and the journal holds exactly what was acknowledged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/engine/events.ts';
import { PostgresJournal } from '../../src/journal/postgres.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import type { DurableJournal } from '../../src/journal/types.ts';
import { limit, marketBuy, settle, setup, type Harness, type TestJournal } from '../engine/fixtures.ts';
import { PG_URL, postgresAvailable, useService } from '../services.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function asTest(j: DurableJournal): TestJournal {
  return Object.assign(Object.create(j) as DurableJournal, { all: (): JournalRecord[] => [] });
}

async function readSeqs(j: DurableJournal): Promise<number[]> {
  const out: number[] = [];
  for await (const r of j.read()) out.push(r.seq);
  return out;
}

/** After the write failed: stopped, typed errors, no venue call for the lost order. */
async function expectStopped(h: Harness, failing: Promise<unknown>, acknowledged: number): Promise<void> {
  await expect(failing).rejects.toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
  expect(h.engine.isStopped).toBe(true);
  expect(h.alerts.map((a) => a.code)).toContain('ENGINE_STOPPED');
  expect(h.venue.calls.map((c) => c.clientOrderId)).toEqual(['L-1']);
  await expect(h.engine.submitOrder(marketBuy('M-3', '0.1'))).rejects.toMatchObject({ code: 'ENGINE_STOPPED', context: { cause: 'JOURNAL_WRITE_FAILED' } });
  expect(acknowledged).toBeGreaterThan(5);
}

const pgOk = useService('PostgreSQL', await postgresAvailable());

describe('a journal write that fails stops the engine (FAULTS 29)', () => {
  it('SQLite: the file is full (SQLITE_FULL) → the command rejects JOURNAL_WRITE_FAILED, the engine stops, the file holds exactly the acknowledged events', async () => {
    const path = join(dir, 'full.sqlite');
    const j = SqliteJournal.open({ path });
    const h = await setup({ journal: asTest(j) });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    await settle(); // the venue's OrderAccepted, appended by the engine on its own
    const acknowledged = j.durableSeq();
    const pages = (j.database.pragma('page_count', { simple: true }) as number) + 0;
    j.database.pragma(`max_page_count = ${pages}`);
    const big = 'x'.repeat(100_000);
    await expectStopped(h, h.engine.submitOrder(marketBuy('M-2', '0.1', { tags: [big] })), acknowledged);
    await j.close().catch(() => undefined);
    const reopened = SqliteJournal.open({ path });
    expect(await readSeqs(reopened)).toEqual(Array.from({ length: acknowledged }, (_, i) => i + 1));
    await reopened.close();
  });

  it.runIf(pgOk)('PostgreSQL: the server kills the connection → the command rejects JOURNAL_WRITE_FAILED, the engine stops, the table holds exactly the acknowledged events', async () => {
    const schema = `wf_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      const j = await PostgresJournal.open({ connectionString: PG_URL, schema });
      const h = await setup({ journal: asTest(j) });
      await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
      await settle(); // the venue's OrderAccepted, appended by the engine on its own
    const acknowledged = j.durableSeq();
      const pid = (await j.connection.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await expectStopped(h, h.engine.submitOrder(marketBuy('M-2', '0.1')), acknowledged);
      await j.close().catch(() => undefined);
      const reopened = await PostgresJournal.open({ connectionString: PG_URL, schema });
      // Everything acknowledged is there; a venue report in flight at the kill may be too (durable, never acknowledged); the failed command is not.
      const stored = await reopened.rows();
      expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged);
      expect(stored.filter((r) => r.payload.includes('"M-2"'))).toEqual([]);
      await reopened.close();
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
