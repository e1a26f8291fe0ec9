import type { PreTradeRequest } from '../../engine/gate.ts';
import type { Instrument } from '../../model/instrument.ts';
import { limitPriceOf, triggerPriceOf, type OrderSide, type OrderType } from '../../model/orders/types.ts';
import type { Price } from '../../model/values.ts';
import type { InstrumentRules } from './limits.ts';
import { rawAt } from './reference.ts';
import type { Book, Stake, WorkingSet } from './working.ts';

import { FLATTEN_TAG } from '../../engine/reserved-tags.ts';

export { FLATTEN_TAG };

/**
 * What the checks need to know about one request, read once into a reused object (no allocation
 * per check). Quantities are raw lots, prices raw ticks of the instrument's precision. For a
 * modify, `qty` is the new order quantity and `add` the change in working leaves.
 */
export class OrderFacts {
  kind: 'submit' | 'modify' = 'submit';
  clientOrderId = '';
  accountId = '';
  strategyId = '';
  side: OrderSide = 'BUY';
  type: OrderType = 'MARKET';
  inst!: Instrument;
  rules!: InstrumentRules;
  book!: Book;
  stake!: Stake;
  /** Order quantity after the request. */
  qty = 0n;
  /** Working leaves before (0 for a submit) and after the request. */
  oldLeaves = 0n;
  leaves = 0n;
  add = 0n;
  /** Limit and trigger price after the request; the old limit (or trigger) price for a modify. */
  px: bigint | undefined;
  trig: bigint | undefined;
  oldLockPx: bigint | undefined;
  /** Prices this request sets, so the collar looks at them. */
  newPx = false;
  newTrig = false;
  reduceOnly = false;
  flatten = false;
  /** The order's own position id, when it names one (hedging). */
  positionId: string | undefined;

  /** "BUY BTCUSDT.BINANCE for ACC-1/s1", for reasons (built only when denying). */
  where(): string {
    return `${this.side} ${this.inst.id} for ${this.accountId}/${this.strategyId}`;
  }

  /** A modify that only lowers the quantity: it can only lower risk. */
  get passive(): boolean {
    return this.kind === 'modify' && this.add <= 0n && !this.newPx && !this.newTrig;
  }

  load(request: PreTradeRequest, rules: InstrumentRules, working: WorkingSet): void {
    const inst = request.instrument;
    const p = inst.pricePrecision;
    this.inst = inst;
    this.rules = rules;
    if (request.kind === 'submit') {
      const s = request.spec;
      this.kind = 'submit';
      this.clientOrderId = s.clientOrderId;
      this.accountId = s.accountId;
      this.strategyId = s.strategyId;
      this.side = s.side;
      this.type = s.type;
      this.qty = s.quantity.raw;
      this.oldLeaves = 0n;
      this.leaves = this.qty;
      this.add = this.qty;
      this.px = priceRaw(limitPriceOf(s), p);
      this.trig = priceRaw(triggerPriceOf(s), p);
      this.oldLockPx = undefined;
      this.newPx = this.px !== undefined;
      this.newTrig = this.trig !== undefined;
      this.reduceOnly = s.reduceOnly;
      // The tag alone proves nothing: only risk control's own flatten orders pass a halt (issue 11 item 9).
      this.flatten = request.origin?.kind === 'RISK_CONTROL' && s.tags.length > 0 && s.tags.includes(FLATTEN_TAG);
      this.positionId = s.positionId;
    } else {
      const o = request.order;
      const s = o.spec;
      this.kind = 'modify';
      this.clientOrderId = s.clientOrderId;
      this.accountId = s.accountId;
      this.strategyId = s.strategyId;
      this.side = s.side;
      this.type = s.type;
      this.qty = (request.quantity ?? o.quantity).raw;
      const filled = o.filledQty.raw;
      const held = working.leavesOf(s.clientOrderId);
      this.oldLeaves = held > 0n ? held : o.isOpen ? o.quantity.raw - filled : 0n;
      this.leaves = this.qty - filled;
      this.add = this.leaves - this.oldLeaves;
      this.px = priceRaw(request.price ?? o.price, p);
      this.trig = priceRaw(request.triggerPrice ?? o.triggerPrice, p);
      this.oldLockPx = priceRaw(o.price ?? o.triggerPrice, p);
      this.newPx = request.price !== undefined;
      this.newTrig = request.triggerPrice !== undefined;
      this.reduceOnly = s.reduceOnly;
      // A modify is never a flatten order's pass: it must meet the state like any other.
      this.flatten = false;
      this.positionId = s.positionId;
    }
    this.book = working.book(this.accountId, this.strategyId, inst);
    this.stake = this.book.stake;
  }
}

function priceRaw(px: Price | undefined, precision: number): bigint | undefined {
  return px === undefined ? undefined : rawAt(px, precision);
}
