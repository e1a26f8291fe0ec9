import type { JournalRecord } from '../../engine/events.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { FLATTEN_TAG } from '../../engine/reserved-tags.ts';
import { Breaker } from './breaker.ts';
import { TimeWindow } from './window.ts';

export type OrderRateConfig = BreakerCommon & { readonly max_orders_per_minute?: number; readonly max_orders_per_hour?: number };

/**
 * Trips when the orders sent to venues (OrderSubmitted) within the last 60 s reach
 * max_orders_per_minute, or within the last 3,600 s reach max_orders_per_hour (sliding windows,
 * journal time). Orders the gate denied never went out and do not count, nor do the risk
 * controls' own flattening orders. A reset empties the scope's windows.
 */
export class OrderRateBreaker extends Breaker {
  private readonly windows = new Map<RiskScope, { minute: TimeWindow; hour: TimeWindow }>();

  constructor(
    readonly config: OrderRateConfig,
    nearMissPct: number,
  ) {
    super('order_rate', config, nearMissPct);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    const e = r.event;
    const reset = this.resetScope(r);
    if (reset) this.windows.delete(reset);
    if (e.kind !== 'OrderSubmitted') return [];
    const spec = view.order(e.clientOrderId)?.spec;
    if (spec?.tags?.includes(FLATTEN_TAG)) return [];
    if (this.common.scope !== 'FIRM' && !spec) return [];
    const scope = spec ? this.scopeFor(spec.accountId, spec.strategyId) : 'FIRM';
    let w = this.windows.get(scope);
    if (!w) this.windows.set(scope, (w = { minute: new TimeWindow(60_000), hour: new TimeWindow(3_600_000) }));
    const t = e.tsInit;
    const perMinute = w.minute.add(t);
    const perHour = w.hour.add(t);
    const out: RiskAction[] = [];
    const c = this.config;
    if (c.max_orders_per_minute !== undefined) out.push(...this.judge(view, scope, 'minute', perMinute, c.max_orders_per_minute, () => `${perMinute} orders in the last minute`));
    if (c.max_orders_per_hour !== undefined) out.push(...this.judge(view, scope, 'hour', perHour, c.max_orders_per_hour, () => `${perHour} orders in the last hour`));
    return out;
  }
}
