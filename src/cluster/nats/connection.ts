/**
 * The NATS connection of the node's event publishing and of the firm view (the firm budget and
 * kill switch keep one of their own: src/cluster/budget/nats-link.ts says why). It never gives up: the first connect is retried until the
 * server answers (the node starts without waiting for it), and once connected the client
 * reconnects forever. Whoever cares about the link being up (the NATS-loss fail-safe, the
 * publisher's metrics) subscribes to its status changes instead of watching the client itself.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Where the link is: connecting (never connected yet), connected, disconnected (reconnecting), closed. */
export type NatsLinkState = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** A change of the link: the first connect, a loss, a reconnect, the end. */
export type NatsLinkEvent =
  | { readonly kind: 'connected'; readonly server: string }
  | { readonly kind: 'disconnected'; readonly server: string }
  | { readonly kind: 'reconnected'; readonly server: string }
  | { readonly kind: 'closed' };

export type NatsLinkListener = (event: NatsLinkEvent) => void;

export interface NatsLinkOptions {
  readonly servers: string | readonly string[];
  /** The client's name as the server lists it (default `warden`). */
  readonly name?: string;
  /** Wait between connect attempts and reconnects (default 500 ms). */
  readonly reconnectWaitMs?: number;
  /** Timeout of one connect attempt (default 2 s). */
  readonly connectTimeoutMs?: number;
  /** Client pings (default 5 s): how soon a silent server counts as lost (two missed pings). */
  readonly pingIntervalMs?: number;
}

export class NatsLink {
  private nc: NatsConnection | undefined;
  private linkState: NatsLinkState = 'connecting';
  private readonly listeners = new Set<NatsLinkListener>();
  private readonly waiting: { resolve: (nc: NatsConnection) => void; reject: (e: Error) => void }[] = [];
  private connecting: Promise<void>;

  private constructor(private readonly o: NatsLinkOptions) {
    this.connecting = this.connectLoop();
  }

  /** Starts connecting in the background: returns at once, whether or not the server is up. */
  static open(o: NatsLinkOptions): NatsLink {
    return new NatsLink(o);
  }

  get state(): NatsLinkState {
    return this.linkState;
  }

  private get closed(): boolean {
    return this.linkState === 'closed';
  }

  get connected(): boolean {
    return this.linkState === 'connected';
  }

  /** The client once it has connected (it may be reconnecting now); undefined before the first connect. */
  get connection(): NatsConnection | undefined {
    return this.nc;
  }

  /** The client, once it has connected the first time (rejects if the link is closed first). */
  ready(): Promise<NatsConnection> {
    if (this.closed) return Promise.reject(new Error('NATS link closed'));
    if (this.nc) return Promise.resolve(this.nc);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Calls `listener` at each change of the link; returns the unsubscribe. */
  onStatus(listener: NatsLinkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drains nothing: closes the client (in-flight publishes fail) and stops any connect attempt. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.linkState = 'closed';
    await this.nc?.close().catch(() => undefined);
    await this.connecting;
    for (const w of this.waiting.splice(0)) w.reject(new Error('NATS link closed'));
    this.emit({ kind: 'closed' });
  }

  private emit(e: NatsLinkEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A listener's failure is its own: the link and the other listeners go on.
      }
    }
  }

  private async connectLoop(): Promise<void> {
    const servers = typeof this.o.servers === 'string' ? [this.o.servers] : [...this.o.servers];
    const wait = this.o.reconnectWaitMs ?? 500;
    while (!this.closed) {
      try {
        const nc = await connect({
          servers,
          name: this.o.name ?? 'warden',
          timeout: this.o.connectTimeoutMs ?? 2_000,
          maxReconnectAttempts: -1,
          reconnectTimeWait: wait,
          reconnectJitter: Math.min(100, wait),
          pingInterval: this.o.pingIntervalMs ?? 5_000,
          maxPingOut: 2,
        });
        if (this.closed) {
          await nc.close();
          return;
        }
        this.attach(nc);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private attach(nc: NatsConnection): void {
    const again = this.nc !== undefined;
    this.nc = nc;
    this.linkState = 'connected';
    const server = nc.getServer();
    for (const w of this.waiting.splice(0)) w.resolve(nc);
    this.emit({ kind: again ? 'reconnected' : 'connected', server });
    void this.watch(nc);
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (this.closed) return;
      if (s.type === 'disconnect' && this.linkState !== 'disconnected') {
        this.linkState = 'disconnected';
        this.emit({ kind: 'disconnected', server: s.server });
      } else if (s.type === 'reconnect') {
        this.linkState = 'connected';
        this.emit({ kind: 'reconnected', server: s.server });
      }
    }
    // The client closed by itself (it never gives up reconnecting, so a server refusal): connect anew.
    if (this.closed) return;
    this.linkState = 'disconnected';
    this.emit({ kind: 'disconnected', server: nc.getServer() });
    this.connecting = this.connectLoop();
  }
}
