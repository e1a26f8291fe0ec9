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
 * on, so both the look-up and the upkeep are O(1) amortized.
 */
export class RecentOrders {
  private readonly last = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** When an identical order was last sent within the window before `now`, else undefined. */
  seenAt(key: string, now: number): number | undefined {
    const t = this.last.get(key);
    return t !== undefined && now - t < this.windowMs ? t : undefined;
  }

  add(key: string, now: number): void {
    this.expire(now);
    if (this.windowMs <= 0) return;
    this.last.set(key, now);
    this.keys.push(key);
    this.times.push(now);
  }

  get size(): number {
    return this.last.size;
  }

  private expire(now: number): void {
    while (this.head < this.keys.length && now - this.times[this.head]! >= this.windowMs) {
      const k = this.keys[this.head]!;
      if (this.last.get(k) === this.times[this.head]) this.last.delete(k);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys.splice(0, this.head);
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
}
