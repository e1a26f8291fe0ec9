/** The strategy API lives in its own layer (src/strategy/); re-exported here for existing imports. */
export type { OrderView, PositionView, Strategy, StrategyContext, StrategyFactory, StrategyOrder, StrategyResult } from '../strategy/strategy.ts';
