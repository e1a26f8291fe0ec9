import type { VenueConnectionState } from '../../engine/venue.ts';
import type { Timer } from '../../execution/timer.ts';

export interface PollerOptions {
  readonly timer: Timer;
  readonly intervalMs: number;
  /** Failures in a row before DOWN. */
  readonly downAfter: number;
  /** One round of polling; rejects when the broker could not be read. */
  readonly tick: () => Promise<void>;
  /** After DOWN, before UP: what was missed is read back (history). */
  readonly gapFill: () => Promise<void>;
  readonly onState: (s: VenueConnectionState, why: string) => void;
}

/**
 * Trading 212 has no stream: the adapter polls. A round at a time (the next scheduled when one
 * ends, so rounds never pile up; each call inside is paced by its endpoint's limiter). Rounds
 * failing `downAfter` times in a row make the venue DOWN; the first good round after that fills
 * the gap before it is UP again.
 */
export class Poller {
  private failures = 0;
  private down = false;
  private cancel: (() => void) | undefined;
  private stopped = true;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly o: PollerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancel = this.o.timer.schedule(ms, () => {
      this.running = this.round().finally(() => this.schedule(this.o.intervalMs));
    });
  }

  private async round(): Promise<void> {
    try {
      await this.o.tick();
      if (this.down) {
        await this.o.gapFill();
        this.down = false;
        this.o.onState('UP', 'polls answer again; missed fills read back from the history');
      }
      this.failures = 0;
    } catch (e) {
      this.failures++;
      if (!this.down && this.failures >= this.o.downAfter) {
        this.down = true;
        this.o.onState('DOWN', `${this.failures} polls failed in a row (last: ${(e as Error)?.message ?? String(e)})`);
      }
    }
  }
}
