/**
 * A first-in, first-out window of ids with O(1) push and evict. (A Set used as a queue is not
 * O(1): V8 walks the deleted entries at its head on every `values().next()`.)
 */
export class RetentionWindow<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`retention capacity must be a whole number >= 0, got ${capacity}`);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds `id`; returns the id pushed out of the window, if any. */
  push(id: T): T | undefined {
    this.items.push(id);
    if (this.size <= this.capacity) return undefined;
    const out = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}
