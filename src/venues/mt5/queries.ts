import type { VenueOrderStatus, VenuePosition, VenueQueries, VenueReport } from '../../engine/venue.ts';
import { clientOrderId, tradeId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { createOrderSpec } from '../../model/orders/factory.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import { Quantity } from '../../model/values.ts';
import type { Mt5Book, Mt5Order } from './book.ts';
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
 * (filled, canceled), else not known (undefined). Fills are the open positions of our orders (a
 * position closed since is not there: DWX keeps no history). Positions are netted per symbol,
 * hedged tickets buy minus sell.
 */
export class Mt5Queries implements VenueQueries {
  readonly positionKinds = ['PERPETUAL'] as const;

  constructor(private readonly o: Mt5QueriesOptions) {}

  async orderStatus(id: string): Promise<VenueOrderStatus | undefined> {
    const t = this.o.book.byWardenId(id);
    if (!t?.spec) return undefined;
    const x = (await this.o.snapshot()).find((trade) => this.o.book.ofTrade(trade) === t);
    if (x) return statusOf(t.spec, x);
    if (t.ticket === undefined || (!t.filled && !t.ended)) return undefined;
    return { clientOrderId: clientOrderId(id), venueOrderId: venueOrderId(t.ticket), spec: t.spec, status: t.filled ? 'FILLED' : 'CANCELED', filledQty: t.filled ? t.spec.quantity : zeroOf(t.instrument) };
  }

  async openOrders(): Promise<readonly VenueOrderStatus[]> {
    const out: VenueOrderStatus[] = [];
    for (const x of await this.o.snapshot()) {
      if (isMarketType(x.type)) continue;
      const instrument = this.o.instrumentOf(x.symbol);
      if (!instrument) continue;
      const t = this.o.book.ofTrade(x);
      out.push(statusOf(t?.spec ?? this.externalSpec(x, instrument), x));
    }
    return out;
  }

  async fillsSince(ts: number): Promise<readonly Fill[]> {
    const now = this.o.now();
    const out: Fill[] = [];
    for (const x of await this.o.snapshot()) {
      const t = this.o.book.ofTrade(x);
      if (!t || !isMarketType(x.type)) continue;
      // The broker's open time is its server's clock in its own zone: the fill is dated now, and every open one is given (the engine counts each trade id once).
      out.push(fillOf(t, x, Math.max(ts, now)));
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

function statusOf(spec: OrderSpec, x: OpenTrade): VenueOrderStatus {
  const filled = isMarketType(x.type);
  return { clientOrderId: spec.clientOrderId, venueOrderId: venueOrderId(x.ticket), spec, status: filled ? 'FILLED' : 'OPEN', filledQty: filled ? spec.quantity : Quantity.fromRaw(0n, spec.quantity.precision) };
}

function zeroOf(i: Instrument): Quantity {
  return Quantity.fromRaw(0n, i.sizePrecision);
}

function fillOf(t: Mt5Order, x: OpenTrade, ts: number): Fill {
  return { kind: 'OrderFilled', clientOrderId: clientOrderId(t.wardenId), tradeId: tradeId(`${x.ticket}:open`), venueOrderId: venueOrderId(x.ticket), lastQty: t.spec?.quantity.toString() ?? x.lots, lastPx: x.openPrice, liquidity: 'TAKER', ts };
}
