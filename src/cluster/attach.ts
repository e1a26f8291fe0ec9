/**
 * The node's one wiring hook into the cluster (config `cluster:`): opens the NATS link and starts
 * publishing the journal's events to the firm's stream. Starts in the background (the node never
 * waits for NATS) and stops with the node, before its journal closes. Budget, kill switch and the
 * NATS-loss fail-safe attach beside this (src/cluster/safety/cluster-link.ts) on a connection of
 * their own (src/cluster/budget/nats-link.ts says why).
 */
import type { Logger } from 'pino';
import type { DurableJournal } from '../journal/types.ts';
import type { ClusterConfig } from '../node/config/cluster.ts';
import { EventPublisher } from './events/publisher.ts';
import { NatsLink } from './nats/connection.ts';

export interface ClusterAttachment {
  /** The node's NATS link: `ready()` for the client, `onStatus` for connected/disconnected/reconnected. */
  readonly link: NatsLink;
  /** The event publisher (undefined with `publish: false`). */
  readonly publisher: EventPublisher | undefined;
  /** Stops publishing (what is in flight settles; the rest is published on the next start) and closes the link. */
  stop(): Promise<void>;
}

/** One warning per this many ms at most while NATS stays away. */
const WARN_EVERY_MS = 10_000;

export function attachCluster(config: ClusterConfig, journal: DurableJournal, o: { readonly logger?: Logger } = {}): ClusterAttachment {
  const link = NatsLink.open({ servers: config.nats, name: `warden ${config.firm}/${config.node_id}` });
  let lastWarn = -Infinity;
  const onError = (e: unknown): void => {
    const now = performance.now();
    if (now - lastWarn < WARN_EVERY_MS) return;
    lastWarn = now;
    o.logger?.warn({ firm: config.firm, node: config.node_id, err: (e as Error).message }, 'event publishing to NATS failed: retrying from the journal');
  };
  link.onStatus((e) => o.logger?.[e.kind === 'disconnected' ? 'warn' : 'info']({ firm: config.firm, node: config.node_id, nats: e.kind }, 'NATS link'));
  const publisher = config.publish ? EventPublisher.start({ journal, link, firm: config.firm, nodeId: config.node_id, onError }) : undefined;
  return {
    link,
    publisher,
    async stop() {
      await publisher?.stop();
      await link.close();
    },
  };
}
