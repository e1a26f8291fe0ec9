/** The context builder lives in the strategy layer (src/strategy/context.ts); re-exported here for existing imports. */
export { createStrategyContext, type ContextDeps } from '../strategy/context.ts';
