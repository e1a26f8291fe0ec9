import type { Currency } from '../../model/currency.ts';
import type { JournalRecord } from '../../engine/events.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon, BreakersConfig } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker } from './breaker.ts';
import { EquityScopes, type ScopeEquity } from './equity.ts';

/**
 * A breaker that watches equity per scope (daily loss, drawdown): it looks again on every fill,
 * account event, price and bar; a deposit or withdrawal is passed as a shift so it is not taken
 * for profit or loss; a reset of its trip tells the subclass to start counting afresh.
 */
export abstract class EquityBreaker extends Breaker {
  protected readonly equity: EquityScopes;

  constructor(name: keyof BreakersConfig, config: BreakerCommon, currency: Currency | undefined, nearMissPct: number) {
    super(name, config, nearMissPct);
    this.equity = new EquityScopes(currency);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    const e = r.event;
    switch (e.kind) {
      case 'AccountOpened':
      case 'OrderFilled':
        return this.observe(view);
      case 'BalanceAdjusted':
        return this.observe(view, (s) => (EquityScopes.covers(s.scope, e.amount.currency, e.accountId, s) ? e.amount.raw : 0n));
      case 'BreakerReset': {
        const scope = this.resetScope(r);
        if (scope) this.restartFrom(scope);
        return [];
      }
      default:
        return [];
    }
  }
  onMarket(_u: unknown, view: RiskView): readonly RiskAction[] {
    return this.observe(view);
  }
  onBar(_b: unknown, view: RiskView): readonly RiskAction[] {
    return this.observe(view);
  }

  /** Re-reads equity per scope and decides; `shift` is a deposit (+) or withdrawal (−) to absorb. */
  protected abstract observe(view: RiskView, shift?: (s: ScopeEquity) => bigint): RiskAction[];
  /** After a reset of this breaker in `scope`: count from the equity of the moment. */
  protected abstract restartFrom(scope: RiskScope): void;
}
