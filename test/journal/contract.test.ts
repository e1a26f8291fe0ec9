import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { TailingMemoryJournal } from '../../src/journal/memory.ts';
import { PostgresJournal } from '../../src/journal/postgres.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import type { StoredRow } from '../../src/journal/types.ts';
import { PG_URL, postgresAvailable, useService } from '../services.ts';
import { journalContract } from './contract.ts';

// memory
let memory = new TailingMemoryJournal();
journalContract({
  name: 'memory',
  durable: false,
  fresh: () => {
    memory = new TailingMemoryJournal();
    return Promise.resolve();
  },
  open: () => Promise.resolve(memory),
});

// SQLite, a temp file per test
const dir = mkdtempSync(join(tmpdir(), 'warden-journal-'));
let file = '';
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sqliteRows = (): StoredRow[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT seq, stream, stream_seq AS streamSeq, kind, ts_event AS tsEvent, payload FROM events ORDER BY seq').all() as StoredRow[]);
  } finally {
    db.close();
  }
};
journalContract({
  name: 'SQLite',
  durable: true,
  fresh: () => {
    file = join(dir, `j${++n}.sqlite`);
    return Promise.resolve();
  },
  open: (identity) => Promise.resolve().then(() => SqliteJournal.open({ path: file, ...(identity ? { identity } : {}) })),
  rows: () => Promise.resolve(sqliteRows()),
  bumpSchema: () => {
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version) VALUES (99)').run();
    db.close();
    return Promise.resolve();
  },
});

// PostgreSQL, a schema per test, dropped at the end
const pgOk = useService('PostgreSQL', await postgresAvailable());
if (pgOk) {
  const run = `wt_${process.pid}_${Math.floor(performance.now())}`;
  const schemas: string[] = [];
  let schema = '';
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  afterAll(async () => {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  });
  journalContract({
    name: 'PostgreSQL',
    durable: true,
    fresh: () => {
      schema = `${run}_${schemas.length}`;
      schemas.push(schema);
      return Promise.resolve();
    },
    open: (identity) => PostgresJournal.open({ connectionString: PG_URL, schema, ...(identity ? { identity } : {}) }),
    rows: async () =>
      (
        await admin.query<{ seq: string; stream: string; stream_seq: string; kind: string; ts_event: string; payload: string }>(
          `SELECT seq, stream, stream_seq, kind, ts_event, payload FROM ${schema}.events ORDER BY seq`,
        )
      ).rows.map((r) => ({ seq: Number(r.seq), stream: r.stream, streamSeq: Number(r.stream_seq), kind: r.kind, tsEvent: Number(r.ts_event), payload: r.payload })),
    bumpSchema: async () => {
      await admin.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES (99)`);
    },
  });
} else {
  describe.skip('Journal contract: PostgreSQL (service absent)', () => undefined);
}
