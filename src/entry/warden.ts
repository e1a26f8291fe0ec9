/**
 * `warden`: the core. Exact values, ids, instruments, order types and events, errors and codes,
 * the Engine and what it takes and gives (journal contract, bus topics, gate hook, venue
 * contract, origins and operator credentials), the executor between engine and venue, order
 * emulation (brackets, OCO/OTO/OUO, trailing stops) and execution algorithms (TWAP, VWAP,
 * iceberg). Everything else is in the namespaced entry points (warden/backtest, warden/risk,
 * warden/sim, warden/journal, warden/data, warden/testing); what is in none of them is internal.
 * test/public-api.test.ts holds every entry point to its committed list of names.
 */

// values, ids, instruments
export { MAX_ABS_VALUE, MAX_PRECISION, type NumericInput, type RoundingMode } from '../model/decimal.ts';
export { Price, Quantity } from '../model/values.ts';
export { Money, MoneyBag } from '../model/money.ts';
export { Currencies, CurrencyRegistry, currency, type Currency, type CurrencyKind } from '../model/currency.ts';
export * from '../model/identifiers.ts';
export { Instrument, type InstrumentKind, type InstrumentSpec, type Rate } from '../model/instrument.ts';
export type { Bar } from '../model/bar.ts';
export type { Trade } from '../model/trade.ts';
export type { Quote } from '../model/quote.ts';
export type { IntrabarPath } from '../model/intrabar.ts';

// orders: types, the factory, events, the state machine
export * from '../model/orders/types.ts';
export * from '../model/orders/events.ts';
export * from '../model/orders/status.ts';
export { Order, type OverfillPolicy } from '../model/orders/order.ts';
export { createOrderSpec, type OrderRequest } from '../model/orders/factory.ts';

// errors and the closed code sets at component boundaries
export {
  ERROR_CODES,
  WardenError,
  ValidationError,
  LookupError,
  StateError,
  VenueCallError,
  AuthorityError,
  EngineError,
  type ErrorCode,
  type ErrorContext,
} from '../model/errors.ts';
export { DENIAL_CODES, type DenialCode } from '../model/denial-codes.ts';
export { ALERT_CODES, type AlertCode, type RegisteredAlertCode } from '../engine/alert-codes.ts';

// portfolio
export { Account, type AccountType, type Balance } from '../portfolio/account.ts';
export { Position, type PositionChange, type PositionMode, type PositionSide } from '../portfolio/position.ts';
export { Portfolio, type MarkPriceType, type MarketQuote, type PortfolioOptions, type PortfolioStatistics } from '../portfolio/portfolio.ts';

// the engine and what it takes and gives
export { Engine, type CommandResult, type Denial, type EngineOptions, type RecoverOptions, type RecoveryInfo } from '../engine/engine.ts';
export type { Command, CommandKind } from '../engine/commands.ts';
export type { AccountOpened, BalanceAdjusted, EngineEvent, EngineEventKind, InstrumentRegistered, JournalRecord } from '../engine/events.ts';
export type { InstrumentUpdated, MarketStatus, MarketStatusChanged } from '../engine/markets/events.ts';
export type { AuditInput, AuditOutcome, AuditRecorded } from '../engine/audit/events.ts';
export type { MarketStatusUpdate } from '../engine/markets/market-commands.ts';
export { MemoryJournal, type Journal } from '../engine/journal.ts';
export { MessageBus } from '../engine/bus.ts';
export type { AccountStateChanged, EngineAlert, EngineTopics, MarketUpdate, PositionEvent } from '../engine/topics.ts';
export { WallClock, type Clock } from '../engine/clock.ts';
export { ALLOW, NoopGate, type EngineView, type PreTradeGate, type PreTradeRequest, type Verdict } from '../engine/gate.ts';
export type {
  CancelRequest,
  ModifyRequest,
  SubmitRequest,
  Venue,
  VenueCapabilities,
  VenueMarketNotice,
  VenueOrderStatus,
  VenuePosition,
  VenueQueries,
  VenueReport,
  VenueReportKind,
} from '../engine/venue.ts';
export { reconcile, type ReconcileReport } from '../engine/reconcile.ts';
export {
  OperatorAuthority,
  operatorOrigin,
  strategyOrigin,
  RECONCILIATION,
  RISK_CONTROL,
  SYSTEM,
  type Operator,
  type OperatorRole,
  type Origin,
} from '../engine/origin.ts';

// execution: between engine and venue (timeouts, retries, unknown orders, per-execution log)
export { Executor, type ExecutionMode, type ExecutorAlert, type ExecutorOptions } from '../execution/executor.ts';
export { guardConnection, type ConnectionGuardOptions } from '../execution/connection-guard.ts';
export { followMarketNotices } from '../execution/market-watch.ts';
export { RealTimer, type Timer } from '../execution/timer.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../execution/backoff.ts';
export type { ExecutionRecord } from '../execution/execution-log.ts';
export type { ExecutionStatistics } from '../execution/stats.ts';

// order emulation: held stops and if-touched orders, trailing stops, contingent lists
export {
  EMULATED_TAG,
  OrderEmulator,
  type EmulatedOrder,
  type EmulatedStatus,
  type OrderEmulatorOptions,
  type TrailingStopRequest,
} from '../execution/emulation/emulator.ts';
export { CONTINGENT_TAGS, type BracketRequest, type OtoRequest, type SizedOrderRequest } from '../execution/emulation/contingent.ts';
export type { ScaleRequest } from '../execution/emulation/scale.ts';

// execution algorithms: TWAP, VWAP, iceberg (children pass the pre-trade gate)
export { ExecutionAlgorithms, type ExecutionAlgorithmsOptions } from '../algos/runner.ts';
export {
  ALGO_TAG,
  type AlgoKind,
  type AlgoProgress,
  type AlgoRequest,
  type AlgoStatus,
  type AtEnd,
  type IcebergRequest,
  type TwapRequest,
  type VolumeSource,
  type VwapRequest,
} from '../algos/types.ts';
export { volumeProfile, type VolumeProfile } from '../algos/profile.ts';
