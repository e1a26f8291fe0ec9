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

// venues
export { ScriptedVenue, type ScriptedVenueOptions } from './venues/scripted/scripted-venue.ts';
