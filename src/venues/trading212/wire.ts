/**
 * Trading 212 public API v0, as documented (OpenAPI "Trading 212 Public API", v0): the JSON the
 * adapter reads. Every figure is a JSON number; it is converted exactly at the edge (orders.ts).
 */

export const T212_ORDER_STATUSES = ['LOCAL', 'UNCONFIRMED', 'CONFIRMED', 'NEW', 'CANCELLING', 'CANCELLED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'REPLACING', 'REPLACED'] as const;
export type T212OrderStatus = (typeof T212_ORDER_STATUSES)[number];
export type T212OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type T212TimeValidity = 'DAY' | 'GOOD_TILL_CANCEL';

/** `Order`: the answer to a placement, an item of GET /equity/orders, GET /equity/orders/{id}. */
export interface T212Order {
  readonly id: number;
  readonly createdAt: string;
  readonly status: T212OrderStatus;
  readonly type: T212OrderType;
  readonly ticker: string;
  readonly side?: 'BUY' | 'SELL';
  /** Signed in requests; in answers the docs give `side` beside it (we read the sign when no side). */
  readonly quantity?: number;
  readonly filledQuantity?: number;
  readonly filledValue?: number;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly timeInForce?: T212TimeValidity;
  readonly strategy?: 'QUANTITY' | 'VALUE';
  readonly currency?: string;
  readonly extendedHours?: boolean;
  readonly initiatedFrom?: string;
}

export interface T212Tax {
  readonly name: string;
  readonly quantity: number;
  readonly currency: string;
  readonly chargedAt?: string;
}

/** `Fill` of a historical order. */
export interface T212Fill {
  readonly id: number;
  readonly filledAt: string;
  readonly price: number;
  readonly quantity: number;
  readonly type?: string;
  readonly tradingMethod?: 'TOTV' | 'OTC';
  readonly walletImpact?: { readonly currency?: string; readonly fxRate?: number; readonly netValue?: number; readonly realisedProfitLoss?: number; readonly taxes?: readonly T212Tax[] };
}

/** An item of GET /equity/history/orders: the order and, when it traded, its fill. */
export interface T212HistoricalOrder {
  readonly order: T212Order;
  readonly fill?: T212Fill | null;
}

export interface T212Page<T> {
  readonly items: readonly T[];
  readonly nextPagePath: string | null;
}

/** An item of GET /equity/positions. */
export interface T212Position {
  readonly instrument: { readonly ticker: string; readonly currency?: string; readonly name?: string; readonly isin?: string };
  readonly quantity: number;
  readonly quantityAvailableForTrading?: number;
  readonly averagePricePaid?: number;
  readonly currentPrice?: number;
  readonly createdAt?: string;
}

/** GET /equity/account/summary. */
export interface T212AccountSummary {
  readonly id: number;
  readonly currency: string;
  readonly totalValue?: number;
  readonly cash: { readonly availableToTrade: number; readonly reservedForOrders: number; readonly inPies: number };
}

/** `TradableInstrument`, an item of GET /equity/metadata/instruments. */
export interface T212Instrument {
  readonly ticker: string;
  readonly currencyCode: string;
  readonly type: string;
  readonly name?: string;
  readonly shortName?: string;
  readonly isin?: string;
  readonly maxOpenQuantity?: number;
  /** In the earlier docs' TradableInstrument; read when present. */
  readonly minTradeQuantity?: number;
  readonly extendedHours?: boolean;
  readonly workingScheduleId?: number;
}

/** An error answer's body: `{ "code": ..., "clarification": ... }`. */
export interface T212ErrorBody {
  readonly code?: string;
  readonly clarification?: string;
}
