import type { JournalRecord } from '../../engine/events.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker, figureKey } from './breaker.ts';
import { TimeWindow } from './window.ts';

export type RepeatedExecutionsConfig = BreakerCommon & { readonly max_fills: number; readonly window_seconds: number };

/**
 * The Knight Capital pattern: trips when one instrument gets max_fills fills within window_seconds
 * (sliding, journal time) in a scope, as a fill-and-re-enter loop does. A reset empties the
 * scope's windows; with require_manual_reset only an operator re-enables trading.
 */
export class RepeatedExecutionsBreaker extends Breaker {
  private readonly windows = new Map<string, { scope: RiskScope; w: TimeWindow }>();

  constructor(
    readonly config: RepeatedExecutionsConfig,
    nearMissPct: number,
  ) {
    super('repeated_executions', config, nearMissPct);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    const e = r.event;
    const reset = this.resetScope(r);
    if (reset) for (const [k, v] of this.windows) if (v.scope === reset) this.windows.delete(k);
    if (e.kind !== 'OrderFilled') return [];
    const scope = this.scopeFor(e.accountId, e.strategyId);
    const k = figureKey(scope, e.instrumentId);
    let entry = this.windows.get(k);
    if (!entry) this.windows.set(k, (entry = { scope, w: new TimeWindow(this.config.window_seconds * 1000) }));
    const n = entry.w.add(e.tsInit);
    return this.judge(view, scope, e.instrumentId, n, this.config.max_fills, () => `${n} fills of ${e.instrumentId} within ${this.config.window_seconds} s`);
  }
}
