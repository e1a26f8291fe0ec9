/**
 * REFERENCE MODEL for tests only: the matching book as it was before issue 20 (commit f83e3d1),
 * whose level index is a sorted array shifted per insert. Kept verbatim (only imports and the
 * class name changed) so that property tests can prove the B+ tree book in src/ behaves the same.
 */
import { checkEpochMillis, checkLevels, checkModify, checkRequest, checkStpMode } from '../../../../../src/venues/sim/book/validate.ts';
import { ExpiryQueue } from '../../../../../src/venues/sim/book/expiry-queue.ts';
import { SideLadder } from './ladder.ts';
import { OrderNode, type PriceLevel } from '../../../../../src/venues/sim/book/level.ts';
import { canFill } from './liquidity.ts';
import type {
  BookDepth,
  BookFill,
  BookLevel,
  BookModify,
  BookOrderRequest,
  BookOrderView,
  BookOutcome,
  BookRejectReason,
  BookResult,
  BookSide,
  OrderBookOptions,
  StpMode,
} from '../../../../../src/venues/sim/book/types.ts';

const NO_FILLS: readonly BookFill[] = Object.freeze([]);
const MAX_SPARE_NODES = 4096;

/**
 * Price-time priority matching engine for one instrument. Pure and deterministic: no clock, no
 * randomness, no I/O; the same calls give the same results. Prices are integer ticks and
 * quantities integer lots (see `types.ts`); each call validates its input and throws a
 * `ValidationError` for a malformed one, leaving the book unchanged.
 *
 * Rules:
 * - Price, then time: better prices trade first; at one price, the order that arrived first.
 *   Trades happen at the resting (maker) order's price.
 * - IOC: the unfilled remainder is canceled. MARKET: sweeps levels, never rests (remainder canceled).
 * - FOK: checked against the book before any fill; all or nothing (`FOK_CANNOT_FILL`).
 * - Post-only: refused with `POST_ONLY_WOULD_CROSS` when it would trade on arrival.
 * - Iceberg (`displayQty`): only the display slice is visible and tradeable by one pass of the
 *   queue. When a taker consumes the visible slice and hidden lots remain, the order shows a new
 *   slice of min(displayQty, remaining) lots and goes to the BACK of its level: each refresh loses
 *   time priority, as a newly arrived order would. The taker goes on matching, so hidden lots can
 *   still trade in the same pass once the orders ahead have traded.
 * - Self-trade prevention by `owner`, per book: see `StpMode`.
 * - DAY/GTD: leave the book through `expire(now)` once `expireAt <= now`. The book has no clock, so
 *   an order may arrive with `expireAt` in the past; it rests until the next `expire` call.
 * - Modify: a smaller quantity at the same price keeps time priority; a larger quantity or a new
 *   price loses it: the order is taken out and re-enters as a new arrival (it may trade).
 * - Ids are unique among resting orders; once an order has left the book its id may be used again.
 * - Capacity: an order that could rest (or a modify that grows one) is refused with
 *   `CAPACITY_EXCEEDED` when the lots resting in the book would pass 2^53 − 1 with it.
 *
 * Performance: each side keeps a map price → level (an intrusive FIFO of order nodes) and the
 * active prices sorted with the best at the end; an id → node map gives O(1) cancel. The hot path
 * allocates only the result, the fills and the node of an order that rests.
 */
export class LegacyOrderBook {
  private readonly stp: StpMode;
  private readonly bids = new SideLadder(true);
  private readonly asks = new SideLadder(false);
  private readonly byId = new Map<string, OrderNode>();
  private readonly expiries = new ExpiryQueue();
  /** Retired nodes that nothing refers to any more (never DAY/GTD ones: the expiry queue may still hold those). */
  private readonly spareNodes: OrderNode[] = [];
  // Scratch state of the current match, read by its caller (saves returning a tuple).
  private fills: BookFill[] | null = null;
  private canceledMakers: string[] | null = null;
  private selfTradeStop = false;
  /** Lots resting on both sides; kept ≤ 2^53 − 1 so that every sum of them is exact. */
  private restingLots = 0;

  constructor(opts: OrderBookOptions = {}) {
    this.stp = opts.stp === undefined ? 'NONE' : checkStpMode(opts.stp);
  }

  /** Resting orders. */
  get size(): number {
    return this.byId.size;
  }

  bestBid(): number | undefined {
    return this.bids.best?.price;
  }

  bestAsk(): number | undefined {
    return this.asks.best?.price;
  }

  submit(req: BookOrderRequest): BookResult {
    checkRequest(req);
    const { id, qty } = req;
    if (this.byId.has(id)) return rejected('DUPLICATE_ID', qty);
    const isBuy = req.side === 'BUY';
    const market = req.type === 'MARKET';
    const limit = market ? (isBuy ? Infinity : -Infinity) : req.price!;
    const opposite = isBuy ? this.asks : this.bids;
    if (req.postOnly === true && crosses(opposite.best, isBuy, limit)) return rejected('POST_ONLY_WOULD_CROSS', qty);
    if (req.tif === 'FOK' && !canFill(opposite, isBuy, limit, qty, this.stp, req.owner)) return rejected('FOK_CANNOT_FILL', qty);
    const mayRest = !market && req.tif !== 'IOC' && req.tif !== 'FOK';
    if (mayRest && qty > Number.MAX_SAFE_INTEGER - this.restingLots) return rejected('CAPACITY_EXCEEDED', qty);

    const remaining = this.match(isBuy, limit, qty, id, req.owner);
    const fills = this.takeFills();
    const canceledMakers = this.takeCanceledMakers();
    if (remaining === 0) return result('FILLED', fills, undefined, canceledMakers, 0);
    if (this.selfTradeStop) return result('CANCELED', fills, 'SELF_TRADE', canceledMakers, remaining);
    if (market || req.tif === 'IOC') return result('CANCELED', fills, undefined, canceledMakers, remaining);

    const display = req.displayQty ?? 0;
    const visible = display > 0 && display < remaining ? display : remaining;
    const expireAt = req.expireAt ?? -1;
    const spare = this.spareNodes.pop();
    const postOnly = req.postOnly === true;
    const node =
      spare === undefined
        ? new OrderNode(id, req.owner, req.side, limit, remaining, visible, display, req.tif, expireAt, postOnly)
        : spare.reuse(id, req.owner, req.side, limit, remaining, visible, display, req.tif, expireAt, postOnly);
    this.rest(node);
    if (expireAt >= 0) this.expiries.add(node);
    return result(fills.length === 0 ? 'RESTING' : 'PARTIALLY_FILLED_RESTING', fills, undefined, canceledMakers, remaining);
  }

  /** Removes a resting order; false when no resting order has that id. */
  cancel(id: string): boolean {
    const node = this.byId.get(id);
    if (node === undefined) return false;
    this.removeResting(node);
    return true;
  }

  /**
   * Changes a resting order's remaining quantity (`qty`, in lots) and/or price. A smaller quantity
   * at the same price keeps time priority; anything else re-queues the order as a new arrival,
   * which may trade (its fills are returned). A post-only order whose new price would cross is
   * refused and left as it was. An unknown id gives REJECTED / UNKNOWN_ORDER.
   */
  modify(id: string, change: BookModify): BookResult {
    checkModify(change);
    const node = this.byId.get(id);
    if (node === undefined) return rejected('UNKNOWN_ORDER', 0);
    const qty = change.qty ?? node.remaining;
    const price = change.price ?? node.price;
    const level = node.level!;
    if (price === node.price && qty <= node.remaining) {
      const cut = node.remaining - qty;
      node.remaining = qty;
      level.totalQty -= cut;
      this.restingLots -= cut;
      if (node.visible > qty) {
        level.visibleQty -= node.visible - qty;
        node.visible = qty;
      }
      return result('RESTING', NO_FILLS, undefined, undefined, qty);
    }
    const isBuy = node.side === 'BUY';
    if (node.postOnly && crosses((isBuy ? this.asks : this.bids).best, isBuy, price)) return rejected('POST_ONLY_WOULD_CROSS', node.remaining);
    if (qty - node.remaining > Number.MAX_SAFE_INTEGER - this.restingLots) return rejected('CAPACITY_EXCEEDED', node.remaining);

    this.unlinkFromLevel(node);
    const remaining = this.match(isBuy, price, qty, id, node.owner);
    const fills = this.takeFills();
    const canceledMakers = this.takeCanceledMakers();
    if (remaining === 0 || this.selfTradeStop) {
      this.byId.delete(id);
      this.retire(node);
      return remaining === 0
        ? result('FILLED', fills, undefined, canceledMakers, 0)
        : result('CANCELED', fills, 'SELF_TRADE', canceledMakers, remaining);
    }
    node.price = price;
    node.remaining = remaining;
    node.visible = node.display > 0 && node.display < remaining ? node.display : remaining;
    this.bookSide(node).levelFor(price).pushBack(node);
    this.restingLots += remaining;
    return result(fills.length === 0 ? 'RESTING' : 'PARTIALLY_FILLED_RESTING', fills, undefined, canceledMakers, remaining);
  }

  /** Removes every DAY/GTD order with `expireAt <= now`; returns their ids, earliest expiry first. */
  expire(now: number): string[] {
    checkEpochMillis('now', now);
    const ids: string[] = [];
    for (let node = this.expiries.popDue(now); node !== undefined; node = this.expiries.popDue(now)) {
      ids.push(node.id);
      this.byId.delete(node.id);
      this.unlinkFromLevel(node);
      node.live = false;
    }
    return ids;
  }

  /** Visible lots per price, best first, at most `levels` prices per side (icebergs show their display slice). */
  depth(levels: number): BookDepth {
    checkLevels(levels);
    return { bids: levelsOf(this.bids, levels), asks: levelsOf(this.asks, levels) };
  }

  get(id: string): BookOrderView | undefined {
    const node = this.byId.get(id);
    return node === undefined ? undefined : view(node);
  }

  /** Resting orders of one side in matching order: best price first, then arrival. */
  orders(side: BookSide): BookOrderView[] {
    const ladder = side === 'BUY' ? this.bids : this.asks;
    const out: BookOrderView[] = [];
    for (let rank = 0; ; rank++) {
      const level = ladder.at(rank);
      if (level === undefined) return out;
      for (let node = level.head; node !== null; node = node.next) out.push(view(node));
    }
  }

  /**
   * Trades a taker against the opposite side up to `limit` (±Infinity for a market order) and
   * returns the lots left. Fills and STP-canceled makers go to the scratch fields.
   */
  private match(isBuy: boolean, limit: number, qty: number, takerId: string, takerOwner: string | undefined): number {
    const book = isBuy ? this.asks : this.bids;
    const takerSide: BookSide = isBuy ? 'BUY' : 'SELL';
    const stp = this.stp;
    const checkOwner = stp !== 'NONE' && takerOwner !== undefined;
    this.selfTradeStop = false;
    let remaining = qty;
    while (remaining > 0) {
      const level = book.best;
      if (level === null || (isBuy ? level.price > limit : level.price < limit)) break;
      const maker = level.head!;
      if (checkOwner && maker.owner === takerOwner) {
        if (stp === 'CANCEL_TAKER') {
          this.selfTradeStop = true;
          break;
        }
        (this.canceledMakers ??= []).push(maker.id);
        this.removeResting(maker);
        if (stp === 'CANCEL_BOTH') {
          this.selfTradeStop = true;
          break;
        }
        continue;
      }
      const q = remaining < maker.visible ? remaining : maker.visible;
      remaining -= q;
      (this.fills ??= []).push({ takerId, makerId: maker.id, price: level.price, qty: q, takerSide, makerOwner: maker.owner, takerOwner });
      if (q === maker.remaining) {
        this.removeResting(maker);
        continue;
      }
      maker.remaining -= q;
      maker.visible -= q;
      level.totalQty -= q;
      this.restingLots -= q;
      level.visibleQty -= q;
      if (maker.visible === 0) {
        // Iceberg refresh: a new slice from the hidden lots, at the back of the level.
        const slice = maker.display < maker.remaining ? maker.display : maker.remaining;
        maker.visible = slice;
        level.visibleQty += slice;
        level.moveToBack(maker);
      }
    }
    return remaining;
  }

  private takeFills(): readonly BookFill[] {
    const fills = this.fills;
    if (fills === null) return NO_FILLS;
    this.fills = null;
    return fills;
  }

  private takeCanceledMakers(): string[] | undefined {
    const ids = this.canceledMakers;
    if (ids === null) return undefined;
    this.canceledMakers = null;
    return ids;
  }

  private bookSide(node: OrderNode): SideLadder {
    return node.side === 'BUY' ? this.bids : this.asks;
  }

  private rest(node: OrderNode): void {
    this.bookSide(node).levelFor(node.price).pushBack(node);
    this.restingLots += node.remaining;
    this.byId.set(node.id, node);
  }

  /** Takes an order off its level (dropping the level once empty); the node stays indexed by id. */
  private unlinkFromLevel(node: OrderNode): void {
    const level: PriceLevel = node.level!;
    level.unlink(node);
    this.restingLots -= node.remaining;
    if (level.count === 0) this.bookSide(node).remove(level);
  }

  /** Takes an order out of the book for good. */
  private removeResting(node: OrderNode): void {
    this.unlinkFromLevel(node);
    this.byId.delete(node.id);
    this.retire(node);
  }

  private retire(node: OrderNode): void {
    node.live = false;
    if (node.expireAt >= 0) this.expiries.forget();
    else if (this.spareNodes.length < MAX_SPARE_NODES) this.spareNodes.push(node);
  }
}

function crosses(best: PriceLevel | null, isBuy: boolean, limit: number): boolean {
  return best !== null && (isBuy ? best.price <= limit : best.price >= limit);
}

function result(
  outcome: BookOutcome,
  fills: readonly BookFill[],
  rejectReason: BookRejectReason | undefined,
  canceledMakers: readonly string[] | undefined,
  remainingQty: number,
): BookResult {
  return { outcome, fills, rejectReason, canceledMakers, remainingQty };
}

function rejected(reason: BookRejectReason, remainingQty: number): BookResult {
  return { outcome: 'REJECTED', fills: NO_FILLS, rejectReason: reason, canceledMakers: undefined, remainingQty };
}

function levelsOf(ladder: SideLadder, count: number): BookLevel[] {
  const out: BookLevel[] = [];
  for (let rank = 0; rank < count; rank++) {
    const level = ladder.at(rank);
    if (level === undefined) break;
    out.push([level.price, level.visibleQty]);
  }
  return out;
}

function view(node: OrderNode): BookOrderView {
  return {
    id: node.id,
    side: node.side,
    price: node.price,
    remainingQty: node.remaining,
    visibleQty: node.visible,
    displayQty: node.display > 0 ? node.display : undefined,
    tif: node.tif,
    expireAt: node.expireAt >= 0 ? node.expireAt : undefined,
    postOnly: node.postOnly,
    owner: node.owner,
  };
}
