import type { ClientOrderId } from '../model/identifiers.ts';
import { FifoRing } from '../model/retention-window.ts';
import type { RequestKind } from './failure.ts';

/**
 * How an execution ended:
 * - ACK: a venue report answered it, without the order going UNKNOWN (retries and failed calls
 *   whose reports came anyway included);
 * - REPORT: it went UNKNOWN and a venue report settled it before a query did;
 * - QUERY: a query of the venue settled it;
 * - NOT_AT_VENUE: an unknown submit the venue never had (given up, with a defensive cancel);
 * - REJECTED: refused by the venue or not sent (rate limit exhausted, disconnected);
 * - STILL_OPEN: a cancel that failed every attempt, the order still working;
 * - UNRESOLVED: the venue could not be asked; the order stays UNKNOWN for reconciliation.
 */
export type Settlement = 'ACK' | 'REPORT' | 'QUERY' | 'NOT_AT_VENUE' | 'REJECTED' | 'STILL_OPEN' | 'UNRESOLVED';

/** One call or read made for an execution. `outcome` is OK or the error's code. */
export interface Attempt {
  readonly what: RequestKind | 'orderStatus' | 'fillsSince';
  readonly ts: number;
  readonly outcome: string;
  readonly latencyMs: number;
}

/** One submit, modify or cancel of one client order id, from request to settlement. */
export interface ExecutionRecord {
  readonly seq: number;
  readonly clientOrderId: ClientOrderId;
  readonly request: RequestKind;
  /** e.g. `BUY LIMIT 1.000 @ 100.00 SOLUSDT.SIM`. */
  readonly summary: string;
  readonly startedAt: number;
  readonly attempts: readonly Attempt[];
  /** Calls sent again (a cancel retried, a rate-limited submit resent); reads are not counted. */
  readonly retries: number;
  /** Whether the order went UNKNOWN while this execution was open. */
  readonly wentUnknown: boolean;
  readonly settlement: Settlement | undefined;
  readonly settledAt: number | undefined;
  /** Whether it did what was asked (accepted or filled, applied, canceled). */
  readonly succeeded: boolean | undefined;
  readonly detail: string | undefined;
}

/** The executor's own, mutable view of a record while it is open. */
export interface OpenExecution {
  readonly seq: number;
  readonly clientOrderId: ClientOrderId;
  readonly request: RequestKind;
  readonly summary: string;
  readonly startedAt: number;
  readonly attempts: Attempt[];
  retries: number;
  wentUnknown: boolean;
  settlement: Settlement | undefined;
  settledAt: number | undefined;
  succeeded: boolean | undefined;
  detail: string | undefined;
  /** Called once, when it settles (wakes a flow waiting for the venue's report). */
  onSettle: (() => void) | undefined;
}

/** The last `capacity` executions, oldest first; older ones fall out (their counts stay in the statistics). */
export class ExecutionLog {
  private readonly ring: FifoRing<OpenExecution>;
  private seq = 0;

  constructor(capacity: number) {
    this.ring = new FifoRing(capacity);
  }

  open(clientOrderId: ClientOrderId, request: RequestKind, summary: string, now: number): OpenExecution {
    const rec: OpenExecution = {
      seq: ++this.seq,
      clientOrderId,
      request,
      summary,
      startedAt: now,
      attempts: [],
      retries: 0,
      wentUnknown: false,
      settlement: undefined,
      settledAt: undefined,
      succeeded: undefined,
      detail: undefined,
      onSettle: undefined,
    };
    this.ring.push(rec);
    return rec;
  }

  /** Copies of the retained records, oldest first; `clientOrderId` narrows them to one order. */
  records(clientOrderId?: string): ExecutionRecord[] {
    const out: ExecutionRecord[] = [];
    for (const r of this.ring.toSnapshot()) {
      if (clientOrderId !== undefined && r.clientOrderId !== clientOrderId) continue;
      const { onSettle: _onSettle, ...rest } = r;
      out.push({ ...rest, attempts: [...r.attempts] });
    }
    return out;
  }
}
