/** AuditRecorded through the PostgreSQL journal: stored, read back exactly after a reopen, and the engine rebuilt (schema per run, dropped at the end). */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import { operatorOrigin, SYSTEM } from '../../../src/engine/origin.ts';
import { PostgresJournal } from '../../../src/journal/postgres.ts';
import { T0 } from '../../engine/fixtures.ts';
import { PG_URL, postgresAvailable, useService } from '../../services.ts';

const pgOk = useService('PostgreSQL', await postgresAvailable());

async function readAll(journal: { read(from?: number): AsyncIterable<JournalRecord> }): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of journal.read(1)) out.push(r);
  return out;
}

if (pgOk) {
  const schema = `wt_audit_${process.pid}_${Math.floor(performance.now())}`;
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  describe('audit records in the PostgreSQL journal', () => {
    it('are stored and decoded exactly after a reopen; the engine replays them and journals on', async () => {
      const clock = new TestClock(T0);
      const j1 = await PostgresJournal.open({ connectionString: PG_URL, schema, identity: { allowMismatch: true } });
      const e1 = new Engine({ clock, journal: j1 });
      const op = e1.authority.issue('user:alice', ['TRADE']);
      await e1.recordAudit({ principal: 'user:alice', roles: ['trader'], source: '10.0.0.1', action: 'DELETE /api/orders', target: 'BTCUSDT.BINANCE BUY', outcome: 'OK' }, operatorOrigin(op));
      await e1.recordAudit({ principal: 'anonymous', roles: [], source: '10.0.0.2', action: 'auth.login', outcome: 'UNAUTHENTICATED', code: 'INVALID_CREDENTIALS' }, SYSTEM);
      const written = await readAll(j1);
      await j1.close();
      const j2 = await PostgresJournal.open({ connectionString: PG_URL, schema, identity: { allowMismatch: true } });
      try {
        expect(await readAll(j2)).toEqual(written);
        expect(written.map((r) => r.event)).toMatchObject([
          { kind: 'AuditRecorded', principal: 'user:alice', target: 'BTCUSDT.BINANCE BUY', origin: 'OPERATOR:user:alice' },
          { kind: 'AuditRecorded', principal: 'anonymous', target: undefined, code: 'INVALID_CREDENTIALS', origin: 'SYSTEM' },
        ]);
        const e2 = await Engine.fromJournal(j2, { clock });
        expect(e2.lastSeq).toBe(2);
        await e2.recordAudit({ principal: 'anonymous', roles: [], source: '10.0.0.3', action: 'auth.login', outcome: 'UNAUTHENTICATED', code: 'LOCKED_OUT' }, SYSTEM);
        expect(e2.lastSeq).toBe(3);
      } finally {
        await j2.close();
      }
    });
  });
} else {
  describe.skip('audit records in the PostgreSQL journal (service absent)', () => undefined);
}
