import type { Bar } from '../../model/bar.ts';
import type { JournalRecord } from '../../engine/events.ts';
import type { EngineAlert, MarketUpdate } from '../../engine/topics.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerStatus } from '../../engine/risk-state/risk-state.ts';
import type { RiskView } from '../../engine/risk-view.ts';

/**
 * A circuit breaker (or any risk watcher): it watches journaled events, market data and time, and
 * returns actions. `onRecord` is also called, with actions ignored, when the engine recovers from
 * its journal, so running figures (peak equity, loss streaks) are a fold over the journal: during
 * that replay the view shows the state as of the record (RiskControl folds a fresh state
 * alongside), and `view.now()` is the record's time.
 */
export interface RiskMonitor {
  readonly name: string;
  onRecord?(record: JournalRecord, view: RiskView): readonly RiskAction[];
  onMarket?(update: MarketUpdate, view: RiskView): readonly RiskAction[];
  onBar?(bar: Bar, view: RiskView): readonly RiskAction[];
  /** Engine alerts (not journaled, so not replayed): e.g. VENUE_CALL_FAILED for the error breaker. */
  onAlert?(alert: EngineAlert, view: RiskView): readonly RiskAction[];
  /** Called on a timer: auto-resets after cooldowns, day boundaries. */
  onTime?(now: number, view: RiskView): readonly RiskAction[];
  /**
   * Why an operator may not reset this monitor's open breaker yet (a cooldown still running), or
   * undefined when they may. Only asked for breakers named like the monitor.
   */
  resetRefusal?(breaker: BreakerStatus, now: number): string | undefined;
}
