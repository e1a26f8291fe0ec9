import type { trading } from '@alpacahq/alpaca-trade-api';
import type { VenueOrderStatus, VenuePosition, VenueQueries, VenueReport } from '../../engine/venue.ts';
import { Currencies } from '../../model/currency.ts';
import type { ClientOrderId } from '../../model/identifiers.ts';
import { clientOrderId, tradeId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { Money } from '../../model/money.ts';
import type { OrderTracker, TrackedOrder } from '../ccxt/order-tracker.ts';
import type { AlpacaApis } from './client.ts';
import { wardenIdOf } from './client-ids.ts';
import { roleOfLeg, roleOfSpec, type ListLegs } from './legs.ts';
import { isNotFound, type CallKind } from './errors.ts';
import { alpacaDecimal, epochMs } from './exact.ts';
import { statusOf, venueStatusOf } from './orders.ts';

/** One execution as Alpaca's FILL activity lists it (read raw: the SDK's activity decoder drops a fill's fields). */
export interface FillActivity {
  readonly id: string;
  readonly order_id: string;
  readonly symbol: string;
  readonly price: string;
  readonly qty: string;
  readonly transaction_time: string;
}

export interface AlpacaQueriesOptions {
  readonly apis: AlpacaApis;
  readonly accountId: string;
  readonly tracker: OrderTracker;
  readonly legs: ListLegs;
  readonly instrumentOf: (symbol: string) => Instrument | undefined;
  readonly symbols: () => string[];
  readonly call: <T>(kind: CallKind, run: () => Promise<T>) => Promise<T>;
  /** A list found by a query (its parent, legs nested) whose children had no leg yet: the adapter reports them. */
  readonly onList: (parent: trading.Order) => void;
}

/** A replace chain is followed this far at most (each replace is one link). */
const MAX_CHAIN = 20;
const PAGE = 100;

/**
 * Alpaca over REST for reconciliation and unknown-state resolution: an order by our client id
 * (following replace chains to the order that stands now), open orders, fills since a time (the
 * FILL activities), positions and the USD cash balance. Only the registered symbols are asked about.
 * A child Alpaca holds as a leg of a list has a client id Alpaca chose: it is found by its leg's id,
 * or, when that was never seen (a restart before the answer came), through its parent's legs.
 */
export class AlpacaQueries implements VenueQueries {
  readonly positionKinds = ['EQUITY'] as const;

  constructor(private readonly o: AlpacaQueriesOptions) {}

  async orderStatus(id: ClientOrderId): Promise<VenueOrderStatus | undefined> {
    const t = this.o.tracker.byWardenId(id);
    let found = await this.current(t?.venueOrderId, t?.venueClientId ?? id);
    if (!found && t && t.venueOrderId === undefined && (await this.findLeg(t))) found = await this.current(t.venueOrderId, t.venueClientId);
    if (!found) return undefined;
    if (found.id !== undefined && this.o.legs.childrenOf(id).some((c) => this.o.tracker.byWardenId(c)?.venueOrderId === undefined)) {
      const parentId = String(found.id);
      this.o.onList(await this.o.call('READ', () => this.o.apis.orders.getOrderByOrderID({ orderId: parentId, nested: true })));
    }
    const inst = t?.instrument ?? this.o.instrumentOf(String(found.symbol));
    return inst ? venueStatusOf(found, id, inst, t?.spec, this.o.accountId) : undefined;
  }

  async openOrders(): Promise<readonly VenueOrderStatus[]> {
    const symbols = this.o.symbols();
    if (symbols.length === 0) return [];
    await this.findLegs();
    const open = await this.o.call('READ', () => this.o.apis.orders.getAllOrders({ status: 'open', limit: 500, symbols: symbols.join(',') }));
    const out: VenueOrderStatus[] = [];
    for (const x of open) {
      const inst = this.o.instrumentOf(String(x.symbol));
      if (!inst) continue;
      // A leg goes by its id (Alpaca chose its client id).
      const wardenId = this.o.tracker.byVenueOrderId(String(x.id))?.wardenId ?? this.wardenId(x.clientOrderId) ?? `EXT-${String(x.id)}`;
      const s = venueStatusOf(x, wardenId, inst, this.o.tracker.byWardenId(wardenId)?.spec, this.o.accountId);
      if (s) out.push(s);
    }
    return out;
  }

  async fillsSince(ts: number): Promise<readonly Extract<VenueReport, { kind: 'OrderFilled' }>[]> {
    const out: Extract<VenueReport, { kind: 'OrderFilled' }>[] = [];
    await this.findLegs();
    for (const a of await this.fillActivities(ts)) {
      const t = await this.resolveOrder(a.order_id);
      if (t) out.push(fillOf(a, t));
    }
    return out;
  }

  async positions(): Promise<readonly VenuePosition[]> {
    const out: VenuePosition[] = [];
    for (const p of await this.o.call('READ', () => this.o.apis.positions.getAllOpenPositions())) {
      const inst = this.o.instrumentOf(p.symbol);
      if (!inst) continue;
      const qty = alpacaDecimal(p.qty, 'position.qty');
      const quantity = inst.quantity(qty.replace(/^-/, ''), 'position.qty');
      const side = quantity.raw === 0n ? 'FLAT' : p.side === 'short' || qty.startsWith('-') ? 'SHORT' : 'LONG';
      out.push({ accountId: this.o.accountId, instrumentId: inst.id, side, quantity });
    }
    return out;
  }

  /** The account's cash in USD (what a cash account's ledger holds beside its positions). */
  async balances(): Promise<readonly { accountId: string; currency: string; total: string; places: number }[]> {
    const a = await this.o.call('READ', () => this.o.apis.accounts.getAccount());
    return [{ accountId: this.o.accountId, currency: 'USD', total: alpacaDecimal(a.cash, 'account.cash'), places: Currencies.USD.precision }];
  }

  /** The FILL activities at or after `ts`, oldest first, every page. */
  async fillActivities(ts: number): Promise<FillActivity[]> {
    const out: FillActivity[] = [];
    let pageToken: string | undefined;
    for (;;) {
      const page = await this.o.call('READ', async () => {
        const r = await this.o.apis.activities.getAccountActivitiesByActivityTypeRaw({ activityType: 'FILL', after: new Date(Math.max(0, ts - 1)), direction: 'asc', pageSize: PAGE, ...(pageToken ? { pageToken } : {}) });
        return (await r.raw.json()) as FillActivity[];
      });
      out.push(...page.filter((a) => epochMs(a.transaction_time, 0) >= ts));
      if (page.length < PAGE) return out;
      pageToken = page[page.length - 1]!.id;
    }
  }

  /** Which of our orders an Alpaca order id is (one placed before a restart, or a fill seen before its order). */
  async resolveOrder(alpacaOrderId: string): Promise<TrackedOrder | undefined> {
    const known = this.o.tracker.byVenueOrderId(alpacaOrderId);
    if (known) return known;
    let x: trading.Order;
    try {
      x = await this.o.call('READ', () => this.o.apis.orders.getOrderByOrderID({ orderId: alpacaOrderId }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const wardenId = this.wardenId(x.clientOrderId);
    const t = wardenId !== undefined ? this.o.tracker.byWardenId(wardenId) : undefined;
    if (t) this.o.tracker.setVenueOrderId(t, alpacaOrderId);
    return t;
  }

  /** The order as it stands now: by Alpaca's id or our client id, then along `replaced_by` to the live end of a replace chain. */
  async current(alpacaOrderId: string | undefined, alpacaClientId: string): Promise<trading.Order | undefined> {
    let x: trading.Order;
    try {
      x = await this.o.call('READ', () =>
        alpacaOrderId !== undefined ? this.o.apis.orders.getOrderByOrderID({ orderId: alpacaOrderId }) : this.o.apis.orders.getOrderByClientOrderId({ clientOrderId: alpacaClientId }),
      );
      for (let i = 0; i < MAX_CHAIN && statusOf(x.status) === 'REPLACED' && x.replacedBy; i++) {
        const next = x.replacedBy;
        x = await this.o.call('READ', () => this.o.apis.orders.getOrderByOrderID({ orderId: next }));
      }
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    return x;
  }

  /** The legs of lists whose children have no Alpaca id yet (after a restart), found through their parents. */
  async findLegs(): Promise<void> {
    for (const id of this.o.legs.children()) {
      const t = this.o.tracker.byWardenId(id);
      // Closed long ago and forgotten by the tracker: nothing left to find (keeps the map bounded as the tracker is).
      if (!t) this.o.legs.forget(id);
      else if (t.venueOrderId === undefined && !t.ended) await this.findLeg(t);
    }
  }

  /** The child's leg in its parent's list (GET the parent with nested=true), by role; true when found (its id is then the child's). */
  private async findLeg(t: TrackedOrder): Promise<boolean> {
    const parentId = this.o.legs.parent(t.wardenId);
    const role = t.spec && roleOfSpec(t.spec);
    if (parentId === undefined || role === undefined) return false;
    const p = this.o.tracker.byWardenId(parentId);
    const parent = await this.current(p?.venueOrderId, p?.venueClientId ?? parentId);
    if (!parent?.id) return false;
    const nested = await this.o.call('READ', () => this.o.apis.orders.getOrderByOrderID({ orderId: String(parent.id), nested: true }));
    const leg = (nested.legs ?? []).find((l) => roleOfLeg(l) === role);
    if (!leg?.id || this.o.tracker.byVenueOrderId(leg.id)) return false;
    this.o.tracker.setVenueOrderId(t, leg.id);
    return true;
  }

  private wardenId(alpacaClientId: string | undefined): string | undefined {
    return wardenIdOf(alpacaClientId, (id) => this.o.tracker.byWardenId(id) !== undefined);
  }
}

/**
 * The execution id of a FILL activity: Alpaca's activity id is `<transaction time>::<execution
 * id>`, the same execution id trade_updates carries, so a fill counts once whichever way it came.
 */
export function executionIdOf(activityId: string): string {
  const at = activityId.indexOf('::');
  return at < 0 ? activityId : activityId.slice(at + 2);
}

/** A FILL activity as the fill report the engine takes: commission-free (regulatory fees are separate FEE activities). */
export function fillOf(a: FillActivity, t: TrackedOrder): Extract<VenueReport, { kind: 'OrderFilled' }> {
  return {
    kind: 'OrderFilled',
    clientOrderId: clientOrderId(t.wardenId),
    ts: epochMs(a.transaction_time, 0),
    tradeId: tradeId(executionIdOf(a.id)),
    venueOrderId: venueOrderId(a.order_id),
    lastQty: t.instrument.quantity(alpacaDecimal(a.qty, 'activity.qty'), 'activity.qty'),
    lastPx: alpacaDecimal(a.price, 'activity.price'),
    // Alpaca does not say which side took liquidity; equities trade commission-free either way.
    liquidity: 'TAKER',
    commission: Money.zero(Currencies.USD),
  };
}
