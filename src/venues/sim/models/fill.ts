import { pow10 } from '../../../model/decimal.ts';
import { LookupError } from '../../../model/errors.ts';
import type { OrderSide } from '../../../model/orders/types.ts';
import { Quantity, type Price } from '../../../model/values.ts';
import { ConfigReader, type ModelConfig } from './config.ts';
import { SeededRandom } from './random.ts';

/** A limit order resting on the simulated book, as the fill model sees it. */
export interface RestingLimit {
  readonly id: string;
  readonly side: OrderSide;
  readonly price: Price;
  /** Quantity still open. */
  readonly leavesQty: Quantity;
}

/**
 * A market print: a trade (price and size), or for bar data the bar's extreme on the order's side
 * (low for a resting buy, high for a resting sell), with the bar's volume when known.
 */
export interface MarketPrint {
  readonly price: Price;
  readonly qty?: Quantity;
}

/**
 * Decides whether, and how much of, a resting limit order fills when the market reaches it.
 * `join`/`leave` let stateful models (queue position) track the order; stateless ones ignore them.
 */
export interface LimitFillModel {
  /** The order starts resting with `queueAhead` already on the book at its price. */
  join(order: RestingLimit, queueAhead?: Quantity): void;
  /** Quantity of `order` that fills on `print` (zero when none). */
  onPrint(order: RestingLimit, print: MarketPrint): Quantity;
  /** The order left the book (filled, canceled, expired). */
  leave(orderId: string): void;
}

/** Where the print is relative to the limit, from the resting order's point of view. */
export function printVersusLimit(order: RestingLimit, print: MarketPrint): 'AWAY' | 'TOUCH' | 'THROUGH' {
  const c = print.price.cmp(order.price);
  if (c === 0) return 'TOUCH';
  return (order.side === 'BUY' ? c < 0 : c > 0) ? 'THROUGH' : 'AWAY';
}

const none = (o: RestingLimit): Quantity => Quantity.zero(o.leavesQty.precision);

export interface FillAtTouchConfig {
  /** Chance in [0, 1] that a touch fills the whole order. */
  readonly probability: number;
  readonly seed: number;
}

/** `fill_at_touch`: a print through the limit fills; a print at the limit fills with `probability` (seeded). */
export class FillAtTouch implements LimitFillModel {
  private readonly rng: SeededRandom;
  constructor(
    readonly probability: number,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
  }
  static fromConfig(config?: ModelConfig): FillAtTouch {
    const r = new ConfigReader(config);
    const m = new FillAtTouch(r.number('probability', { min: 0, max: 1 }), r.number('seed', { integer: true }));
    r.done();
    return m;
  }
  join(): void {}
  leave(): void {}
  onPrint(order: RestingLimit, print: MarketPrint): Quantity {
    switch (printVersusLimit(order, print)) {
      case 'THROUGH':
        return order.leavesQty;
      case 'TOUCH':
        return this.rng.next() < this.probability ? order.leavesQty : none(order);
      case 'AWAY':
        return none(order);
    }
  }
}

/** `fill_on_trade_through`: fills only when the market trades strictly through the limit. Config: none. */
export class FillOnTradeThrough implements LimitFillModel {
  static fromConfig(config?: ModelConfig): FillOnTradeThrough {
    new ConfigReader(config).done();
    return new FillOnTradeThrough();
  }
  join(): void {}
  leave(): void {}
  onPrint(order: RestingLimit, print: MarketPrint): Quantity {
    return printVersusLimit(order, print) === 'THROUGH' ? order.leavesQty : none(order);
  }
}

/**
 * `queue_position`: the order joins behind `queueAhead`. Volume printed at the limit first eats
 * the queue ahead; what trades beyond it fills us (partially, up to the leaves). A print through
 * the limit fills the rest. A print without a size at the limit moves nothing. An order the model
 * was not told about (`join`) is UNKNOWN_ORDER. Config: none.
 */
export class QueuePositionFill implements LimitFillModel {
  private readonly ahead = new Map<string, Quantity>();

  static fromConfig(config?: ModelConfig): QueuePositionFill {
    new ConfigReader(config).done();
    return new QueuePositionFill();
  }
  join(order: RestingLimit, queueAhead?: Quantity): void {
    this.ahead.set(order.id, queueAhead ?? Quantity.zero(order.leavesQty.precision));
  }
  leave(orderId: string): void {
    this.ahead.delete(orderId);
  }
  /** Quantity still ahead of the order in the queue. */
  queueAhead(orderId: string): Quantity {
    return this.known(orderId);
  }
  /** Orders ahead canceled: the queue shrinks by `qty` (not below zero). */
  reduceAhead(orderId: string, qty: Quantity): void {
    const ahead = this.known(orderId);
    this.ahead.set(orderId, ahead.cmp(qty) <= 0 ? Quantity.zero(ahead.precision) : ahead.sub(qty));
  }
  onPrint(order: RestingLimit, print: MarketPrint): Quantity {
    const ahead = this.known(order.id);
    switch (printVersusLimit(order, print)) {
      case 'THROUGH':
        return order.leavesQty;
      case 'AWAY':
        return none(order);
      case 'TOUCH': {
        if (!print.qty) return none(order);
        if (ahead.cmp(print.qty) >= 0) {
          this.ahead.set(order.id, ahead.sub(print.qty));
          return none(order);
        }
        this.ahead.set(order.id, Quantity.zero(ahead.precision));
        const excess = print.qty.sub(ahead);
        if (excess.cmp(order.leavesQty) >= 0) return order.leavesQty;
        const lp = order.leavesQty.precision; // a finer print size is floored to the order's precision
        return Quantity.fromRaw((excess.raw * pow10(lp)) / pow10(excess.precision), lp);
      }
    }
  }
  private known(orderId: string): Quantity {
    const q = this.ahead.get(orderId);
    if (!q) throw new LookupError('UNKNOWN_ORDER', `queue_position fill model: order ${orderId} never joined the queue`, { orderId });
    return q;
  }
}
