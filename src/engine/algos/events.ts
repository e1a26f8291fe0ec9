/**
 * Journaled execution-algorithm events: what the ExecutionAlgorithms runner (src/algos/) started,
 * which child it sent for which slice, which child it asked to cancel, how it resumed after a
 * restart, and how it ended. They are folded into AlgoState like any engine event, so a running
 * TWAP, VWAP or iceberg survives a restart by replay or snapshot. Progress (fills) is not
 * journaled here: it is the children's own order events, which recovery folds again.
 */
import type { ClientOrderId } from '../../model/identifiers.ts';
import type { Quantity } from '../../model/values.ts';

interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

export type JournaledAlgoKind = 'TWAP' | 'VWAP' | 'ICEBERG';

/** How an algorithm ended: done (filled or horizon over), canceled (by its caller or by the restart rule), failed (a refused child). */
export type AlgoEndStatus = 'DONE' | 'CANCELED' | 'FAILED';

/**
 * An algorithm started. `request`: its validated request as canonical JSON text with everything
 * resolved that depended on the moment it started (the start time, a volume profile as the
 * weights it gave), so planning it again at `tsEvent` gives the same plan. `origin`: who started
 * it (originText); its children go out as them. `nativeIceberg`: an ICEBERG left to the venue as
 * one order with a display quantity.
 */
export type AlgoStarted = Base<'AlgoStarted'> & {
  readonly parentId: string;
  readonly algo: JournaledAlgoKind;
  readonly request: string;
  readonly origin: string;
  readonly nativeIceberg: boolean;
};

/** A child is about to be submitted for `slice` (the final remainder of a schedule is slice = number of slices). */
export type AlgoSliceSent = Base<'AlgoSliceSent'> & {
  readonly parentId: string;
  readonly clientOrderId: ClientOrderId;
  readonly slice: number;
  readonly quantity: Quantity;
};

/** The algorithm asked to cancel its child: its cancel is expected, not a loss. */
export type AlgoChildCancelRequested = Base<'AlgoChildCancelRequested'> & { readonly parentId: string; readonly clientOrderId: ClientOrderId };

/**
 * Taken back after a restart. `slices`: the schedule's slices from now on, as decimal text, when
 * the restart changed them (what was missed while down is spread over the slices still to come);
 * absent when the schedule stands as it was.
 */
export type AlgoResumed = Base<'AlgoResumed'> & { readonly parentId: string; readonly slices: readonly string[] | undefined };

export type AlgoEnded = Base<'AlgoEnded'> & { readonly parentId: string; readonly status: AlgoEndStatus; readonly reason: string };

export type AlgoEvent = AlgoStarted | AlgoSliceSent | AlgoChildCancelRequested | AlgoResumed | AlgoEnded;
export type AlgoEventKind = AlgoEvent['kind'];
