import type { JournalRecord } from '../../engine/events.ts';
import type { PositionId } from '../../model/identifiers.ts';
import { Position } from '../../portfolio/position.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker } from './breaker.ts';

export type ConsecutiveLossesConfig = BreakerCommon & { readonly max_consecutive_losses: number };

/**
 * Trips after max_consecutive_losses losing round trips in a row. A round trip is a position going
 * from flat back to flat (a flip ends one); it loses when its realized PnL less its commissions is
 * not above zero (as the portfolio's statistics count it). The breaker folds its own copy of each
 * open position from OrderFilled records, so the streak does not depend on when it looks at the
 * engine. A winning round trip or a reset ends the streak.
 */
export class ConsecutiveLossesBreaker extends Breaker {
  private readonly positions = new Map<PositionId, Position>();
  private readonly streaks = new Map<RiskScope, number>();

  constructor(
    readonly config: ConsecutiveLossesConfig,
    nearMissPct: number,
  ) {
    super('consecutive_losses', config, nearMissPct);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    const e = r.event;
    const reset = this.resetScope(r);
    if (reset) this.streaks.set(reset, 0);
    if (e.kind !== 'OrderFilled') return [];
    let p = this.positions.get(e.positionId);
    if (!p) {
      const instrument = view.portfolio.position(e.positionId)?.instrument;
      if (!instrument) return [];
      this.positions.set(e.positionId, (p = new Position(e.positionId, e.accountId, e.strategyId, instrument)));
    }
    const change = p.applyFill(e);
    if (!p.isOpen) this.positions.delete(e.positionId);
    const cycle = change.closedCycle;
    if (!cycle) return [];
    const scope = this.scopeFor(e.accountId, e.strategyId);
    const net = cycle.realizedRaw - cycle.commissionRaw;
    const streak = net > 0n ? 0 : (this.streaks.get(scope) ?? 0) + 1;
    this.streaks.set(scope, streak);
    return this.judge(view, scope, '', streak, this.config.max_consecutive_losses, () => `${streak} losing round trips in a row (last ${e.instrumentId})`);
  }

  /** The current losing streak of each scope. */
  current(): { scope: RiskScope; count: number }[] {
    return [...this.streaks.entries()].map(([scope, count]) => ({ scope, count }));
  }
}
