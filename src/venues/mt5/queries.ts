import type { VenueOrderStatus, VenuePosition, VenueQueries, VenueReport } from '../../engine/venue.ts';
import { clientOrderId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { createOrderSpec } from '../../model/orders/factory.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import { Quantity } from '../../model/values.ts';
import type { Mt5Book } from './book.ts';
import { fillReport, groupByOrder, viewOf, type OrderView } from './fills.ts';
import { isMarketType, sideOfType, type MtType } from './protocol.ts';
import type { OpenTrade } from './trades.ts';

export interface Mt5QueriesOptions {
  readonly accountId: string;
  readonly book: Mt5Book;
  readonly snapshot: () => Promise<OpenTrade[]>;
  readonly instrumentOf: (symbol: string) => Instrument | undefined;
  readonly now: () => number;
}

type Fill = Extract<VenueReport, { kind: 'OrderFilled' }>;

/**
 * Reconciliation through GET_OPEN_TRADES, the one read DWX has: what is open now. An order is
 * found by its ticket, comment or magic; one no longer open is answered from what this adapter saw
 * (filled, canceled), else not known (undefined). Fills are the deals the open trades list for our
 * orders, named as the adapter names them (fills.ts), so a fill it reported already is dropped by
 * its trade id (a position closed since is not there: DWX keeps no history). Positions are netted
 * per symbol, hedged tickets buy minus sell.
 */
export class Mt5Queries implements VenueQueries {
  readonly positionKinds = ['PERPETUAL'] as const;

  constructor(private readonly o: Mt5QueriesOptions) {}

  async orderStatus(id: string): Promise<VenueOrderStatus | undefined> {
    const t = this.o.book.byWardenId(id);
    if (!t?.spec) return undefined;
    const xs = (await this.o.snapshot()).filter((trade) => this.o.book.ofTrade(trade) === t);
    if (xs.length > 0) return statusOf(t.spec, xs[0]!.ticket, viewOf(t, xs));
    if (t.ticket === undefined || (!t.filled && !t.ended)) return undefined;
    return { clientOrderId: clientOrderId(id), venueOrderId: venueOrderId(t.ticket), spec: t.spec, status: t.filled ? 'FILLED' : 'CANCELED', filledQty: Quantity.fromRaw(t.filledRaw, t.instrument.sizePrecision) };
  }

  async openOrders(): Promise<readonly VenueOrderStatus[]> {
    const out: VenueOrderStatus[] = [];
    const trades = await this.o.snapshot();
    const ours = groupByOrder(trades, (x) => this.o.book.ofTrade(x));
    for (const x of trades) {
      if (isMarketType(x.type)) continue;
      const instrument = this.o.instrumentOf(x.symbol);
      if (!instrument) continue;
      const t = this.o.book.ofTrade(x);
      if (t?.spec) out.push(statusOf(t.spec, x.ticket, viewOf(t, ours.get(t) ?? [x])));
      else out.push(statusOf(this.externalSpec(x, instrument), x.ticket, undefined));
    }
    return out;
  }

  async fillsSince(ts: number): Promise<readonly Fill[]> {
    const now = this.o.now();
    const out: Fill[] = [];
    for (const [t, xs] of groupByOrder(await this.o.snapshot(), (x) => this.o.book.ofTrade(x))) {
      const ticket = t.ticket ?? xs[0]!.ticket;
      // The broker's deal time is its server's clock in its own zone: the fill is dated now, and every one listed is given (the engine counts each trade id once).
      for (const f of viewOf(t, xs).fills) {
        out.push(fillReport(t, f, ticket, Math.max(ts, now)));
      }
    }
    return out;
  }

  async positions(): Promise<readonly VenuePosition[]> {
    const net = new Map<string, bigint>();
    const inst = new Map<string, Instrument>();
    for (const x of await this.o.snapshot()) {
      const instrument = this.o.instrumentOf(x.symbol);
      if (!instrument || !isMarketType(x.type)) continue;
      const q = instrument.quantity(x.lots).raw;
      inst.set(instrument.id, instrument);
      net.set(instrument.id, (net.get(instrument.id) ?? 0n) + (x.type === 0 ? q : -q));
    }
    return [...net].map(([id, raw]) => {
      const i = inst.get(id)!;
      return { accountId: this.o.accountId, instrumentId: id, side: raw > 0n ? 'LONG' : raw < 0n ? 'SHORT' : 'FLAT', quantity: Quantity.fromRaw(raw < 0n ? -raw : raw, i.sizePrecision) };
    });
  }

  /** A ticket placed at the terminal, not by Warden: adopted by reconciliation under `MT5-<ticket>` (FAULTS 23). */
  private externalSpec(x: OpenTrade, instrument: Instrument): OrderSpec {
    const limit = x.type === 2 || x.type === 3;
    return createOrderSpec(
      {
        clientOrderId: `MT5-${x.ticket}`,
        accountId: this.o.accountId,
        instrumentId: instrument.id,
        side: sideOfType(x.type as MtType),
        type: limit ? 'LIMIT' : 'STOP_MARKET',
        quantity: x.lots,
        ...(limit ? { price: x.openPrice } : { triggerPrice: x.openPrice }),
        timeInForce: 'GTC',
        tags: ['EXTERNAL'],
      },
      instrument,
      this.o.now(),
    );
  }
}

/**
 * An open ticket's status: working while a pending ticket is open (filled in part or not); done, a
 * position filled whole, or short of its quantity with the rest gone (canceled at the terminal);
 * a position whose deals are not listed yet is taken as working until they are.
 */
function statusOf(spec: OrderSpec, ticket: string, view: OrderView | undefined): VenueOrderStatus {
  const filledQty = view?.filled ?? Quantity.fromRaw(0n, spec.quantity.precision);
  const status = !view?.done ? 'OPEN' : filledQty.raw >= Quantity.of(spec.quantity, filledQty.precision).raw ? 'FILLED' : 'CANCELED';
  return { clientOrderId: spec.clientOrderId, venueOrderId: venueOrderId(ticket), spec, status, filledQty };
}
