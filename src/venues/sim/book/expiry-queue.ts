import type { OrderNode } from './level.ts';

/**
 * DAY/GTD orders by expiry time (ties: order of entry), a binary min-heap. Orders that leave the
 * book early stay in the heap as dead entries and are skipped when they surface (lazy deletion);
 * when dead entries outnumber live ones the heap is rebuilt, so it never holds more than about
 * twice the live DAY/GTD orders.
 */
export class ExpiryQueue {
  private heap: OrderNode[] = [];
  private dead = 0;
  private nextSeq = 0;

  get length(): number {
    return this.heap.length - this.dead;
  }

  add(node: OrderNode): void {
    node.expirySeq = this.nextSeq++;
    const heap = this.heap;
    heap.push(node);
    this.up(heap.length - 1);
  }

  /** Called when a queued order leaves the book other than through `popDue`. */
  forget(): void {
    this.dead++;
    if (this.dead > 64 && this.dead * 2 > this.heap.length) this.rebuild();
  }

  /** Removes and returns the earliest live order expiring at or before `now`, or undefined. */
  popDue(now: number): OrderNode | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (top.live && top.expireAt > now) return undefined;
      this.popTop();
      if (top.live) return top;
      this.dead--;
    }
    return undefined;
  }

  private popTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.down(0);
    }
  }

  private rebuild(): void {
    const live: OrderNode[] = [];
    for (const node of this.heap) if (node.live) live.push(node);
    this.heap = live;
    this.dead = 0;
    for (let i = (live.length >>> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    const heap = this.heap;
    const node = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      const p = heap[parent]!;
      if (!before(node, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = node;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const node = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1]!, heap[child]!)) child++;
      if (!before(heap[child]!, node)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = node;
  }
}

function before(a: OrderNode, b: OrderNode): boolean {
  return a.expireAt < b.expireAt || (a.expireAt === b.expireAt && a.expirySeq < b.expirySeq);
}
