/**
 * Journaled venue facts the engine trades by (FAULTS 34, 35): a venue or one of its markets
 * opening, closing, halting or going into maintenance, and a venue changing an instrument's grid
 * while running. Folded into the engine state like any event, so a restart (replay or snapshot)
 * knows them.
 */
import type { InstrumentId } from '../../model/identifiers.ts';
import type { InstrumentSpec } from '../../model/instrument.ts';

interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/**
 * OPEN trades; CLOSED (outside the session), HALTED (the venue stopped the market) and
 * MAINTENANCE (the venue is down for work) take no new orders.
 */
export type MarketStatus = 'OPEN' | 'CLOSED' | 'HALTED' | 'MAINTENANCE';

export const MARKET_STATUSES: readonly MarketStatus[] = ['OPEN', 'CLOSED', 'HALTED', 'MAINTENANCE'];

/**
 * A venue's status (no `instrumentId`: every market of the venue) or one market's. OPEN clears
 * what was set at that level only: a venue back from maintenance leaves a halted market halted.
 * `origin` is who said so (originText).
 */
export type MarketStatusChanged = Base<'MarketStatusChanged'> & {
  readonly venue: string;
  readonly instrumentId: InstrumentId | undefined;
  readonly status: MarketStatus;
  readonly reason: string;
  readonly origin: string;
};

/**
 * A registered instrument's new definition (tick, lot, min/max, fees), in full. Its id, kind,
 * currencies, multiplier and grid precision are those it was registered with (the ledger's
 * figures depend on them); Engine.updateInstrument refuses anything else.
 */
export type InstrumentUpdated = Base<'InstrumentUpdated'> & { readonly spec: InstrumentSpec; readonly origin: string };

export type MarketEvent = MarketStatusChanged | InstrumentUpdated;
