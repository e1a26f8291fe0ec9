import type { RegisteredStrategy } from '../strategy/strategy.ts';
import { bollingerReversionFactory } from './bollinger-reversion.ts';
import { crossVenueArbitrageFactory } from './cross-venue-arbitrage.ts';
import { macdFactory } from './macd.ts';
import { pairsFactory } from './pairs.ts';
import { rsiMomentumFactory } from './rsi-momentum.ts';
import { smaCrossFactory } from './sma-cross.ts';
import { volatilityBreakoutFactory } from './volatility-breakout.ts';

/**
 * Built-in strategies by name (an explicit map: names are looked up here, never as class names).
 * Each entry is a RegisteredStrategy: its family, description and parameters with defaults are
 * required, and `warden strategies` lists them from here.
 */
export const STRATEGIES: Readonly<Record<string, RegisteredStrategy>> = Object.freeze({
  'sma-cross': smaCrossFactory,
  macd: macdFactory,
  'rsi-momentum': rsiMomentumFactory,
  'bollinger-reversion': bollingerReversionFactory,
  'volatility-breakout': volatilityBreakoutFactory,
  pairs: pairsFactory,
  'cross-venue-arbitrage': crossVenueArbitrageFactory,
});

export { SmaCross, SMA_CROSS_DEFAULTS, smaCrossFactory, type SmaCrossParams } from './sma-cross.ts';
export { MacdStrategy, MACD_DEFAULTS, macdFactory, type MacdParams } from './macd.ts';
export { RsiMomentum, RSI_MOMENTUM_DEFAULTS, rsiMomentumFactory, type RsiMomentumParams } from './rsi-momentum.ts';
export { BollingerReversion, BOLLINGER_REVERSION_DEFAULTS, bollingerReversionFactory, type BollingerReversionParams } from './bollinger-reversion.ts';
export { VolatilityBreakout, VOLATILITY_BREAKOUT_DEFAULTS, volatilityBreakoutFactory, type VolatilityBreakoutParams } from './volatility-breakout.ts';
export { Pairs, PAIRS_DEFAULTS, pairsFactory, pairsStat, type PairsParams, type PairsStat } from './pairs.ts';
export { CrossVenueArbitrage, CROSS_VENUE_ARBITRAGE_DEFAULTS, crossVenueArbitrageFactory, type CrossVenueArbitrageParams } from './cross-venue-arbitrage.ts';
