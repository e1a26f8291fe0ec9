/**
 * Our own resting orders on one side of one instrument, by price: a count per price level and a
 * binary heap of levels with lazy deletion, so the best (highest bid / lowest offer) is O(1) to
 * read and O(log levels) to maintain. Self-trade prevention reads it.
 */
export class PriceLadder {
  private readonly counts = new Map<bigint, number>();
  /** Heap of keys: prices for offers (min-heap), negated prices for bids. */
  private readonly heap: bigint[] = [];
  private readonly sign: bigint;

  constructor(readonly side: 'BUY' | 'SELL') {
    this.sign = side === 'BUY' ? -1n : 1n;
  }

  add(price: bigint): void {
    const n = this.counts.get(price) ?? 0;
    this.counts.set(price, n + 1);
    if (n === 0) {
      // Stale keys (levels emptied but not yet popped) are bounded: rebuild when they dominate.
      if (this.heap.length > 2 * this.counts.size + 64) this.rebuild();
      else this.push(price * this.sign);
    }
  }

  private rebuild(): void {
    this.heap.length = 0;
    for (const p of this.counts.keys()) this.push(p * this.sign);
  }

  remove(price: bigint): void {
    const n = this.counts.get(price);
    if (n === undefined) return;
    if (n <= 1) this.counts.delete(price);
    else this.counts.set(price, n - 1);
  }

  /** The best price (highest buy, lowest sell), or undefined when nothing rests. */
  best(): bigint | undefined {
    while (this.heap.length > 0) {
      const p = this.heap[0]! * this.sign;
      if (this.counts.has(p)) return p;
      this.pop();
    }
    return undefined;
  }

  get levels(): number {
    return this.counts.size;
  }

  private push(k: bigint): void {
    const h = this.heap;
    h.push(k);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= k) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = k;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && h[r]! < h[l]! ? r : l;
      if (h[c]! >= last) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}
