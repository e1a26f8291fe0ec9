import type { StrategyFactory } from '../backtest/strategy.ts';
import { smaCrossFactory } from './sma-cross.ts';

/** Built-in strategies by name (an explicit map: names are looked up here, never as class names). */
export const STRATEGIES: Readonly<Record<string, StrategyFactory>> = Object.freeze({
  'sma-cross': smaCrossFactory,
});

export { SmaCross, SMA_CROSS_DEFAULTS, smaCrossFactory, type SmaCrossParams } from './sma-cross.ts';
