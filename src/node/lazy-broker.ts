import type { CancelRequest, ModifyRequest, SubmitRequest, Venue, VenueConnectionState, VenueMarketNotice, VenueQueries, VenueReport } from '../engine/venue.ts';
import { queriesVia } from '../engine/venue.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../execution/backoff.ts';
import type { Timer } from '../execution/timer.ts';
import { VenueCallError } from '../model/errors.ts';
import type { BrokerVenue } from '../venues/broker/contract.ts';

export interface LazyBrokerOptions {
  readonly timer: Timer;
  /** First wait between attempts to open; doubled on each failure up to `maxBackoffMs`. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How long one attempt may take before the next is scheduled (the attempt itself is left to finish). */
  readonly attemptTimeoutMs: number;
  /** Each failed attempt, with its number (for health and logs; never an alert per attempt). */
  readonly onFailure: (attempt: number, error: string) => void;
  /** Runs once the broker is open, before UP is told: the journaled orders remembered, feeds and probes started. */
  readonly onOpen: () => void;
}

/**
 * A broker the node could not reach when it started (IB Gateway restarting for the night, the MT5
 * terminal closed), as the engine sees it: the node starts anyway, since its instruments and
 * account are in the journal, and the broker is opened in the background, tried again with
 * backoff until it answers. Meanwhile it is DOWN (the connection guard makes its scope REDUCING and
 * its journaled working orders UNKNOWN), every call fails at once as not sent (VENUE_DISCONNECTED,
 * not ambiguous) and queries fail; once open it is UP, and the guard reconciles it with the broker
 * (fills made meanwhile found once) before its scope is ACTIVE again. After that the adapter's own
 * reconnects take over.
 */
export class LazyBroker implements Venue {
  readonly id: Venue['id'];
  readonly capabilities: Venue['capabilities'];
  readonly queries: VenueQueries;
  private opened = false;
  private stopped = false;
  private sink: ((r: VenueReport) => void) | undefined;
  private readonly listeners: ((s: VenueConnectionState) => void)[] = [];
  private attempt = 0;
  private cancelWait: (() => void) | undefined;
  /** What waits for the broker to open (market data streams). */
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly adapter: BrokerVenue,
    private readonly o: LazyBrokerOptions,
  ) {
    this.id = adapter.id;
    this.capabilities = adapter.capabilities;
    this.queries = queriesVia(adapter.queries, (what, run) => (this.opened ? run() : Promise.reject(this.notOpen(`query ${what}`, 'VENUE_QUERY_FAILED'))));
  }

  get isOpen(): boolean {
    return this.opened;
  }

  connect(sink: (r: VenueReport) => void): void {
    // The adapter is given the sink once open: some start polling when connected.
    this.sink = sink;
  }

  onConnection(listener: (s: VenueConnectionState) => void): void {
    this.listeners.push(listener);
    // Before it opens, the adapter's own drops and recoveries are the attempts' business, not the engine's.
    this.adapter.onConnection?.((s) => {
      if (this.opened) listener(s);
    });
  }

  onMarketNotice(listener: (n: VenueMarketNotice) => void): void {
    this.adapter.onMarketNotice?.(listener);
  }

  submit(req: SubmitRequest): void | Promise<void> {
    if (!this.opened) throw this.notOpen(`order ${req.spec.clientOrderId}`);
    return this.adapter.submit(req);
  }

  modify(req: ModifyRequest): void | Promise<void> {
    if (!this.opened) throw this.notOpen(`modify of ${req.clientOrderId}`);
    return this.adapter.modify(req);
  }

  cancel(req: CancelRequest): void | Promise<void> {
    if (!this.opened) throw this.notOpen(`cancel of ${req.clientOrderId}`);
    return this.adapter.cancel(req);
  }

  /** Runs `start` once the broker is open (now, if it is); the returned stop stops what it started, or that it ever starts. */
  once(start: () => { stop(): void }): { stop(): void } {
    if (this.opened) return start();
    let started: { stop(): void } | undefined;
    let cancelled = false;
    this.waiting.push(() => {
      if (!cancelled) started = start();
    });
    return {
      stop: () => {
        cancelled = true;
        started?.stop();
      },
    };
  }

  /** After a first attempt failed: tells DOWN and tries again after the backoff; call once the executor and its guard listen. */
  start(): void {
    for (const l of this.listeners) l('DOWN');
    this.attempt = 1;
    this.retryLater(1);
  }

  stop(): void {
    this.stopped = true;
    this.cancelWait?.();
  }

  private tryOpen(): void {
    if (this.stopped || this.opened) return;
    const n = ++this.attempt;
    const opening = this.adapter.open();
    // A slow attempt (a stream still reconnecting) is left running: the next one is tried after the backoff, and whichever succeeds opens.
    opening.then(
      () => this.markOpen(),
      () => undefined,
    );
    withTimeout(opening, this.o.attemptTimeoutMs, this.o.timer).catch((e: unknown) => {
      this.o.onFailure(n, e instanceof Error ? e.message : String(e));
      this.retryLater(n);
    });
  }

  private retryLater(attempt: number): void {
    if (this.stopped || this.opened) return;
    const wait = backoffDelay(attempt, { ...DEFAULT_RETRY_POLICY, baseDelayMs: this.o.baseBackoffMs, maxDelayMs: this.o.maxBackoffMs });
    this.cancelWait = this.o.timer.schedule(wait, () => this.tryOpen());
  }

  private markOpen(): void {
    if (this.opened || this.stopped) return;
    this.opened = true;
    this.cancelWait?.();
    if (this.sink) this.adapter.connect(this.sink);
    this.o.onOpen();
    for (const l of this.listeners) l('UP');
    for (const f of this.waiting.splice(0)) f();
  }

  private notOpen(what: string, code: 'VENUE_DISCONNECTED' | 'VENUE_QUERY_FAILED' = 'VENUE_DISCONNECTED'): VenueCallError {
    return new VenueCallError(code, `${this.id} has not been reached since the node started (retrying): ${what} not sent`, { venue: this.id });
  }
}

/** Resolves or rejects as `p` does, or rejects after `ms` on the timer (`p` itself is left to finish). */
export function withTimeout<T>(p: Promise<T>, ms: number, timer: Timer): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = timer.schedule(ms, () => reject(new Error(`no answer within ${ms} ms`)));
    p.then(
      (v) => (cancel(), resolve(v)),
      (e: unknown) => (cancel(), reject(e as Error)),
    );
  });
}
