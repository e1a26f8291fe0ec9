import type { JournalRecord } from '../../engine/events.ts';
import type { MarketUpdate } from '../../engine/topics.ts';
import type { Bar } from '../../model/bar.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker, round } from './breaker.ts';
import { pct } from './equity.ts';

export type PositionLossConfig = BreakerCommon & { readonly max_position_loss_pct: number };

/**
 * Trips when one open position's unrealized loss reaches max_position_loss_pct of its entry cost
 * (at the portfolio's mark). Looked at on fills and on prices and bars of the position's
 * instrument; the worst position of each scope and instrument counts. A level breaker: while the
 * loss stays beyond the limit it trips again after a reset.
 */
export class PositionLossBreaker extends Breaker {
  constructor(
    readonly config: PositionLossConfig,
    nearMissPct: number,
  ) {
    super('position_loss', config, nearMissPct);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    const e = r.event;
    if (e.kind !== 'OrderFilled') return [];
    return this.observe(view, e.instrumentId, this.scopeFor(e.accountId, e.strategyId));
  }
  onMarket(u: MarketUpdate, view: RiskView): readonly RiskAction[] {
    return this.observe(view, u.instrumentId);
  }
  onBar(b: Bar, view: RiskView): readonly RiskAction[] {
    return this.observe(view, b.instrumentId);
  }

  private observe(view: RiskView, instrumentId: string, also?: RiskScope): RiskAction[] {
    const worst = new Map<RiskScope, { id: string; loss: number }>();
    if (also) worst.set(also, { id: instrumentId, loss: 0 });
    for (const p of view.portfolio.openPositions()) {
      if (p.instrumentId !== instrumentId) continue;
      const scope = this.scopeFor(p.accountId, p.strategyId);
      const u = view.portfolio.unrealizedPnl(p).raw;
      const loss = u < 0n ? pct(-u, p.costRaw) : 0;
      const w = worst.get(scope);
      if (!w || loss >= w.loss) worst.set(scope, { id: p.id, loss });
    }
    const out: RiskAction[] = [];
    for (const [scope, { id, loss }] of worst) {
      out.push(...this.judge(view, scope, instrumentId, loss, this.config.max_position_loss_pct, () => `position ${id} is ${round(loss)}% under its entry cost`));
    }
    return out;
  }
}
