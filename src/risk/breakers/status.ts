import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker } from './breaker.ts';
import { ConsecutiveLossesBreaker } from './consecutive-losses.ts';
import { DailyLossBreaker, type DailyPnl } from './daily-loss.ts';
import { DrawdownBreaker, type Drawdown } from './drawdown.ts';
import type { RiskMonitor } from './monitor.ts';

export interface BreakerRow {
  readonly breaker: string;
  readonly scope: RiskScope;
  readonly state: 'CLOSED' | 'OPEN';
  /** The latest measurement (the largest over the scope's keys), or the value at the trip. */
  readonly value: number | undefined;
  readonly threshold: number | undefined;
  readonly trippedAt: number | undefined;
  /** Milliseconds until it resets by itself; undefined when closed or manual reset only. */
  readonly msToReset: number | undefined;
  readonly message: string | undefined;
}

export interface BreakerBoard {
  readonly breakers: readonly BreakerRow[];
  readonly dailyPnl: readonly DailyPnl[];
  readonly drawdown: readonly Drawdown[];
  readonly consecutiveLosses: readonly { scope: RiskScope; count: number }[];
}

/**
 * The status view: every breaker in every scope it has measured or tripped (state from the
 * journaled RiskState, figures from the monitors), daily PnL, drawdown from peak, losing streaks,
 * and the time to an automatic reset. Rows are sorted by breaker then scope.
 */
export function breakerStatus(view: RiskView, monitors: readonly RiskMonitor[]): BreakerBoard {
  const now = view.now();
  const rows: BreakerRow[] = [];
  let dailyPnl: DailyPnl[] = [];
  let drawdown: Drawdown[] = [];
  let losses: { scope: RiskScope; count: number }[] = [];
  for (const m of monitors) {
    if (!(m instanceof Breaker)) continue;
    const latest = new Map<RiskScope, { value: number; threshold: number }>();
    for (const f of m.figures()) {
      const cur = latest.get(f.scope);
      // With two limits (pct and absolute), show the one closest to tripping.
      if (!cur || f.value / f.threshold > cur.value / cur.threshold) latest.set(f.scope, { value: f.value, threshold: f.threshold });
    }
    const scopes = new Set<RiskScope>(latest.keys());
    for (const b of view.risk.allBreakers()) if (b.breaker === m.name) scopes.add(b.scope);
    for (const scope of scopes) {
      const b = view.risk.breaker(m.name, scope);
      const open = b?.state === 'OPEN';
      const fig = latest.get(scope);
      rows.push({
        breaker: m.name,
        scope,
        state: open ? 'OPEN' : 'CLOSED',
        value: open ? b.value : fig?.value,
        threshold: open ? b.threshold : fig?.threshold,
        trippedAt: open ? b.trippedAt : undefined,
        msToReset: open && b.autoResetAt !== undefined ? Math.max(0, b.autoResetAt - now) : undefined,
        message: open ? b.message : undefined,
      });
    }
    if (m instanceof DailyLossBreaker) dailyPnl = m.daily();
    if (m instanceof DrawdownBreaker) drawdown = m.drawdowns();
    if (m instanceof ConsecutiveLossesBreaker) losses = m.current();
  }
  rows.sort((a, b) => (a.breaker === b.breaker ? (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0) : a.breaker < b.breaker ? -1 : 1));
  return { breakers: rows, dailyPnl, drawdown, consecutiveLosses: losses };
}
