import type { AlertCode, RegisteredAlertCode } from '../../engine/alert-codes.ts';
import type { Severity } from '../config/alerts.ts';

/**
 * How much each alert matters to a person, for routing (`min_severity`). It lives in the node
 * layer, not beside the engine's table: the engine publishes what happened, and whom to wake is
 * an operator's concern. A `Record` over every registered code, so a new code does not compile
 * until it is given one here.
 * - critical: trading is stopped or our books may disagree with the venue; someone should look now.
 * - warning: something failed or was refused and is being handled (retried, reconciled, stopped).
 * - info: the system did what it should and says so (a reconnect, a reset, a reconciliation).
 */
export const ALERT_SEVERITY: Readonly<Record<RegisteredAlertCode, Severity>> = {
  ENGINE_STOPPED: 'critical',
  VENUE_CALL_FAILED: 'warning',
  EXTERNAL_ORDER_ADOPTED: 'warning',
  REPORT_DROPPED: 'warning',
  BAD_REPORT: 'critical',
  REDUCE_ONLY_FILL_REFUSED: 'critical',
  REDUCE_ONLY_FILL_CLIPPED: 'critical',
  REDUCE_ONLY_ACTION_FAILED: 'warning',
  RECONCILIATION_UNSUPPORTED: 'warning',
  POSITION_MISMATCH: 'critical',
  RECONCILED: 'info',
  MODIFY_ROLLED_BACK: 'info',
  ALGO_HORIZON_PASSED: 'warning',
  ALGO_NOT_RECOVERED: 'warning',
  ALGO_NOT_JOURNALED: 'critical',
  VENUE_QUERY_FAILED: 'warning',
  ORDER_UNRESOLVED: 'warning',
  DEFENSIVE_CANCEL_FAILED: 'critical',
  CANCEL_UNRESOLVED: 'critical',
  CANCEL_FAILED: 'critical',
  CANCEL_RETRY: 'warning',
  DEAD_ORDER_WORKING: 'critical',
  DEAD_ORDER_CANCEL_REFUSED: 'critical',
  UNKNOWN_ORDER_NOT_CANCELED: 'critical',
  LATE_FILL: 'warning',
  LATE_ARRIVAL_CANCELED: 'warning',
  EXECUTOR_FAILED: 'warning',
  VENUE_DISCONNECTED: 'critical',
  VENUE_RECONNECTED: 'info',
  VENUE_STREAM_FAILED: 'warning',
  VENUE_CLOCK_RESYNCED: 'info',
  INSTRUMENT_CHANGED: 'warning',
  MARKET_STATUS_CHANGED: 'warning',
  BALANCE_MISMATCH: 'critical',
  CONNECTION_GUARD_FAILED: 'critical',
  BREAKER_TRIPPED: 'critical',
  BREAKER_NEAR_MISS: 'warning',
  BREAKER_RESET: 'info',
  TRADING_STATE_CHANGED: 'warning',
  KILL_SWITCH_ENGAGED: 'critical',
  KILL_SWITCH_RESET: 'warning',
  CANCEL_ALL_RETRY: 'warning',
  CANCEL_ALL_FAILED: 'critical',
  FLATTEN_FAILED: 'critical',
  FLATTEN_REDUCED: 'warning',
  RISK_ACTION_FAILED: 'critical',
  EMULATED_RELEASE_DENIED: 'warning',
  CONTINGENT_ORDER_DENIED: 'warning',
  CORRECTION_REDUCED: 'warning',
  OUO_OVERFILL: 'critical',
  OCO_BOTH_FILLED: 'critical',
  EMULATOR_ACTION_FAILED: 'warning',
  EMULATION_NOT_JOURNALED: 'critical',
  ALGO_CHILD_DENIED: 'warning',
  ALGO_CHILD_REFUSED: 'warning',
  ALGO_CHILD_REJECTED: 'warning',
  ALGO_CHILD_LOST: 'warning',
  ALGO_REMAINDER_BELOW_MIN: 'info',
  ALGO_CANCEL_FAILED: 'warning',
  ALGO_ACTION_FAILED: 'warning',
  ADVISOR_INVALID: 'warning',
  ADVISOR_TIMEOUT: 'warning',
  ADVISOR_REFUSED: 'warning',
  ADVISOR_UNAVAILABLE: 'warning',
  ADVISOR_BUDGET: 'warning',
  NATS_LOST: 'critical',
  NATS_RESTORED: 'info',
  FIRM_BUDGET_SYNC_FAILED: 'warning',
  FIRM_BUDGET_SWEPT: 'warning',
  FIRM_KILL_SWITCH: 'critical',
  SNAPSHOT_FAILED: 'warning',
};

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/**
 * An alert's severity. A code outside the registry is a refused venue report alerting with the
 * refusing error's code (OVERFILL, ILLEGAL_TRANSITION, ...): our books and the venue's may now
 * differ, so it is critical.
 */
export function severityOf(code: AlertCode): Severity {
  return Object.hasOwn(ALERT_SEVERITY, code) ? ALERT_SEVERITY[code as RegisteredAlertCode] : 'critical';
}

/** Whether `s` is `min` or above. */
export function atLeast(s: Severity, min: Severity): boolean {
  return RANK[s] >= RANK[min];
}

/** The higher of two severities. */
export function worst(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}
