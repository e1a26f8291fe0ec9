/**
 * The NATS connection of the firm budget and kill switch, apart from the event publisher's
 * NatsLink (src/cluster/nats/): the budget must fail closed, so a node with a budget connects
 * before it trades (a start with NATS away fails instead of trading unbudgeted), while the
 * publisher starts in the background and may replace its client; the KV handles here stay bound
 * to one client. So a node with both keeps two connections. It reconnects forever (the fail-safe
 * watches its status); `reconnectTimeWait` is short so a node is back soon after NATS is.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';

export async function connectNats(servers: string | readonly string[], name: string): Promise<NatsConnection> {
  return connect({ servers: typeof servers === 'string' ? servers : [...servers], name, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 2_000 });
}

/** Opens (creating it when absent) a KV bucket keeping only the latest value of each key. */
export async function openBucket(nc: NatsConnection, bucket: string): Promise<KV> {
  return new Kvm(nc).create(bucket, { history: 1 });
}
