import type { Exchange, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { VenueConnectionState } from '../../engine/venue.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../execution/backoff.ts';
import { sleep, type Timer } from '../../execution/timer.ts';
import type { CcxtProfile } from './profiles.ts';

export interface StreamOptions {
  readonly timer: Timer;
  /** First wait before reconnecting, doubled on each failure up to `maxBackoffMs`. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export interface UserStreamsOptions {
  readonly exchange: Exchange;
  readonly profile: CcxtProfile;
  readonly symbols: () => string[];
  readonly options: StreamOptions;
  readonly onOrders: (orders: CcxtOrder[]) => void;
  readonly onTrades: (trades: CcxtTrade[]) => void;
  readonly onState: (s: VenueConnectionState) => void;
  readonly onAlert: (code: AlertCode, message: string) => void;
  /** A REST call that proves the exchange answers again before the venue is declared up. */
  readonly probe: () => Promise<unknown>;
}

/**
 * The user data streams (orders, and trades where the exchange streams them) as loops over
 * ccxt.pro's watch calls. A stream that fails — dropped, or silent past ccxt's ping/pong
 * keepalive (FAULTS 33) — puts the venue DOWN (its orders UNKNOWN, its scope REDUCING: see
 * connection-guard.ts); the loops back off, retry, and once the exchange answers a REST probe
 * the venue is UP again, which reconciles it over REST (the gap is filled from the exchange's
 * records, never from guesses).
 */
export class UserStreams {
  private running = false;
  private down = false;
  private failures = 0;
  private readonly loops: Promise<void>[] = [];
  private recovering: Promise<void> | undefined;

  constructor(private readonly o: UserStreamsOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops.push(this.loop('orders', () => this.o.exchange.watchOrders(), (x) => this.o.onOrders(x)));
    if (this.o.profile.fills === 'trades') this.loops.push(this.loop('trades', () => this.o.exchange.watchMyTrades(), (x) => this.o.onTrades(x)));
  }

  stop(): void {
    this.running = false;
  }

  private async loop<T>(name: string, watch: () => Promise<T[]>, take: (items: T[]) => void): Promise<void> {
    while (this.running) {
      try {
        const items = await watch();
        if (!this.running) return;
        this.failures = 0;
        take(items);
      } catch (e) {
        if (!this.running) return;
        await this.failed(name, e);
      }
    }
  }

  /** A stream failed: the venue goes DOWN (once), and comes UP when a REST probe answers after the backoff. */
  private failed(name: string, e: unknown): Promise<void> {
    if (!this.down) {
      this.down = true;
      this.o.onAlert('VENUE_STREAM_FAILED', `${this.o.profile.exchange} ${name} stream failed: ${(e as Error).message ?? String(e)}`);
      this.o.onState('DOWN');
    }
    this.recovering ??= this.recover().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  private async recover(): Promise<void> {
    while (this.running) {
      this.failures++;
      const wait = backoffDelay(this.failures, { ...DEFAULT_RETRY_POLICY, baseDelayMs: this.o.options.baseBackoffMs, maxDelayMs: this.o.options.maxBackoffMs });
      await sleep(this.o.options.timer, wait);
      if (!this.running) return;
      try {
        await this.o.probe();
      } catch (e) {
        this.o.onAlert('VENUE_STREAM_FAILED', `${this.o.profile.exchange} still unreachable (attempt ${this.failures}): ${(e as Error).message ?? String(e)}`);
        continue;
      }
      this.down = false;
      this.o.onState('UP');
      return;
    }
  }
}
