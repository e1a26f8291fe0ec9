import type { Order } from '@stoqey/ib';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { Quantity } from '../../model/values.ts';

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

/** Orders by Warden's id and by IB's, and the executions seen (a fill is told once per execId). */
export class IbTracker {
  private readonly byWarden = new Map<string, TrackedIbOrder>();
  private readonly byIb = new Map<number, TrackedIbOrder>();
  private readonly execs = new Set<string>();

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

  /** True the first time an execution id is seen. */
  firstSight(execId: string): boolean {
    if (this.execs.has(execId)) return false;
    this.execs.add(execId);
    return true;
  }

  /** Orders accepted at IB and not ended. */
  working(): TrackedIbOrder[] {
    return [...this.byWarden.values()].filter((t) => t.accepted && !t.ended);
  }
}
