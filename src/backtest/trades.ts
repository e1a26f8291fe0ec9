import { pow10 } from '../model/decimal.ts';
import type { Instrument } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import type { OrderFilled } from '../model/orders/events.ts';

/**
 * One round trip: from flat to flat in one instrument (a netting position). Money figures are
 * exact decimal strings in the settlement currency; prices are volume-weighted over the fills of
 * each side (exact when a side is one fill, else to 6 more decimals, truncated).
 */
export interface ClosedTrade {
  readonly instrumentId: string;
  readonly side: 'LONG' | 'SHORT';
  readonly entryTime: number;
  readonly entryPrice: string;
  readonly exitTime: number;
  readonly exitPrice: string;
  /** The quantity bought and sold (sum of the entry fills). */
  readonly quantity: string;
  /** Exit notional − entry notional (long; the reverse for short), before fees. */
  readonly grossPnl: string;
  /** Commissions of the entry and exit fills. */
  readonly fees: string;
  /** grossPnl − fees. */
  readonly pnl: string;
  /** pnl ÷ entry notional. */
  readonly returnPct: number;
  readonly fills: number;
}

interface Open {
  readonly instrument: Instrument;
  long: boolean;
  /** Signed quantity in raw lots of the instrument's size precision. */
  qty: bigint;
  entryQty: bigint;
  entryNotional: bigint;
  exitQty: bigint;
  exitNotional: bigint;
  /** In settlement minor units. */
  fees: bigint;
  entryTime: number;
  exitTime: number;
  fills: number;
}

/**
 * Turns fills into closed trades, exactly (bigint throughout). A fill that flips a position is
 * split: the closing part ends the trade, the rest opens the next one, its commission pro-rated
 * (rounded toward zero, the remainder to the opening part).
 */
export class TradeTracker {
  readonly closed: ClosedTrade[] = [];
  private readonly open = new Map<string, Open>();
  /** Commissions in settlement minor units, all fills. */
  feesRaw = 0n;
  fillCount = 0;
  openCount = 0;

  onFill(f: OrderFilled, instrument: Instrument): void {
    this.fillCount++;
    const fee = f.commission.currency.code === instrument.settlement.code ? f.commission.raw : 0n;
    this.feesRaw += fee;
    let t = this.open.get(f.positionId);
    if (!t) {
      t = { instrument, long: true, qty: 0n, entryQty: 0n, entryNotional: 0n, exitQty: 0n, exitNotional: 0n, fees: 0n, entryTime: 0, exitTime: 0, fills: 0 };
      this.open.set(f.positionId, t);
    }
    const qty = f.lastQty.raw * pow10(instrument.sizePrecision - f.lastQty.precision);
    const px = f.lastPx.raw * pow10(instrument.pricePrecision - f.lastPx.precision);
    const signed = f.side === 'BUY' ? qty : -qty;
    if (t.qty === 0n || (t.qty > 0n) === signed > 0n) {
      this.addEntry(t, signed, px, fee, f.tsEvent);
      return;
    }
    // Reducing: close up to |t.qty|, any rest opens the other way.
    const abs = t.qty < 0n ? -t.qty : t.qty;
    const closing = qty < abs ? qty : abs;
    const closeFee = closing === qty ? fee : (fee * closing) / qty;
    t.exitQty += closing;
    t.exitNotional += closing * px;
    t.fees += closeFee;
    t.exitTime = f.tsEvent;
    t.fills++;
    t.qty += signed > 0n ? closing : -closing;
    if (t.qty === 0n) {
      this.finish(f.positionId, t);
      const rest = qty - closing;
      if (rest > 0n) {
        const next: Open = { instrument, long: true, qty: 0n, entryQty: 0n, entryNotional: 0n, exitQty: 0n, exitNotional: 0n, fees: 0n, entryTime: 0, exitTime: 0, fills: 0 };
        this.open.set(f.positionId, next);
        this.addEntry(next, signed > 0n ? rest : -rest, px, fee - closeFee, f.tsEvent);
      }
    }
  }

  /** `signed`: the fill's quantity, positive for a buy. */
  private addEntry(t: Open, signed: bigint, px: bigint, fee: bigint, ts: number): void {
    if (t.qty === 0n) {
      t.entryTime = ts;
      t.long = signed > 0n;
      this.openCount++;
    }
    const qty = signed < 0n ? -signed : signed;
    t.qty += signed;
    t.entryQty += qty;
    t.entryNotional += qty * px;
    t.fees += fee;
    t.fills++;
  }

  private finish(key: string, t: Open): void {
    this.open.delete(key);
    this.openCount--;
    const inst = t.instrument;
    const long = t.long;
    const toMinor = pow10(inst.settlement.precision - inst.notionalScale) * inst.multiplier.digits;
    const gross = (long ? t.exitNotional - t.entryNotional : t.entryNotional - t.exitNotional) * toMinor;
    const c = inst.settlement;
    const entryNotionalMinor = t.entryNotional * toMinor;
    this.closed.push({
      instrumentId: inst.id,
      side: long ? 'LONG' : 'SHORT',
      entryTime: t.entryTime,
      entryPrice: average(t.entryNotional, t.entryQty, inst.pricePrecision),
      exitTime: t.exitTime,
      exitPrice: average(t.exitNotional, t.exitQty, inst.pricePrecision),
      quantity: scaled(t.entryQty, inst.sizePrecision),
      grossPnl: Money.fromRaw(gross, c).toDecimalString(),
      fees: Money.fromRaw(t.fees, c).toDecimalString(),
      pnl: Money.fromRaw(gross - t.fees, c).toDecimalString(),
      returnPct: entryNotionalMinor === 0n ? 0 : Number(gross - t.fees) / Number(entryNotionalMinor),
      fills: t.fills,
    });
  }

  /** Net open quantity (raw lots, signed) of a position, 0 when flat or unknown. */
  netRaw(positionId: string): bigint {
    return this.open.get(positionId)?.qty ?? 0n;
  }
}

function scaled(raw: bigint, precision: number): string {
  const neg = raw < 0n;
  const s = (neg ? -raw : raw).toString().padStart(precision + 1, '0');
  const body = precision === 0 ? s : `${s.slice(0, -precision)}.${s.slice(-precision)}`;
  return neg ? `-${body}` : body;
}

/** notional (scale pp + sp) ÷ qty (scale sp) as a price at pp decimals, exact or 6 more digits truncated. */
function average(notional: bigint, qty: bigint, pricePrecision: number): string {
  if (qty === 0n) return '0';
  if (notional % qty === 0n) return scaled(notional / qty, pricePrecision);
  return scaled((notional * 1_000_000n) / qty, pricePrecision + 6);
}
