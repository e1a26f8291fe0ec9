import { pow10 } from '../../model/decimal.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderFilled } from '../../model/orders/events.ts';
import type { Order } from '../../model/orders/order.ts';
import type { OrderSide } from '../../model/orders/types.ts';
import { nettingPositionId } from '../../portfolio/position-id.ts';
import { PriceLadder } from './ladder.ts';
import { rawAt } from './reference.ts';

/**
 * One account's stake in one instrument, summed over its strategies: the filled position and the
 * leaves of its working orders per side (raw lots), so the worst case if everything fills is two
 * additions away. Working orders are counted by quantity and valued at the current reference
 * price, like the position they would become.
 */
export class Stake {
  position = 0n;
  workBuy = 0n;
  workSell = 0n;
  /**
   * The part of workBuy / workSell in orders without a price (market orders): the portfolio locks
   * nothing for them, so buying power counts them at the reference price (buying-power.ts).
   */
  pricelessBuy = 0n;
  pricelessSell = 0n;
  openOrders = 0;
  /** Last fill price, doubled raw: the mark of last resort. */
  lastPx2 = 0n;
  active = false;
  /** lots × doubled price × factor = doubled minor units of the settlement currency. */
  readonly factor: bigint;
  readonly currency: string;
  constructor(
    readonly accountId: string,
    readonly instrument: Instrument,
  ) {
    this.factor = instrument.multiplier.digits * pow10(instrument.settlement.precision - instrument.notionalScale);
    this.currency = instrument.settlement.code;
  }
}

/** One strategy's working orders in one instrument and account, for reduce-only decisions. */
export class Book {
  workBuy = 0n;
  workSell = 0n;
  /** Its NETTING position id (account, instrument, strategy), built once. */
  readonly nettingPositionId: string;
  constructor(
    readonly stake: Stake,
    strategyId: string,
  ) {
    this.nettingPositionId = nettingPositionId(stake.accountId, stake.instrument.id, strategyId);
  }
}

/** What one open order adds to the aggregates, so an update can take the old part out first. */
interface Contribution {
  readonly book: Book;
  readonly side: OrderSide;
  leaves: bigint;
  /** Limit price (raw) while the order rests on the book, for self-trade prevention. */
  rest: bigint | undefined;
  /** No limit or trigger price: counted in the stake's priceless figures. */
  priceless: boolean;
}

/** What an order held by `hold` (not live yet) adds, to give to `release` and `suspend`. */
export type Held = Readonly<Contribution>;

export class AccountStakes {
  openOrders = 0;
  readonly stakes = new Set<Stake>();
  /** The stakes with working orders without a price, for buying power. */
  readonly priceless = new Set<Stake>();
}

/**
 * Running aggregates of working orders and positions, updated per event in O(1) (O(log levels)
 * for the price ladders): never a scan over open orders.
 */
export class WorkingSet {
  private readonly byOrder = new Map<string, Contribution>();
  private readonly books = new Map<string, Map<string, Map<string, Book>>>();
  private readonly stakesByAccount = new Map<string, Map<string, Stake>>();
  readonly accounts = new Map<string, AccountStakes>();
  /** Every stake with a position or a working order, firm-wide. */
  readonly active = new Set<Stake>();
  private readonly ladders = new Map<string, { readonly buys: PriceLadder; readonly sells: PriceLadder }>();

  stake(accountId: string, inst: Instrument): Stake {
    let byInst = this.stakesByAccount.get(accountId);
    if (byInst === undefined) this.stakesByAccount.set(accountId, (byInst = new Map<string, Stake>()));
    let s = byInst.get(inst.id);
    if (s === undefined) byInst.set(inst.id, (s = new Stake(accountId, inst)));
    return s;
  }

  book(accountId: string, strategyId: string, inst: Instrument): Book {
    let byStrat = this.books.get(accountId);
    if (byStrat === undefined) this.books.set(accountId, (byStrat = new Map<string, Map<string, Book>>()));
    let byInst = byStrat.get(strategyId);
    if (byInst === undefined) byStrat.set(strategyId, (byInst = new Map<string, Book>()));
    let b = byInst.get(inst.id);
    if (b === undefined) byInst.set(inst.id, (b = new Book(this.stake(accountId, inst), strategyId)));
    return b;
  }

  account(accountId: string): AccountStakes {
    let a = this.accounts.get(accountId);
    if (a === undefined) this.accounts.set(accountId, (a = new AccountStakes()));
    return a;
  }

  /** Best resting price of our own orders on `side` of the instrument. */
  bestResting(instrumentId: string, side: OrderSide): bigint | undefined {
    const l = this.ladders.get(instrumentId);
    if (l === undefined) return undefined;
    return side === 'BUY' ? l.buys.best() : l.sells.best();
  }

  /** Leaves of an open order as the aggregates hold it (0 when it does not work). */
  leavesOf(clientOrderId: string): bigint {
    return this.byOrder.get(clientOrderId)?.leaves ?? 0n;
  }

  get openOrderCount(): number {
    return this.byOrder.size;
  }

  /** A fill moves the account's position, whatever state its order is in (late fills too). */
  onFill(fill: OrderFilled, inst: Instrument): void {
    const s = this.stake(fill.accountId, inst);
    // Fills are on the order's size precision (the order refuses others); a coarser one scales up exactly.
    const q = fill.lastQty.raw * pow10(Math.max(0, inst.sizePrecision - fill.lastQty.precision));
    s.position += fill.side === 'BUY' ? q : -q;
    s.lastPx2 = 2n * rawAt(fill.lastPx, inst.pricePrecision);
    this.touch(s);
  }

  /** Re-reads what an order contributes after any of its events. */
  onOrder(order: Order, inst: Instrument): void {
    const id = order.clientOrderId;
    const old = this.byOrder.get(id);
    const leaves = order.isOpen ? order.quantity.raw - order.filledQty.raw : 0n;
    if (leaves <= 0n) {
      if (old !== undefined) {
        this.take(old, inst, -1);
        this.byOrder.delete(id);
        this.account(order.spec.accountId).openOrders--;
        old.book.stake.openOrders--;
      }
      return;
    }
    const rest = order.price !== undefined && (order.spec.type === 'LIMIT' || order.isTriggered) ? rawAt(order.price, inst.pricePrecision) : undefined;
    // As Account.lockFor sees it: without either price the portfolio locks nothing for it.
    const priceless = order.price === undefined && order.triggerPrice === undefined;
    if (old !== undefined) {
      if (old.leaves === leaves && old.rest === rest && old.priceless === priceless) return;
      this.take(old, inst, -1);
      old.leaves = leaves;
      old.rest = rest;
      old.priceless = priceless;
      this.take(old, inst, 1);
      return;
    }
    const c: Contribution = { book: this.book(order.spec.accountId, order.spec.strategyId, inst), side: order.side, leaves, rest, priceless };
    this.byOrder.set(id, c);
    this.take(c, inst, 1);
    this.account(order.spec.accountId).openOrders++;
    c.book.stake.openOrders++;
  }

  /**
   * Counts an order that is not live yet as working (an earlier order of a list being checked, see
   * list-overlay.ts), exactly as onOrder would once it is; `release` takes it out again. It is
   * never counted as priceless: the overlay counts what it needs among its own locks.
   */
  hold(book: Book, side: OrderSide, leaves: bigint, rest: bigint | undefined): Held {
    const c: Contribution = { book, side, leaves, rest, priceless: false };
    this.take(c, book.stake.instrument, 1);
    this.account(book.stake.accountId).openOrders++;
    book.stake.openOrders++;
    return c;
  }

  release(c: Held): void {
    this.take(c, c.book.stake.instrument, -1);
    this.account(c.book.stake.accountId).openOrders--;
    c.book.stake.openOrders--;
  }

  /** Takes a held order's quantity out (or puts it back) and keeps its open-order count. */
  suspend(c: Held, out: boolean): void {
    this.take(c, c.book.stake.instrument, out ? -1 : 1);
  }

  /** Adds (sign 1) or removes (sign -1) a contribution; removing it for good also drops the counts. */
  private take(c: Readonly<Contribution>, inst: Instrument, sign: 1 | -1): void {
    const q = sign === 1 ? c.leaves : -c.leaves;
    const stake = c.book.stake;
    if (c.side === 'BUY') {
      c.book.workBuy += q;
      stake.workBuy += q;
      if (c.priceless) stake.pricelessBuy += q;
    } else {
      c.book.workSell += q;
      stake.workSell += q;
      if (c.priceless) stake.pricelessSell += q;
    }
    if (c.priceless) {
      const set = this.account(stake.accountId).priceless;
      if (stake.pricelessBuy === 0n && stake.pricelessSell === 0n) set.delete(stake);
      else set.add(stake);
    }
    if (c.rest !== undefined) {
      let l = this.ladders.get(inst.id);
      if (l === undefined) this.ladders.set(inst.id, (l = { buys: new PriceLadder('BUY'), sells: new PriceLadder('SELL') }));
      const ladder = c.side === 'BUY' ? l.buys : l.sells;
      if (sign === 1) ladder.add(c.rest);
      else ladder.remove(c.rest);
    }
    this.touch(stake);
  }

  /** Keeps the active sets to the stakes with a position or working orders. */
  private touch(s: Stake): void {
    const live = s.position !== 0n || s.workBuy !== 0n || s.workSell !== 0n;
    if (live === s.active) return;
    s.active = live;
    const acct = this.account(s.accountId);
    if (live) {
      this.active.add(s);
      acct.stakes.add(s);
    } else {
      this.active.delete(s);
      acct.stakes.delete(s);
    }
  }
}
