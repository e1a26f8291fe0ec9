import { ATR, BollingerBands, EMA, MACD, RSI, SMA } from 'trading-signals';

/**
 * Indicators a strategy builds from `ctx.indicators`: each call is a new, independent
 * trading-signals indicator (floats: analytics, never the ledger). Feed it with `.add(close)`
 * (ATR takes `{ high, low, close }`) and read `.getResult()` (null until it has enough data,
 * `.isStable` once it has). A strategy keeps one per instrument; the same classes can also be
 * imported from 'trading-signals' directly.
 *
 * They are floats: two values that are equal in exact arithmetic can differ in the last bits
 * (SMA(10) = SMA(30) read as −3.6e-12), so a decision that must respect ties compares exact values
 * instead, as the built-in strategies do (src/strategies/exact.ts: closes as integers of price
 * units, means compared by cross-multiplying), or reads a documented tolerance as a tie.
 */
export interface Indicators {
  /** Simple moving average of the last `period` values. */
  sma(period: number): SMA;
  /** Exponential moving average (weight 2 / (period + 1)). */
  ema(period: number): EMA;
  /** Wilder's relative strength index, 0..100. */
  rsi(period: number): RSI;
  /** Average true range over `period` bars. */
  atr(period: number): ATR;
  /** Bollinger bands: SMA(period) ± deviation × standard deviation. */
  bollinger(period: number, deviation?: number): BollingerBands;
  /** MACD of EMA(fast) − EMA(slow), with an EMA(signal) of it. */
  macd(fast?: number, slow?: number, signal?: number): MACD;
}

export const INDICATORS: Indicators = Object.freeze({
  sma: (period: number) => new SMA(period),
  ema: (period: number) => new EMA(period),
  rsi: (period: number) => new RSI(period),
  atr: (period: number) => new ATR(period),
  bollinger: (period: number, deviation = 2) => new BollingerBands(period, deviation),
  macd: (fast = 12, slow = 26, signal = 9) => new MACD(new EMA(fast), new EMA(slow), new EMA(signal)),
});
