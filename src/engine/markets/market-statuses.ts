import type { InstrumentId } from '../../model/identifiers.ts';
import type { MarketStatus, MarketStatusChanged } from './events.ts';

/** A venue or market that is not OPEN: what it is, why, since when and who said so. */
export interface MarketStatusEntry {
  readonly venue: string;
  /** Undefined: the whole venue. */
  readonly instrumentId: InstrumentId | undefined;
  readonly status: Exclude<MarketStatus, 'OPEN'>;
  readonly reason: string;
  /** tsEvent of the change, epoch ms. */
  readonly since: number;
  readonly origin: string;
}

export interface MarketStatusSnapshot {
  /** Every venue and market not OPEN, in the order they were set. */
  readonly entries: readonly MarketStatusEntry[];
}

/** What an order meets: the venue's own status, else its market's; OPEN when neither is set. */
export interface MarketStatusView {
  effective(instrument: { readonly id: string; readonly venue: string }): MarketStatusEntry | undefined;
}

/**
 * The fold of MarketStatusChanged: venues and markets that take no new orders (FAULTS 34). Only
 * what is not OPEN is kept, so the common case (everything open) is one size check on the gate's
 * hot path.
 */
export class MarketStatuses implements MarketStatusView {
  private readonly entries = new Map<string, MarketStatusEntry>();

  private static key(venue: string, instrumentId: string | undefined): string {
    return instrumentId === undefined ? `VENUE:${venue}` : `INSTRUMENT:${instrumentId}`;
  }

  apply(e: MarketStatusChanged): void {
    const key = MarketStatuses.key(e.venue, e.instrumentId);
    if (e.status === 'OPEN') {
      this.entries.delete(key);
      return;
    }
    // Deleted first so a changed status moves to the end: the snapshot keeps the order they were set in.
    this.entries.delete(key);
    this.entries.set(key, Object.freeze({ venue: e.venue, instrumentId: e.instrumentId, status: e.status, reason: e.reason, since: e.tsEvent, origin: e.origin }));
  }

  /** The status set at exactly this level (the venue's when `instrumentId` is undefined); OPEN when none is. */
  statusOf(venue: string, instrumentId?: string): MarketStatus {
    return this.entries.get(MarketStatuses.key(venue, instrumentId))?.status ?? 'OPEN';
  }

  /**
   * What an order on the instrument meets: the venue's status when it is not OPEN (maintenance
   * takes every market down), else the instrument's own; undefined when both are OPEN.
   */
  effective(instrument: { readonly id: string; readonly venue: string }): MarketStatusEntry | undefined {
    if (this.entries.size === 0) return undefined;
    return this.entries.get(MarketStatuses.key(instrument.venue, undefined)) ?? this.entries.get(MarketStatuses.key(instrument.venue, instrument.id));
  }

  /** Every venue and market not OPEN. */
  all(): MarketStatusEntry[] {
    return [...this.entries.values()];
  }

  toSnapshot(): MarketStatusSnapshot {
    return { entries: this.all() };
  }

  /** Loads a snapshot into this fold, which must be empty. */
  restore(s: MarketStatusSnapshot): void {
    if (this.entries.size > 0) throw new RangeError('a snapshot loads into an empty market status fold only');
    for (const e of s.entries) {
      const key = MarketStatuses.key(e.venue, e.instrumentId);
      if (this.entries.has(key)) throw new RangeError(`snapshot repeats market status ${key}`);
      if ((e.status as MarketStatus) === 'OPEN') throw new RangeError(`snapshot holds ${key} as OPEN`);
      this.entries.set(key, Object.freeze({ ...e }));
    }
  }
}
