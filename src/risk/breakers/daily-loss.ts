import type { Currency } from '../../model/currency.ts';
import { Money } from '../../model/money.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { round } from './breaker.ts';
import { EquityBreaker } from './equity-breaker.ts';
import { money, pct, type ScopeEquity } from './equity.ts';
import type { TradingDay } from './trading-day.ts';

export type DailyLossConfig = BreakerCommon & { readonly max_daily_loss_pct?: number; readonly max_daily_loss?: string };

interface Day {
  day: string;
  currency: Currency;
  /** Equity at the first observation of the trading day (moved by deposits and withdrawals). */
  start: bigint;
  /** Where the loss is counted from: the day's start, or the equity at the last reset that day. */
  baseline: bigint;
  equity: bigint;
}

export interface DailyPnl {
  readonly scope: RiskScope;
  readonly day: string;
  readonly currency: string;
  readonly startEquity: string;
  readonly equity: string;
  readonly pnl: string;
  readonly pnlPct: number;
}

/**
 * Trips when the day's loss reaches max_daily_loss_pct of start-of-day equity or max_daily_loss
 * (absolute, settlement currency). Start-of-day equity is captured at the first observation of
 * each trading day (a journaled event, a price, a bar or a tick). Deposits and withdrawals move
 * it, so they are not taken for profit or loss. A reset gives the rest of the day a fresh budget:
 * the loss is then counted from the equity at the reset (the day's PnL still from its start).
 */
export class DailyLossBreaker extends EquityBreaker {
  private readonly days = new Map<RiskScope, Day>();

  constructor(
    readonly config: DailyLossConfig,
    private readonly tradingDay: TradingDay,
    currency: Currency | undefined,
    nearMissPct: number,
  ) {
    super('daily_loss', config, currency, nearMissPct);
  }

  protected restartFrom(scope: RiskScope): void {
    const d = this.days.get(scope);
    if (d) d.baseline = d.equity;
  }
  override onTime(now: number, view: RiskView): readonly RiskAction[] {
    return [...super.onTime(now, view), ...this.observe(view)];
  }

  protected observe(view: RiskView, shift?: (s: ScopeEquity) => bigint): RiskAction[] {
    const out: RiskAction[] = [];
    const key = this.tradingDay.key(view.now());
    for (const s of this.equity.all(view, this.common.scope)) {
      let d = this.days.get(s.scope);
      if (!d || d.day !== key || d.currency.code !== s.currency.code) {
        this.days.set(s.scope, (d = { day: key, currency: s.currency, start: s.raw, baseline: s.raw, equity: s.raw }));
      } else if (shift) {
        const by = shift(s);
        d.start += by;
        d.baseline += by;
      }
      d.equity = s.raw;
      const loss = d.baseline - s.raw;
      const day = d;
      const text = (): string => `loss ${money(loss, s.currency)} ${s.currency.code} (${round(pct(loss, day.start))}% of start-of-day equity ${money(day.start, s.currency)}) on ${day.day}`;
      if (this.config.max_daily_loss_pct !== undefined) out.push(...this.judge(view, s.scope, 'pct', pct(loss, d.start), this.config.max_daily_loss_pct, text));
      if (this.config.max_daily_loss !== undefined) {
        const limit = Money.of(this.config.max_daily_loss, s.currency, 'max_daily_loss');
        out.push(...this.judge(view, s.scope, 'abs', Number(loss) / 10 ** s.currency.precision, limit.toNumber(), text));
      }
    }
    return out;
  }

  /** Each scope's PnL for its current trading day, as last observed. */
  daily(): DailyPnl[] {
    return [...this.days.entries()].map(([scope, d]) => ({
      scope,
      day: d.day,
      currency: d.currency.code,
      startEquity: money(d.start, d.currency),
      equity: money(d.equity, d.currency),
      pnl: money(d.equity - d.start, d.currency),
      pnlPct: round(pct(d.equity - d.start, d.start)),
    }));
  }
}
