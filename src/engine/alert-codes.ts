import type { ErrorCode } from '../model/errors.ts';

/**
 * Every alert on the bus's `alert` topic carries a code from this closed table: the engine,
 * executors, risk control, emulation, algorithms, reconciliation and the snapshotter all publish
 * here, and subscribers (the webhook, the error-rate breaker, the cancel chaser, an operator's
 * pager) switch on the code. Codes are for programs, messages for people; the README table is
 * generated from here (`npm run docs:alerts`).
 */
export const ALERT_CODES = {
  // engine
  ENGINE_STOPPED: 'The engine stopped accepting commands (a journal write or id lookup failed); context.cause is the error code.',
  VENUE_CALL_FAILED: 'A venue call (submit, modify, cancel) threw after its events were journaled; reconciliation settles the order, never a blind resend.',
  EXTERNAL_ORDER_ADOPTED: 'A venue reported an order that was not ours: adopted as external, the venue not called.',
  REPORT_DROPPED: 'A venue report arrived after the engine stopped: left to reconciliation on the next start.',
  BAD_REPORT: 'A venue report could not be applied for a reason that is not a WardenError; a WardenError uses its own code (see the error codes).',
  REDUCE_ONLY_FILL_REFUSED: 'A reduce-only order filled with no position to reduce: not booked, reconcile with the venue.',
  REDUCE_ONLY_FILL_CLIPPED: 'A reduce-only order filled more than its position: booked up to the position, reconcile the rest with the venue.',
  REDUCE_ONLY_ACTION_FAILED: 'Shrinking or canceling reduce-only orders to fit a position failed.',
  // reconciliation
  RECONCILIATION_UNSUPPORTED: 'A venue cannot be queried: its open orders are trusted as journaled.',
  POSITION_MISMATCH: 'A position disagrees with the venue after reconciliation explained what it could: trading halts on it.',
  RECONCILED: 'Reconciliation with a venue changed something: fills seen, orders adopted, updated or found never sent, pending cancels resent, modifies settled.',
  MODIFY_ROLLED_BACK: 'An unconfirmed modify found the venue with the old terms: rolled back, not resent.',
  // execution algorithms across a restart
  ALGO_HORIZON_PASSED: 'A TWAP/VWAP whose end passed while the node was down is canceled on recovery (its unfilled remainder named), never sent at once.',
  ALGO_NOT_RECOVERED: 'A journaled running algorithm could not be rebuilt on recovery: marked FAILED.',
  ALGO_NOT_JOURNALED: 'An algorithm step could not be journaled: the algorithm stops rather than act unrecorded.',
  // execution (executors, connection guard, cancel chaser)
  VENUE_QUERY_FAILED: 'An unresolved submit or modify could not be settled by asking the venue; asked again later.',
  ORDER_UNRESOLVED: 'An order whose submit or modify outcome is unknown is left UNKNOWN for reconciliation.',
  DEFENSIVE_CANCEL_FAILED: 'The cancel sent to make sure an order given up on is not working failed.',
  CANCEL_UNRESOLVED: 'A cancel was refused and the venue could not be asked whether the order is still working.',
  CANCEL_FAILED: 'A cancel failed and the order is still working (or unknown to the venue).',
  CANCEL_RETRY: 'A cancel the risk controls need failed: sent again after a backoff.',
  DEAD_ORDER_WORKING: 'An order that must be dead (canceled by risk control, or closed in our books) is working at the venue: canceled again, at the venue directly when our books hold it closed.',
  DEAD_ORDER_CANCEL_REFUSED: 'The venue refused the cancel of an order our books hold dead and could not be asked whether it still works.',
  UNKNOWN_ORDER_NOT_CANCELED: 'Under the kill switch, a venue reports an order unknown to us that could not be queried or adopted, so it is not canceled.',
  LATE_FILL: 'An order given up as not at the venue traded after all: the fill is applied.',
  LATE_ARRIVAL_CANCELED: 'An order given up as not at the venue arrived late: canceled.',
  EXECUTOR_FAILED: 'An executor step failed unexpectedly.',
  VENUE_DISCONNECTED: 'The connection to a venue is lost: its scope is REDUCING and its working orders UNKNOWN until reconciled.',
  VENUE_RECONNECTED: 'The connection to a venue is back and reconciled.',
  VENUE_STREAM_FAILED: "A venue's WebSocket stream (orders, trades, market data) failed or fell silent past its keepalive; reconnecting with backoff, the gap filled over REST.",
  VENUE_CLOCK_RESYNCED: "A signed request fell outside the venue's receive window: the time offset was read again (FAULTS 32); a submit is never resent blindly.",
  INSTRUMENT_CHANGED: "A venue changed an instrument's tick or lot size: the instrument is reloaded and off-grid orders are denied, never rounded (FAULTS 35).",
  MARKET_STATUS_CHANGED: 'A venue or one of its markets opened, closed, halted or went into maintenance: new orders there are denied (MARKET_CLOSED, VENUE_UNAVAILABLE) until it is OPEN again (FAULTS 34; context: venue, instrumentId, status, reason).',
  BALANCE_MISMATCH: "Reconciliation found a currency total at the venue different from the journal's: trading halted until an operator looks (a spot account's holdings are its balances).",
  CONNECTION_GUARD_FAILED: 'Changing the trading state or reconciling on a connection change failed.',
  // risk control and breakers
  BREAKER_TRIPPED: 'A circuit breaker tripped: its scope is halted or reducing (context: breaker, scope, value, threshold, action).',
  BREAKER_NEAR_MISS: 'A breaker figure reached the near-miss share of its limit (alerts.near_miss_pct), once until it falls back.',
  BREAKER_RESET: 'A breaker was reset, automatically or by an operator.',
  TRADING_STATE_CHANGED: 'A scope changed trading state (ACTIVE, REDUCING, HALTED), by an operator or a breaker.',
  KILL_SWITCH_ENGAGED: 'An operator engaged the kill switch.',
  KILL_SWITCH_RESET: 'An operator reset the kill switch.',
  CANCEL_ALL_RETRY: 'Canceling every order of a scope failed once: retrying.',
  CANCEL_ALL_FAILED: 'Canceling the orders of a scope failed (one order, or the retry).',
  FLATTEN_FAILED: 'A flatten order for a position failed.',
  FLATTEN_REDUCED: 'A long position is larger than the free balance: the flatten sells only what the account holds.',
  RISK_ACTION_FAILED: 'A risk action (halt, cancel, flatten) failed unexpectedly.',
  // order emulation and contingent orders
  EMULATED_RELEASE_DENIED: 'A held (emulated) order triggered, and the order released for it was denied by the gate.',
  CONTINGENT_ORDER_DENIED: 'An order placed by a contingent list (a bracket child, an OTO leg) was denied by the gate.',
  CORRECTION_REDUCED: 'A correction order after an overfill sells only what the account holds.',
  OUO_OVERFILL: 'Both legs of a one-updates-other pair filled beyond the shared quantity.',
  OCO_BOTH_FILLED: 'Both legs of a one-cancels-other pair filled before the other could be canceled.',
  EMULATOR_ACTION_FAILED: 'An emulator action (release, cancel, modify) failed unexpectedly.',
  EMULATION_NOT_JOURNALED: 'An emulation event could not be journaled.',
  // execution algorithms
  ALGO_CHILD_DENIED: 'A child order of an algorithm was denied by the gate: the algorithm stops (FAILED).',
  ALGO_CHILD_REFUSED: 'A child order of an algorithm was refused as bad input: the algorithm stops (FAILED).',
  ALGO_CHILD_REJECTED: 'The venue rejected a child order of an algorithm: the algorithm stops (FAILED).',
  ALGO_CHILD_LOST: 'A child order ended without the algorithm asking (canceled or expired elsewhere): not resent, the algorithm stops.',
  ALGO_REMAINDER_BELOW_MIN: 'What an algorithm has left is below the instrument minimum: left unsent.',
  ALGO_CANCEL_FAILED: 'Canceling a child order of an algorithm failed.',
  ALGO_ACTION_FAILED: 'An algorithm step failed unexpectedly.',
  // advisor (FAULTS 36): a consultation journaled without advice; context: id, task, tier, provider, model, outcome
  ADVISOR_INVALID: 'A model answered with something that is not JSON of the task\'s schema, even after the repair pass and one retry: the answer is dropped.',
  ADVISOR_TIMEOUT: "A model did not answer within its tier's timeout: the request is aborted and nothing is advised.",
  ADVISOR_REFUSED: 'A model declined to answer (a refusal, a content filter): nothing is advised.',
  ADVISOR_UNAVAILABLE: "A model's provider failed (429 or 5xx after the client's retries, connection refused, an error status): nothing is advised.",
  ADVISOR_BUDGET: "The advisor's daily token or cost budget is spent: the model is not asked until the next UTC day.",
  // cluster (src/cluster): NATS, the firm budget, the firm kill switch
  NATS_LOST: 'The connection to NATS is lost: the node acts as cluster.on_nats_loss says (reduce_only: the firm is REDUCING; halt: HALTED; continue: alert only) until it is back.',
  NATS_RESTORED: 'The connection to NATS is back: firm budget reservations re-synced, the trading state the loss set lifted.',
  FIRM_BUDGET_SYNC_FAILED: "Renewing this node's firm budget lease or publishing its holdings failed: retried; past the lease its reserved line is treated as expired.",
  FIRM_BUDGET_SWEPT: "A node's firm budget lease expired (the node is dead or cut off): its reservations were released; its published holdings stay until it republishes or an operator clears them.",
  FIRM_KILL_SWITCH: 'The firm kill switch was engaged (or reset) from another node, the API or the CLI: this node followed it (context: operator, reason).',
  // journal
  SNAPSHOT_FAILED: 'A snapshot could not be stored; the journal is intact and the next snapshot is tried as usual.',
} as const;

/** The codes of this registry. */
export type RegisteredAlertCode = keyof typeof ALERT_CODES;

/**
 * An alert's code: one of the registry, or, when a venue report is refused, the refusing
 * WardenError's own code (OVERFILL, ILLEGAL_TRANSITION, ...: the error code table).
 */
export type AlertCode = RegisteredAlertCode | ErrorCode;

export const ALERT_CODE_LIST = Object.keys(ALERT_CODES) as readonly RegisteredAlertCode[];
