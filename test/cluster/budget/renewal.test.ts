/**
 * The lease renewal's failures: while NATS is up, a renewal that fails (here the bucket is gone
 * under the node) alerts FIRM_BUDGET_SYNC_FAILED once for the run of failures, not at every tick.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { FirmBudget } from '../../../src/cluster/budget/firm-budget.ts';
import { LedgerStore } from '../../../src/cluster/budget/ledger-store.ts';
import { connectNats, openBucket } from '../../../src/cluster/budget/nats-link.ts';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';
import { amountOf, seeded } from './support.ts';

describe.runIf(useService('NATS', await natsAvailable()))('firm budget lease renewal', () => {
  const conns: NatsConnection[] = [];
  afterAll(async () => {
    for (const nc of conns) await nc.close();
  });

  it('alerts FIRM_BUDGET_SYNC_FAILED once when renewals fail while connected', async () => {
    const nc = await connectNats(NATS_URL, 'renewal');
    conns.push(nc);
    const kv = await openBucket(nc, `budget_renew_${process.pid}`);
    const alerts: string[] = [];
    const budget = new FirmBudget({
      nodeId: 'n1',
      store: new LedgerStore(kv, 'renewfirm', { random: seeded(7) }),
      limits: { gross: amountOf('1000'), net: new Map() },
      chunk: 0n,
      leaseMs: 500,
      now: () => Date.now(),
      alert: (code) => alerts.push(code),
    });
    await budget.start();
    expect(alerts).toEqual([]);
    await kv.destroy();
    // The timer ticks every 166 ms: wait for several failed renewals.
    const until = Date.now() + 5_000;
    while (alerts.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 700));
    await budget.close();
    expect(alerts).toEqual(['FIRM_BUDGET_SYNC_FAILED']);
  });
});
