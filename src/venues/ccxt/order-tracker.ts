import type { OrderSpec } from '../../model/orders/types.ts';
import type { Instrument } from '../../model/instrument.ts';

/** What the adapter has told the engine of one order, so that a REST answer and a stream message saying the same thing count once. */
export interface TrackedOrder {
  readonly wardenId: string;
  readonly venueClientId: string;
  readonly instrument: Instrument;
  readonly symbol: string;
  readonly spec: OrderSpec | undefined;
  venueOrderId: string | undefined;
  accepted: boolean;
  /** Canceled, expired or rejected reported (fills may still come after: FAULTS 17). */
  ended: boolean;
  /** The filled quantity last seen on an order update (exchanges whose fills come from the order stream). */
  filledSeen: string;
}

/**
 * The adapter's memory of orders: by Warden id, by the exchange's order id, and the trade ids
 * already reported (a fill counts once whether it came by WebSocket, REST or both: FAULTS 20).
 * Bounded for a process that runs for months: trade ids beyond `capacity` are forgotten oldest
 * first (the engine drops repeats by trade id too), and orders the exchange has closed beyond
 * `closedCapacity` likewise (a late fill of an older one is found again by a REST look-up).
 */
export class OrderTracker {
  private readonly byWarden = new Map<string, TrackedOrder>();
  private readonly byVenue = new Map<string, TrackedOrder>();
  private readonly trades = new Set<string>();
  /** Closed orders, oldest first. */
  private readonly closedOrders = new Set<TrackedOrder>();

  constructor(
    private readonly capacity = 100_000,
    private readonly closedCapacity = 10_000,
  ) {}

  /** The exchange closed the order (filled, canceled, expired, rejected): kept a while for late reports, then forgotten. */
  closed(t: TrackedOrder): void {
    if (this.closedOrders.has(t)) return;
    this.closedOrders.add(t);
    if (this.closedOrders.size <= this.closedCapacity) return;
    const oldest = this.closedOrders.values().next().value!;
    this.closedOrders.delete(oldest);
    this.byWarden.delete(oldest.wardenId);
    if (oldest.venueOrderId !== undefined) this.byVenue.delete(oldest.venueOrderId);
  }

  /** How many orders are remembered (tests). */
  get size(): number {
    return this.byWarden.size;
  }

  track(o: Omit<TrackedOrder, 'accepted' | 'ended' | 'filledSeen' | 'venueOrderId'> & { venueOrderId?: string }): TrackedOrder {
    const known = this.byWarden.get(o.wardenId);
    if (known) return known;
    const t: TrackedOrder = { ...o, venueOrderId: o.venueOrderId, accepted: false, ended: false, filledSeen: '0' };
    this.byWarden.set(o.wardenId, t);
    if (o.venueOrderId !== undefined) this.byVenue.set(o.venueOrderId, t);
    return t;
  }

  setVenueOrderId(t: TrackedOrder, id: string): void {
    if (t.venueOrderId === id) return;
    t.venueOrderId = id;
    this.byVenue.set(id, t);
  }

  byWardenId(id: string): TrackedOrder | undefined {
    return this.byWarden.get(id);
  }

  byVenueOrderId(id: string): TrackedOrder | undefined {
    return this.byVenue.get(id);
  }

  /** True the first time a trade id is seen. */
  firstSight(tradeId: string): boolean {
    if (this.trades.has(tradeId)) return false;
    this.trades.add(tradeId);
    if (this.trades.size > this.capacity) this.trades.delete(this.trades.values().next().value!);
    return true;
  }

  all(): TrackedOrder[] {
    return [...this.byWarden.values()];
  }
}
