/**
 * Public types of the simulated exchange's matching engine (one instrument per book).
 *
 * Units: every price is an integer number of ticks and every quantity an integer number of lots,
 * held in plain JS numbers for speed. Converting from and to the exact `Price`/`Quantity` types is
 * the exchange layer's job; the book checks that each value is a safe positive integer and keeps
 * the lots resting in it within 2^53 − 1 (`CAPACITY_EXCEEDED`), so every sum it makes of them (a
 * level's total, a FOK walk) is exact too.
 */

export type BookSide = 'BUY' | 'SELL';

/** GTC rests until canceled; IOC fills what it can now; FOK fills all now or nothing; DAY/GTD rest until `expireAt`. */
export type BookTif = 'GTC' | 'IOC' | 'FOK' | 'DAY' | 'GTD';

/**
 * Self-trade prevention, for the whole book. A taker meeting a resting order of the same `owner`
 * (both owners given) does not trade with it:
 * - `CANCEL_TAKER`: the taker's remainder is canceled; the maker stays.
 * - `CANCEL_MAKER`: that maker is canceled (listed in `canceledMakers`) and the taker goes on.
 * - `CANCEL_BOTH`: that maker is canceled and so is the taker's remainder.
 */
export type StpMode = 'NONE' | 'CANCEL_TAKER' | 'CANCEL_MAKER' | 'CANCEL_BOTH';

export interface BookOrderRequest {
  /** Unique among resting orders of this book; an id is free again once its order left the book. */
  id: string;
  /** Account or trader, for self-trade prevention; absent means "never a self trade". */
  owner?: string;
  side: BookSide;
  type: 'LIMIT' | 'MARKET';
  /** Limit price in ticks: required for LIMIT, absent for MARKET. */
  price?: number;
  /** Quantity in lots. */
  qty: number;
  /** MARKET orders never rest: GTC and IOC both mean "fill what you can"; DAY/GTD are refused. */
  tif: BookTif;
  /** Resting LIMIT (GTC/DAY/GTD) only: refused with POST_ONLY_WOULD_CROSS instead of taking liquidity. */
  postOnly?: boolean;
  /**
   * Iceberg: lots shown on the book at a time (resting LIMIT only). It may exceed `qty` (an exchange
   * re-submitting the rest of a partly filled iceberg): the order then shows all it has.
   */
  displayQty?: number;
  /** Epoch milliseconds; required for DAY and GTD (the exchange supplies the session end for DAY), absent otherwise. */
  expireAt?: number;
}

/** One trade, at the maker's price. */
export interface BookFill {
  takerId: string;
  makerId: string;
  price: number;
  qty: number;
  takerSide: BookSide;
  makerOwner?: string;
  takerOwner?: string;
}

/**
 * - `RESTING`: nothing traded, the order rests with `remainingQty`.
 * - `FILLED`: fully traded (`remainingQty` 0).
 * - `PARTIALLY_FILLED_RESTING`: some traded, `remainingQty` rests.
 * - `CANCELED`: `remainingQty` was canceled after matching: IOC or MARKET remainder, or self-trade
 *   prevention (`rejectReason: 'SELF_TRADE'`); `fills` may hold what traded before.
 * - `REJECTED`: refused before any matching; the book is unchanged and `fills` is empty.
 */
export type BookOutcome = 'RESTING' | 'FILLED' | 'PARTIALLY_FILLED_RESTING' | 'CANCELED' | 'REJECTED';

/**
 * `CAPACITY_EXCEEDED`: the order could rest and its lots, with every lot resting in the book, would
 * pass 2^53 − 1; lots are numbers, so the book refuses rather than let a level's total go inexact.
 */
export type BookRejectReason = 'POST_ONLY_WOULD_CROSS' | 'FOK_CANNOT_FILL' | 'DUPLICATE_ID' | 'UNKNOWN_ORDER' | 'SELF_TRADE' | 'CAPACITY_EXCEEDED';

export interface BookResult {
  outcome: BookOutcome;
  /** Trades in the order they happened; a value the caller acts on (never mutated by the book afterwards). */
  fills: readonly BookFill[];
  /** Why the order was REJECTED, or why it was CANCELED by self-trade prevention. */
  rejectReason?: BookRejectReason;
  /** Resting orders canceled by self-trade prevention (CANCEL_MAKER, CANCEL_BOTH), in the order met. */
  canceledMakers?: readonly string[];
  /**
   * Lots not traded: resting on the book (RESTING, PARTIALLY_FILLED_RESTING), canceled (CANCELED),
   * or the untouched quantity of a rejected submit (REJECTED; for a rejected modify, the order's
   * remaining quantity, 0 when unknown). 0 when FILLED.
   */
  remainingQty: number;
}

/** A resting order as seen from outside (a fresh value on each call). */
export interface BookOrderView {
  id: string;
  side: BookSide;
  price: number;
  /** Visible plus hidden lots still open. */
  remainingQty: number;
  /** Lots shown on the book (less than `remainingQty` only for an iceberg). */
  visibleQty: number;
  /** The iceberg display size, if any. */
  displayQty?: number;
  tif: BookTif;
  expireAt?: number;
  postOnly: boolean;
  owner?: string;
}

export type BookLevel = [price: number, qty: number];

export interface BookDepth {
  /** Best (highest) first. */
  bids: BookLevel[];
  /** Best (lowest) first. */
  asks: BookLevel[];
}

export interface BookModify {
  /** New remaining (open) quantity in lots, not the original total: the caller subtracts what has filled. */
  qty?: number;
  /** New limit price in ticks. */
  price?: number;
}

export interface OrderBookOptions {
  /** Self-trade prevention mode; `NONE` by default. */
  stp?: StpMode;
}
