import type { Clock } from '../../engine/clock.ts';
import { sleep, type Timer } from '../../execution/timer.ts';
import { initialWindow, nextSlot, observeAnswer, recordSend, T212_ENDPOINTS, type RateHeaders, type RateLimit, type T212Endpoint, type WindowState } from './rate-limits.ts';

/** A wait for a rate-limit slot longer than the caller allows: nothing was sent. */
export class SlotTooFar extends Error {
  constructor(readonly waitMs: number) {
    super(`the endpoint's next rate-limit slot is ${waitMs} ms away`);
  }
}

/** The thin layer over rate-limits.ts: one window per endpoint, waits on the injected timer. */
export class EndpointLimiter {
  private readonly windows = new Map<T212Endpoint, WindowState>();

  constructor(
    limits: Readonly<Record<T212Endpoint, RateLimit>>,
    guardMs: number,
    private readonly clock: Clock,
    private readonly timer: Timer,
  ) {
    for (const e of T212_ENDPOINTS) this.windows.set(e, initialWindow(limits[e], guardMs));
  }

  /** Waits for the endpoint's slot and takes it; a slot further than `maxWaitMs` away throws SlotTooFar (nothing taken). */
  async acquire(e: T212Endpoint, maxWaitMs: number): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const at = nextSlot(this.windows.get(e)!, now);
      if (at <= now) {
        this.windows.set(e, recordSend(this.windows.get(e)!, now));
        return;
      }
      if (at - now > maxWaitMs) throw new SlotTooFar(at - now);
      await sleep(this.timer, at - now);
    }
  }

  observe(e: T212Endpoint, status: number, h: RateHeaders | undefined): void {
    this.windows.set(e, observeAnswer(this.windows.get(e)!, this.clock.now(), status, h));
  }

  /** How long until the endpoint may be called (0: now). */
  waitFor(e: T212Endpoint): number {
    const now = this.clock.now();
    return nextSlot(this.windows.get(e)!, now) - now;
  }
}
