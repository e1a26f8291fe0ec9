import type { VenueOrderStatus, VenuePosition, VenueQueries, VenueReport } from '../../engine/venue.ts';
import { clientOrderId, venueOrderId, type ClientOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { exactText } from '../ccxt/exact.ts';
import { latestRevisions, tradesOf } from './corrections.ts';
import { ibDecimal, ibQuantity } from './exact.ts';
import type { IbInstruments } from './instruments.ts';
import { statusOfIb } from './orders.ts';
import { execTime, externalSpec, fillOf, filterTime } from './reports.ts';
import type { ExecItem, IbRequests, OpenOrderItem } from './requests.ts';
import type { IbTracker } from './tracker.ts';

type Trade = Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>;

export interface IbkrQueriesOptions {
  readonly requests: IbRequests;
  readonly tracker: IbTracker;
  readonly instruments: IbInstruments;
  /** The node's account. */
  readonly accountId: string;
  readonly clientId: number;
  /** IB's account code. */
  readonly account: () => string;
  readonly now: () => number;
}

/**
 * What reconciliation and unknown-state resolution ask, answered from TWS: open orders
 * (reqOpenOrders / reqAllOpenOrders), executions (reqExecutions, with commissions), positions
 * (reqPositions) and cash (reqAccountUpdates). An order is found by orderRef (Warden's client
 * order id), so orders placed before a restart are found too. IB does not list ended orders among
 * open ones: an order it knows (executions, or one we saw accepted) that is not open is FILLED
 * when its executions cover it, else CANCELED.
 */
export class IbkrQueries implements VenueQueries {
  readonly positionKinds = ['EQUITY'] as const;

  constructor(private readonly o: IbkrQueriesOptions) {}

  async orderStatus(id: ClientOrderId): Promise<VenueOrderStatus | undefined> {
    const t = this.o.tracker.byWardenId(id);
    const open = (await this.o.requests.openOrders(false)).find((x) => x.order.orderRef === id || (t?.ibOrderId !== undefined && x.orderId === t.ibOrderId));
    // Each execution at its latest revision: a corrected one counts once, as corrected.
    const execs = latestRevisions((await this.executions()).filter((x) => x.execution.orderRef === id), (x) => x.execution.execId);
    const instrument = t?.instrument ?? this.o.instruments.of(open?.contract ?? execs[0]?.contract ?? {});
    if (!instrument) return undefined;
    if (open) return this.statusOf(open, instrument, execs);
    if (!t || execs.length === 0 && !t.accepted) return undefined;
    const filled = this.sum(instrument, execs);
    const ibId = t.ibOrderId ?? execs[0]?.execution.orderId;
    if (ibId === undefined) return undefined;
    return {
      clientOrderId: id,
      venueOrderId: venueOrderId(String(ibId)),
      spec: t.spec,
      status: filled.cmp(t.spec.quantity) >= 0 ? 'FILLED' : 'CANCELED',
      filledQty: filled,
    };
  }

  /** Every open order at the account (any client's, and TWS's own), so reconciliation sees those we did not send. */
  async openOrders(): Promise<readonly VenueOrderStatus[]> {
    const out: VenueOrderStatus[] = [];
    for (const x of await this.o.requests.openOrders(true)) {
      const instrument = this.o.instruments.of(x.contract);
      if (!instrument) continue;
      out.push(this.statusOf(x, instrument, undefined));
    }
    return out;
  }

  /**
   * The day's executions since `ts` as fills; an execution IB corrected (FAULTS 19) is its first
   * revision's fill, then for each correction that changed it, a bust of the fill before and the
   * corrected fill: the engine books what it lacks and drops what it has, so it ends on the
   * latest terms whichever revision it had seen.
   */
  async fillsSince(ts: number): Promise<readonly Trade[]> {
    const ours: { x: ExecItem; wardenId: string; instrument: Instrument; at: number }[] = [];
    for (const x of await this.executions(ts)) {
      const wardenId = x.execution.orderRef;
      const t = wardenId ? this.o.tracker.byWardenId(wardenId) : undefined;
      const instrument = t?.instrument ?? this.o.instruments.of(x.contract);
      if (!wardenId || !instrument) continue;
      const at = execTime(x.execution.time, this.o.now());
      if (at < ts) continue;
      ours.push({ x, wardenId, instrument, at });
    }
    return tradesOf(ours, (o) => o.x.execution, (o) => fillOf(o.wardenId, o.instrument, o.x.execution, o.x.commission, o.at), this.o.now());
  }

  async positions(): Promise<readonly VenuePosition[]> {
    const out: VenuePosition[] = [];
    for (const p of await this.o.requests.positions()) {
      if (p.account !== this.o.account()) continue;
      const instrument = this.o.instruments.of(p.contract);
      if (!instrument) continue;
      const q = ibQuantity(instrument, Math.abs(p.pos), 'position');
      out.push({ accountId: this.o.accountId, instrumentId: instrument.id, side: p.pos > 0 ? 'LONG' : p.pos < 0 ? 'SHORT' : 'FLAT', quantity: q });
    }
    return out;
  }

  /** Cash per currency (IB's CashBalance, decimal text as TWS sends it; its BASE total is a conversion, left out). */
  async balances(): Promise<readonly { accountId: string; currency: string; total: string; places: number }[]> {
    const values = await this.o.requests.accountValues(this.o.account());
    return values
      .filter((v) => v.key === 'CashBalance' && v.currency !== 'BASE' && v.currency !== '')
      .map((v) => ({ accountId: this.o.accountId, currency: v.currency, total: exactText(v.value, 'CashBalance'), places: 2 }));
  }

  private statusOf(x: OpenOrderItem, instrument: Instrument, execs: ExecItem[] | undefined): VenueOrderStatus {
    const ref = x.order.orderRef;
    const t = ref ? this.o.tracker.byWardenId(ref) : undefined;
    const wardenId = t?.wardenId ?? (ref || `IB-${x.order.permId ?? x.orderId}`);
    const filled = execs ? this.sum(instrument, execs) : instrument.quantity(ibDecimal(x.filled ?? 0, 'orderStatus.filled'));
    return {
      clientOrderId: clientOrderId(wardenId),
      venueOrderId: venueOrderId(String(x.orderId)),
      spec: t?.spec ?? externalSpec(wardenId, x.order, instrument, this.o.accountId, this.o.now()),
      status: statusOfIb(x.state.status) ?? 'OPEN',
      filledQty: filled,
      quantity: ibQuantity(instrument, x.order.totalQuantity, 'order.totalQuantity'),
    };
  }

  private executions(since?: number): Promise<ExecItem[]> {
    return this.o.requests.executions({ clientId: this.o.clientId, acctCode: this.o.account(), ...(since !== undefined && since > 0 ? { time: filterTime(since) } : {}) });
  }

  private sum(instrument: Instrument, execs: readonly ExecItem[]) {
    return execs.reduce((q, x) => q.add(ibQuantity(instrument, x.execution.shares, 'execution.shares')), instrument.quantity(0));
  }
}
