import type { Engine } from '../engine/engine.ts';
import type { EngineAlert } from '../engine/topics.ts';

/** One alert as kept: the engine's alert and its place in the log (1, 2, ...). */
export interface LoggedAlert extends EngineAlert {
  readonly id: number;
}

/**
 * The last `capacity` alerts published on the engine's bus, in a ring buffer: O(1) per alert,
 * nothing awaited on the engine's path, the oldest dropped first.
 */
export class AlertLog {
  private readonly ring: (LoggedAlert | undefined)[];
  private next = 0;
  private count = 0;
  private readonly off: () => void;

  constructor(engine: Engine, readonly capacity = 500) {
    this.ring = new Array<LoggedAlert | undefined>(capacity);
    this.off = engine.bus.subscribe('alert', (a) => this.add(a));
  }

  private add(a: EngineAlert): void {
    this.count++;
    this.ring[this.next] = { id: this.count, code: a.code, message: a.message, context: a.context, ts: a.ts };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Alerts so far (including those dropped from the ring). */
  get total(): number {
    return this.count;
  }

  /** The newest `limit` alerts, newest first. */
  recent(limit = this.capacity): LoggedAlert[] {
    const n = Math.min(limit, this.count, this.capacity);
    const out: LoggedAlert[] = [];
    for (let i = 1; i <= n; i++) out.push(this.ring[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }

  close(): void {
    this.off();
  }
}
