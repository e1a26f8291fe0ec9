/**
 * The node's NATS link against a private nats-server: it opens without waiting for the server,
 * connects once the server is up, tells its listeners of each loss and reconnect, and never
 * gives up.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { natsServerBinary, PrivateNatsServer } from '../../support/nats-server.ts';
import { useService } from '../../services.ts';
import { NatsLink, type NatsLinkEvent } from '../../../src/cluster/nats/connection.ts';

/** Resolves at the next event of this kind. */
function next(link: NatsLink, kind: NatsLinkEvent['kind']): Promise<void> {
  return new Promise((resolve) => {
    const off = link.onStatus((e) => {
      if (e.kind !== kind) return;
      off();
      resolve();
    });
  });
}

describe.runIf(useService('nats-server binary', natsServerBinary()))('NATS link', () => {
  const servers: PrivateNatsServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.dispose();
  });

  it('opens while the server is down, connects when it comes, reports each loss and reconnect', async () => {
    const nats = await PrivateNatsServer.start();
    servers.push(nats);
    await nats.stop();
    const link = NatsLink.open({ servers: nats.url, reconnectWaitMs: 100, connectTimeoutMs: 500 });
    const seen: NatsLinkEvent['kind'][] = [];
    link.onStatus((e) => seen.push(e.kind));
    try {
      expect(link.state).toBe('connecting');
      expect(link.connection).toBeUndefined();
      const connected = next(link, 'connected');
      await nats.resume();
      await connected;
      expect(link.connected).toBe(true);
      const nc = await link.ready();
      for (let round = 0; round < 2; round++) {
        const lost = next(link, 'disconnected');
        await nats.stop();
        await lost;
        expect(link.state).toBe('disconnected');
        const back = next(link, 'reconnected');
        await nats.resume();
        await back;
        expect(link.state).toBe('connected');
      }
      // The same client throughout: whoever holds it (the budget, the kill switch) keeps a working one.
      expect(link.connection).toBe(nc);
      expect(seen).toEqual(['connected', 'disconnected', 'reconnected', 'disconnected', 'reconnected']);
    } finally {
      await link.close();
    }
    expect(link.state).toBe('closed');
    expect(seen[seen.length - 1]).toBe('closed');
    await expect(link.ready()).rejects.toThrow(/closed/);
  }, 60_000);

  it('ready() rejects when closed before ever connecting', async () => {
    const link = NatsLink.open({ servers: 'nats://127.0.0.1:1', reconnectWaitMs: 50, connectTimeoutMs: 200 });
    const ready = link.ready();
    await link.close();
    await expect(ready).rejects.toThrow(/closed/);
  });
});
