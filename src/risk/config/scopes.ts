import type { BreakersConfig } from './types.ts';

export type BreakerKind = keyof BreakersConfig;
export type BreakerScopeName = 'FIRM' | 'ACCOUNT' | 'STRATEGY';

/**
 * Which scopes each breaker can watch. Equity-based breakers need an equity, which exists per
 * account (and summed for the firm), not per strategy.
 */
export const BREAKER_SCOPES: Readonly<Record<BreakerKind, readonly BreakerScopeName[]>> = {
  daily_loss: ['FIRM', 'ACCOUNT'],
  drawdown: ['FIRM', 'ACCOUNT'],
  consecutive_losses: ['FIRM', 'ACCOUNT', 'STRATEGY'],
  order_rate: ['FIRM', 'ACCOUNT', 'STRATEGY'],
  errors: ['FIRM', 'ACCOUNT', 'STRATEGY'],
  position_loss: ['FIRM', 'ACCOUNT', 'STRATEGY'],
  portfolio_loss: ['FIRM', 'ACCOUNT', 'STRATEGY'],
  volatility: ['FIRM', 'ACCOUNT', 'STRATEGY'],
  leverage: ['FIRM', 'ACCOUNT'],
  concentration: ['FIRM', 'ACCOUNT'],
  repeated_executions: ['FIRM', 'ACCOUNT', 'STRATEGY'],
};

export const BREAKER_KINDS = Object.keys(BREAKER_SCOPES) as BreakerKind[];
