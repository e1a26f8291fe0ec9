import type { JournalRecord } from '../../engine/events.ts';
import type { EngineAlert } from '../../engine/topics.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker } from './breaker.ts';

export type ErrorsConfig = BreakerCommon & { readonly max_consecutive_errors: number };

/**
 * Trips after max_consecutive_errors system errors in a row: venue rejects (OrderRejected) and
 * venue calls that failed or timed out (the engine's VENUE_CALL_FAILED alert). An order the venue
 * accepts or fills ends the streak, as does a reset. Alerts are not journaled, so after a restart
 * the streak is rebuilt from rejects only.
 */
export class ErrorsBreaker extends Breaker {
  private readonly streaks = new Map<RiskScope, number>();

  constructor(
    readonly config: ErrorsConfig,
    nearMissPct: number,
  ) {
    super('errors', config, nearMissPct);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    const e = r.event;
    const reset = this.resetScope(r);
    if (reset) this.streaks.set(reset, 0);
    switch (e.kind) {
      case 'OrderRejected':
        return this.error(view, e.clientOrderId, `venue rejected ${e.clientOrderId}: ${e.reason}`);
      case 'OrderAccepted':
      case 'OrderFilled': {
        const scope = this.scopeOf(view, e.clientOrderId);
        if (scope && (this.streaks.get(scope) ?? 0) > 0) {
          this.streaks.set(scope, 0);
          return this.judge(view, scope, '', 0, this.config.max_consecutive_errors, () => '');
        }
        return [];
      }
      default:
        return [];
    }
  }

  onAlert(a: EngineAlert, view: RiskView): readonly RiskAction[] {
    if (a.code !== 'VENUE_CALL_FAILED') return [];
    const id = a.context.clientOrderId;
    return this.error(view, typeof id === 'string' ? id : undefined, a.message);
  }

  private scopeOf(view: RiskView, id: string | undefined): RiskScope | undefined {
    if (this.common.scope === 'FIRM') return 'FIRM';
    const spec = id === undefined ? undefined : view.order(id)?.spec;
    return spec ? this.scopeFor(spec.accountId, spec.strategyId) : undefined;
  }

  private error(view: RiskView, id: string | undefined, what: string): RiskAction[] {
    const scope = this.scopeOf(view, id);
    if (!scope) return [];
    const n = (this.streaks.get(scope) ?? 0) + 1;
    this.streaks.set(scope, n);
    return this.judge(view, scope, '', n, this.config.max_consecutive_errors, () => `${n} system errors in a row (last: ${what})`);
  }

  current(): { scope: RiskScope; count: number }[] {
    return [...this.streaks.entries()].map(([scope, count]) => ({ scope, count }));
  }
}
