import type { SideLadder } from './ladder.ts';
import type { PriceLevel } from './level.ts';
import type { StpMode } from './types.ts';

/**
 * Whether a taker could trade `qty` lots right now against `book` (the opposite side), up to
 * `limit` (inclusive), exactly as matching would go. Used for FOK before any fill happens.
 *
 * Hidden iceberg lots count: a taker keeps matching a level after an iceberg refreshes. With
 * self-trade prevention the walk follows the matching rules:
 * - CANCEL_MAKER: the owner's own orders are canceled, not traded, so they do not count.
 * - CANCEL_TAKER / CANCEL_BOTH: matching stops at the first own order met. Within that level the
 *   taker first meets the orders queued ahead of it: plain orders in full, icebergs only their
 *   visible part (an iceberg that refreshes goes to the back, behind the own order).
 */
export function canFill(book: SideLadder, isBuy: boolean, limit: number, qty: number, stp: StpMode, owner: string | undefined): boolean {
  const checkOwner = stp !== 'NONE' && owner !== undefined;
  let sum = 0;
  for (let level = book.best; ; level = level.worse) {
    if (level === null || (isBuy ? level.price > limit : level.price < limit)) return false;
    if (!checkOwner) {
      sum += level.totalQty;
      if (sum >= qty) return true;
      continue;
    }
    sum += stp === 'CANCEL_MAKER' ? othersQty(level, owner) : qtyAheadOfOwn(level, owner);
    if (sum >= qty) return true;
    if (stp !== 'CANCEL_MAKER' && hasOwner(level, owner)) return false; // the taker stops at the own order
  }
}

/** Lots of the level's orders not owned by `owner`. */
function othersQty(level: PriceLevel, owner: string | undefined): number {
  let sum = level.totalQty;
  for (let node = level.head; node !== null; node = node.next) if (node.owner === owner) sum -= node.remaining;
  return sum;
}

/** Lots a taker trades at this level before it meets the first own order (all of it when there is none). */
function qtyAheadOfOwn(level: PriceLevel, owner: string | undefined): number {
  let sum = 0;
  for (let node = level.head; node !== null; node = node.next) {
    if (node.owner === owner) return sum;
    sum += node.visible;
  }
  return level.totalQty;
}

function hasOwner(level: PriceLevel, owner: string | undefined): boolean {
  for (let node = level.head; node !== null; node = node.next) if (node.owner === owner) return true;
  return false;
}
