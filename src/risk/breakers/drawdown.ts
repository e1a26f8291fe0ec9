import type { Currency } from '../../model/currency.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { round } from './breaker.ts';
import { EquityBreaker } from './equity-breaker.ts';
import { money, pct, type ScopeEquity } from './equity.ts';

export type DrawdownConfig = BreakerCommon & { readonly max_drawdown_pct: number };

export interface Drawdown {
  readonly scope: RiskScope;
  readonly currency: string;
  readonly peak: string;
  readonly equity: string;
  readonly pct: number;
}

interface Peak {
  currency: Currency;
  peak: bigint;
  equity: bigint;
}

/**
 * Trips when equity falls max_drawdown_pct below its peak. The peak is the highest equity seen
 * (moved by deposits and withdrawals); a reset starts a new peak at the equity of the moment.
 * After a restart the peak is rebuilt from journaled events, where positions are valued at their
 * last fill price: a higher peak seen only in market prices between fills is not journaled.
 */
export class DrawdownBreaker extends EquityBreaker {
  private readonly peaks = new Map<RiskScope, Peak>();

  constructor(
    readonly config: DrawdownConfig,
    currency: Currency | undefined,
    nearMissPct: number,
  ) {
    super('drawdown', config, currency, nearMissPct);
  }

  protected restartFrom(scope: RiskScope): void {
    const p = this.peaks.get(scope);
    if (p) p.peak = p.equity;
  }

  protected observe(view: RiskView, shift?: (s: ScopeEquity) => bigint): RiskAction[] {
    const out: RiskAction[] = [];
    for (const s of this.equity.all(view, this.common.scope)) {
      let p = this.peaks.get(s.scope);
      if (!p || p.currency.code !== s.currency.code) this.peaks.set(s.scope, (p = { currency: s.currency, peak: s.raw, equity: s.raw }));
      else if (shift) p.peak += shift(s);
      p.equity = s.raw;
      if (s.raw > p.peak) p.peak = s.raw;
      const dd = p.peak - s.raw;
      const peak = p.peak;
      out.push(
        ...this.judge(view, s.scope, 'pct', pct(dd, peak), this.config.max_drawdown_pct, () =>
          `equity ${money(s.raw, s.currency)} is ${round(pct(dd, peak))}% below its peak ${money(peak, s.currency)} ${s.currency.code}`,
        ),
      );
    }
    return out;
  }

  drawdowns(): Drawdown[] {
    return [...this.peaks.entries()].map(([scope, p]) => ({
      scope,
      currency: p.currency.code,
      peak: money(p.peak, p.currency),
      equity: money(p.equity, p.currency),
      pct: round(pct(p.peak - p.equity, p.peak)),
    }));
  }
}
