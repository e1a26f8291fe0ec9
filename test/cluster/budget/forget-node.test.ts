/**
 * `warden firm budget` shows every node's ledger entry; `warden firm forget-node` removes a dead
 * node's entry (its holdings stop counting against the firm), refuses a node whose lease lives
 * and an unknown node, and needs a reason. Against real NATS, through the CLI.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { FirmBudget } from '../../../src/cluster/budget/firm-budget.ts';
import { LedgerStore } from '../../../src/cluster/budget/ledger-store.ts';
import { openBucket } from '../../../src/cluster/budget/nats-link.ts';
import { forgetNode } from '../../../src/cluster/budget/ledger-admin.ts';
import { EMPTY_LEDGER } from '../../../src/cluster/budget/ledger.ts';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';
import { amountOf, seeded } from './support.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const FIRM = `forget_${process.pid}`;
const BUCKET = `forget_b_${process.pid}`;
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'firm', ...args, '--nats', NATS_URL, '--firm', FIRM, '--bucket', BUCKET], { cwd: ROOT, timeout: 90_000 });

describe('forgetNode (pure)', () => {
  it('refuses an unknown node with FIRM_NODE_UNKNOWN', () => {
    expect(() => forgetNode(EMPTY_LEDGER, 'ghost', 0)).toThrow(expect.objectContaining({ code: 'FIRM_NODE_UNKNOWN' }));
  });
});

describe.runIf(useService('NATS', await natsAvailable()))('warden firm budget / forget-node', () => {
  afterAll(async () => {
    const nc = await connect({ servers: NATS_URL });
    await (await new Kvm(nc).open(BUCKET)).destroy().catch(() => undefined);
    await nc.close();
  });

  it("removes a dead node's holdings from the ledger, and refuses a live or unknown node", async () => {
    const nc = await connect({ servers: NATS_URL });
    try {
      const store = new LedgerStore(await openBucket(nc, BUCKET), FIRM, { random: seeded(7) });
      const limits = { gross: amountOf('1000'), net: new Map<string, bigint>() };
      const budget = (nodeId: string) => new FirmBudget({ nodeId, store, limits, chunk: 0n, leaseMs: 60_000, now: Date.now, timer: false });
      // The dead node held 0.02 BTC at 20,000 = 400 and left (its lease ended, its holdings stay).
      const dead = budget('dead');
      await dead.start();
      dead.settle('BTCUSDT.SIM', 'BUY', { raw: 2n, precision: 2 }, { raw: 20_000n, precision: 0 });
      await dead.sync();
      await dead.close();
      const live = budget('live');
      await live.start();
      // The firm has 600 left for the live node while the dead one's holdings count.
      expect(await live.reserve('a', { instrumentId: 'BTCUSDT.SIM', side: 'BUY', quantity: { raw: 35n, precision: 3 }, price: { raw: 20_000n, precision: 0 } })).toMatchObject({ code: 'FIRM_BUDGET_EXCEEDED' });

      const shown = await cli('budget', '--json');
      const nodes = JSON.parse(shown.stdout) as { node: string; live: boolean; held: { gross: string } }[];
      expect(nodes.map((n) => [n.node, n.live, n.held.gross])).toEqual([
        ['dead', false, '400'],
        ['live', true, '0'],
      ]);

      await expect(cli('forget-node', '--node', 'live', '--reason', 'test', '--operator', 'ops')).rejects.toMatchObject({ stderr: expect.stringMatching(/FIRM_NODE_LIVE/) as unknown });
      await expect(cli('forget-node', '--node', 'ghost', '--reason', 'test', '--operator', 'ops')).rejects.toMatchObject({ stderr: expect.stringMatching(/FIRM_NODE_UNKNOWN/) as unknown });
      await expect(cli('forget-node', '--node', 'dead', '--reason', ' ', '--operator', 'ops')).rejects.toMatchObject({ stderr: expect.stringMatching(/needs a reason/) as unknown });
      expect([...(await store.read()).ledger.nodes.keys()].sort()).toEqual(['dead', 'live']);

      const out = await cli('forget-node', '--node', 'dead', '--reason', 'machine gone, positions closed by hand', '--operator', 'ops');
      expect(out.stdout).toMatch(/node dead removed from the budget ledger by ops: machine gone, positions closed by hand \(it held 400/);
      expect([...(await store.read()).ledger.nodes.keys()]).toEqual(['live']);
      // The room is the live node's now.
      expect(await live.reserve('b', { instrumentId: 'BTCUSDT.SIM', side: 'BUY', quantity: { raw: 35n, precision: 3 }, price: { raw: 20_000n, precision: 0 } })).toBeUndefined();
      await live.close();
    } finally {
      await nc.close();
    }
  }, 200_000);
});
