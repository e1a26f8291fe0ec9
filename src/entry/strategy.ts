/**
 * `warden/strategy`: the one strategy API, for backtest, paper and live alike. A strategy
 * implements `Strategy` (onStart, onBar, onQuote, onTrade, onOrderEvent, onFill, onTimer, onStop)
 * and acts only through its `StrategyContext`: commands (submit, modify, cancel, bracket, OCO, OTO,
 * trailing stop, TWAP, VWAP, iceberg, close position), frozen views, indicators, a logger and
 * persisted state. The built-in strategies are in STRATEGIES.
 */
export type {
  OrderView,
  PositionView,
  Strategy,
  StrategyBracket,
  StrategyContext,
  StrategyFactory,
  StrategyServices,
  NewsScorer,
  NewsForScoring,
  StrategyIceberg,
  StrategyOrder,
  StrategyOto,
  StrategyResult,
  StrategyTrailingStop,
  StrategyTwap,
  StrategyVwap,
} from '../strategy/strategy.ts';
export type { Indicators } from '../strategy/indicators.ts';
export type { LogFields, StrategyLogger } from '../strategy/logger.ts';
export type { JsonValue, StrategyState } from '../strategy/state.ts';
export { STRATEGY_STATE_MAX_KEY, STRATEGY_STATE_MAX_TOTAL, STRATEGY_STATE_MAX_VALUE } from '../engine/strategy-state/strategy-states.ts';
export { STRATEGIES } from '../strategies/index.ts';
