import { PriceLevel } from './level.ts';
import { PriceTree } from './price-tree.ts';

/**
 * One side of the book: price → level, the levels chained best to worst (`best`, then `worse`
 * links), and a B+ tree of their prices that says where a new level goes in the chain.
 *
 * The best level is a field (O(1)); matching and depth walk the chain outward from it, one link
 * per level. Opening or closing a level costs one tree insert or delete, O(log n) at any depth:
 * the sorted array this replaces shifted every key between a new level and the touch, which at
 * 100k levels cost hundreds of µs for a level deep in the book.
 *
 * The tree holds `sign × price` (asks negated), so on both sides a larger key is a better price.
 * Prices are safe integers (checked at the book's edge), so every key and comparison is exact.
 * Emptied levels are recycled.
 */
export class SideLadder {
  private readonly levels = new Map<number, PriceLevel>();
  private readonly tree: PriceTree;
  private readonly sign: 1 | -1;
  private readonly spare: PriceLevel[] = [];
  /** The best level, or null when the side is empty. */
  best: PriceLevel | null = null;

  /** `fanout`: of the price tree (tests use small ones to exercise its splits and merges). */
  constructor(isBid: boolean, fanout?: number) {
    this.sign = isBid ? 1 : -1;
    this.tree = new PriceTree(fanout);
  }

  get levelCount(): number {
    return this.levels.size;
  }

  level(price: number): PriceLevel | undefined {
    return this.levels.get(price);
  }

  /** The level at `price`, created (indexed and chained) when absent. */
  levelFor(price: number): PriceLevel {
    const found = this.levels.get(price);
    if (found !== undefined) return found;
    const level = this.spare.pop() ?? new PriceLevel(price);
    level.price = price;
    this.levels.set(price, level);
    const tree = this.tree;
    tree.insert(this.sign * price);
    switch (tree.neighbour) {
      case 'NONE':
        this.best = level;
        break;
      case 'ABOVE':
        chainBelow(this.levels.get(this.sign * tree.neighbourKey)!, level);
        break;
      case 'BELOW':
        this.chainAbove(this.levels.get(this.sign * tree.neighbourKey)!, level);
        break;
    }
    return level;
  }

  /** Drops an empty level from the index and the chain. */
  remove(level: PriceLevel): void {
    this.levels.delete(level.price);
    this.tree.delete(this.sign * level.price);
    const { better, worse } = level;
    if (better === null) this.best = worse;
    else better.worse = worse;
    if (worse !== null) worse.better = better;
    level.better = null;
    level.worse = null;
    level.head = null;
    level.tail = null;
    if (this.spare.length < 1024) this.spare.push(level);
  }

  /** Chains `level` just better than `below`. */
  private chainAbove(below: PriceLevel, level: PriceLevel): void {
    const above = below.better;
    level.worse = below;
    level.better = above;
    below.better = level;
    if (above === null) this.best = level;
    else above.worse = level;
  }
}

/** Chains `level` just worse than `above`. */
function chainBelow(above: PriceLevel, level: PriceLevel): void {
  const below = above.worse;
  level.better = above;
  level.worse = below;
  above.worse = level;
  if (below !== null) below.better = level;
}
