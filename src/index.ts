// Warden's public API. Everything a library user needs is exported from here.

// model: exact values, identifiers, instruments, orders
export * from './model/errors.ts';
export { parseDecimal, formatRaw, roundRaw, type NumericInput, type RoundingMode, MAX_PRECISION, MAX_ABS_VALUE } from './model/decimal.ts';
export { Price, Quantity } from './model/values.ts';
export { Money, MoneyBag } from './model/money.ts';
export { Currencies, CurrencyRegistry, currency, type Currency, type CurrencyKind } from './model/currency.ts';
export * from './model/identifiers.ts';
export { Instrument, type InstrumentKind, type InstrumentSpec, type Rate } from './model/instrument.ts';
export * from './model/orders/types.ts';
export * from './model/orders/events.ts';
export * from './model/orders/status.ts';
export { Order, type OverfillPolicy, type ApplyResult } from './model/orders/order.ts';
export { createOrderSpec, type OrderRequest } from './model/orders/factory.ts';

// portfolio: accounts, positions, PnL
export { Account, type AccountType, type Balance } from './portfolio/account.ts';
export { Position, type PositionChange, type PositionMode, type PositionSide } from './portfolio/position.ts';
export { Portfolio, type MarkPriceType, type MarketQuote, type PortfolioStatistics, type PortfolioOptions } from './portfolio/portfolio.ts';

// engine: the single writer, its journal, bus, clock, venue and pre-trade hook
export { Engine, type EngineOptions, type CommandResult, type Denial } from './engine/engine.ts';
export { EngineState, type EngineStateOptions } from './engine/state.ts';
export type { Command, CommandKind } from './engine/commands.ts';
export type { EngineEvent, EngineEventKind, JournalRecord, InstrumentRegistered, AccountOpened, BalanceAdjusted } from './engine/events.ts';
export { MemoryJournal, DiscardingJournal, checkSequence, type Journal } from './engine/journal.ts';
export { MessageBus } from './engine/bus.ts';
export type { EngineTopics, EngineAlert, PositionEvent, AccountStateChanged } from './engine/topics.ts';
export { TestClock, WallClock, type Clock } from './engine/clock.ts';
export { NoopGate, ALLOW, type PreTradeGate, type PreTradeRequest, type Verdict, type EngineView } from './engine/gate.ts';
export type { Venue, VenueReport, VenueReportKind, VenueCapabilities, SubmitRequest, ModifyRequest, CancelRequest } from './engine/venue.ts';

// execution: between engine and venue (timeouts, retries, unknown orders, per-execution log)
export { Executor, type ExecutionMode, type ExecutorAlert, type ExecutorOptions } from './execution/executor.ts';
export { guardConnection, type ConnectionGuardOptions } from './execution/connection-guard.ts';
export { ManualTimer, RealTimer, sleep, type Timer } from './execution/timer.ts';
export { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './execution/backoff.ts';
export { decideFailure, type FailureAction, type RequestKind } from './execution/failure.ts';
export { settleSubmit, settleModify, settleCancel, modifyApplied } from './execution/settle.ts';
export type { ExecutionRecord, Attempt, Settlement } from './execution/execution-log.ts';
export { slippageBps, type ExecutionStatistics } from './execution/stats.ts';

// venues
export { ScriptedVenue, type ScriptedVenueOptions } from './venues/scripted/scripted-venue.ts';
export { SimulatedExchange, type SimulatedExchangeOptions } from './venues/sim/exchange/simulated-exchange.ts';
export { exchangeModels, type ExchangeModelConfig, type ModelChoice } from './venues/sim/exchange/configured-models.ts';
export type { ExchangeFees, ExchangeLatency, ExchangeLimitFill, ExchangeSlippage } from './venues/sim/exchange/ports.ts';
export type { IntrabarPath } from './model/intrabar.ts';
export { OrderBook } from './venues/sim/book/index.ts';
export * as simModels from './venues/sim/models/index.ts';
export { ReplayClock } from './venues/sim/replay/replay-clock.ts';
export {
  addPaperVenue,
  openPaperSession,
  runPaper,
  SmaCrossDemo,
  type PaperContext,
  type PaperRunOptions,
  type PaperSession,
  type PaperSessionOptions,
  type PaperStrategy,
  type PaperVenueOptions,
} from './venues/sim/replay/paper-session.ts';
export {
  FaultInjectingVenue,
  describeInjected,
  type FaultInjectingVenueOptions,
  type CallFault,
  type CallFaultRule,
  type ReportFaultRule,
  type QueryFaultRule,
  type InjectedFault,
} from './venues/sim/faults/index.ts';

// data
export type { Bar } from './model/bar.ts';
export { readCsvBars, parseTime, type CsvBarOptions } from './data/csv-bars.ts';

// risk
export { RiskGate, DENIAL_CODES, type DenialCode } from './risk/gate/index.ts';
export { RiskState, type BreakerStatus } from './engine/risk-state/risk-state.ts';
export type { RiskEvent, RiskScope, TradingState, RiskSource } from './engine/risk-state/events.ts';
export { venueScope } from './engine/risk-state/events.ts';
export { RiskControl, type RiskStatus } from './risk/control/risk-control.ts';
export { OperatorAuthority, operatorOrigin, strategyOrigin, RISK_CONTROL, RECONCILIATION, SYSTEM, type Operator, type OperatorRole, type Origin } from './engine/origin.ts';
export { guardedEngine, type GuardedEngine } from './risk/control/risk-setup.ts';
export { chaseResentCancels, guardedStack, reconcileStack, type RiskStack } from './execution/risk-stack.ts';
export { FLATTEN_TAG } from './engine/reserved-tags.ts';
export { loadRiskConfig, parseRiskConfig } from './risk/config/load.ts';
export type { RiskConfig, LimitsConfig, BreakersConfig } from './risk/config/types.ts';
export { createBreakers, createBreakersFor, breakerStatus } from './risk/breakers/index.ts';
export type { RiskMonitor } from './risk/breakers/monitor.ts';
export type { RiskAction } from './risk/actions.ts';
export { WebhookAlertSink } from './risk/alerts/webhook.ts';
export * as sizing from './risk/sizing/index.ts';
export * as analytics from './risk/analytics/index.ts';

// recovery
export { reconcile, reconcileOrder, reportsForVenueStatus, type ReconcileReport } from './engine/reconcile.ts';
export type { VenueQueries, VenueOrderStatus, VenuePosition } from './engine/venue.ts';

// durable journals and snapshots
export { SqliteJournal } from './journal/sqlite.ts';
export { PostgresJournal } from './journal/postgres.ts';
export { TailingMemoryJournal } from './journal/memory.ts';
export type { DurableJournal, JournalIdentity } from './journal/types.ts';
export { encodeEvent, decodeEvent, CODEC_VERSION } from './journal/codec.ts';
export { encodeSnapshot, decodeSnapshot, JSON_SNAPSHOTS, SNAPSHOT_VERSION } from './journal/snapshot.ts';
export { Snapshotter } from './journal/snapshotter.ts';
export { configHash, NO_CONFIG_HASH, packageVersion, resolveIdentity } from './journal/identity.ts';
export { readBinanceKlines, readBinanceTrades } from './data/binance.ts';
export { resampleBars } from './data/resample.ts';
export { mergeByTime, mergeBy, availableAt } from './data/merge.ts';
export type { Trade } from './model/trade.ts';
export type { GapInfo } from './data/bar-checks.ts';

// backtesting
export { runBacktest } from './backtest/runner.ts';
export type { OrderView, PositionView, Strategy, StrategyContext, StrategyResult } from './backtest/strategy.ts';
export type { Quote } from './model/quote.ts';
export type { MarketItem, BacktestOptions, BacktestResult, BacktestSource } from './backtest/runner.ts';
export { STRATEGIES } from './strategies/index.ts';

// order emulation (stops, if-touched, trailing stops and contingent orders, engine-side)
export { OrderEmulator, EMULATED_TAG, type TrailingStopRequest, type OrderEmulatorOptions, type EmulatedOrder, type EmulatedStatus } from './engine/emulation/emulator.ts';
export { ContingencyManager, CONTINGENT_TAGS, type ContingentAction, type ContingentTrigger, type BracketRequest, type OtoRequest, type SizedOrderRequest } from './engine/emulation/contingent.ts';
export { initialTrailing, trailingTrigger } from './engine/emulation/trailing.ts';
export { initialTouch, touchTrigger, watchedPrice, midOnGrid, firingDirection, type Observation, type TouchState, type TouchKind, type FiringDirection } from './engine/emulation/triggers.ts';
export { EMULATED_ORDER_TYPES, holdSpec, observeHeld, releaseOf, type HeldOrder, type HeldTrigger, type EmulatedOrderType } from './engine/emulation/held.ts';
export { newOuoGroup, ouoOnFill, ouoLegEnded, type OuoGroup, type OuoFillDecision } from './engine/emulation/ouo.ts';
export { scaleOrders, type ScaleRequest } from './engine/emulation/scale.ts';

// execution algorithms (TWAP, VWAP, iceberg slicing; children pass the pre-trade gate)
export { ExecutionAlgorithms, type ExecutionAlgorithmsOptions } from './algos/runner.ts';
export { ALGO_TAG, type AlgoRequest, type TwapRequest, type VwapRequest, type IcebergRequest, type AlgoProgress, type AlgoStatus, type AlgoKind, type AlgoAction, type SliceOrder, type AtEnd, type VolumeSource } from './algos/types.ts';
export { equalSlices, weightedSlices, type LotGrid } from './algos/slicing.ts';
export { volumeProfile, expectedVolume, type VolumeProfile } from './algos/profile.ts';
export { AveragePrice } from './algos/average-price.ts';
export { decideScheduled, type ScheduledPlan } from './algos/schedule.ts';
export { decideIceberg, type IcebergPlan } from './algos/iceberg.ts';
export { planTwap } from './algos/twap.ts';
export { planVwap } from './algos/vwap.ts';
export { ChildLedger } from './algos/children.ts';
