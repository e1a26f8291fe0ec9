import type { AlertCode } from '../../engine/alert-codes.ts';
import type { EngineAlert } from '../../engine/topics.ts';
import type { Severity } from '../config/alerts.ts';
import { DEFAULT_RETRY, sleep as realSleep, wallClock, withRetries, type RetryPolicy } from './delivery.ts';
import { summarySeverity, type Outgoing } from './message.ts';
import { atLeast, severityOf } from './severity.ts';
import { admit, dedupeKey, drain, EMPTY_THROTTLE, nextRelease, release, type Held, type ThrottleLimits, type ThrottleState } from './throttle.ts';
import type { AlertTransport } from './transport.ts';

/** Which alerts a sink takes: its codes (all when absent) at its minimum severity or above. */
export interface AlertRoute {
  readonly codes?: readonly AlertCode[];
  readonly minSeverity: Severity;
}

/** Whether an alert goes to a sink with this route. */
export function routes(route: AlertRoute, code: AlertCode): boolean {
  if (route.codes && !route.codes.includes(code)) return false;
  return atLeast(severityOf(code), route.minSeverity);
}

export interface ChannelOptions {
  readonly route: AlertRoute;
  readonly limits: ThrottleLimits;
  /** The wall clock the throttle counts in (people's time, not the data's). */
  readonly now?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  /** Resolves after `ms`, or sooner when `signal` aborts (the channel closing). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How long a closing channel still waits (rate limit spacing, Retry-After, backoff) before giving up what it holds; default 10 s. */
  readonly closeGraceMs?: number;
  /** Told of a message given up on after its retries (the error is a DeliveryError or a network error). */
  readonly onFailure?: (out: Outgoing, error: unknown) => void;
}

/**
 * One sink as the node runs it: each alert routed to it passes the throttle (dedupe, rate limit:
 * src/node/alerts/throttle.ts decides) and what is to be said goes out one message at a time, in
 * order, retried as the service asks (Retry-After) or with backoff. A timer releases what the
 * throttle holds (repeats, summaries) when it is due. Never throws into the bus.
 */
export class AlertChannel {
  sent = 0;
  failed = 0;
  private state: ThrottleState = EMPTY_THROTTLE;
  private readonly queue: Outgoing[] = [];
  private running = false;
  private closed = false;
  /** Set by close(): waits end by then, and no retry starts after it. */
  private deadline = Infinity;
  private readonly wakeOnClose: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private readonly idleWaiters: (() => void)[] = [];
  /** When the last messages (up to `max`) were answered (or given up on). */
  private readonly answered: number[] = [];
  private readonly now: () => number;
  private readonly retry: RetryPolicy;

  constructor(
    readonly transport: AlertTransport,
    private readonly o: ChannelOptions,
  ) {
    this.now = o.now ?? wallClock;
    this.retry = { ...DEFAULT_RETRY, ...(o.retry ?? {}) };
  }

  get label(): string {
    return this.transport.label;
  }

  /** Takes one alert from the bus: ignored unless routed here, then throttled. */
  offer(a: EngineAlert): void {
    if (this.closed || !routes(this.o.route, a.code)) return;
    try {
      const now = this.now();
      const { state, verdict } = admit(this.state, { code: a.code, key: dedupeKey(a.code, a.context) }, now, this.o.limits);
      this.state = state;
      if (verdict.do === 'send') this.enqueue({ kind: 'alert', code: a.code, severity: severityOf(a.code), message: a.message, context: a.context, ts: a.ts, repeated: verdict.repeated });
      this.tick();
    } catch (e) {
      this.o.onFailure?.({ kind: 'alert', code: a.code, severity: severityOf(a.code), message: a.message, context: a.context, ts: a.ts, repeated: 0 }, e);
    }
  }

  /** Stops taking alerts; what the throttle still counts goes as one last summary. Resolves when all is sent or given up. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.deadline = this.now() + (this.o.closeGraceMs ?? 10_000);
      for (const w of this.wakeOnClose.splice(0)) w();
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      const now = this.now();
      const left = drain(this.state, now);
      this.state = EMPTY_THROTTLE;
      if (left) this.enqueue(summary(left, now, true));
    }
    await this.idle();
    await this.transport.close?.();
  }

  /** Resolves when nothing is queued or being sent. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Releases what is due and arms the timer for the next release. */
  private tick(): void {
    const now = this.now();
    const r = release(this.state, now, this.o.limits);
    this.state = r.state;
    if (r.summary) this.enqueue(summary(r.summary, now, false));
    const at = nextRelease(this.state, now, this.o.limits);
    if (at === undefined || this.closed || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.tick();
      },
      Math.max(1, at - now),
    );
    // A pending summary must not keep a stopping process alive; close() sends it anyway.
    this.timer.unref?.();
  }

  /**
   * The throttle decides at most `max` messages per window when they are offered; a slow service
   * delays them in the queue, and a later one could then leave right behind them. So each message
   * also waits here until `windowMs` has passed since the message `max` places before it was
   * answered: a request reaches the service no sooner than that answer, so what the service sees
   * keeps the limit too (the closing summary excepted: a stopping node does not wait).
   */
  private async slot(): Promise<void> {
    const { max, windowMs } = this.o.limits;
    const now = this.now();
    while (this.answered.length > 0 && this.answered[0]! <= now - windowMs) this.answered.shift();
    if (this.answered.length >= max && !this.closed) await this.wait(this.answered[0]! + windowMs - now);
  }

  private markAnswered(): void {
    this.answered.push(this.now());
    if (this.answered.length > this.o.limits.max) this.answered.shift();
  }

  /**
   * Sleeps `ms`, or less once the channel closes (until its deadline): a stopping node waits a
   * bounded time for what is still going out. False when the wait was cut short or the deadline passed.
   */
  private async wait(ms: number): Promise<boolean> {
    const sleep = this.o.sleep ?? realSleep;
    if (!this.closed) {
      const from = this.now();
      let wake: () => void = () => undefined;
      const closing = new Promise<'closed'>((resolve) => (wake = () => resolve('closed')));
      this.wakeOnClose.push(wake);
      const cut = new AbortController();
      const how = await Promise.race([sleep(ms, cut.signal).then(() => 'slept' as const), closing]);
      // A sleep cut short by close() must not leave its timer (up to a minute of Retry-After) holding the process.
      cut.abort();
      const i = this.wakeOnClose.indexOf(wake);
      if (i >= 0) this.wakeOnClose.splice(i, 1);
      if (how === 'slept') return true;
      ms -= this.now() - from;
    }
    const left = this.deadline - this.now();
    if (left <= 0) return false;
    await sleep(Math.max(0, Math.min(ms, left)));
    return ms <= left;
  }

  private enqueue(out: Outgoing): void {
    this.queue.push(out);
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    for (let out = this.queue.shift(); out; out = this.queue.shift()) {
      try {
        const next = out;
        await this.slot();
        await withRetries(() => this.transport.send(next), this.retry, (ms) => this.wait(ms));
        this.markAnswered();
        this.sent++;
      } catch (e) {
        this.markAnswered();
        this.failed++;
        try {
          this.o.onFailure?.(out, e);
        } catch {
          // an observer failing must not stop the rest
        }
      }
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

function summary(held: Held, until: number, final: boolean): Outgoing {
  return { kind: 'summary', severity: summarySeverity(held), held, until, final };
}
