import type { VenueQueries, VenueReportKind } from '../../../engine/venue.ts';

/** The three order-entry calls a fault can hit. */
export type VenueCall = 'SUBMIT' | 'MODIFY' | 'CANCEL';

/** The reconciliation reads a fault can hit. */
export type VenueQuery = keyof VenueQueries;

/**
 * A failure in which the venue may have acted anyway. `placed: true` forwards the call to the
 * inner venue before failing it; `dropReports` then loses every report for that order until
 * `resumeReports`, so only a query can tell what happened (the ack that never came).
 */
export type AmbiguousCallFault =
  | { readonly kind: 'TIMEOUT' | 'SERVER_ERROR' | 'NETWORK_RESET'; readonly placed: true; readonly dropReports?: boolean }
  | { readonly kind: 'TIMEOUT' | 'SERVER_ERROR' | 'NETWORK_RESET'; readonly placed: false };

export type CallFault =
  | AmbiguousCallFault
  /** Refused outright, not forwarded. */
  | { readonly kind: 'REJECT'; readonly reason?: string }
  /** 429, not forwarded. */
  | { readonly kind: 'RATE_LIMIT'; readonly retryAfterMs?: number }
  /** The call "is sent" (resolves at once) but reaches the inner venue only at `releaseHeld`. */
  | { readonly kind: 'DELAY' };

export type CallFaultKind = CallFault['kind'];

/**
 * Which calls a fault hits. With neither `nth` nor `clientOrderId` it hits the next call of that
 * kind; `times` (default 1, `Infinity` for always) says how many matching calls it hits.
 */
export interface CallFaultRule {
  readonly call: VenueCall;
  /** 1-based: the nth call of this kind made to the venue, counting every call, faulted or not; it and the following ones while `times` lasts. */
  readonly nth?: number;
  readonly clientOrderId?: string;
  readonly times?: number;
  readonly fault: CallFault;
}

export type ReportFaultKind = 'DUPLICATE' | 'REORDER' | 'DROP';

/**
 * Which reports a fault hits: by kind and/or client order id (neither: every report). Unlike call
 * faults, `times` defaults to every matching report, the way a flaky feed behaves.
 */
export interface ReportFaultRule {
  readonly fault: ReportFaultKind;
  readonly reportKind?: VenueReportKind | readonly VenueReportKind[];
  readonly clientOrderId?: string;
  readonly times?: number;
  /** REORDER: delivery order on flush, default REVERSE; SHUFFLE is seeded (`seed`, default 1). */
  readonly order?: 'REVERSE' | 'SHUFFLE';
  readonly seed?: number;
  /** REORDER: flush by itself once this many reports are held; otherwise only at `flushReports()`. */
  readonly flushAfter?: number;
}

export interface QueryFaultRule {
  readonly code: 'VENUE_NETWORK' | 'VENUE_UNAVAILABLE';
  /** Which read fails; absent: any. */
  readonly query?: VenueQuery;
  /** How many reads fail, default 1. */
  readonly times?: number;
}

/** One fault as it was applied, in the order applied. */
export type InjectedFault =
  | { readonly on: 'CALL'; readonly call: VenueCall; readonly fault: CallFaultKind | 'DISCONNECTED'; readonly clientOrderId: string; readonly forwarded: boolean }
  | { readonly on: 'RELEASE'; readonly call: VenueCall; readonly clientOrderId: string }
  | {
      readonly on: 'REPORT';
      readonly fault: ReportFaultKind | 'SILENCED' | 'LOST_WHILE_DOWN';
      readonly reportKind: VenueReportKind;
      readonly clientOrderId: string;
    }
  | { readonly on: 'QUERY'; readonly query: VenueQuery; readonly fault: QueryFaultRule['code'] | 'DISCONNECTED' }
  | { readonly on: 'CONNECTION'; readonly fault: 'DISCONNECT' | 'RECONNECT' };

/** One line per fault, for test failure messages and run reports. */
export function describeInjected(f: InjectedFault): string {
  switch (f.on) {
    case 'CALL':
      return `${f.call} ${f.clientOrderId}: ${f.fault}${f.forwarded ? ' (forwarded)' : ''}`;
    case 'RELEASE':
      return `${f.call} ${f.clientOrderId}: released`;
    case 'REPORT':
      return `${f.reportKind} ${f.clientOrderId}: ${f.fault}`;
    case 'QUERY':
      return `query ${f.query}: ${f.fault}`;
    case 'CONNECTION':
      return f.fault;
  }
}
