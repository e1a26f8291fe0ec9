import { shown, ValidationError } from '../model/errors.ts';
import { Money } from '../model/money.ts';
import type { RiskScope, RiskSource, TradingState } from './risk-state/events.ts';

/**
 * Checks for what callers hand the public entry points (engine commands, registration, risk
 * control). Calls may come from payloads and scripts, so junk (null, a number, an object missing
 * its fields) must be refused as bad input with a stable code, before anything reads a field of
 * it: a bare TypeError has no code, and a value the journal's codec cannot read back would make
 * the journal unreplayable.
 */
export function requireObject(value: unknown, field: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('INVALID_FIELD', `${field} must be an object, got ${shown(value)}`, { field, input: shown(value) });
  }
}

export function requireText(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw new ValidationError('INVALID_FIELD', `${field} must be text, got ${shown(value)}`, { field, input: shown(value) });
}

export function requireMoney(value: unknown, field: string): asserts value is Money {
  if (!(value instanceof Money)) throw new ValidationError('INVALID_FIELD', `${field} must be Money, got ${shown(value)}`, { field, input: shown(value) });
}

const SCOPE = /^(ACCOUNT|STRATEGY|VENUE):./;

/** FIRM, ACCOUNT:<id>, STRATEGY:<id> or VENUE:<id>: what the journal's codec accepts back. */
export function requireScope(value: unknown, field = 'scope'): asserts value is RiskScope {
  if (typeof value !== 'string' || !(value === 'FIRM' || SCOPE.test(value))) {
    throw new ValidationError('INVALID_FIELD', `${field} must be FIRM, ACCOUNT:<id>, STRATEGY:<id> or VENUE:<id>, got ${shown(value)}`, { field, input: shown(value) });
  }
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError('INVALID_FIELD', `${field} must be one of ${allowed.join(', ')}, got ${shown(value)}`, { field, input: shown(value) });
  }
}

export const TRADING_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];
export const RISK_SOURCES: readonly RiskSource[] = ['OPERATOR', 'BREAKER', 'KILL_SWITCH', 'STRATEGY', 'VENUE'];

/** RiskControl.setTradingState's arguments. */
export function requireTradingStateRequest(scope: unknown, state: unknown, by: unknown): void {
  requireScope(scope);
  requireOneOf(state, TRADING_STATES, 'state');
  requireObject(by, 'by');
  requireText(by.reason, 'reason');
}

/** What the kill switch's doors take: `{ operator, reason, flatten? }` (who may is checked by the caller). */
export function requireOperatorRequest(by: unknown): asserts by is { operator: unknown; reason: string; flatten?: boolean } {
  requireObject(by, 'by');
  requireText(by.reason, 'reason');
  if (by.flatten !== undefined && typeof by.flatten !== 'boolean') {
    throw new ValidationError('INVALID_FIELD', `flatten must be true or false, got ${shown(by.flatten)}`, { field: 'flatten', input: shown(by.flatten) });
  }
}
