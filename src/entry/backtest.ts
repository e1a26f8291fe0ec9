/**
 * `warden/backtest`: running strategies over history. runBacktest, reports (summary, CSV, HTML),
 * metrics, parameter sweeps, walk-forward and Monte Carlo analyses. The strategy API and the
 * built-in strategies are in `warden/strategy`.
 */
export { runBacktest, type BacktestOptions, type BacktestResult, type BacktestSource, type FillRecord, type KeptBars, type MarketItem } from '../backtest/runner.ts';

// reports and metrics
export { summarize, tradesCsv, equityCsv, reportHtml, writeReports, type BacktestSummary, type BreakerSummaryEntry, type ReportFiles } from '../backtest/report.ts';
export { computeMetrics, type Metrics, type MetricsInput, type MonthlyReturn } from '../backtest/metrics.ts';
export type { ClosedTrade } from '../backtest/trades.ts';
export type { BreakerLogEntry } from '../backtest/risk-log.ts';

// analyses: sweeps, walk-forward, Monte Carlo
export { runSweep, sweepCsv, parseGrid, SWEEP_METRICS, type AnalysisConfig, type ParamGrid, type SweepMetric, type SweepOptions, type SweepResult, type SweepRow, type TimeWindow } from '../backtest/sweep.ts';
export { runWalkForward, type WalkForwardOptions, type WalkForwardReport, type WalkForwardResult, type WindowLength } from '../backtest/walk-forward.ts';
export { monteCarlo, tradeReturns, type Distribution, type MonteCarloOptions, type MonteCarloResult } from '../backtest/monte-carlo.ts';
