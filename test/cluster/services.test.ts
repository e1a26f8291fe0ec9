/** The NATS test services: the shared server answers with JetStream, and a private one stops and restarts on its port with its streams kept. */
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { natsAvailable, useService } from '../services.ts';
import { natsServerBinary, PrivateNatsServer } from '../support/nats-server.ts';

describe.runIf(useService('NATS', await natsAvailable()))('shared NATS', () => {
  it('answers with JetStream on', async () => {
    expect(await natsAvailable()).toEqual({ available: true, reason: '' });
  });
});

describe.runIf(useService('nats-server binary', natsServerBinary()))('private nats-server', () => {
  const servers: PrivateNatsServer[] = [];
  afterAll(async () => { for (const s of servers) await s.dispose(); });

  it('keeps a stream across stop and resume on the same port', async () => {
    const s = await PrivateNatsServer.start();
    servers.push(s);
    let nc = await connect({ servers: s.url, reconnect: false });
    await (await jetstreamManager(nc)).streams.add({ name: 'T', subjects: ['t.>'] });
    await nc.close();
    await s.stop();
    expect(s.running).toBe(false);
    await expect(connect({ servers: s.url, reconnect: false, timeout: 500 })).rejects.toThrow();
    await s.resume();
    nc = await connect({ servers: s.url, reconnect: false });
    expect((await (await jetstreamManager(nc)).streams.info('T')).config.subjects).toEqual(['t.>']);
    await nc.close();
  });
});
