import type { Execution, Order } from '@stoqey/ib';
import type { VenueReport } from '../../engine/venue.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { Quantity } from '../../model/values.ts';
import { compareRevision, execKey } from './corrections.ts';

/** What the adapter keeps of one of Warden's orders at IB. */
export interface TrackedIbOrder {
  readonly wardenId: string;
  readonly instrument: Instrument;
  readonly spec: OrderSpec;
  /** IB's order id (from nextValidId), once one has been given; kept per order. */
  ibOrderId: number | undefined;
  /** The order as last sent: a modify sends it again, changed, under the same id. */
  sent: Order | undefined;
  accepted: boolean;
  ended: boolean;
  /** The quantity filled by the executions reported so far. */
  filled: Quantity;
  /** IB's last word on it (Submitted, Cancelled, …). */
  lastStatus: string | undefined;
  /** A modify sent and not answered yet: what it asked for. */
  pendingModify: { readonly quantity?: number; readonly price?: number; readonly triggerPrice?: number } | undefined;
}

/** An execution as told to Warden: the revision whose terms were booked, and the fill once it left (with its commission). */
export interface ToldExec {
  readonly execId: string;
  readonly execution: Execution;
  fill: Extract<VenueReport, { kind: 'OrderFilled' }> | undefined;
}

/**
 * What an execution is, by its execId before the last period (FAULTS 19): NEW the first time;
 * DUPLICATE for a revision seen already or an older one; CORRECTION for a newer one, with what
 * was told before it.
 */
export type ExecSight = { readonly kind: 'NEW' | 'DUPLICATE' } | { readonly kind: 'CORRECTION'; readonly told: ToldExec };

/** Orders by Warden's id and by IB's, and the executions seen (a fill is told once per execution and revision). */
export class IbTracker {
  private readonly byWarden = new Map<string, TrackedIbOrder>();
  private readonly byIb = new Map<number, TrackedIbOrder>();
  private readonly execs = new Map<string, { revision: string; told: ToldExec }>();

  track(wardenId: string, instrument: Instrument, spec: OrderSpec, ibOrderId?: number, accepted = false): TrackedIbOrder {
    const t: TrackedIbOrder = { wardenId, instrument, spec, ibOrderId: undefined, sent: undefined, accepted, ended: false, filled: instrument.quantity(0), lastStatus: undefined, pendingModify: undefined };
    this.byWarden.set(wardenId, t);
    if (ibOrderId !== undefined) this.setIbId(t, ibOrderId);
    return t;
  }

  setIbId(t: TrackedIbOrder, id: number | undefined): void {
    if (t.ibOrderId !== undefined) this.byIb.delete(t.ibOrderId);
    t.ibOrderId = id;
    if (id !== undefined) this.byIb.set(id, t);
  }

  byWardenId(id: string): TrackedIbOrder | undefined {
    return this.byWarden.get(id);
  }

  /** By IB's order id, else by orderRef (how orders placed before a restart are found). */
  find(ibOrderId: number | undefined, orderRef: string | undefined): TrackedIbOrder | undefined {
    const byId = ibOrderId !== undefined ? this.byIb.get(ibOrderId) : undefined;
    if (byId) return byId;
    const t = orderRef ? this.byWarden.get(orderRef) : undefined;
    if (t && t.ibOrderId === undefined && ibOrderId !== undefined) this.setIbId(t, ibOrderId);
    return t;
  }

  /** What `execId` is (NEW, DUPLICATE or a CORRECTION); a newer revision is remembered as the latest. */
  sight(execId: string): ExecSight {
    const { base, revision } = execKey(execId);
    const seen = this.execs.get(base);
    if (!seen) return { kind: 'NEW' };
    if (compareRevision(revision, seen.revision) <= 0) return { kind: 'DUPLICATE' };
    seen.revision = revision;
    return { kind: 'CORRECTION', told: seen.told };
  }

  /** The execution whose terms Warden was told last (a new one, or a correction that changed them). */
  told(execution: Execution & { execId: string }): ToldExec {
    const told: ToldExec = { execId: execution.execId, execution, fill: undefined };
    const { base, revision } = execKey(execution.execId);
    const seen = this.execs.get(base);
    if (seen) seen.told = told;
    else this.execs.set(base, { revision, told });
    return told;
  }

  /** Orders accepted at IB and not ended. */
  working(): TrackedIbOrder[] {
    return [...this.byWarden.values()].filter((t) => t.accepted && !t.ended);
  }
}
