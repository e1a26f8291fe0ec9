/**
 * `warden/data`: market data readers (CSV bars, Binance klines and trades, gzip or plain),
 * resampling and merging of time-ordered streams.
 */
export { readCsvBars, parseTime, type CsvBarOptions, type TimeFormat } from '../data/csv-bars.ts';
export { readBinanceKlines, readBinanceTrades, type BinanceKlineOptions, type BinanceTradeOptions, type TradeReadSummary } from '../data/binance.ts';
export type { BarReadSummary, GapInfo } from '../data/bar-checks.ts';
export { resampleBars } from '../data/resample.ts';
export { mergeByTime, mergeBy, availableAt } from '../data/merge.ts';
