import type { Denial } from '../engine/engine.ts';
import type { Bar } from '../model/bar.ts';
import type { Trade } from '../model/trade.ts';
import type { Quote } from '../model/quote.ts';
import type { Currency } from '../model/currency.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Money } from '../model/money.ts';
import type { OrderEvent, OrderFilled } from '../model/orders/events.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { OrderStatus } from '../model/orders/status.ts';
import type { OrderSide, OrderType } from '../model/orders/types.ts';
import type { NumericInput } from '../model/decimal.ts';
import type { Price, Quantity } from '../model/values.ts';
import type { Balance } from '../portfolio/account.ts';
import type { PositionSide } from '../portfolio/position.ts';
import type { ContingentTrigger } from '../execution/emulation/contingent.ts';
import type { TrailingStopRequest } from '../execution/emulation/requests.ts';
import type { IcebergRequest, TwapRequest, VwapRequest } from '../algos/types.ts';
import type { Indicators } from './indicators.ts';
import type { StrategyLogger } from './logger.ts';
import type { StrategyState } from './state.ts';
import type { MarketStatus, MarketStatusChanged } from '../engine/markets/events.ts';

/** An order as a strategy writes it: the context fills in account, strategy and (unless given) the client order id. */
export type StrategyOrder = Omit<OrderRequest, 'accountId' | 'strategyId' | 'clientOrderId'> & { clientOrderId?: string };

/** A bracket: the entry now, a take-profit (limit) and a stop-loss (stop) on its fills, one cancelling the other. */
export interface StrategyBracket {
  readonly entry: StrategyOrder;
  readonly takeProfitPrice: NumericInput | Price;
  readonly stopLossTriggerPrice: NumericInput | Price;
  /** PARTIAL (default): children on every entry fill; FULL: once the entry is filled. */
  readonly trigger?: ContingentTrigger;
}

/** One order triggers the other: the child goes out on the parent's fill (its quantity defaults to what filled). */
export interface StrategyOto {
  readonly parent: StrategyOrder;
  readonly child: Omit<StrategyOrder, 'quantity'> & { readonly quantity?: StrategyOrder['quantity'] };
  readonly trigger?: ContingentTrigger;
}

/** A trailing stop as a strategy asks for it (held by the emulator where the venue has none). */
export type StrategyTrailingStop = Omit<TrailingStopRequest, 'clientOrderId' | 'accountId' | 'strategyId'> & { readonly clientOrderId?: string };

type AlgoOf<R> = Omit<R, 'kind' | 'parentId' | 'accountId' | 'strategyId'> & { readonly parentId?: string };
/** Execution algorithms as a strategy asks for them; children are `<parentId>-<n>`, sent as the strategy. */
export type StrategyTwap = AlgoOf<TwapRequest>;
export type StrategyVwap = AlgoOf<VwapRequest>;
export type StrategyIceberg = AlgoOf<IcebergRequest>;

/** A frozen picture of one of this strategy's positions, taken when asked (the same object until its next fill). */
export interface PositionView {
  readonly instrumentId: string;
  readonly side: PositionSide;
  readonly isOpen: boolean;
  readonly quantity: Quantity;
  /** Weighted-average entry, for display and quick decisions only (a float). */
  readonly avgEntryPx: number | undefined;
  readonly fillCount: number;
}

/** A frozen picture of one of this strategy's orders. */
export interface OrderView {
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly status: OrderStatus;
  readonly quantity: Quantity;
  readonly filledQty: Quantity;
  readonly leavesQty: Quantity;
  readonly price: Price | undefined;
  readonly triggerPrice: Price | undefined;
  readonly isOpen: boolean;
}

/** What a strategy hears back from a command: its orders' ids and any pre-trade denials. */
export interface StrategyResult {
  readonly clientOrderIds: readonly string[];
  readonly denied: readonly Denial[];
}

/**
 * What a strategy sees and may do: read-only views and commands on its own orders, nothing else.
 * It never holds the engine, the portfolio, an account or a position object, or the clock: what
 * it reads are frozen views, and what it sends goes to the engine with its STRATEGY origin, so
 * the engine refuses another strategy's orders (NOT_OWN_ORDER) and risk control's tags
 * (RESERVED_TAG). It cannot lift a kill switch, a breaker or a trading state, or move a balance:
 * there is no door for it (README "What a strategy may and may not do").
 */
export interface StrategyContext {
  readonly strategyId: string;
  readonly accountId: string;
  /** The instruments of the run, in the order their data was given, as the venue now defines them (a tick or lot the venue changed is read here). */
  readonly instruments: readonly Instrument[];
  /** The currency equity is counted in (the instruments' settlement currency). */
  readonly currency: Currency;
  /** An instrument of the run by id (as the venue now defines it: FAULTS 35); without an id, the first one. */
  instrument(id?: string): Instrument;
  /** Simulated time, epoch ms (a bar's close while its onBar runs). */
  now(): number;
  /** Account equity: cash plus open positions marked at the last close, exact. */
  equity(): Money;
  /** The account's balance in a currency (default the run's currency): total, locked, free. */
  balance(currency?: Currency): Balance;
  /**
   * Whether the venue takes new orders in an instrument of the run (default the first): OPEN, or
   * what its venue or market is (MAINTENANCE, CLOSED, HALTED: orders there are denied with
   * VENUE_UNAVAILABLE or MARKET_CLOSED; cancels pass). Changes come to onMarketStatus.
   */
  marketStatus(instrumentId?: string): MarketStatus;
  /** The last traded (or bar close) price of an instrument, if any has been seen. */
  lastPrice(instrumentId: string): Price | undefined;
  /**
   * How much of this strategy's long in the instrument the account can sell: the position, within
   * the free base balance of a CASH spot account (fees taken in coins leave it holding less).
   * Zero when flat or short.
   */
  sellable(instrumentId: string): Quantity;
  /** This strategy's (netting) position in an instrument, if it has one open or retained. */
  position(instrumentId: string): PositionView | undefined;
  /** Signed position quantity as a number (long > 0, short < 0, 0 flat), for quick decisions. */
  netQuantity(instrumentId: string): number;
  /** Whether this strategy has working orders in the instrument. */
  hasOpenOrders(instrumentId: string): boolean;
  /** One of this strategy's orders; undefined for an unknown id or another's order. */
  order(clientOrderId: string): OrderView | undefined;
  /** Submits an order; resolves once it is journaled (at once with the in-memory journals). */
  submit(order: StrategyOrder): Promise<StrategyResult>;
  /** A market order for `quantity` (on the lot grid). */
  market(instrumentId: string, side: 'BUY' | 'SELL', quantity: Quantity | string): Promise<StrategyResult>;
  /** Cancels one of this strategy's orders (another's: NOT_OWN_ORDER). */
  cancel(clientOrderId: string): Promise<StrategyResult>;
  /** Modifies one of this strategy's orders (another's: NOT_OWN_ORDER). */
  modify(clientOrderId: string, changes: { quantity?: NumericInput | Quantity; price?: NumericInput | Price; triggerPrice?: NumericInput | Price }): Promise<StrategyResult>;
  /** Asks for onTimer at simulated time `at` (epoch ms): called at the first bar close at or after it. */
  setTimer(at: number): void;

  // ---- more views ----
  /** This strategy's open orders (in one instrument, if given), frozen. Held (emulated) orders are not engine orders and are not listed. */
  openOrders(instrumentId?: string): readonly OrderView[];
  /** This strategy's open positions, frozen. */
  positions(): readonly PositionView[];
  /** Every balance of the account, frozen. */
  balances(): readonly Balance[];

  // ---- more commands (through the order emulator and the execution algorithms, as this strategy) ----
  /** A bracket (entry, then take-profit and stop-loss). Result: the entry's id and any denial of it. */
  bracket(b: StrategyBracket): Promise<StrategyResult>;
  /** Two orders, a fill of one cancels the other. */
  oco(a: StrategyOrder, b: StrategyOrder): Promise<StrategyResult>;
  /** One order triggers another on its fill. */
  oto(o: StrategyOto): Promise<StrategyResult>;
  /** A trailing stop (trailing-stop-market, or -limit with `limitOffset`): held engine-side on a venue without trailing stops. */
  trailingStop(t: StrategyTrailingStop): Promise<StrategyResult>;
  /** Starts a TWAP; resolves to its parent id once started (its first slice sent when due now). */
  twap(r: StrategyTwap): Promise<string>;
  /** Starts a VWAP. */
  vwap(r: StrategyVwap): Promise<string>;
  /** Starts an iceberg (sliced here on a venue without native icebergs). */
  iceberg(r: StrategyIceberg): Promise<string>;
  /** Stops one of this strategy's algorithms and cancels its working children (another's: NOT_OWN_ORDER). False when it was not running. */
  cancelAlgo(parentId: string): Promise<boolean>;
  /**
   * Closes this strategy's position in an instrument at market: a long sells what the account
   * can deliver (`sellable`), a short buys back its quantity. Flat (or nothing sellable): no order.
   */
  closePosition(instrumentId: string): Promise<StrategyResult>;

  // ---- tools ----
  /** trading-signals indicators (each call a new one; see indicators.ts). */
  readonly indicators: Indicators;
  /** This strategy's logger (the node's, bound to its id; silent in a plain backtest). */
  readonly log: StrategyLogger;
  /** This strategy's persisted state: journaled, so a restarted node continues with it. */
  readonly state: StrategyState;
}

/**
 * A strategy reacts to bars, trades, quotes, its own order events and fills, and timers it sets. Handlers may return a promise (the
 * runner awaits it before the next bar); returning nothing keeps the per-bar path free of
 * promises. All times are simulated; a strategy must not read the system clock or Math.random.
 */
export interface Strategy {
  readonly name: string;
  /** Once, before the first bar, with the instruments registered and the account funded. */
  onStart?(ctx: StrategyContext): void | Promise<void>;
  /** At the close of each bar (the clock reads the bar's close time). */
  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void>;
  /** Every event of this strategy's orders (accepted, filled, canceled, denied, ...), frozen. */
  onOrderEvent?(event: OrderEvent, ctx: StrategyContext): void;
  /** Fills of this strategy's orders, after onOrderEvent. */
  onFill?(fill: OrderFilled, ctx: StrategyContext): void;
  /** Each trade (print) of a trade-driven source, after the exchange has filled what it reaches. */
  onTrade?(trade: Trade, ctx: StrategyContext): void | Promise<void>;
  /** Each quote of a quote-driven source, after the exchange has filled what it reaches. */
  onQuote?(quote: Quote, ctx: StrategyContext): void | Promise<void>;
  /**
   * A venue, or a market of one of this strategy's instruments, changed status (FAULTS 34): new
   * orders there are denied while it is not OPEN (MAINTENANCE: VENUE_UNAVAILABLE; CLOSED, HALTED:
   * MARKET_CLOSED), so a strategy may stop sending and wait for OPEN. Given once per change, after
   * it is journaled; a venue-wide change (no instrumentId) reaches every strategy with an
   * instrument on that venue. Live and paper nodes only (the strategy host); ctx.marketStatus reads it.
   */
  onMarketStatus?(change: MarketStatusChanged, ctx: StrategyContext): void | Promise<void>;
  /** A timer set with ctx.setTimer came due (`at` is the time asked for; the clock reads the bar close). */
  onTimer?(at: number, ctx: StrategyContext): void | Promise<void>;
  /** Once, when the node stops or the backtest has run its last bar (before open orders are canceled on stop). */
  onStop?(ctx: StrategyContext): void | Promise<void>;
  /** @deprecated The former name of onStop: called (instead) when a strategy has no onStop. */
  onEnd?(ctx: StrategyContext): void | Promise<void>;
}

/**
 * The six families of the strategy library (issue 21), in the order `warden strategies` lists
 * them. A closed set: adding one is a change here, and to the README's table.
 */
export const STRATEGY_FAMILIES = ['trend following', 'mean reversion', 'arbitrage', 'volatility', 'event/sentiment', 'machine learning'] as const;
export type StrategyFamily = (typeof STRATEGY_FAMILIES)[number];

/**
 * An entry of the built-in registry (STRATEGIES): a factory that also says its family, so that
 * `warden strategies` lists nothing without a family, a description and its parameters with
 * their defaults (the registry's type requires them).
 */
export interface RegisteredStrategy extends StrategyFactory {
  readonly family: StrategyFamily;
}

/** Builds a strategy from `--param k=v` pairs (text); throws a typed error on a bad parameter. */
export interface StrategyFactory {
  readonly name: string;
  /** One line: what it trades and when (`warden strategies`, --help). */
  readonly description: string;
  /** Parameter names, their defaults and meaning, for --help and the report. */
  readonly params: readonly { readonly name: string; readonly default: string; readonly doc: string }[];
  /** `services`: what the node lends beyond the context, when it has it; a factory works without. */
  create(params: Readonly<Record<string, string>>, services?: StrategyServices): Strategy;
}

/** A piece of news as a scorer reads it: `symbols` are the ids of the instruments it is about. */
export interface NewsForScoring {
  readonly ts: number;
  readonly symbols: readonly string[];
  readonly title: string;
  readonly text: string;
}

/**
 * Scores a batch of news per instrument id, each score in [−1, 1]; `undefined` when it has no
 * answer for this batch (the caller then scores it its own way).
 */
export interface NewsScorer {
  score(items: readonly NewsForScoring[]): Promise<ReadonlyMap<string, number> | undefined>;
}

/**
 * What a node can lend a strategy's factory beyond the StrategyContext: nothing that can place,
 * change or lift anything. Each is optional: a backtest or a node without it gives none.
 */
export interface StrategyServices {
  /** News sentiment from the node's AI advisor (present only when a model is configured). */
  readonly newsScorer?: NewsScorer;
}
