import type { JournalRecord } from '../../engine/events.ts';
import type { Currency } from '../../model/currency.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker, figureKey } from './breaker.ts';
import { money } from './equity.ts';

export type PortfolioLossConfig = BreakerCommon & { readonly max_portfolio_loss: string };

/**
 * Trips when the open positions of a scope together lose max_portfolio_loss (unrealized PnL at
 * the marks, summed per settlement currency and compared in each; with a `currency` option only
 * that one counts). Looked at on fills, prices and bars. A level breaker: while the loss stays
 * beyond the limit it trips again after a reset.
 */
export class PortfolioLossBreaker extends Breaker {
  private readonly limit: number;

  constructor(
    readonly config: PortfolioLossConfig,
    private readonly currency: Currency | undefined,
    nearMissPct: number,
  ) {
    super('portfolio_loss', config, nearMissPct);
    this.limit = Number(config.max_portfolio_loss);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    return r.event.kind === 'OrderFilled' ? this.observe(view) : [];
  }
  onMarket(_u: unknown, view: RiskView): readonly RiskAction[] {
    return this.observe(view);
  }
  onBar(_b: unknown, view: RiskView): readonly RiskAction[] {
    return this.observe(view);
  }

  private observe(view: RiskView): RiskAction[] {
    const sums = new Map<string, { scope: RiskScope; c: Currency; raw: bigint }>();
    for (const p of view.portfolio.openPositions()) {
      const c = p.instrument.settlement;
      if (this.currency && c.code !== this.currency.code) continue;
      const scope = this.scopeFor(p.accountId, p.strategyId);
      const k = figureKey(scope, c.code);
      let s = sums.get(k);
      if (!s) sums.set(k, (s = { scope, c, raw: 0n }));
      s.raw += view.portfolio.unrealizedPnl(p).raw;
    }
    const out: RiskAction[] = [];
    for (const { scope, c, raw } of sums.values()) {
      const loss = raw < 0n ? Number(-raw) / 10 ** c.precision : 0;
      out.push(...this.judge(view, scope, c.code, loss, this.limit, () => `open positions lose ${money(-raw, c)} ${c.code}`));
    }
    // A scope measured before that holds nothing now is back to zero (which re-arms its near-miss).
    for (const f of this.figures()) if (f.value > 0 && !sums.has(figureKey(f.scope, f.key))) out.push(...this.judge(view, f.scope, f.key, 0, this.limit, () => ''));
    return out;
  }
}
