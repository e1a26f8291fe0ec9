import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { PostgresJournal } from '../../src/journal/postgres.ts';
import { JSON_SNAPSHOTS, SNAPSHOT_VERSION, encodeSnapshot } from '../../src/journal/snapshot.ts';
import { Snapshotter } from '../../src/journal/snapshotter.ts';
import { limit, setup } from '../engine/fixtures.ts';
import { PG_URL, postgresAvailable, useService } from '../services.ts';

const pgOk = useService('PostgreSQL', await postgresAvailable());
const schema = `wsnap_${process.pid}_${Math.floor(performance.now())}`;

describe.runIf(pgOk)('PostgreSQL snapshots', () => {
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('migration 2 stores snapshots; the Snapshotter writes at durable seqs; reopen and recover from the latest', async () => {
    const journal = await PostgresJournal.open({ connectionString: PG_URL, schema });
    expect(await journal.latestSnapshot()).toBeUndefined();
    const h = await setup({ btc: '0', journal: journal as never, retainClosedOrders: 3, retainClientOrderIds: 6 });
    const snaps = new Snapshotter(h.engine, journal, { every: 4 });
    for (let i = 0; i < 10; i++) {
      await h.engine.submitOrder(limit(`P-${i}`, 'BUY', '0.1', '20000.00'));
      if (i % 3 === 0) await h.engine.cancelOrder(`P-${i}`);
    }
    await snaps.flush();
    snaps.close();
    expect(snaps.taken).toBeGreaterThanOrEqual(3);
    const want = encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq));
    await journal.close();

    const again = await PostgresJournal.open({ connectionString: PG_URL, schema });
    try {
      const latest = (await again.latestSnapshot())!;
      expect(latest.version).toBe(SNAPSHOT_VERSION);
      expect(latest.seq).toBe(snaps.lastSeq);
      const rec = await Engine.recover(again, { clock: h.clock, retainClosedOrders: 3, retainClientOrderIds: 6, snapshotCodec: JSON_SNAPSHOTS });
      expect(rec.recovery?.snapshotSeq).toBe(latest.seq);
      expect(rec.recovery?.replayed).toBe(again.lastSeq() - latest.seq);
      expect(encodeSnapshot(rec.state.toSnapshot(rec.lastSeq))).toBe(want);
    } finally {
      await again.close();
    }
  });
});
