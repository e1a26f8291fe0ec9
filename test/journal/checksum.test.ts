/**
 * Issue 11 item 17 (part): a journaled fill price edited in the store used to replay silently, as
 * a different ledger. Every row now carries a checksum over its seq, kind, codec and payload,
 * checked on every read: an edited row refuses the replay with JOURNAL_CORRUPT naming its seq.
 * A journal written before the column existed gets its checksums computed by the migration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import type { JournalRecord } from '../../src/engine/events.ts';
import { PostgresJournal } from '../../src/journal/postgres.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import type { DurableJournal } from '../../src/journal/types.ts';
import { marketBuy, settle, setup, snapshot, type TestJournal } from '../engine/fixtures.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { PG_URL, postgresAvailable, useService } from '../services.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-sum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function asTest(j: DurableJournal): TestJournal {
  return Object.assign(Object.create(j) as DurableJournal, { all: (): JournalRecord[] => [] });
}

/** Buys 0.1 BTC at 24100.00 on a journal; returns the state a replay must rebuild and the fill's seq. */
async function tradeOn(j: DurableJournal): Promise<{ live: ReturnType<typeof snapshot>; fillSeq: number }> {
  const h = await setup({ journal: asTest(j) });
  await h.engine.submitOrder(marketBuy('M-1', '0.1'));
  await settle();
  const fillSeq = h.engine.lastSeq;
  const live = snapshot(h.engine);
  await j.close();
  return { live, fillSeq };
}

const replay = (j: DurableJournal): Promise<Engine> => Engine.fromJournal(j, { clock: new TestClock(0) });

/** As code from before checksums and the id index wrote it: schema 2. */
describe('SQLite: per-row checksums', () => {
  it('a fill price edited in the file (24100.00 → 1.00) refuses the replay with JOURNAL_CORRUPT naming the fill seq', async () => {
    const path = join(dir, 'edited.sqlite');
    const { fillSeq } = await tradeOn(SqliteJournal.open({ path }));
    const db = new Database(path);
    db.exec('DROP TRIGGER events_append_only_u'); // what a hand edit has to do first
    const changed = db.prepare(`UPDATE events SET payload = replace(payload, '"lastPx":"24100.00"', '"lastPx":"1.00"') WHERE seq = ? AND kind = 'OrderFilled'`).run(fillSeq);
    db.close();
    expect(changed.changes).toBe(1);
    const j = SqliteJournal.open({ path });
    await expect(replay(j)).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT', context: { seq: fillSeq, kind: 'OrderFilled' } });
    await j.close();
  });

  it('a row whose checksum was cleared refuses the replay too (a missing checksum is not "unverified")', async () => {
    const path = join(dir, 'cleared.sqlite');
    await tradeOn(SqliteJournal.open({ path }));
    const db = new Database(path);
    db.exec('DROP TRIGGER events_append_only_u');
    db.prepare('UPDATE events SET checksum = NULL WHERE seq = 3').run();
    db.close();
    const j = SqliteJournal.open({ path });
    await expect(replay(j)).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT', context: { seq: 3 } });
    await j.close();
  });

  it('a journal written before checksums (schema 2) opens, gets every row checksummed, replays to the same state, and an edit after that is caught', async () => {
    const path = join(dir, 'legacy.sqlite');
    const { live, fillSeq } = await tradeOn(SqliteJournal.open({ path }));
    const db = new Database(path);
    db.exec('ALTER TABLE events DROP COLUMN checksum; DROP TABLE client_order_ids; DELETE FROM schema_migrations WHERE version >= 3');
    db.close();
    const j = SqliteJournal.open({ path });
    expect(j.database.prepare('SELECT COUNT(*) AS n FROM events WHERE checksum IS NULL').get()).toEqual({ n: 0 });
    expect(snapshot(await replay(j))).toStrictEqual(live);
    await j.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER events_append_only_u');
    raw.prepare(`UPDATE events SET payload = replace(payload, '"lastQty":"0.100"', '"lastQty":"0.095"') WHERE seq = ?`).run(fillSeq);
    raw.close();
    const again = SqliteJournal.open({ path });
    await expect(replay(again)).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT', context: { seq: fillSeq } });
    await again.close();
  });
});

const pgOk = useService('PostgreSQL', await postgresAvailable());

describe.runIf(pgOk)('PostgreSQL: per-row checksums', () => {
  const schema = `sum_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('a fill price edited in the table refuses the replay with JOURNAL_CORRUPT naming the fill seq; a schema from before checksums is backfilled and replays', async () => {
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const open = (): Promise<PostgresJournal> => PostgresJournal.open({ connectionString: PG_URL, schema });
    const { live, fillSeq } = await tradeOn(await open());
    // As written by the code before checksums: no column, no id index, schema version 2.
    await admin.query(`ALTER TABLE ${schema}.events DROP COLUMN checksum`);
    await admin.query(`DROP TABLE ${schema}.client_order_ids`);
    await admin.query(`DELETE FROM ${schema}.schema_migrations WHERE version >= 3`);
    const migrated = await open();
    expect(snapshot(await replay(migrated))).toStrictEqual(live);
    await migrated.close();
    const nulls = await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.events WHERE checksum IS NULL`);
    expect(nulls.rows[0]!.n).toBe('0');
    const edit = await admin.query(`UPDATE ${schema}.events SET payload = replace(payload, '"lastPx":"24100.00"', '"lastPx":"1.00"') WHERE seq = $1 AND kind = 'OrderFilled'`, [
      fillSeq,
    ]);
    expect(edit.rowCount).toBe(1);
    const j = await open();
    await expect(replay(j)).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT', context: { seq: fillSeq, kind: 'OrderFilled' } });
    await j.close();
  });
});
