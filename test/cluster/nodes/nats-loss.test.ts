/**
 * FAULTS 37, NATS side: two node processes on a private nats-server, orders flowing; the server
 * is stopped. Each node alerts NATS_LOST and goes REDUCING (cluster.on_nats_loss: reduce_only),
 * so an order that adds exposure is denied; when the server is back each re-syncs its firm budget,
 * alerts NATS_RESTORED, is ACTIVE again and its orders are accepted. Both publish their events
 * throughout: afterwards the stream holds each node's journal (PostgreSQL) exactly, nothing
 * missing, nothing twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { PG_URL, postgresAvailable, useService } from '../../services.ts';
import { streamMessages } from '../support.ts';
import { natsServerBinary, PrivateNatsServer } from '../../support/nats-server.ts';
import { dropSchemas, NodeProcess, started, writeNodeConfig, type Line } from '../support/cluster-nodes.ts';

const TAG = `q${process.pid}`;
const SCHEMAS = [1, 2].map((i) => `wcl_${TAG}_n${i}`);

const up = useService('PostgreSQL', await postgresAvailable()) && useService('nats-server binary', natsServerBinary());

describe.runIf(up)('a node that loses NATS fails safe (reduce-only) and recovers', () => {
  let server: PrivateNatsServer | undefined;
  afterAll(async () => {
    for (const n of started) await n.stop().catch(() => undefined);
    await server?.dispose();
    await dropSchemas(SCHEMAS);
  }, 60_000);

  it('NATS stopped under load: REDUCING and NATS_LOST on every node; resumed: re-synced, NATS_RESTORED, ACTIVE; the stream equals each journal', async () => {
    server = await PrivateNatsServer.start();
    const configs = SCHEMAS.map((schema, i) => writeNodeConfig({ id: `n${i + 1}`, schema, nats: server!.url, firm: `firm_${TAG}`, bucket: `budget_${TAG}`, maxGross: '100000', leaseMs: 2_000, chunk: '400', publish: true }));
    const nodes = await Promise.all(configs.map((c, i) => NodeProcess.start(`n${i + 1}`, c)));
    let seq = 0;
    const order = (n: NodeProcess): Promise<Line> => n.submit(`${n.id}-${seq}`, 'BUY', '0.01', String(19_500 - (seq++ % 200)));
    for (const n of nodes) expect((await order(n)).status).toBeDefined();

    const marks = nodes.map((n) => n.lines.length);
    // Load while the server goes: orders keep coming from both nodes.
    const load = Promise.all(nodes.map(async (n) => { for (let k = 0; k < 10; k++) await order(n); }));
    await server.stop();
    await load;
    for (const [i, n] of nodes.entries()) {
      await n.next((l) => l.alert === 'NATS_LOST', 20_000, marks[i]);
      await until(async () => (await n.status()).firm === 'REDUCING');
      const denied = await order(n);
      expect(['TRADING_REDUCING', 'FIRM_BUDGET_UNAVAILABLE']).toContain(denied.denied);
    }

    const back = nodes.map((n) => n.lines.length);
    await server.resume();
    for (const [i, n] of nodes.entries()) {
      await n.next((l) => l.alert === 'NATS_RESTORED', 30_000, back[i]);
      expect((await n.status()).firm).toBe('ACTIVE');
      expect((await order(n)).status).toBeDefined();
    }

    // Each node's journal against the stream: every event once, in its own encoding, under its node's id.
    const upTo = await Promise.all(nodes.map((n) => n.caughtUp()));
    for (const n of nodes) await n.stop();
    const nc = await connect({ servers: server.url });
    const msgs = await streamMessages(nc, `firm_${TAG}`);
    await nc.close();
    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    try {
      for (const [i, n] of nodes.entries()) {
        const mine = msgs.filter((m) => m.node === n.id);
        const bySeq = new Map(mine.map((m) => [m.seq, m]));
        expect(bySeq.size).toBe(mine.length);
        const held = Math.max(...bySeq.keys());
        expect(held).toBeGreaterThanOrEqual(upTo[i]!);
        const rows = (await db.query<{ seq: string; payload: string }>(`SELECT seq, payload FROM ${SCHEMAS[i]!}.events WHERE seq <= $1 ORDER BY seq`, [held])).rows;
        expect(rows.length).toBe(held);
        expect(mine.length).toBe(held);
        for (const r of rows) {
          const m = bySeq.get(Number(r.seq));
          expect(m?.msgId).toBe(`${n.id}:${r.seq}`);
          expect(m?.payload).toBe(r.payload);
        }
      }
    } finally {
      await db.end();
    }
  }, 400_000);
});

/** Waits until `f` holds (checked every 200 ms, at most 20 s). */
async function until(f: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not reached in 20 s');
}
