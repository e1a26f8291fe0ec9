import type { BookFill, BookModify, BookOrderRequest, BookResult, BookSide, StpMode } from '../../../../src/venues/sim/book/index.ts';

/**
 * A deliberately naive order book for the property tests: one flat array of orders, sorted by
 * (price, arrival sequence) whenever it is consulted, and FOK decided by running the match on a
 * copy. Same rules as OrderBook, none of its data structures.
 */
interface RefOrder {
  id: string;
  owner: string | undefined;
  side: BookSide;
  price: number;
  remaining: number;
  visible: number;
  display: number;
  postOnly: boolean;
  expireAt: number | undefined;
  seq: number;
  /** Expiry tie-break: order of first entry. */
  entry: number;
}

export interface RefView {
  id: string;
  price: number;
  remainingQty: number;
  visibleQty: number;
}

export class ReferenceBook {
  orders: RefOrder[] = [];
  private seq = 0;

  constructor(private readonly stp: StpMode = 'NONE') {}

  private clone(): ReferenceBook {
    const copy = new ReferenceBook(this.stp);
    copy.orders = this.orders.map((o) => ({ ...o }));
    copy.seq = this.seq;
    return copy;
  }

  /** One side in matching order. */
  side(side: BookSide): RefOrder[] {
    return this.orders
      .filter((o) => o.side === side)
      .sort((a, b) => (a.price === b.price ? a.seq - b.seq : side === 'BUY' ? b.price - a.price : a.price - b.price));
  }

  view(side: BookSide): RefView[] {
    return this.side(side).map((o) => ({ id: o.id, price: o.price, remainingQty: o.remaining, visibleQty: o.visible }));
  }

  private crosses(isBuy: boolean, limit: number): boolean {
    const best = this.side(isBuy ? 'SELL' : 'BUY')[0];
    return best !== undefined && (isBuy ? best.price <= limit : best.price >= limit);
  }

  private match(isBuy: boolean, limit: number, qty: number, takerId: string, owner: string | undefined) {
    const fills: BookFill[] = [];
    const canceled: string[] = [];
    let remaining = qty;
    let stopped = false;
    while (remaining > 0 && this.crosses(isBuy, limit)) {
      const maker = this.side(isBuy ? 'SELL' : 'BUY')[0]!;
      if (this.stp !== 'NONE' && owner !== undefined && maker.owner === owner) {
        if (this.stp === 'CANCEL_TAKER') {
          stopped = true;
          break;
        }
        canceled.push(maker.id);
        this.orders = this.orders.filter((o) => o !== maker);
        if (this.stp === 'CANCEL_BOTH') {
          stopped = true;
          break;
        }
        continue;
      }
      const q = Math.min(remaining, maker.visible);
      remaining -= q;
      maker.visible -= q;
      maker.remaining -= q;
      fills.push({ takerId, makerId: maker.id, price: maker.price, qty: q, takerSide: isBuy ? 'BUY' : 'SELL', makerOwner: maker.owner, takerOwner: owner });
      if (maker.remaining === 0) this.orders = this.orders.filter((o) => o !== maker);
      else if (maker.visible === 0) {
        maker.visible = Math.min(maker.display, maker.remaining);
        maker.seq = ++this.seq;
      }
    }
    return { fills, canceled, remaining, stopped };
  }

  private result(m: ReturnType<ReferenceBook['match']>, rests: boolean): BookResult {
    const canceledMakers = m.canceled.length ? m.canceled : undefined;
    const outcome =
      m.remaining === 0 ? 'FILLED' : m.stopped || !rests ? 'CANCELED' : m.fills.length ? 'PARTIALLY_FILLED_RESTING' : 'RESTING';
    return { outcome, fills: m.fills, rejectReason: m.stopped && m.remaining > 0 ? 'SELF_TRADE' : undefined, canceledMakers, remainingQty: m.remaining };
  }

  submit(req: BookOrderRequest): BookResult {
    const reject = (reason: BookResult['rejectReason']): BookResult => ({ outcome: 'REJECTED', fills: [], rejectReason: reason, canceledMakers: undefined, remainingQty: req.qty });
    if (this.orders.some((o) => o.id === req.id)) return reject('DUPLICATE_ID');
    const isBuy = req.side === 'BUY';
    const limit = req.type === 'MARKET' ? (isBuy ? Infinity : -Infinity) : req.price!;
    if (req.postOnly && this.crosses(isBuy, limit)) return reject('POST_ONLY_WOULD_CROSS');
    if (req.tif === 'FOK') {
      const trial = this.clone().match(isBuy, limit, req.qty, req.id, req.owner);
      if (trial.remaining > 0) return reject('FOK_CANNOT_FILL');
    }
    const m = this.match(isBuy, limit, req.qty, req.id, req.owner);
    const rests = req.type === 'LIMIT' && req.tif !== 'IOC' && req.tif !== 'FOK';
    if (rests && m.remaining > 0 && !m.stopped) {
      const display = req.displayQty ?? 0;
      const seq = ++this.seq;
      this.orders.push({
        id: req.id, owner: req.owner, side: req.side, price: limit, remaining: m.remaining,
        visible: display > 0 ? Math.min(display, m.remaining) : m.remaining, display, postOnly: req.postOnly === true,
        expireAt: req.expireAt, seq, entry: seq,
      });
    }
    return this.result(m, rests);
  }

  cancel(id: string): boolean {
    const before = this.orders.length;
    this.orders = this.orders.filter((o) => o.id !== id);
    return this.orders.length < before;
  }

  modify(id: string, change: BookModify): BookResult {
    const o = this.orders.find((x) => x.id === id);
    if (!o) return { outcome: 'REJECTED', fills: [], rejectReason: 'UNKNOWN_ORDER', canceledMakers: undefined, remainingQty: 0 };
    const qty = change.qty ?? o.remaining;
    const price = change.price ?? o.price;
    if (price === o.price && qty <= o.remaining) {
      o.remaining = qty;
      o.visible = Math.min(o.visible, qty);
      return { outcome: 'RESTING', fills: [], rejectReason: undefined, canceledMakers: undefined, remainingQty: qty };
    }
    const isBuy = o.side === 'BUY';
    if (o.postOnly && this.crosses(isBuy, price)) {
      return { outcome: 'REJECTED', fills: [], rejectReason: 'POST_ONLY_WOULD_CROSS', canceledMakers: undefined, remainingQty: o.remaining };
    }
    this.orders = this.orders.filter((x) => x !== o);
    const m = this.match(isBuy, price, qty, id, o.owner);
    if (m.remaining > 0 && !m.stopped) {
      o.price = price;
      o.remaining = m.remaining;
      o.visible = o.display > 0 ? Math.min(o.display, m.remaining) : m.remaining;
      o.seq = ++this.seq;
      this.orders.push(o);
    }
    return this.result(m, true);
  }

  expire(now: number): string[] {
    const due = this.orders.filter((o) => o.expireAt !== undefined && o.expireAt <= now).sort((a, b) => a.expireAt! - b.expireAt! || a.entry - b.entry);
    this.orders = this.orders.filter((o) => !due.includes(o));
    return due.map((o) => o.id);
  }
}
