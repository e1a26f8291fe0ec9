import { PriceLevel } from '../../../../../src/venues/sim/book/level.ts';

/**
 * One side of the book: price → level, plus the active prices kept sorted so that the best one is
 * at the end of an array. Asks store their price negated, so one ascending array serves both sides
 * and the best (highest key) is always `keys[keys.length - 1]`.
 *
 * New levels and emptied levels are usually near the best price, so inserting or removing a key
 * moves only the few keys above it; a far-away level costs a binary search and one memmove-like
 * shift of the keys between it and the top. Emptied levels are recycled.
 */
export class SideLadder {
  private readonly levels = new Map<number, PriceLevel>();
  private readonly keys: number[] = [];
  private readonly sign: 1 | -1;
  private readonly spare: PriceLevel[] = [];
  /** The best level, or null when the side is empty. */
  best: PriceLevel | null = null;

  constructor(isBid: boolean) {
    this.sign = isBid ? 1 : -1;
  }

  get levelCount(): number {
    return this.keys.length;
  }

  level(price: number): PriceLevel | undefined {
    return this.levels.get(price);
  }

  /** The level at `price`, created (and indexed) when absent. */
  levelFor(price: number): PriceLevel {
    const found = this.levels.get(price);
    if (found !== undefined) return found;
    const level = this.spare.pop() ?? new PriceLevel(price);
    level.price = price;
    this.levels.set(price, level);
    const keys = this.keys;
    const key = this.sign * price;
    let i = keys.length;
    if (i === 0 || keys[i - 1]! < key) {
      keys.push(key);
      this.best = level;
      return level;
    }
    i = this.lowerBound(key);
    for (let j = keys.length; j > i; j--) keys[j] = keys[j - 1]!;
    keys[i] = key;
    return level;
  }

  /** Drops an empty level from the index. */
  remove(level: PriceLevel): void {
    this.levels.delete(level.price);
    const keys = this.keys;
    const key = this.sign * level.price;
    const last = keys.length - 1;
    if (keys[last] === key) {
      keys.pop();
      this.best = last === 0 ? null : this.levels.get(this.sign * keys[last - 1]!)!;
    } else {
      const i = this.lowerBound(key);
      for (let j = i; j < last; j++) keys[j] = keys[j + 1]!;
      keys.pop();
    }
    level.head = null;
    level.tail = null;
    if (this.spare.length < 1024) this.spare.push(level);
  }

  /** Level by rank: 0 is the best, 1 the next, ...; undefined past the last. */
  at(rank: number): PriceLevel | undefined {
    const keys = this.keys;
    const i = keys.length - 1 - rank;
    return i < 0 ? undefined : this.levels.get(this.sign * keys[i]!);
  }

  /** First index whose key is ≥ `key`. */
  private lowerBound(key: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
