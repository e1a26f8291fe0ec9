import type { VenueReport } from '../../engine/venue.ts';
import { clientOrderId, tradeId, venueOrderId } from '../../model/identifiers.ts';
import { Quantity } from '../../model/values.ts';
import type { Mt5Order } from './book.ts';
import { isMarketType } from './protocol.ts';
import type { OpenTrade } from './trades.ts';

/** One fill of an order as Warden names it: `<ticket>:<deal>` (or `<ticket>:open` for a whole fill from an EA that lists no deals). */
export interface Mt5Fill {
  readonly tradeId: string;
  /** Lots, exact on the symbol's lot step. */
  readonly lots: Quantity;
  readonly price: string;
}

/** What the open trades say of one of our orders (its pending ticket and its position share the ticket). */
export interface OrderView {
  /** Every fill the terminal lists for it, each deal once, in the order listed. */
  readonly fills: readonly Mt5Fill[];
  /** Lots those fills come to. */
  readonly filled: Quantity;
  /** A pending ticket still open: the order works on. */
  readonly working: boolean;
  /** The order is a position and no longer pending: done at the terminal, its fills all listed (or, from an EA that lists none, filled whole). */
  readonly done: boolean;
}

/**
 * The bundled EA lists the deals that filled each ticket (`_fills`), so a fill is named by its
 * deal, the same name whoever reads it (the submit's EXECUTION reply, a poll, reconciliation after a
 * restart) and whatever was seen before: a partial fill counts once, a whole fill too. An EA that
 * lists none (the stock DWX EA) fills a ticket whole: one fill `<ticket>:open` of the order's
 * quantity at the position's price, once the ticket is a position and no longer pending. Lots are
 * read on the instrument's lot step, exactly (never through a float).
 */
export function viewOf(t: Mt5Order, trades: readonly OpenTrade[]): OrderView {
  const precision = t.instrument.sizePrecision;
  const working = trades.some((x) => !isMarketType(x.type));
  const position = trades.find((x) => isMarketType(x.type));
  const listed = trades.some((x) => x.fills !== undefined);
  const ticket = t.ticket ?? trades[0]?.ticket ?? '?';
  const fills: Mt5Fill[] = [];
  if (listed) {
    const seen = new Set<string>();
    for (const f of trades.flatMap((x) => x.fills ?? [])) {
      if (seen.has(f.deal)) continue;
      seen.add(f.deal);
      fills.push({ tradeId: `${ticket}:${f.deal}`, lots: t.instrument.quantity(f.lots, `deal ${f.deal} lots`), price: f.price });
    }
  } else if (position && !working && t.spec) {
    fills.push({ tradeId: `${ticket}:open`, lots: Quantity.of(t.spec.quantity, precision), price: position.openPrice });
  }
  const filled = Quantity.fromRaw(
    fills.reduce((s, f) => s + f.lots.raw, 0n),
    precision,
  );
  // A position whose deals are not listed yet (the terminal's history lagging its positions) is not done yet.
  const done = position !== undefined && !working && fills.length > 0;
  return { fills, filled, working, done };
}

/** The open trades grouped by the order of ours each is (a pending order filled in part is two entries under one ticket). */
export function groupByOrder(trades: readonly OpenTrade[], orderOf: (x: OpenTrade) => Mt5Order | undefined): Map<Mt5Order, OpenTrade[]> {
  const out = new Map<Mt5Order, OpenTrade[]>();
  for (const x of trades) {
    const t = orderOf(x);
    if (!t) continue;
    const list = out.get(t);
    if (list) list.push(x);
    else out.set(t, [x]);
  }
  return out;
}

/** One MT5 fill as Warden's fill report, for the live adapter and its reconciliation queries alike. */
export function fillReport(t: Mt5Order, f: Mt5Fill, ticket: string, ts: number): Extract<VenueReport, { kind: 'OrderFilled' }> {
  return { kind: 'OrderFilled', clientOrderId: clientOrderId(t.wardenId), tradeId: tradeId(f.tradeId), venueOrderId: venueOrderId(ticket), lastQty: f.lots, lastPx: f.price, liquidity: 'TAKER', ts };
}
