/**
 * Issue 11 item 16: a client order id is refused for as long as the journal holds an order with
 * it, not only while it is in the engine's bounded memory of ids. Here the engine remembers one
 * id (retainClientOrderIds: 1), so R-1 leaves its memory after two more orders; a second R-1
 * must still be refused (DUPLICATE_CLIENT_ORDER_ID) and never reach the venue, on every journal
 * backend and after a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import type { JournalRecord } from '../../src/engine/events.ts';
import { MemoryJournal, type Journal } from '../../src/engine/journal.ts';
import type { ClientOrderId } from '../../src/model/identifiers.ts';
import { PostgresJournal } from '../../src/journal/postgres.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import type { DurableJournal } from '../../src/journal/types.ts';
import { PG_URL, postgresAvailable, useService } from '../services.ts';
import { defaultVenue, marketBuy, settle, setup, type Harness, type TestJournal } from './fixtures.ts';

const RETAIN = { retainClosedOrders: 1, retainClientOrderIds: 1 } as const;

interface Store {
  /** Opens the store (again, for a restart). */
  open(): Promise<Journal>;
  /** Waits until what was appended is durable, and closes. */
  close(j: Journal): Promise<void>;
}

function asTest(j: Journal): TestJournal {
  return Object.assign(Object.create(j) as Journal, { all: (): JournalRecord[] => [] });
}

/** filled and closed: R-1 is out of the engine's memory of ids. */
async function tradeThree(h: Harness): Promise<void> {
  for (const id of ['R-1', 'R-2', 'R-3']) {
    await h.engine.submitOrder(marketBuy(id, '0.1'));
    await settle();
  }
  expect(h.engine.state.isKnownClientOrderId('R-1' as ClientOrderId)).toBe(false);
}

async function expectRefused(engine: Engine, calls: () => number, id: string): Promise<void> {
  const seq = engine.lastSeq;
  const before = calls();
  await expect(engine.submitOrder(marketBuy(id, '0.1'))).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID', context: { clientOrderId: id } });
  expect(engine.lastSeq).toBe(seq);
  expect(calls()).toBe(before);
}

function reuseSuite(name: string, store: () => Store): void {
  describe(`${name}: an id that left the engine's memory of ids is still refused`, () => {
    it('R-1 again, after R-2 and R-3 pushed it out of a 1-id memory → DUPLICATE_CLIENT_ORDER_ID, nothing journaled, no venue call; R-4 goes through', async () => {
      const s = store();
      const j = await s.open();
      const h = await setup({ journal: asTest(j), ...RETAIN });
      await tradeThree(h);
      await expectRefused(h.engine, () => h.venue.calls.length, 'R-1');
      await h.engine.submitOrder(marketBuy('R-4', '0.1'));
      expect(h.venue.calls.map((c) => c.clientOrderId)).toEqual(['R-1', 'R-2', 'R-3', 'R-4']);
      await s.close(j);
    });

    it('after a restart (engine rebuilt from the journal) R-1, R-2 and R-3 are all refused; a list naming R-2 is refused whole', async () => {
      const s = store();
      const j = await s.open();
      const h = await setup({ journal: asTest(j), ...RETAIN });
      await tradeThree(h);
      await s.close(j);
      const k = await s.open();
      const engine = await Engine.fromJournal(k, { clock: h.clock, ...RETAIN });
      const venue = defaultVenue(h.clock, { last: '24100.00' });
      engine.addVenue(venue);
      for (const id of ['R-1', 'R-2', 'R-3']) await expectRefused(engine, () => venue.calls.length, id);
      await expect(
        engine.execute({ kind: 'SubmitOrderList', orderListId: 'OL-1', orders: [marketBuy('R-5', '0.1'), marketBuy('R-2', '0.1')] }),
      ).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID', context: { clientOrderId: 'R-2' } });
      await engine.submitOrder(marketBuy('R-5', '0.1'));
      expect(venue.calls.map((c) => c.clientOrderId)).toEqual(['R-5']);
      await s.close(k);
    });

    it('generated ids (W-<time>-<seq>) never repeat across a restart at the same clock time; a caller cannot take one not yet generated', async () => {
      const s = store();
      const j = await s.open();
      const h = await setup({ journal: asTest(j), ...RETAIN });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await h.engine.submitOrder(marketBuy(undefined as unknown as string, '0.1'))).orders[0]!.clientOrderId);
      await settle();
      await s.close(j);
      const k = await s.open();
      const engine = await Engine.fromJournal(k, { clock: h.clock, ...RETAIN });
      engine.addVenue(defaultVenue(h.clock, { last: '24100.00' }));
      for (let i = 0; i < 3; i++) ids.push((await engine.submitOrder(marketBuy(undefined as unknown as string, '0.1'))).orders[0]!.clientOrderId);
      expect(new Set(ids).size).toBe(6);
      expect(ids.every((id) => id.startsWith(`W-${h.clock.now()}-`))).toBe(true);
      await expect(engine.submitOrder(marketBuy(`W-${h.clock.now()}-${engine.lastSeq + 5}`, '0.1'))).rejects.toMatchObject({ code: 'INVALID_IDENTIFIER' });
      await s.close(k);
    });

    it.runIf(name !== 'memory')('a journal that cannot answer the lookup (closed under the engine) refuses the command with JOURNAL_WRITE_FAILED and stops the engine', async () => {
      const s = store();
      const j = await s.open();
      const h = await setup({ journal: asTest(j), ...RETAIN });
      await s.close(j);
      await expect(h.engine.submitOrder(marketBuy('R-9', '0.1'))).rejects.toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
      expect(h.engine.isStopped).toBe(true);
      expect(h.venue.calls).toEqual([]);
    });
  });
}

reuseSuite('memory', () => {
  const journal = new MemoryJournal();
  return { open: () => Promise.resolve(journal), close: () => Promise.resolve() };
});

const dir = mkdtempSync(join(tmpdir(), 'warden-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
reuseSuite('SQLite', () => {
  const path = join(dir, `ids-${++files}.sqlite`);
  return {
    open: () => Promise.resolve(SqliteJournal.open({ path })),
    close: async (j) => {
      await (j as DurableJournal).close();
    },
  };
});

const pgOk = useService('PostgreSQL', await postgresAvailable());
if (pgOk) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  });
  reuseSuite('PostgreSQL', () => {
    const schema = `ids_${process.pid}_${schemas.length}`;
    schemas.push(schema);
    return {
      open: () => PostgresJournal.open({ connectionString: PG_URL, schema }),
      close: async (j) => {
        await (j as DurableJournal).close();
      },
    };
  });
}
