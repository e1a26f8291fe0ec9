import type { Bar } from '../../model/bar.ts';
import type { JournalRecord } from '../../engine/events.ts';
import type { MarketUpdate } from '../../engine/topics.ts';
import type { RiskAction } from '../actions.ts';
import type { RiskView } from '../view.ts';

/**
 * A circuit breaker (or any risk watcher): it watches journaled events, market data and time, and
 * returns actions. `onRecord` is also called, with actions ignored, when the engine recovers from
 * its journal, so running figures (peak equity, loss streaks) are a fold over the journal.
 */
export interface RiskMonitor {
  readonly name: string;
  onRecord?(record: JournalRecord, view: RiskView): readonly RiskAction[];
  onMarket?(update: MarketUpdate, view: RiskView): readonly RiskAction[];
  onBar?(bar: Bar, view: RiskView): readonly RiskAction[];
  /** Called on a timer: auto-resets after cooldowns, day boundaries. */
  onTime?(now: number, view: RiskView): readonly RiskAction[];
}
