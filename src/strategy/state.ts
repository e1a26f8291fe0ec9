import type { Engine } from '../engine/engine.ts';
import { strategyOrigin } from '../engine/origin.ts';
import { ValidationError } from '../model/errors.ts';

/** A value a strategy may keep: anything JSON can hold. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/**
 * A strategy's persisted state (`ctx.state`): its own keys only, each a JSON value, journaled
 * (StrategyStateSet) so a restarted node gives them back. Reads are copies: changing what `get`
 * returned changes nothing until it is `set` again.
 */
export interface StrategyState {
  /** The value kept under `key`, or undefined. */
  get<T extends JsonValue = JsonValue>(key: string): T | undefined;
  /** Keeps `value` under `key` (journaled; resolves when durable). Over the size limits: STRATEGY_STATE_TOO_LARGE, nothing kept. */
  set(key: string, value: JsonValue): Promise<void>;
  /** Forgets `key`. */
  delete(key: string): Promise<void>;
  /** This strategy's keys, in the order first written. */
  keys(): readonly string[];
}

/** The state of strategy `strategyId`, written with its STRATEGY origin (the engine refuses any other strategy's keys). */
export function strategyState(engine: Engine, strategyId: string): StrategyState {
  const origin = strategyOrigin(strategyId);
  const states = engine.state.strategies;
  return Object.freeze({
    get<T extends JsonValue = JsonValue>(key: string): T | undefined {
      const text = states.get(strategyId, key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    async set(key: string, value: JsonValue): Promise<void> {
      await engine.recordStrategyState(strategyId, key, jsonText(value, key), origin);
    },
    async delete(key: string): Promise<void> {
      if (states.get(strategyId, key) === undefined) return;
      await engine.recordStrategyState(strategyId, key, undefined, origin);
    },
    keys: () => Object.freeze(states.keys(strategyId)),
  });
}

/** JSON text of a value, refusing what JSON would silently change (undefined, functions, NaN, bigint, cycles). */
function jsonText(value: JsonValue, key: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`${v} is not a JSON number`);
      return v;
    });
  } catch (e) {
    throw new ValidationError('INVALID_FIELD', `strategy state ${key} must be a JSON value: ${(e as Error).message}`, { field: key });
  }
  if (text === undefined) throw new ValidationError('INVALID_FIELD', `strategy state ${key} must be a JSON value, got ${typeof value}`, { field: key });
  return text;
}
