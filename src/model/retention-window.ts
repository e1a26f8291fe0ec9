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

  /** The live ids, oldest first: all a snapshot needs (versions only order them). */
  toSnapshot(): T[] {
    const out: T[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const e = this.queue[i]!;
      if (this.live.get(e.id) === e.version) out.push(e.id);
    }
    return out;
  }

  /** A window holding `ids` (oldest first), as `toSnapshot` gave them; refuses more than fit. */
  static fromSnapshot<T>(capacity: number, ids: readonly T[]): RetentionWindow<T> {
    const w = new RetentionWindow<T>(capacity);
    if (ids.length > capacity) throw new RangeError(`retention snapshot of ${ids.length} ids exceeds capacity ${capacity}`);
    for (const id of ids) {
      if (w.live.has(id)) throw new RangeError('retention snapshot repeats an id');
      w.add(id);
    }
    return w;
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

  /** The items, oldest first. */
  toSnapshot(): T[] {
    if (this.count < this.capacity) return this.ring.slice(0, this.count) as T[];
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)] as T[];
  }

  /** A ring holding `items` (oldest first), as `toSnapshot` gave them; refuses more than fit. */
  static fromSnapshot<T>(capacity: number, items: readonly T[]): FifoRing<T> {
    const r = new FifoRing<T>(capacity);
    if (items.length > capacity) throw new RangeError(`ring snapshot of ${items.length} items exceeds capacity ${capacity}`);
    for (const x of items) r.push(x);
    return r;
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
