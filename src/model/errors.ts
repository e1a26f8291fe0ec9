/**
 * Every failure Warden reports carries a stable SCREAMING_SNAKE code from this closed table.
 * Codes are for programs, messages are for people; the README table is generated from here
 * (`npm run docs:codes`).
 */
export const ERROR_CODES = {
  // numbers and identifiers
  INVALID_NUMBER: 'A value is not a finite decimal number (NaN, Infinity, empty or malformed text).',
  PRECISION_EXCEEDED: 'A value has more decimal places than its precision allows; it is never rounded.',
  VALUE_OUT_OF_RANGE: 'A value is beyond the representable range (|value| > 1e15) or a precision is outside 0..16.',
  NEGATIVE_QUANTITY: 'A quantity is negative.',
  OFF_TICK_GRID: 'A price is not a whole multiple of the instrument tick size.',
  OFF_LOT_GRID: 'A quantity is not a whole multiple of the instrument lot size.',
  NON_POSITIVE_PRICE: 'A price is zero or negative on an instrument that does not allow it.',
  NON_POSITIVE_QUANTITY: 'An order quantity is zero.',
  QUANTITY_BELOW_MIN: 'An order quantity is below the instrument minimum.',
  QUANTITY_ABOVE_MAX: 'An order quantity is above the instrument maximum.',
  NOTIONAL_BELOW_MIN: 'An order notional is below the instrument minimum.',
  NOTIONAL_ABOVE_MAX: 'An order notional is above the instrument maximum.',
  CURRENCY_MISMATCH: 'Arithmetic or a comparison mixed two currencies.',
  INVALID_IDENTIFIER: 'An identifier is empty, has white space, or is not of its form (SYMBOL.VENUE).',
  INVALID_CURRENCY: 'A currency code or precision is invalid, or the currency is unknown.',
  INVALID_INSTRUMENT: 'An instrument definition is inconsistent (grid, limits, currencies, precision).',
  INVALID_FIELD: 'A payload field is missing or has the wrong type.',
  // orders
  MISSING_PRICE: 'A limit-type order has no limit price.',
  MISSING_TRIGGER_PRICE: 'A stop or if-touched order has no trigger price.',
  MISSING_TRAILING_OFFSET: 'A trailing stop has no trailing offset or offset type.',
  UNEXPECTED_PRICE: 'An order type that takes no such price was given one.',
  MISSING_EXPIRE_TIME: 'A GTD order has no expiry time.',
  EXPIRE_TIME_IN_PAST: 'A GTD order expires at or before the current time.',
  DISPLAY_QTY_EXCEEDS_QUANTITY: 'An iceberg display quantity is larger than the order quantity.',
  INCOMPATIBLE_ORDER_OPTIONS: 'Order options that cannot go together (post-only market, FOK iceberg, ...).',
  UNSUPPORTED_TRIGGER_TYPE: 'An order held engine-side asks for a trigger price the engine has no feed for (MARK).',
  // lookups
  UNKNOWN_INSTRUMENT: 'The instrument is not registered with the engine.',
  UNKNOWN_ACCOUNT: 'The account is not registered with the engine.',
  UNKNOWN_VENUE: 'No venue is registered under that name.',
  UNKNOWN_ORDER: 'No order with that client order id is known.',
  UNKNOWN_STRATEGY: 'No strategy with that id runs in this node.',
  DUPLICATE_CLIENT_ORDER_ID: 'A client order id is already in use.',
  DUPLICATE_REGISTRATION: 'An instrument, account, venue or submit screen is registered twice.',
  // state
  ILLEGAL_TRANSITION: 'An event is not allowed in the order current state; the order is unchanged.',
  OVERFILL: 'A fill would take the filled quantity above the order quantity.',
  QUANTITY_BELOW_FILLED: 'A modify or a venue update would set an order quantity below what has filled.',
  FILL_MISMATCH: 'A fill does not match its order (instrument, side or currency).',
  ORDER_NOT_OPEN: 'The order is closed or not yet at the venue, so it cannot be modified or canceled.',
  INSUFFICIENT_POSITION: 'A hedging-mode fill names a position that does not exist or is closed.',
  POSITION_NOT_OWNED: 'An order names a position of another account or instrument.',
  // venue reports (input like any other: refused, alerted, never journaled)
  REPORT_INVALID: 'A venue report has a field the engine cannot take: a time that is not epoch ms, an empty or malformed trade or venue order id, a liquidity other than MAKER/TAKER, a reason that is not text.',
  FILL_PRICE_INVALID: 'A venue fill is at a zero or negative price on an instrument that does not allow it.',
  FILL_PRICE_THROUGH_LIMIT: 'A venue fill of a limit-priced order is worse than its limit (a buy above it, a sell below it).',
  FILL_QUANTITY_INVALID: 'A venue fill or bust has a zero or negative quantity.',
  FILL_FEE_INVALID: "A venue fill's commission is in a currency neither the instrument's nor held by the account, or is a rebate not in the settlement currency or above 1% of the notional.",
  // risk controls
  TRADING_STATE_REFUSED: 'A breaker cannot be reset yet (its cooldown runs), or a trading state change does not fit the scope.',
  // authority (who sent a command; see README "What a strategy may and may not do")
  NOT_AUTHORIZED: 'The command\'s origin may not do this: lifting the kill switch, a breaker or a trading state, or moving a balance, needs an operator credential with the role.',
  RESERVED_TAG: 'An order carries a tag reserved for risk control (warden:flatten) but was not sent by risk control.',
  STRATEGY_STATE_TOO_LARGE: "A strategy's persisted state value, or all of its state together, is larger than the limit (64 KiB of JSON per value, 1 MiB per strategy).",
  STRATEGY_NOT_RUNNING: 'A strategy that is paused or stopped by an operator sent an order; it is refused until the strategy is resumed or started again.',
  NOT_OWN_ORDER: 'A strategy named, canceled or modified an order that is not its own (another strategy\'s, an operator\'s or risk control\'s).',
  // users and API keys (src/server/auth/; messages never hold a password, token or key)
  WEAK_PASSWORD: 'A password is shorter than 12 characters, longer than 1024, or not text.',
  USER_EXISTS: 'A user of that name exists already.',
  UNKNOWN_USER: 'No user of that name exists.',
  UNKNOWN_KEY: 'No API key with that id exists.',
  LAST_ADMIN: 'The change would leave no user with the admin role.',
  // the AI advisor (src/advisor/tasks/)
  NOTHING_TO_EXPLAIN: 'The journal has no denial of that order, or no trip of that breaker, for the advisor to explain.',
  UNKNOWN_PROPOSAL: 'No advisor proposal with that id exists.',
  PROPOSAL_RESOLVED: 'The advisor proposal was confirmed or rejected already: a proposal is decided once.',
  // venue calls (what a venue client's call may fail with; see src/engine/venue.ts)
  VENUE_TIMEOUT: 'A venue call got no answer in time: the venue may or may not have acted on it.',
  VENUE_NETWORK: 'The connection broke during a venue call (reset, refused mid-request): the venue may or may not have acted on it.',
  VENUE_UNAVAILABLE: 'The venue answered with a server error (5xx): it may or may not have acted on the call.',
  VENUE_RATE_LIMITED: 'The venue refused the call for its rate limit (429) without acting on it; back off.',
  VENUE_DISCONNECTED: 'The venue connection is down; the call was not sent.',
  VENUE_REJECTED: 'The venue refused the request outright (bad parameters, insufficient funds, unknown order).',
  VENUE_QUERY_FAILED: 'A venue read (order status, open orders, fills) failed after every retry.',
  // journal and engine
  JOURNAL_SEQUENCE_GAP: 'An append would leave a gap in, or reuse, the journal sequence numbers.',
  JOURNAL_CORRUPT: 'The journal holds an event the engine cannot decode or apply.',
  JOURNAL_WRITE_FAILED: 'A journal write failed (disk full, database gone): nothing of it is acknowledged and the engine stops.',
  JOURNAL_FILE_GONE: 'The journal file was deleted, moved or replaced while open: nothing more is acknowledged and the engine stops.',
  JOURNAL_SCHEMA_NEWER: 'The journal schema is newer than this code knows: refused rather than downgraded.',
  JOURNAL_MISMATCH: 'The journal was written with another configuration or code version; refused unless explicitly allowed.',
  ENGINE_STOPPED: 'The engine no longer accepts commands (stopped, or a journal write failed).',
  // the cluster (src/cluster)
  FIRM_BUDGET_CONTENDED: 'The firm budget ledger kept changing under a compare-and-set past the bounded retries: the change was not made (the order is denied, fail closed).',
  FIRM_UNREACHABLE: 'NATS (the firm budget or kill switch bucket) could not be reached.',
  FIRM_NODE_UNKNOWN: 'The firm budget ledger has no entry for that node id.',
  FIRM_NODE_LIVE: 'The node still holds a live firm budget lease (it is renewing): only a node whose lease has run out can be removed from the ledger.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorContext = Readonly<Record<string, string | number | boolean | null>>;

export class WardenError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** Bad input: a value, identifier or definition that cannot be what it claims to be. */
export class ValidationError extends WardenError {}

/** A well-formed request that refers to something the engine does not know, or knows already. */
export class LookupError extends WardenError {}

/** An event or command that the current state does not allow. */
export class StateError extends WardenError {}

/**
 * A venue call that failed. `ambiguous` says whether the venue may have acted on it anyway
 * (timeout, network reset, 5xx): such a submit or modify must never be resent blindly.
 */
export class VenueCallError extends WardenError {
  constructor(
    code: 'VENUE_TIMEOUT' | 'VENUE_NETWORK' | 'VENUE_UNAVAILABLE' | 'VENUE_RATE_LIMITED' | 'VENUE_DISCONNECTED' | 'VENUE_REJECTED' | 'VENUE_QUERY_FAILED',
    message: string,
    context: ErrorContext = {},
    /** For VENUE_RATE_LIMITED: how long the venue asked us to wait, in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(code, message, context);
  }

  /** Whether the venue may have acted on the call despite the failure. */
  get ambiguous(): boolean {
    return this.code === 'VENUE_TIMEOUT' || this.code === 'VENUE_NETWORK' || this.code === 'VENUE_UNAVAILABLE';
  }
}

/** A command whose origin may not do what it asks (a strategy, a forged or missing operator credential). */
export class AuthorityError extends WardenError {}

/** Persistence and engine lifecycle failures. */
export class EngineError extends WardenError {}

export function assertNever(value: never, what = 'value'): never {
  throw new TypeError(`unhandled ${what}: ${JSON.stringify(value)}`);
}

/** For promise rejections and rethrows of values caught as `unknown`. */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Text for an error about a bad payload value; never throws (bigint, `{"toString": {}}`, cycles). */
export function shown(value: unknown): string {
  try {
    return typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    return Object.prototype.toString.call(value);
  }
}
