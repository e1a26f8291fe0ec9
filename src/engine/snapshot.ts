/**
 * Snapshots of the engine's state: what the fold holds at one sequence number, as plain data of
 * domain values (EngineState.toSnapshot / restore). The text format (versioned, exact JSON) is
 * the journal layer's (src/journal/snapshot.ts); the engine is given it as a SnapshotCodec, so
 * the dependencies keep pointing one way (engine ← journal).
 */
import type { ClientOrderId, InstrumentId } from '../model/identifiers.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import type { OrderSnapshot, OverfillPolicy } from '../model/orders/order.ts';
import type { MarkPriceType, PortfolioSnapshot } from '../portfolio/portfolio.ts';
import type { RiskStateSnapshot } from './risk-state/risk-state.ts';
import type { EmulationSnapshot } from './emulation/emulation-state.ts';
import type { AlgoSnapshot } from './algos/algo-state.ts';
import type { StrategyStateSnapshot } from './strategy-state/strategy-states.ts';
import type { MarketStatusSnapshot } from './markets/market-statuses.ts';

/** The options that shape the fold: a snapshot is loaded only into a state built with the same ones. */
export interface SnapshotOptions {
  readonly overfillPolicy: OverfillPolicy;
  readonly retainClosedOrders: number;
  readonly retainClientOrderIds: number;
  readonly retainClosedPositions: number;
  readonly markPriceType: MarkPriceType;
}

export interface EngineSnapshot {
  /** The journal sequence number the state was taken at: recovery folds the records after it. */
  readonly seq: number;
  readonly options: SnapshotOptions;
  readonly eventsApplied: number;
  /** Instrument specs (as last updated) in registration order. */
  readonly instruments: readonly InstrumentSpec[];
  /**
   * Every order object the state holds: those in the order map (`inMap`, in map order) and
   * closed ones still in the retention ring whose id a newer order has taken since.
   */
  readonly orders: readonly { readonly order: OrderSnapshot; readonly inMap: boolean }[];
  /** Open order ids, in map order (each names an order in the map). */
  readonly openOrders: readonly ClientOrderId[];
  /** The closed-order ring, oldest first, as indices into `orders`. */
  readonly closedOrders: readonly number[];
  /** Client order ids remembered for the duplicate check, and their ring, oldest first. */
  readonly knownIds: readonly ClientOrderId[];
  readonly knownIdRing: readonly ClientOrderId[];
  readonly portfolio: PortfolioSnapshot;
  readonly risk: RiskStateSnapshot;
  readonly emulation: EmulationSnapshot;
  /** Running execution algorithms. */
  readonly algos: AlgoSnapshot;
  /** What strategies keep with ctx.state. */
  readonly strategyState: StrategyStateSnapshot;
  /** Venues and markets not OPEN. */
  readonly markets: MarketStatusSnapshot;
  /** When each instrument a venue changed was last changed (InstrumentUpdated tsInit), in first-change order. */
  readonly gridChanges: readonly (readonly [InstrumentId, number])[];
}

/** A snapshot as stored: its sequence number, format version and text. */
export interface StoredSnapshot {
  readonly seq: number;
  readonly version: number;
  readonly body: string;
}

/** A journal that keeps snapshots beside its events. */
export interface SnapshotStore {
  /** Stores a snapshot taken at `seq`, which must be durable in the journal already. */
  saveSnapshot(seq: number, body: string): void | Promise<void>;
  /** The snapshot of the highest sequence number, if any. */
  latestSnapshot(): StoredSnapshot | undefined | Promise<StoredSnapshot | undefined>;
}

/** The text format of snapshots: `decode` refuses a newer version (JOURNAL_SCHEMA_NEWER) and anything malformed (JOURNAL_CORRUPT). */
export interface SnapshotCodec {
  readonly version: number;
  encode(snapshot: EngineSnapshot): string;
  decode(body: string, version: number): EngineSnapshot;
}

export function hasSnapshots(journal: object): journal is SnapshotStore {
  const j = journal as Partial<SnapshotStore>;
  return typeof j.saveSnapshot === 'function' && typeof j.latestSnapshot === 'function';
}
