import type { OrderSide } from '../../model/orders/types.ts';
import { addDays } from './wall-time.ts';

/**
 * One account's net position in one instrument (all its strategies together, as the broker sees
 * it), in raw lots, and how much of it was opened on `day` and is still open.
 */
export interface Leg {
  net: bigint;
  day: string;
  opened: bigint;
}

export interface DayTrade {
  readonly date: string;
  readonly clientOrderId: string;
  readonly instrumentId: string;
}

/** Day trades older than this many calendar days are dropped: more than any window (≤ 20 business days) reaches back. */
const KEEP_DAYS = 45;

/**
 * Whether an order on `side`, on local `date`, would make a day trade (FINRA 4210(f)(8)(B)(i): the
 * purchase and sale, or sale and purchase, of the same security on the same day): it reduces the
 * account's net position (a sell of a long, a buy of a short) while part of that position was
 * opened today and is still open. The pure decision the gate takes before any fill.
 */
export function wouldDayTrade(leg: Leg | undefined, side: OrderSide, date: string): boolean {
  if (leg === undefined || leg.day !== date || leg.opened <= 0n) return false;
  return side === 'SELL' ? leg.net > 0n : leg.net < 0n;
}

/**
 * The day trades of each account, as a fold over its fills (so replaying the journal counts them
 * again exactly). How fills count:
 * - a fill that increases the net position (from flat, or on its side) adds to today's opened
 *   quantity; a fill that reduces it closes today's opened quantity first (so a position held
 *   overnight, bought more of and sold today is a day trade, as FINRA counts a purchase and sale
 *   on one day), and a flip opens the remainder on the other side;
 * - a reducing fill while today's opened quantity is above zero makes its ORDER a day trade:
 *   one order counts once however many partial fills it has, and several opening orders closed
 *   by one order are one day trade; buy, sell, buy, sell the same day is two;
 * - a position held overnight and reduced before anything is opened that day is no day trade.
 * A busted fill (FAULTS 19) is reversed in the position, but a day trade it made stays counted
 * (the count errs towards denying).
 */
export class DayTrades {
  private readonly legs = new Map<string, Map<string, Leg>>();
  private readonly trades = new Map<string, DayTrade[]>();

  leg(accountId: string, instrumentId: string): Leg | undefined {
    return this.legs.get(accountId)?.get(instrumentId);
  }

  /** Books a fill of `qty` raw lots on local `date`. */
  onFill(accountId: string, instrumentId: string, clientOrderId: string, side: OrderSide, qty: bigint, date: string): void {
    const leg = this.legOf(accountId, instrumentId, date);
    const signed = side === 'BUY' ? qty : -qty;
    const size = leg.net < 0n ? -leg.net : leg.net;
    const reducing = (leg.net > 0n && signed < 0n) || (leg.net < 0n && signed > 0n) ? (qty < size ? qty : size) : 0n;
    if (reducing > 0n && leg.opened > 0n) {
      this.record(accountId, { date, clientOrderId, instrumentId });
      leg.opened -= reducing < leg.opened ? reducing : leg.opened;
    }
    leg.net += signed;
    leg.opened += qty - reducing;
  }

  /** Reverses a busted fill in the position; today's opened quantity never exceeds what is open. */
  onBust(accountId: string, instrumentId: string, side: OrderSide, qty: bigint): void {
    const leg = this.legs.get(accountId)?.get(instrumentId);
    if (leg === undefined) return;
    leg.net += side === 'BUY' ? -qty : qty;
    const size = leg.net < 0n ? -leg.net : leg.net;
    if (leg.opened > size) leg.opened = size;
  }

  /** The account's day trades on or after `fromDate` (YYYY-MM-DD). */
  countSince(accountId: string, fromDate: string): number {
    let n = 0;
    for (const t of this.trades.get(accountId) ?? []) if (t.date >= fromDate) n++;
    return n;
  }

  /** Whether the order is already counted as a day trade on `date` (a partial fill of it closed a same-day position). */
  counted(accountId: string, clientOrderId: string, date: string): boolean {
    return (this.trades.get(accountId) ?? []).some((t) => t.clientOrderId === clientOrderId && t.date === date);
  }

  /** The account's day trades still kept, oldest first (for inspection and tests). */
  list(accountId: string): readonly DayTrade[] {
    return this.trades.get(accountId) ?? [];
  }

  private legOf(accountId: string, instrumentId: string, date: string): Leg {
    let byInstrument = this.legs.get(accountId);
    if (byInstrument === undefined) this.legs.set(accountId, (byInstrument = new Map<string, Leg>()));
    let leg = byInstrument.get(instrumentId);
    if (leg === undefined) byInstrument.set(instrumentId, (leg = { net: 0n, day: date, opened: 0n }));
    // A new day: what was opened before is held overnight.
    if (leg.day !== date) {
      leg.day = date;
      leg.opened = 0n;
    }
    return leg;
  }

  private record(accountId: string, trade: DayTrade): void {
    let list = this.trades.get(accountId);
    if (list === undefined) this.trades.set(accountId, (list = []));
    if (list.some((t) => t.clientOrderId === trade.clientOrderId && t.date === trade.date)) return;
    const oldest = addDays(trade.date, -KEEP_DAYS);
    const kept = list.filter((t) => t.date >= oldest);
    kept.push(trade);
    this.trades.set(accountId, kept);
  }
}
