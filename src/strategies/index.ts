import type { RegisteredStrategy } from '../strategy/strategy.ts';
import { bollingerReversionFactory } from './bollinger-reversion.ts';
import { crossVenueArbitrageFactory } from './cross-venue-arbitrage.ts';
import { macdFactory } from './macd.ts';
import { pairsFactory } from './pairs.ts';
import { rsiMomentumFactory } from './rsi-momentum.ts';
import { smaCrossFactory } from './sma-cross.ts';
import { volatilityBreakoutFactory } from './volatility-breakout.ts';
import { randomForestFactory } from './random-forest.ts';
import { lstmPredictionFactory } from './lstm-prediction.ts';
import { qLearningFactory } from './q-learning.ts';
import { sentimentFactory } from './sentiment.ts';
import { kalmanMeanReversionFactory } from './kalman-mean-reversion.ts';
import { earningsPlayFactory } from './earnings-play.ts';
import { volatilityRegimeFactory } from './volatility-regime.ts';
import { statisticalArbitrageFactory } from './statistical-arbitrage.ts';
import { triangularArbitrageFactory } from './triangular-arbitrage.ts';

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
  'random-forest': randomForestFactory,
  'lstm-prediction': lstmPredictionFactory,
  'q-learning': qLearningFactory,
  sentiment: sentimentFactory,
  'kalman-mean-reversion': kalmanMeanReversionFactory,
  'earnings-play': earningsPlayFactory,
  'volatility-regime': volatilityRegimeFactory,
  'statistical-arbitrage': statisticalArbitrageFactory,
  'triangular-arbitrage': triangularArbitrageFactory,
});

export { SmaCross, SMA_CROSS_DEFAULTS, smaCrossFactory, type SmaCrossParams } from './sma-cross.ts';
export { MacdStrategy, MACD_DEFAULTS, macdFactory, type MacdParams } from './macd.ts';
export { RsiMomentum, RSI_MOMENTUM_DEFAULTS, rsiMomentumFactory, type RsiMomentumParams } from './rsi-momentum.ts';
export { BollingerReversion, BOLLINGER_REVERSION_DEFAULTS, bollingerReversionFactory, type BollingerReversionParams } from './bollinger-reversion.ts';
export { VolatilityBreakout, VOLATILITY_BREAKOUT_DEFAULTS, volatilityBreakoutFactory, type VolatilityBreakoutParams } from './volatility-breakout.ts';
export { Pairs, PAIRS_DEFAULTS, pairsFactory, pairsStat, type PairsParams, type PairsStat } from './pairs.ts';
export { CrossVenueArbitrage, CROSS_VENUE_ARBITRAGE_DEFAULTS, crossVenueArbitrageFactory, type CrossVenueArbitrageParams } from './cross-venue-arbitrage.ts';
export { RandomForestStrategy, RANDOM_FOREST_DEFAULTS, randomForestFactory, type RandomForestParams } from './random-forest.ts';
export { LstmPrediction, LSTM_PREDICTION_DEFAULTS, lstmPredictionFactory, type LstmPredictionParams } from './lstm-prediction.ts';
export { QLearning, Q_LEARNING_DEFAULTS, qLearningFactory, type QLearningParams } from './q-learning.ts';
export { LexiconScorer, SentimentStrategy, SENTIMENT_DEFAULTS, sentimentFactory, type SentimentParams, type SentimentScorer } from './sentiment.ts';
export { KalmanMeanReversion, KALMAN_MEAN_REVERSION_DEFAULTS, kalmanMeanReversionFactory, kalmanStep, kalmanDecision, type KalmanMeanReversionParams } from './kalman-mean-reversion.ts';
export { EarningsPlay, EARNINGS_PLAY_DEFAULTS, earningsPlayFactory, type EarningsPlayParams } from './earnings-play.ts';
export { parseEventCalendar, readEventCalendar, type CalendarEvent } from './event-calendar.ts';
export { VolatilityRegime, VOLATILITY_REGIME_DEFAULTS, volatilityRegimeFactory, nextRegime, type VolatilityRegimeParams, type Regime } from './volatility-regime.ts';
export { parseIndexSeries, readIndexSeries, type IndexPoint } from './index-series.ts';
export { StatisticalArbitrage, STATISTICAL_ARBITRAGE_DEFAULTS, statisticalArbitrageFactory, basketStat, type StatisticalArbitrageParams, type BasketStat } from './statistical-arbitrage.ts';
export { TriangularArbitrage, TRIANGULAR_ARBITRAGE_DEFAULTS, triangularArbitrageFactory, loopProduct, loopsFrom, type TriangularArbitrageParams } from './triangular-arbitrage.ts';
