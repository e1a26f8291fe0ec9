import type { VenueOrderStatus, VenuePosition, VenueQueries, VenueReport } from '../../engine/venue.ts';
import { clientOrderId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { createOrderSpec } from '../../model/orders/factory.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { T212Client } from './client.ts';
import { isNotFound } from './errors.ts';
import { byOrder, historySince } from './history.ts';
import { minorUnits } from './instruments.ts';
import { epochMs, figure, fillReport, sameTerms, statusOf } from './orders.ts';
import type { T212Tracked, T212Tracker } from './tracker.ts';
import type { T212Order } from './wire.ts';

export interface T212QueriesOptions {
  readonly client: T212Client;
  readonly accountId: string;
  readonly tracker: T212Tracker;
  readonly instrumentOf: (ticker: string) => Instrument | undefined;
  readonly now: () => number;
}

/** How far before a submit the broker may have stamped the order it placed (clock skew), ms. */
const SKEW_MS = 5_000;

/**
 * Reconciliation's questions, answered from Trading 212's pending orders, order by id, history,
 * positions and account summary. There is no client order id: an order we track answers by the
 * broker's id; one whose submit was ambiguous (no id learned) is looked for among the orders of
 * the same ticker, signed quantity, type and prices created since its submit, not bound to
 * another of ours: the oldest such is taken (two identical orders sent at once are fungible).
 */
export class T212Queries implements VenueQueries {
  readonly positionKinds = ['EQUITY'] as const;

  constructor(private readonly o: T212QueriesOptions) {}

  async orderStatus(id: string): Promise<VenueOrderStatus | undefined> {
    const t = this.o.tracker.byWardenId(id);
    if (!t) return undefined;
    if (t.venueOrderId === undefined) {
      const found = await this.findPlaced(t);
      if (!found) return undefined;
      this.o.tracker.bind(t, String(found.id));
      // The executor tells the acceptance from this answer; the poll must not tell it again.
      t.accepted = found.status !== 'REJECTED';
      return this.statusOf(found, t);
    }
    try {
      return this.statusOf(await this.o.client.order(t.venueOrderId), t);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    // No longer pending: its last word is in the history.
    const entries = byOrder(await historySince(this.o.client, t.submittedAt - SKEW_MS)).get(t.venueOrderId);
    return entries ? this.statusOf(entries[entries.length - 1]!.order, t) : undefined;
  }

  async openOrders(): Promise<readonly VenueOrderStatus[]> {
    const out: VenueOrderStatus[] = [];
    for (const o of await this.o.client.pendingOrders()) {
      const inst = this.o.instrumentOf(o.ticker);
      if (!inst) continue;
      const t = this.o.tracker.byVenueOrderId(String(o.id));
      // An order we did not send: reconciliation adopts it under the broker's id (FAULTS 23).
      out.push(this.statusOf(o, t, inst));
    }
    return out;
  }

  async fillsSince(ts: number): Promise<readonly Extract<VenueReport, { kind: 'OrderFilled' }>[]> {
    const out: Extract<VenueReport, { kind: 'OrderFilled' }>[] = [];
    for (const it of await historySince(this.o.client, ts - SKEW_MS)) {
      const t = this.o.tracker.byVenueOrderId(String(it.order.id));
      const f = it.fill;
      if (!t || !f || (f.type !== undefined && f.type !== 'TRADE') || epochMs(f.filledAt, 0) < ts) continue;
      out.push(fillReport(f, t.venueOrderId!, t.wardenId, t.instrument, this.o.now()));
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  async positions(): Promise<readonly VenuePosition[]> {
    const out: VenuePosition[] = [];
    for (const p of await this.o.client.positions()) {
      const inst = this.o.instrumentOf(p.instrument.ticker);
      if (!inst) continue;
      const q = inst.quantity(figure(p.quantity, 'position.quantity'));
      out.push({ accountId: this.o.accountId, instrumentId: inst.id, side: q.raw === 0n ? 'FLAT' : 'LONG', quantity: q });
    }
    return out;
  }

  /**
   * The account's cash: free, reserved for orders and in pies, in its one currency, to the cent
   * (`places`): the ledger keeps finer places for fractional shares, the broker rounds.
   */
  async balances(): Promise<readonly { accountId: string; currency: string; total: string; places: number }[]> {
    const s = await this.o.client.accountSummary();
    const parts = [s.cash.availableToTrade, s.cash.reservedForOrders, s.cash.inPies].map((v, i) => figure(v ?? 0, `cash[${i}]`));
    return [{ accountId: this.o.accountId, currency: s.currency, total: sumText(parts), places: minorUnits(s.currency) }];
  }

  /** The order an ambiguous submit placed, if any: pending first, then the history. */
  private async findPlaced(t: T212Tracked): Promise<T212Order | undefined> {
    const req = t.request;
    if (!req) return undefined;
    const fits = (o: T212Order) => !this.o.tracker.isBound(String(o.id)) && sameTerms(o, req) && epochMs(o.createdAt, 0) >= t.submittedAt - SKEW_MS;
    const oldest = (xs: T212Order[]) => xs.sort((a, b) => epochMs(a.createdAt, 0) - epochMs(b.createdAt, 0))[0];
    const pending = (await this.o.client.pendingOrders()).filter(fits);
    if (pending.length > 0) return oldest(pending);
    const history = [...byOrder(await historySince(this.o.client, t.submittedAt - SKEW_MS)).values()].map((es) => es[es.length - 1]!.order).filter(fits);
    return oldest(history);
  }

  private statusOf(o: T212Order, t: T212Tracked | undefined, inst: Instrument = t!.instrument): VenueOrderStatus {
    const filled = o.filledQuantity === undefined ? '0' : figure(o.filledQuantity, 'filledQuantity');
    return {
      clientOrderId: clientOrderId(t?.wardenId ?? `T212-${o.id}`),
      venueOrderId: venueOrderId(String(o.id)),
      spec: t?.spec ?? this.externalSpec(o, inst),
      status: statusOf(o.status),
      filledQty: inst.quantity(filled),
    };
  }

  /** An order placed elsewhere (the app, the web), in Warden's terms. */
  private externalSpec(o: T212Order, inst: Instrument): OrderSpec {
    const limit = o.limitPrice !== undefined && (o.type === 'LIMIT' || o.type === 'STOP_LIMIT') ? figure(o.limitPrice, 'limitPrice') : undefined;
    const stop = o.stopPrice !== undefined && (o.type === 'STOP' || o.type === 'STOP_LIMIT') ? figure(o.stopPrice, 'stopPrice') : undefined;
    const type = o.type === 'STOP' ? 'STOP_MARKET' : o.type;
    return createOrderSpec(
      {
        clientOrderId: `T212-${o.id}`,
        accountId: this.o.accountId,
        instrumentId: inst.id,
        side: o.side ?? ((o.quantity ?? 0) < 0 ? 'SELL' : 'BUY'),
        type,
        quantity: figure(o.quantity ?? 0, 'quantity'),
        ...(limit !== undefined ? { price: limit } : {}),
        ...(stop !== undefined ? { triggerPrice: stop } : {}),
        timeInForce: o.type === 'MARKET' ? 'DAY' : o.timeInForce === 'DAY' ? 'DAY' : 'GTC',
        tags: ['EXTERNAL'],
      },
      inst,
      epochMs(o.createdAt, 0),
    );
  }
}

/** The sum of non-negative decimal texts, exact. */
function sumText(xs: readonly string[]): string {
  const scale = Math.max(...xs.map((x) => (x.split('.')[1] ?? '').length));
  const raw = xs.reduce((acc, x) => {
    const [w = '0', f = ''] = x.split('.');
    return acc + BigInt(w + f.padEnd(scale, '0'));
  }, 0n);
  const s = raw.toString().padStart(scale + 1, '0');
  return scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}
