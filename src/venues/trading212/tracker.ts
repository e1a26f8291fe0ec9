import type { Instrument } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { PlaceRequest } from './client.ts';

/** What the adapter knows and has told of one order. Trading 212 has no client order id: the broker's id binds it. */
export interface T212Tracked {
  readonly wardenId: string;
  readonly instrument: Instrument;
  readonly ticker: string;
  readonly spec: OrderSpec | undefined;
  /** What was sent, to recognise the order after an ambiguous submit. */
  readonly request: PlaceRequest | undefined;
  /** When the submit went (epoch ms); after a restart, when it was remembered. */
  readonly submittedAt: number;
  venueOrderId: string | undefined;
  accepted: boolean;
  /** Canceled, rejected or fully filled, told once. */
  ended: boolean;
  /** Quantity (raw, on the instrument's grid) of the fills reported. */
  reportedRaw: bigint;
  /** Filled quantity (raw) the last order poll showed. */
  seenFilledRaw: bigint;
  /** No longer among the pending orders: its end is read from the history. */
  gone: boolean;
}

/** The adapter's orders: by Warden's id, by the broker's id, and the fill ids already reported (FAULTS 20). */
export class T212Tracker {
  private readonly byWarden = new Map<string, T212Tracked>();
  private readonly byVenue = new Map<string, T212Tracked>();
  private readonly fills = new Set<string>();

  track(t: Omit<T212Tracked, 'accepted' | 'ended' | 'reportedRaw' | 'seenFilledRaw' | 'gone' | 'venueOrderId'> & { venueOrderId?: string }): T212Tracked {
    const tracked: T212Tracked = { ...t, venueOrderId: undefined, accepted: false, ended: false, reportedRaw: 0n, seenFilledRaw: 0n, gone: false };
    this.byWarden.set(t.wardenId, tracked);
    if (t.venueOrderId !== undefined) this.bind(tracked, t.venueOrderId);
    return tracked;
  }

  untrack(t: T212Tracked): void {
    this.byWarden.delete(t.wardenId);
    if (t.venueOrderId !== undefined) this.byVenue.delete(t.venueOrderId);
  }

  bind(t: T212Tracked, venueOrderId: string): void {
    t.venueOrderId = venueOrderId;
    this.byVenue.set(venueOrderId, t);
  }

  byWardenId(id: string): T212Tracked | undefined {
    return this.byWarden.get(id);
  }

  byVenueOrderId(id: string): T212Tracked | undefined {
    return this.byVenue.get(id);
  }

  /** Whether a broker order id is taken by one of ours (an ambiguous submit never binds it twice). */
  isBound(id: string): boolean {
    return this.byVenue.has(id);
  }

  /** Orders not ended, bound to a broker id. */
  working(): T212Tracked[] {
    return [...this.byWarden.values()].filter((t) => !t.ended && t.venueOrderId !== undefined);
  }

  all(): T212Tracked[] {
    return [...this.byWarden.values()];
  }

  /** True the first time a fill id is seen. */
  firstSight(fillId: string): boolean {
    if (this.fills.has(fillId)) return false;
    this.fills.add(fillId);
    return true;
  }
}
