/**
 * FAULTS 37, PostgreSQL side (FAULTS 29 covers the engine alone: test/journal/write-failure.test.ts).
 * A node of a firm loses its journal's database connection: the order in flight is refused
 * (JOURNAL_WRITE_FAILED), the node accepts no command after (ENGINE_STOPPED), and the firm budget
 * it reserved for the refused order is handed back, so the firm's budget is not held by an order
 * that never existed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { operatorOrigin } from '../../../src/engine/origin.ts';
import type { PostgresJournal } from '../../../src/journal/postgres.ts';
import { amount } from '../../../src/cluster/budget/ledger.ts';
import { barsFile, smallConfig, yaml } from '../../node/small-node.ts';
import { natsAvailable, NATS_URL, PG_URL, postgresAvailable, useService } from '../../services.ts';
import { dropSchemas } from '../support/cluster-nodes.ts';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { controlBucket } from '../../../src/cluster/kill/firm-kill-switch.ts';

const TAG = `r${process.pid}`;
const SCHEMA = `wcl_${TAG}`;
const BUCKET = `budget_${TAG}`;
const FIRM = `firm_${TAG}`;

const up = useService('PostgreSQL', await postgresAvailable()) && useService('NATS', await natsAvailable());

describe.runIf(up)('a firm node that loses PostgreSQL stops accepting commands', () => {
  afterAll(async () => {
    await dropSchemas([SCHEMA]);
    const nc = await connect({ servers: NATS_URL });
    for (const b of [BUCKET, controlBucket(FIRM)]) await (await new Kvm(nc).open(b)).destroy().catch(() => undefined);
    await nc.close();
  });

  it('refuses the order in flight and every command after, and hands back the budget it reserved for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-pgloss-'));
    const risk = { version: 1, limits: { default: { max_order_quantity: '100', max_order_notional: '10000000', max_position_quantity: '1000', max_position_notional: '100000000' } } };
    const cluster = { nats: NATS_URL, node_id: 'pg1', firm: FIRM, publish: false, budget: { bucket: BUCKET, max_gross_exposure: '100000' } };
    const text = yaml(smallConfig(dir, barsFile(dir, 20), { node: { id: 'pg1', mode: 'paper', journal: { postgres: PG_URL, schema: SCHEMA } }, risk, cluster }));
    const node = await TradingNode.start(parseNodeConfig(text, { env: {}, baseDir: dir }).config);
    await node.run({ keepOpen: true });
    const origin = operatorOrigin(node.engine.authority.issue('tester', ['TRADE', 'RISK']));
    const order = (id: string, price: string) => node.route({ clientOrderId: id, accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'LIMIT', quantity: '0.01', price }, origin);
    const alerts: string[] = [];
    node.engine.bus.subscribe('alert', (a) => alerts.push(a.code));
    const budget = node.cluster!.budget!;

    expect((await order('ok-1', '19500')).denied).toEqual([]);
    expect(budget.book.workingCount).toBe(1);
    expect(budget.book.usage(new Set()).gross).toBe(amount('195', 'x'));

    const journal = node.records as unknown as PostgresJournal;
    const pid = (await journal.connection.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();

    await expect(order('lost-2', '19499')).rejects.toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
    expect(node.engine.isStopped).toBe(true);
    expect(alerts).toContain('ENGINE_STOPPED');
    // The refused order's reservation is back: only the acknowledged order holds budget.
    expect(budget.book.workingCount).toBe(1);
    expect(budget.book.usage(new Set()).gross).toBe(amount('195', 'x'));
    await expect(order('after-3', '19498')).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
    expect(budget.book.workingCount).toBe(1);
    await node.stop().catch(() => undefined);
  }, 120_000);
});
