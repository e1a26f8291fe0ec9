import type { Instrument } from '../../model/instrument.ts';
import type { Order } from '../../model/orders/order.ts';
import { rawAt } from './reference.ts';

/**
 * The duplicate-order fingerprint: what makes two orders "identical". Ids may hold any printable
 * character (`|` too), so each is length-prefixed: `P|q` + `s` and `P` + `q|s` give different keys.
 * The rest are enums and integers, which cannot hold the separator.
 */
export function fingerprintKey(
  accountId: string,
  strategyId: string,
  instrumentId: string,
  side: string,
  type: string,
  qty: bigint,
  px: bigint | undefined,
  trig: bigint | undefined,
): string {
  return `${accountId.length}:${accountId}|${strategyId.length}:${strategyId}|${instrumentId.length}:${instrumentId}|${side}|${type}|${qty}|${px ?? ''}|${trig ?? ''}`;
}

/** An order's fingerprint as sent: the same key the check builds from the request. */
export function fingerprintOfOrder(order: Order, inst: Instrument): string {
  const s = order.spec;
  const px = order.price === undefined ? undefined : rawAt(order.price, inst.pricePrecision);
  const trig = order.triggerPrice === undefined ? undefined : rawAt(order.triggerPrice, inst.pricePrecision);
  return fingerprintKey(s.accountId, s.strategyId, s.instrumentId, s.side, s.type, s.quantity.raw, px, trig);
}

/**
 * Fingerprints of recently sent orders for the duplicate window: a map from fingerprint to the
 * last time it was sent, and a FIFO of (fingerprint, time) that expires old entries as time moves
 * on, so both the look-up and the upkeep are O(1) amortized. It also counts the remembered
 * fingerprints by order quantity, so the gate builds a fingerprint (a string of eight parts, two
 * of them bigints printed) only when an order of the same quantity was sent within the window.
 */
export class RecentOrders {
  private readonly last = new Map<string, number>();
  private readonly byQty = new Map<bigint, number>();
  private keys: string[] = [];
  private times: number[] = [];
  private qtys: bigint[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** Whether a fingerprint of an order of quantity `qty` (raw lots) may be remembered: false means seenAt would find none. */
  mayHave(qty: bigint): boolean {
    return this.byQty.size !== 0 && this.byQty.has(qty);
  }

  /** When an identical order was last sent within the window before `now`, else undefined. */
  seenAt(key: string, now: number): number | undefined {
    const t = this.last.get(key);
    return t !== undefined && now - t < this.windowMs ? t : undefined;
  }

  /** Remembers the fingerprint `key` of an order of quantity `qty` (raw lots, the quantity in the key) sent at `now`. */
  add(key: string, qty: bigint, now: number): void {
    this.expire(now);
    if (this.windowMs <= 0) return;
    if (!this.last.has(key)) this.byQty.set(qty, (this.byQty.get(qty) ?? 0) + 1);
    this.last.set(key, now);
    this.keys.push(key);
    this.times.push(now);
    this.qtys.push(qty);
  }

  get size(): number {
    return this.last.size;
  }

  private expire(now: number): void {
    while (this.head < this.keys.length && now - this.times[this.head]! >= this.windowMs) {
      const k = this.keys[this.head]!;
      if (this.last.get(k) === this.times[this.head]) {
        this.last.delete(k);
        this.forgetQty(this.qtys[this.head]!);
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.times = this.times.slice(this.head);
      this.qtys = this.qtys.slice(this.head);
      this.head = 0;
    }
  }

  private forgetQty(qty: bigint): void {
    const n = this.byQty.get(qty)!;
    if (n <= 1) this.byQty.delete(qty);
    else this.byQty.set(qty, n - 1);
  }
}
