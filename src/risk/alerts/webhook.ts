import type { MessageBus } from '../../engine/bus.ts';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { EngineAlert, EngineTopics } from '../../engine/topics.ts';
import type { ErrorContext } from '../../model/errors.ts';

export interface WebhookOptions {
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Attempts after the first that fail (network error, timeout, non-2xx), default 3. */
  readonly retries?: number;
  /** Per attempt, default 5,000 ms. */
  readonly timeoutMs?: number;
  /** First backoff, doubled after each failure (100, 200, 400 ms by default). */
  readonly backoffMs?: number;
  /** Posts in flight at once (default 4); more wait in a queue. */
  readonly concurrency?: number;
  /** Alerts waiting beyond this many drop the oldest (default 10,000), counted in `dropped`. */
  readonly maxQueue?: number;
  /** More request headers (e.g. an Authorization the receiving service wants). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Applied to each JSON body before it is posted: the node replaces its configured secrets (FAULTS 31). */
  readonly scrub?: (body: string) => string;
  /** Told about an alert that could not be delivered after every retry. */
  readonly onFailure?: (alert: WebhookPayload, error: Error) => void;
}

export interface WebhookPayload {
  readonly code: AlertCode;
  readonly message: string;
  readonly context: ErrorContext;
  readonly ts: number;
}

const SECRET = /key|secret|token|password/i;

/** The alert as posted: context keys that look like secrets (key, secret, token, password) are left out. */
export function toPayload(a: EngineAlert): WebhookPayload {
  const context: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(a.context)) if (!SECRET.test(k)) context[k] = v;
  return { code: a.code, message: a.message, context, ts: a.ts };
}

/**
 * Posts every engine alert (breaker trips, resets, near-misses, kill switch, venue failures) as
 * JSON `{code, message, context, ts}` to a webhook. Delivery runs beside the engine: a slow or
 * failing server is retried with exponential backoff and then reported to `onFailure`; nothing is
 * ever thrown into the engine, and a flood is queued (bounded) rather than blocking it.
 */
export class WebhookAlertSink {
  delivered = 0;
  failed = 0;
  dropped = 0;
  private readonly queue: WebhookPayload[] = [];
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly url: string,
    private readonly opts: WebhookOptions = {},
  ) {
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** Subscribes to the bus's alert topic; returns the unsubscribe. */
  attach(bus: MessageBus<EngineTopics>): () => void {
    return bus.subscribe('alert', (a) => this.send(a));
  }

  /** Queues one alert for delivery; never throws. */
  send(a: EngineAlert): void {
    try {
      this.queue.push(toPayload(a));
      if (this.queue.length > (this.opts.maxQueue ?? 10_000)) {
        this.queue.shift();
        this.dropped++;
      }
      this.pump();
    } catch {
      this.dropped++;
    }
  }

  /** Resolves when every queued alert has been delivered or given up on. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < (this.opts.concurrency ?? 4)) {
      const next = this.queue.shift();
      if (!next) break;
      this.inFlight++;
      void this.deliver(next).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async deliver(p: WebhookPayload): Promise<void> {
    const json = JSON.stringify(p);
    const body = this.opts.scrub ? this.opts.scrub(json) : json;
    const retries = this.opts.retries ?? 3;
    let wait = this.opts.backoffMs ?? 100;
    let last: Error = new Error('not sent');
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        await sleep(wait);
        wait *= 2;
      }
      try {
        const res = await this.fetchFn(this.url, {
          method: 'POST',
          headers: { ...(this.opts.headers ?? {}), 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.delivered++;
          return;
        }
        last = new Error(`webhook answered ${res.status}`);
      } catch (e) {
        last = e instanceof Error ? e : new Error(String(e));
      }
    }
    this.failed++;
    try {
      this.opts.onFailure?.(p, last);
    } catch {
      // a failing observer must not break delivery of the rest
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
