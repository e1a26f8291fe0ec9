/**
 * Coinbase's view of the matching core's orders: the UUID order id it hands out and the
 * `order_configuration` the client sent, per order. The matching core keys orders by number.
 */
import { createHash } from 'node:crypto';
import type { FakeMatching, FakeOrder } from '../fake-venue/matching.ts';
import { uuidFrom } from './jwt.ts';
import type { OrderMeta } from './wire.ts';

export class OrderRegistry {
  private readonly meta = new Map<number, OrderMeta>();
  private readonly byUuid = new Map<string, number>();

  constructor(
    private readonly matching: FakeMatching,
    private readonly account: string,
  ) {
    matching.onExecution((e) => {
      const m = this.meta.get(e.order.orderId);
      if (m && e.exec === 'TRIGGERED') m.triggered = true;
    });
  }

  /** A stable UUID for a matching-core order number (Coinbase order ids are UUIDs). */
  uuidOf(orderId: number): string {
    const existing = this.meta.get(orderId)?.uuid;
    if (existing) return existing;
    return uuidFrom(createHash('sha256').update(`coinbase-order-${orderId}`).digest().subarray(0, 16));
  }

  remember(orderId: number, meta: Omit<OrderMeta, 'uuid' | 'triggered'>): OrderMeta {
    const m: OrderMeta = { ...meta, uuid: this.uuidOf(orderId), triggered: false };
    this.meta.set(orderId, m);
    this.byUuid.set(m.uuid, orderId);
    return m;
  }

  metaOf(orderId: number): OrderMeta | undefined {
    return this.meta.get(orderId);
  }

  findByUuid(uuid: string): FakeOrder | undefined {
    const id = this.byUuid.get(uuid);
    return id === undefined ? undefined : this.matching.find(this.account, { orderId: id });
  }

  /** Orders placed through the API (the ones with a configuration), newest first. */
  all(): { order: FakeOrder; meta: OrderMeta }[] {
    const out: { order: FakeOrder; meta: OrderMeta }[] = [];
    for (const o of this.matching.allOrders(this.account)) {
      const meta = this.meta.get(o.orderId);
      if (meta) out.push({ order: o, meta });
    }
    return out.sort((a, b) => b.order.orderId - a.order.orderId);
  }
}
