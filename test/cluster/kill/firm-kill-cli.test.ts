/** `warden firm kill|reset` writes the firm kill switch key every node watches; an unattributed or unexplained kill is refused. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { controlBucket, readFirmKill } from '../../../src/cluster/kill/firm-kill-switch.ts';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const FIRM = `clifirm_${process.pid}`;
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'firm', ...args, '--nats', NATS_URL, '--firm', FIRM], { cwd: ROOT, timeout: 90_000 });

describe.runIf(useService('NATS', await natsAvailable()))('warden firm kill / reset', () => {
  afterAll(async () => {
    const nc = await connect({ servers: NATS_URL });
    await (await new Kvm(nc).open(controlBucket(FIRM))).destroy().catch(() => undefined);
    await nc.close();
  });

  it('engages and resets the firm kill switch, naming the operator and the reason', async () => {
    const out = await cli('kill', '--reason', 'runaway algo', '--operator', 'bob');
    expect(out.stdout).toMatch(/ENGAGED by bob: runaway algo/);
    const nc = await connect({ servers: NATS_URL });
    try {
      const kv = await new Kvm(nc).open(controlBucket(FIRM));
      expect(await readFirmKill(kv, FIRM)).toMatchObject({ engaged: true, operator: 'bob', reason: 'runaway algo' });
      await cli('reset', '--reason', 'fixed', '--operator', 'carol');
      expect(await readFirmKill(kv, FIRM)).toMatchObject({ engaged: false, operator: 'carol', reason: 'fixed' });
    } finally {
      await nc.close();
    }
    await expect(cli('kill', '--reason', '  ', '--operator', 'bob')).rejects.toMatchObject({ stderr: expect.stringMatching(/needs a reason/) as unknown });
    // A name no node's cluster.firm could have is refused before NATS is asked.
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'firm', 'status', '--nats', NATS_URL, '--firm', 'bad.firm'], { cwd: ROOT, timeout: 90_000 })).rejects.toMatchObject({ stderr: expect.stringMatching(/INVALID_FIELD: --firm: must be 1-64 letters/) as unknown });
  }, 200_000);
});
