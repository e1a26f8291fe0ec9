import type { Instrument } from '../../../model/instrument.ts';
import { OrderBook, type StpMode } from '../book/index.ts';
import type { SimOrder } from './sim-order.ts';

/** What the exchange knows of one instrument: our book, the last prices seen, and what waits for a price. */
export interface Market {
  readonly instrument: Instrument;
  /** The tick and lot sizes in units of the price and size precision, as numbers (for per-bar parsing). */
  readonly tickUnits: number;
  readonly lotUnits: number;
  readonly book: OrderBook;
  last: number | undefined;
  bid: number | undefined;
  ask: number | undefined;
  /** Lots our fills may still take in the current bar (Infinity: no cap). */
  budget: number;
  barVolume: number | undefined;
  /** Lots of our orders on this instrument still open (working, waiting or untriggered); kept ≤ 2^53 − 1 at entry. */
  openLots: number;
  /** L2 levels [ticks, lots] from the last depth update, best first; our takes consume them until the next update. */
  depthBids: [number, number][] | undefined;
  depthAsks: [number, number][] | undefined;
  readonly triggers: Set<SimOrder>;
  readonly waitingMarket: SimOrder[];
  /** Orders put on the book (state RESTING when added; pruned once they leave it), so a point counts only these. */
  readonly resting: Set<SimOrder>;
}

export function newMarket(instrument: Instrument, stp: StpMode): Market {
  return {
    instrument,
    tickUnits: Number(instrument.tickSize.raw),
    lotUnits: Number(instrument.lotSize.raw),
    book: new OrderBook({ stp }),
    last: undefined,
    bid: undefined,
    ask: undefined,
    budget: Infinity,
    barVolume: undefined,
    openLots: 0,
    depthBids: undefined,
    depthAsks: undefined,
    triggers: new Set(),
    waitingMarket: [],
    resting: new Set(),
  };
}
