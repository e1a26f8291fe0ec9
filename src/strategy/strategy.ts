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

/** An order as a strategy writes it: the context fills in account, strategy and (unless given) the client order id. */
export type StrategyOrder = Omit<OrderRequest, 'accountId' | 'strategyId' | 'clientOrderId'> & { clientOrderId?: string };

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
  /** The instruments of the run, in the order their data was given. */
  readonly instruments: readonly Instrument[];
  /** The currency equity is counted in (the instruments' settlement currency). */
  readonly currency: Currency;
  /** An instrument of the run by id; without an id, the first one. */
  instrument(id?: string): Instrument;
  /** Simulated time, epoch ms (a bar's close while its onBar runs). */
  now(): number;
  /** Account equity: cash plus open positions marked at the last close, exact. */
  equity(): Money;
  /** The account's balance in a currency (default the run's currency): total, locked, free. */
  balance(currency?: Currency): Balance;
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
  /** A timer set with ctx.setTimer came due (`at` is the time asked for; the clock reads the bar close). */
  onTimer?(at: number, ctx: StrategyContext): void | Promise<void>;
  /** Once, after the last bar. */
  onEnd?(ctx: StrategyContext): void | Promise<void>;
}

/** Builds a strategy from `--param k=v` pairs (text); throws a typed error on a bad parameter. */
export interface StrategyFactory {
  readonly name: string;
  readonly description: string;
  /** Parameter names, their defaults and meaning, for --help and the report. */
  readonly params: readonly { readonly name: string; readonly default: string; readonly doc: string }[];
  create(params: Readonly<Record<string, string>>): Strategy;
}
