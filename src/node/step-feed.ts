import type { MarketItem } from './market-data.ts';

/** Data times a run replays: from ≤ ts < to (epoch ms). */
export interface DataRange {
  readonly from?: number;
  readonly to?: number;
}

/**
 * The node's market data as steps: the items opening at one time (several instruments' bars
 * opening together are one step), read from a time-ordered stream with one item of lookahead,
 * keeping only items in the range. No async generator sits between the reader and the node: a
 * backtest reads millions of items, and each layer would cost an await per item.
 */
export class StepFeed {
  private readonly it: AsyncIterator<MarketItem>;
  private readonly from: number;
  private readonly to: number;
  private next: MarketItem | undefined;
  private ended = false;
  private readonly group: MarketItem[] = [];

  constructor(items: AsyncIterable<MarketItem> | Iterable<MarketItem>, range: DataRange = {}) {
    this.it = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : syncToAsync(items[Symbol.iterator]());
    this.from = range.from ?? -Infinity;
    this.to = range.to ?? Infinity;
  }

  /** Reads up to the first item in range; its time (undefined: no data in range). Call once, before step(). */
  async open(): Promise<number | undefined> {
    for (;;) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        return undefined;
      }
      if (r.value.ts < this.from) continue;
      if (r.value.ts >= this.to) return undefined;
      this.next = r.value;
      return r.value.ts;
    }
  }

  /** Time of the next step, if any. */
  get nextTs(): number | undefined {
    return this.next?.ts;
  }

  /**
   * Starts the next step with the item read ahead; `add(await pull())` then reads until an item
   * of a later time (which is kept for the next step) or the end. The array is refilled by the
   * next `begin`: use it before. (Two calls rather than one async step(): that would cost an await per step.)
   */
  begin(): MarketItem[] {
    const group = this.group;
    // Most steps are one item: setting the length is a runtime call, skipped when it stays 1.
    if (group.length !== 1) group.length = 1;
    group[0] = this.next!;
    return group;
  }

  /** The next item of the stream. */
  pull(): Promise<IteratorResult<MarketItem>> {
    return this.it.next();
  }

  /** Adds a read item to the step if it opens at the step's time (true: read on); else keeps it for the next step. */
  add(r: IteratorResult<MarketItem>): boolean {
    if (r.done) {
      this.ended = true;
      this.next = undefined;
      return false;
    }
    const item = r.value;
    if (item.ts >= this.to) {
      this.next = undefined;
      return false;
    }
    if (item.ts === this.group[0]!.ts) {
      this.group.push(item);
      return true;
    }
    this.next = item;
    return false;
  }

  /** Closes the reader (its file) when the data was not read to its end. */
  async close(): Promise<void> {
    this.next = undefined;
    if (this.ended) return;
    this.ended = true;
    await this.it.return?.(undefined);
  }
}

function syncToAsync(it: Iterator<MarketItem>): AsyncIterator<MarketItem> {
  return {
    next: () => Promise.resolve(it.next()),
    return: (v?: unknown) => Promise.resolve(it.return ? it.return(v) : { done: true as const, value: undefined }),
  };
}
