/**
 * The firm kill switch through a node's API: a trader engages it (a viewer may not), the node
 * follows its own key like every other node (its kill switch engaged as firm:<user>, journaled and
 * audited), and only the risk role resets it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { controlBucket } from '../../../src/cluster/kill/firm-kill-switch.ts';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';
import { testServer, type TestServer } from '../../server/support.ts';

const FIRM = `apifirm_${process.pid}`;

describe.runIf(useService('NATS', await natsAvailable()))('POST /api/firm/kill-switch', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ configure: (c) => ({ ...c, cluster: { nats: NATS_URL, node_id: 'api1', firm: FIRM, publish: false, on_nats_loss: 'reduce_only', kill_switch: true } }) });
  });
  afterAll(async () => {
    await s.close();
    const nc = await connect({ servers: NATS_URL });
    await (await new Kvm(nc).open(controlBucket(FIRM))).destroy().catch(() => undefined);
    await nc.close();
  });

  it('a trader engages it for the firm, this node follows as firm:<operator>; a viewer is refused; risk resets it', async () => {
    expect((await s.call('POST', '/api/firm/kill-switch', { token: s.tokens.viewer, body: { reason: 'no' } })).status).toBe(403);
    const r = await s.call('POST', '/api/firm/kill-switch', { token: s.tokens.trader, body: { reason: 'runaway' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ engaged: true, operator: 'user:tom', reason: 'runaway' });
    await until(() => s.node.engine.risk.killSwitch !== undefined);
    expect(s.node.engine.risk.killSwitch?.operator).toBe('firm:user:tom');
    expect((await s.call('GET', '/api/firm/kill-switch', { token: s.tokens.viewer })).body).toMatchObject({ engaged: true, operator: 'user:tom' });

    expect((await s.call('POST', '/api/firm/kill-switch/reset', { token: s.tokens.trader, body: { reason: 'ok' } })).status).toBe(403);
    expect((await s.call('POST', '/api/firm/kill-switch/reset', { token: s.tokens.risk, body: { reason: 'fixed' } })).status).toBe(200);
    await until(() => s.node.engine.risk.killSwitch === undefined);
    const answer = (await s.call('GET', '/api/journal?from=1&limit=10000', { token: s.tokens.viewer })).body as { records: { event: { kind: string; action?: string; principal?: string } }[] };
    const journal = answer.records;
    const audits = journal.filter((x) => x.event.kind === 'AuditRecorded' && x.event.action?.includes('/api/firm/kill-switch'));
    const who = audits.map((a) => a.event.principal ?? '').join(' ');
    expect(who).toMatch(/tom/);
    expect(who).toMatch(/rita/);
  }, 60_000);
});

async function until(f: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(f()).toBe(true);
}

describe('the firm kill switch on a stand-alone node', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('reads as not engaged (no firm) and refuses to engage with 409 NO_CLUSTER', async () => {
    expect(await s.call('GET', '/api/firm/kill-switch', { token: s.tokens.viewer })).toMatchObject({ status: 200, body: { engaged: false, standAlone: true } });
    const r = await s.call('POST', '/api/firm/kill-switch', { token: s.tokens.trader, body: { reason: 'no firm' } });
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).toContain('NO_CLUSTER');
  });
});
