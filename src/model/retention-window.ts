/**
 * Keeps the most recent `capacity` ids and says which to drop. An id added again moves to the
 * front; `remove` takes one out (a flat position that reopened). O(1) amortised: the queue holds
 * stale entries that are skipped when they reach its head, and is compacted when they pile up.
 * (A Set used as a queue is not O(1): V8 walks the deleted entries at its head.)
 */
export class RetentionWindow<T> {
  private queue: { id: T; version: number }[] = [];
  private head = 0;
  private readonly live = new Map<T, number>();
  private version = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`retention capacity must be a whole number >= 0, got ${capacity}`);
  }

  get size(): number {
    return this.live.size;
  }

  has(id: T): boolean {
    return this.live.has(id);
  }

  /** Adds or refreshes `id`; returns the ids pushed out of the window (oldest first). */
  add(id: T): T[] {
    const version = ++this.version;
    this.live.set(id, version);
    this.queue.push({ id, version });
    const evicted: T[] = [];
    while (this.live.size > this.capacity) {
      const e = this.queue[this.head++]!;
      if (this.live.get(e.id) === e.version) {
        this.live.delete(e.id);
        evicted.push(e.id);
      }
    }
    this.compact();
    return evicted;
  }

  remove(id: T): void {
    this.live.delete(id);
  }

  private compact(): void {
    const length = this.queue.length - this.head;
    if (length < 1024 || length <= 2 * this.live.size) return;
    this.queue = this.queue.slice(this.head).filter((e) => this.live.get(e.id) === e.version);
    this.head = 0;
  }
}

/**
 * A fixed-size first-in, first-out ring: `push` returns what falls out. No lookups, no per-item
 * allocation: for the hot path, where what falls out is checked by the caller.
 */
export class FifoRing<T> {
  private readonly ring: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`ring capacity must be a whole number >= 0, got ${capacity}`);
    this.ring = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): T | undefined {
    if (this.capacity === 0) return item;
    const out = this.ring[this.next];
    this.ring[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) {
      this.count++;
      return undefined;
    }
    return out;
  }
}
