import type { Currency } from '../../model/currency.ts';
import { ValidationError } from '../../model/errors.ts';
import { BREAKER_KINDS, BREAKER_SCOPES, type BreakerKind } from '../config/scopes.ts';
import type { BreakersConfig, RiskConfig } from '../config/types.ts';
import type { Breaker } from './breaker.ts';
import { ConsecutiveLossesBreaker } from './consecutive-losses.ts';
import { DailyLossBreaker } from './daily-loss.ts';
import { DrawdownBreaker } from './drawdown.ts';
import { ErrorsBreaker } from './errors.ts';
import { ConcentrationBreaker, LeverageBreaker } from './exposure.ts';
import { OrderRateBreaker } from './order-rate.ts';
import { PortfolioLossBreaker } from './portfolio-loss.ts';
import { PositionLossBreaker } from './position-loss.ts';
import { RepeatedExecutionsBreaker } from './repeated-executions.ts';
import { TradingDay } from './trading-day.ts';
import { VolatilityBreaker } from './volatility.ts';

export interface BreakerOptions {
  /** The trading day for daily loss (default: midnight UTC). */
  readonly day?: { readonly timezone: string; readonly boundary: string };
  /** Settlement currency for equity and loss figures; default: each account's largest balance (see EquityScopes). */
  readonly currency?: Currency;
  /** Near-miss alerts at this % of a limit (default 80). */
  readonly nearMissPct?: number;
}

/**
 * The enabled breakers of a configuration, as monitors for RiskControl, in the configuration's
 * key order. A breaker asked to watch a scope it cannot (an equity breaker per strategy) is a
 * ValidationError naming the field.
 */
export function createBreakers(config: BreakersConfig, opts: BreakerOptions = {}): Breaker[] {
  const near = opts.nearMissPct ?? 80;
  const day = new TradingDay(opts.day?.timezone ?? 'UTC', opts.day?.boundary ?? '00:00');
  const c = opts.currency;
  const out: Breaker[] = [];
  for (const kind of Object.keys(config) as BreakerKind[]) {
    if (!BREAKER_KINDS.includes(kind)) throw new ValidationError('INVALID_FIELD', `breakers.${String(kind)}: unknown breaker`, { field: `breakers.${String(kind)}` });
    const b = build(config, kind, day, c, near);
    if (!b?.common.enabled) continue;
    if (!BREAKER_SCOPES[kind].includes(b.common.scope)) {
      throw new ValidationError('INVALID_FIELD', `breakers.${kind}.scope: ${kind} cannot watch scope ${b.common.scope} (one of ${BREAKER_SCOPES[kind].join(', ')})`, {
        field: `breakers.${kind}.scope`,
      });
    }
    out.push(b);
  }
  return out;
}

/** The breakers of a whole risk configuration: its trading day and near-miss level. */
export function createBreakersFor(config: RiskConfig, opts: Omit<BreakerOptions, 'day' | 'nearMissPct'> = {}): Breaker[] {
  return createBreakers(config.breakers, { ...opts, day: config.day, nearMissPct: config.alerts.near_miss_pct });
}

function build(b: BreakersConfig, kind: BreakerKind, day: TradingDay, c: Currency | undefined, near: number): Breaker | undefined {
  switch (kind) {
    case 'daily_loss':
      return b.daily_loss && new DailyLossBreaker(b.daily_loss, day, c, near);
    case 'drawdown':
      return b.drawdown && new DrawdownBreaker(b.drawdown, c, near);
    case 'consecutive_losses':
      return b.consecutive_losses && new ConsecutiveLossesBreaker(b.consecutive_losses, near);
    case 'order_rate':
      return b.order_rate && new OrderRateBreaker(b.order_rate, near);
    case 'errors':
      return b.errors && new ErrorsBreaker(b.errors, near);
    case 'position_loss':
      return b.position_loss && new PositionLossBreaker(b.position_loss, near);
    case 'portfolio_loss':
      return b.portfolio_loss && new PortfolioLossBreaker(b.portfolio_loss, c, near);
    case 'volatility':
      return b.volatility && new VolatilityBreaker(b.volatility, near);
    case 'leverage':
      return b.leverage && new LeverageBreaker(b.leverage, c, near);
    case 'concentration':
      return b.concentration && new ConcentrationBreaker(b.concentration, c, near);
    case 'repeated_executions':
      return b.repeated_executions && new RepeatedExecutionsBreaker(b.repeated_executions, near);
  }
}
