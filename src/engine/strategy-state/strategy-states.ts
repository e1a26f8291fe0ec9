import { ValidationError } from '../../model/errors.ts';
import type { StrategyStateSet } from './events.ts';

/** Longest key, in characters. */
export const STRATEGY_STATE_MAX_KEY = 200;
/** Most characters of one value's JSON text. */
export const STRATEGY_STATE_MAX_VALUE = 64 * 1024;
/** Most characters of one strategy's keys and values together. */
export const STRATEGY_STATE_MAX_TOTAL = 1024 * 1024;

export interface StrategyStateSnapshot {
  /** Per strategy (in first-write order), its keys and JSON texts in write order. */
  readonly strategies: readonly { readonly strategyId: string; readonly entries: readonly (readonly [string, string])[] }[];
}

/**
 * The fold of StrategyStateSet: each strategy's keys and their JSON texts. What a strategy may
 * write (its own id only, within the limits) is checked when the command is made (Engine.
 * recordStrategyState, `refusal` here), not on replay: a journal written under other limits still
 * replays to what it held.
 */
export class StrategyStates {
  private readonly byStrategy = new Map<string, Map<string, string>>();
  private readonly totals = new Map<string, number>();

  apply(e: StrategyStateSet): void {
    let m = this.byStrategy.get(e.strategyId);
    const old = m?.get(e.key);
    const total = (this.totals.get(e.strategyId) ?? 0) - (old === undefined ? 0 : e.key.length + old.length);
    if (e.value === undefined) {
      m?.delete(e.key);
      this.totals.set(e.strategyId, total);
      return;
    }
    if (!m) this.byStrategy.set(e.strategyId, (m = new Map<string, string>()));
    m.set(e.key, e.value);
    this.totals.set(e.strategyId, total + e.key.length + e.value.length);
  }

  /** The JSON text kept under a strategy's key, if any. */
  get(strategyId: string, key: string): string | undefined {
    return this.byStrategy.get(strategyId)?.get(key);
  }

  keys(strategyId: string): string[] {
    return [...(this.byStrategy.get(strategyId)?.keys() ?? [])];
  }

  /** Why a write may not be made (a typed error), or undefined: key and value sizes, and the strategy's total. */
  refusal(strategyId: string, key: string, value: string | undefined): ValidationError | undefined {
    if (typeof key !== 'string' || key.length === 0 || key.length > STRATEGY_STATE_MAX_KEY) {
      return new ValidationError('INVALID_FIELD', `a strategy state key must be text of 1 to ${STRATEGY_STATE_MAX_KEY} characters`, { field: 'key' });
    }
    if (value === undefined) return undefined;
    if (value.length > STRATEGY_STATE_MAX_VALUE) {
      return new ValidationError('STRATEGY_STATE_TOO_LARGE', `strategy ${strategyId}'s value for ${key} is ${value.length} characters of JSON, more than ${STRATEGY_STATE_MAX_VALUE}`, { strategyId, field: key });
    }
    const old = this.get(strategyId, key);
    const total = (this.totals.get(strategyId) ?? 0) - (old === undefined ? 0 : key.length + old.length) + key.length + value.length;
    if (total > STRATEGY_STATE_MAX_TOTAL) {
      return new ValidationError('STRATEGY_STATE_TOO_LARGE', `strategy ${strategyId}'s state would be ${total} characters, more than ${STRATEGY_STATE_MAX_TOTAL}`, { strategyId, field: key });
    }
    return undefined;
  }

  toSnapshot(): StrategyStateSnapshot {
    return { strategies: [...this.byStrategy].filter(([, m]) => m.size > 0).map(([strategyId, m]) => ({ strategyId, entries: [...m] })) };
  }

  restore(s: StrategyStateSnapshot): void {
    if (this.byStrategy.size > 0) throw new RangeError('a strategy state snapshot loads into a new state only');
    for (const { strategyId, entries } of s.strategies) {
      if (this.byStrategy.has(strategyId)) throw new RangeError(`snapshot repeats strategy ${strategyId}`);
      for (const [key, value] of entries) this.apply({ kind: 'StrategyStateSet', strategyId, key, value, tsEvent: 0, tsInit: 0 });
    }
  }
}
