import type { BookSide, BookTif } from './types.ts';

/**
 * A resting order: a node of its price level's intrusive doubly linked FIFO, so that cancel,
 * fill and re-queue are O(1) given the node (the book finds it through its id → node map).
 */
export class OrderNode {
  prev: OrderNode | null = null;
  next: OrderNode | null = null;
  level: PriceLevel | null = null;
  /** False once the order has left the book for good (filled, canceled, expired); never true again. */
  live = true;
  /** Tie-break in the expiry queue: order of first entry into the book. */
  expirySeq = 0;

  constructor(
    public id: string,
    public owner: string | undefined,
    public side: BookSide,
    public price: number,
    /** Visible plus hidden lots still open. */
    public remaining: number,
    /** Lots shown: `remaining` for a plain order, at most `display` for an iceberg. */
    public visible: number,
    /** Iceberg display size; 0 for a plain order. */
    public display: number,
    public tif: BookTif,
    /** Epoch ms for DAY/GTD; -1 when the order does not expire. */
    public expireAt: number,
    public postOnly: boolean,
  ) {}

  /** Makes a retired node (one nothing refers to any more) a new order: saves an allocation. */
  reuse(id: string, owner: string | undefined, side: BookSide, price: number, remaining: number, visible: number, display: number, tif: BookTif, expireAt: number, postOnly: boolean): OrderNode {
    this.id = id;
    this.owner = owner;
    this.side = side;
    this.price = price;
    this.remaining = remaining;
    this.visible = visible;
    this.display = display;
    this.tif = tif;
    this.expireAt = expireAt;
    this.postOnly = postOnly;
    this.live = true;
    return this;
  }
}

/**
 * All resting orders at one price on one side, oldest first, with their visible and total lots;
 * also a link of its side's chain of levels (see `SideLadder`).
 */
export class PriceLevel {
  head: OrderNode | null = null;
  tail: OrderNode | null = null;
  /** The next level toward the touch (null for the best), and the next away from it. */
  better: PriceLevel | null = null;
  worse: PriceLevel | null = null;
  count = 0;
  visibleQty = 0;
  totalQty = 0;

  constructor(public price: number) {}

  /** Appends at the back (youngest); adds the node's lots to the level totals. */
  pushBack(node: OrderNode): void {
    node.level = this;
    node.next = null;
    node.prev = this.tail;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.count++;
    this.visibleQty += node.visible;
    this.totalQty += node.remaining;
  }

  /** Removes the node; subtracts its current lots from the level totals. */
  unlink(node: OrderNode): void {
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    node.level = null;
    this.count--;
    this.visibleQty -= node.visible;
    this.totalQty -= node.remaining;
  }

  /** Moves a node to the back without touching the totals (an iceberg refresh loses time priority). */
  moveToBack(node: OrderNode): void {
    if (this.tail === node) return;
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    next!.prev = prev; // not the tail, so it has a successor
    node.prev = this.tail;
    node.next = null;
    this.tail!.next = node;
    this.tail = node;
  }
}
