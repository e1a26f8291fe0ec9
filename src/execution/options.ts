import type { Clock } from '../engine/clock.ts';
import type { AlertCode } from '../engine/alert-codes.ts';
import type { ErrorContext } from '../model/errors.ts';
import type { Price } from '../model/values.ts';
import type { RetryPolicy } from './backoff.ts';
import type { Timer } from './timer.ts';

/** BACKTEST passes every call straight through; PAPER and LIVE time out, retry, resolve and log. */
export type ExecutionMode = 'BACKTEST' | 'PAPER' | 'LIVE';

export interface ExecutorAlert {
  readonly code: AlertCode;
  readonly message: string;
  readonly context: ErrorContext;
  readonly ts: number;
}

export interface ExecutorOptions {
  readonly mode: ExecutionMode;
  readonly clock: Clock;
  /** Required for PAPER and LIVE: backoff, grace periods and call timeouts wait on it. */
  readonly timer?: Timer;
  /** A seeded source in [0, 1) for backoff jitter; none: no jitter. */
  readonly random?: () => number;
  /** A call (or read) with no answer after this long fails as VENUE_TIMEOUT. Absent: no timeout of our own. */
  readonly callTimeoutMs?: number;
  /** A call that went through but whose report has not come after this long: the venue is asked. Default 5 s. */
  readonly reportTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Executions kept in the log (default 1,000) and orders tracked (default 10,000). */
  readonly logCapacity?: number;
  readonly orderCapacity?: number;
  /** The price a market (or stop) order's slippage is measured against, read at submit. */
  readonly arrivalPrice?: (instrumentId: string) => Price | undefined;
  readonly onAlert?: (alert: ExecutorAlert) => void;
}
