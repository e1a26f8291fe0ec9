/**
 * The PostgreSQL journal has one writer connection, and on it a batch being written, a client
 * order id lookup, a tail's page, a snapshot and a read used to be sent as they came, several at
 * a time: pg queued them itself, printing "Calling client.query() when the client is already
 * executing a query is deprecated" (an error from pg 9), and a statement sent while another
 * caller's transaction is open lands inside it. The journal now sends one statement at a time, in
 * the order asked. Measured here by wrapping the connection's query: at most one is ever running.
 */
import pg from 'pg';
import { afterAll, describe, expect, it, onTestFinished as onFinished } from 'vitest';
import type { EngineEvent, JournalRecord } from '../../src/engine/events.ts';
import { Currencies } from '../../src/model/currency.ts';
import { accountId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import { PostgresJournal } from '../../src/journal/postgres.ts';
import { PG_URL, postgresAvailable, useService } from '../services.ts';
import { marketBuy, settle, setup, T0 } from '../engine/fixtures.ts';

const pgOk = useService('PostgreSQL', await postgresAvailable());

const account = (n: number): EngineEvent => ({
  kind: 'AccountOpened',
  accountId: accountId(`A-${n}`),
  accountType: 'CASH',
  positionMode: 'NETTING',
  balances: [Money.of('100', Currencies.USDT)],
  tsEvent: T0 + n,
  tsInit: T0 + n,
});

/** Wraps the connection's query to count the statements running at once (sent, not yet answered). */
function watchConcurrency(client: pg.Client): { max: () => number; sent: () => number } {
  let running = 0;
  let max = 0;
  let sent = 0;
  const original = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    running++;
    sent++;
    max = Math.max(max, running);
    return original(...args).finally(() => running--);
  };
  return { max: () => max, sent: () => sent };
}

describe.runIf(pgOk)('PostgreSQL journal: one statement at a time on the writer connection', () => {
  const schema = `serial_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  afterAll(async () => {
    process.off('warning', onWarning);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('40 appends, 40 id lookups, a tail, 5 snapshots and reads all at once: never 2 statements running, all answered right, no deprecation warning', async () => {
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const j = await PostgresJournal.open({ connectionString: PG_URL, schema });
    onFinished(() => j.close());
    const watch = watchConcurrency(j.connection);
    const tailed: number[] = [];
    const tail = j.subscribe(1, (r: JournalRecord) => tailed.push(r.seq));
    const work: Promise<unknown>[] = [];
    for (let n = 1; n <= 40; n++) {
      work.push(j.append([{ seq: n, event: account(n) }]));
      work.push(Promise.resolve(j.hasClientOrderId(`NOPE-${n}`)));
      if (n % 8 === 0) work.push(j.saveSnapshot(j.durableSeq(), `{"n":${n}}`), j.latestSnapshot(), j.rows(1, 10), j.runs());
    }
    const answers = await Promise.all(work);
    await settle();
    for (let t = 0; tailed.length < 40 && t < 200; t++) await new Promise((r) => setTimeout(r, 10));
    tail.close();

    expect(watch.sent()).toBeGreaterThan(40);
    expect(watch.max()).toBe(1);
    expect(answers.filter((a) => typeof a === 'boolean')).toEqual(Array<boolean>(40).fill(false));
    expect(tailed).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await j.rows()).map((r) => r.seq)).toEqual(tailed);
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });

  it('an engine submitting R-1..R-6 with ids looked up in the journal (it remembers 1) while a tail reads: never 2 statements running; R-1 again is refused', async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const j = await PostgresJournal.open({ connectionString: PG_URL, schema });
    onFinished(() => j.close());
    const watch = watchConcurrency(j.connection);
    const tail = j.subscribe(1, () => undefined);
    const h = await setup({ journal: Object.assign(j, { all: (): JournalRecord[] => [] }), retainClosedOrders: 1, retainClientOrderIds: 1 });
    const results = await Promise.allSettled(['R-1', 'R-2', 'R-3', 'R-4', 'R-5', 'R-6'].map((id) => h.engine.submitOrder(marketBuy(id, '0.1'))));
    expect(results.map((r) => r.status)).toEqual(Array<string>(6).fill('fulfilled'));
    await settle();
    await expect(h.engine.submitOrder(marketBuy('R-1', '0.1'))).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID' });
    tail.close();
    expect(watch.max()).toBe(1);
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });
});
