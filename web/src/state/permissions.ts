/**
 * Which dashboard actions a set of roles allows (mirrors the server's role table so a button the
 * user may not press is shown disabled with the reason; the server still decides).
 */
import type { Role } from '../api/types.ts';

export type Action =
  | 'order.submit'
  | 'order.cancel'
  | 'order.modify'
  | 'position.close'
  | 'killSwitch.engage'
  | 'killSwitch.reset'
  | 'breaker.reset'
  | 'tradingState.set'
  | 'strategy.control'
  | 'backtest.run'
  | 'proposal.decide';

const NEEDS: Readonly<Record<Action, readonly Role[]>> = {
  'order.submit': ['trader'],
  'order.cancel': ['trader'],
  'order.modify': ['trader'],
  'position.close': ['trader'],
  'killSwitch.engage': ['trader', 'risk'],
  'killSwitch.reset': ['risk'],
  'breaker.reset': ['risk'],
  'tradingState.set': ['risk'],
  'strategy.control': ['trader'],
  'backtest.run': ['trader'],
  'proposal.decide': ['trader'],
};

export type Permission = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function permission(roles: readonly Role[], action: Action): Permission {
  const needed = NEEDS[action];
  if (needed.some((r) => roles.includes(r))) return { ok: true };
  return { ok: false, reason: `needs the ${needed.join(' or ')} role` };
}
