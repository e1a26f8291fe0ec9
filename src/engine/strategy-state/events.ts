/**
 * Journaled strategy state: a strategy's `ctx.state.set(key, value)` becomes one of these, folded
 * into StrategyStates like any engine event, so a restarted node gives the strategy back what it
 * kept (by replay or snapshot).
 */
interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** `value`: the new value as JSON text; undefined deletes the key. */
export type StrategyStateSet = Base<'StrategyStateSet'> & {
  readonly strategyId: string;
  readonly key: string;
  readonly value: string | undefined;
};

export type StrategyStateEvent = StrategyStateSet;
