/**
 * A node's own use of its firm credit line, kept exactly and locally (no I/O): its working orders
 * that reserved budget (the notional of what is still unfilled) and its holdings per instrument
 * (net quantity, valued at the last fill price). Gross use is the working notional plus the
 * holdings' absolute value; the long (short) side of an instrument's net use is its long (short)
 * holding plus its working buys (sells): the worst case if everything fills.
 */
import { roundRaw } from '../../model/decimal.ts';
import { AMOUNT_SCALE, type Exposure } from './ledger.ts';

export type BookSide = 'BUY' | 'SELL';

/** An exact decimal as raw digits and scale (a Quantity's or Price's raw and precision). */
export interface Raw {
  readonly raw: bigint;
  readonly precision: number;
}

export interface Reservation {
  readonly instrumentId: string;
  readonly side: BookSide;
  readonly quantity: Raw;
  readonly price: Raw;
}

interface Working {
  readonly instrumentId: string;
  readonly side: BookSide;
  readonly price: Raw;
  remaining: bigint;
  readonly qtyPrecision: number;
  notional: bigint;
}

interface Holding {
  /** Net quantity, signed (long > 0), raw at `precision`. */
  qty: bigint;
  precision: number;
  lastPrice: Raw;
}

/** qty × price at AMOUNT_SCALE, rounded up (a reservation never undercounts). */
export function notionalOf(qty: bigint, qtyPrecision: number, price: Raw): bigint {
  const raw = qty * price.raw;
  return roundRaw(raw, qtyPrecision + price.precision, AMOUNT_SCALE, 'UP');
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

export class LocalBook {
  private readonly working = new Map<string, Working>();
  private readonly holdings = new Map<string, Holding>();
  private workingGross = 0n;
  /** Each holding's value, signed (long > 0), and the sum of their absolute values: kept as fills come, so a check is O(1). */
  private readonly heldValue = new Map<string, bigint>();
  private heldGross = 0n;
  private readonly workingLong = new Map<string, bigint>();
  private readonly workingShort = new Map<string, bigint>();

  get workingCount(): number {
    return this.working.size;
  }

  has(id: string): boolean {
    return this.working.has(id);
  }

  /** What the order's reservation holds now (0n when it has none). */
  notional(id: string): bigint {
    return this.working.get(id)?.notional ?? 0n;
  }

  /** The notional an order would reserve. */
  static notional(r: Reservation): bigint {
    return notionalOf(r.quantity.raw, r.quantity.precision, r.price);
  }

  add(id: string, r: Reservation, notional = LocalBook.notional(r)): void {
    this.working.set(id, { instrumentId: r.instrumentId, side: r.side, price: r.price, remaining: r.quantity.raw, qtyPrecision: r.quantity.precision, notional });
    this.shift(r.instrumentId, r.side, notional);
  }

  /** The order is done (canceled, rejected, expired, denied): its unfilled reservation is released. */
  release(id: string): boolean {
    const w = this.working.get(id);
    if (!w) return false;
    this.working.delete(id);
    this.shift(w.instrumentId, w.side, -w.notional);
    return true;
  }

  /** Part of a reserved order filled: that part leaves the working reservation (the holding is settled apart). */
  filled(id: string, qty: Raw): void {
    const w = this.working.get(id);
    if (!w) return;
    const q = roundRaw(qty.raw, qty.precision, w.qtyPrecision, 'DOWN');
    w.remaining = w.remaining > q ? w.remaining - q : 0n;
    const left = notionalOf(w.remaining, w.qtyPrecision, w.price);
    this.shift(w.instrumentId, w.side, left - w.notional);
    w.notional = left;
    if (w.remaining === 0n) this.working.delete(id);
  }

  /** Any fill of the node (reserved or reducing): its holding in the instrument moves, valued at the fill price. */
  settle(instrumentId: string, side: BookSide, qty: Raw, price: Raw): void {
    const h = this.holdings.get(instrumentId) ?? { qty: 0n, precision: qty.precision, lastPrice: price };
    // One instrument's quantities share its lot precision, so this is exact in practice.
    const q = roundRaw(qty.raw, qty.precision, h.precision, 'DOWN');
    h.qty += side === 'BUY' ? q : -q;
    h.lastPrice = price;
    this.holdings.set(instrumentId, h);
    this.revalue(instrumentId, h);
  }

  private revalue(inst: string, h: Holding): void {
    const before = this.heldValue.get(inst) ?? 0n;
    const v = notionalOf(abs(h.qty), h.precision, h.lastPrice);
    const signed = h.qty < 0n ? -v : v;
    this.heldGross += v - abs(before);
    this.heldValue.set(inst, signed);
  }

  /**
   * Whether the use plus `r` stays within `line` (gross when `grossLimited`, the order's side of
   * its instrument when `netLimited`): the fast path, with no allocation.
   */
  fits(r: Reservation, line: Exposure, grossLimited: boolean, netLimited: boolean, add = LocalBook.notional(r)): boolean {
    if (grossLimited && this.workingGross + this.heldGross + add > line.gross) return false;
    if (!netLimited) return true;
    const held = this.heldValue.get(r.instrumentId) ?? 0n;
    const buy = r.side === 'BUY';
    const heldSide = buy ? (held > 0n ? held : 0n) : held < 0n ? -held : 0n;
    const working = (buy ? this.workingLong : this.workingShort).get(r.instrumentId) ?? 0n;
    return heldSide + working + add <= ((buy ? line.long : line.short).get(r.instrumentId) ?? 0n);
  }

  /** Sets a holding outright (recovered from the journal at start). */
  hold(instrumentId: string, signedQty: Raw, price: Raw): void {
    const h = { qty: signedQty.raw, precision: signedQty.precision, lastPrice: price };
    this.holdings.set(instrumentId, h);
    this.revalue(instrumentId, h);
  }

  /** Net quantity held in an instrument (signed, raw at its precision). */
  position(instrumentId: string): Raw {
    const h = this.holdings.get(instrumentId);
    return h ? { raw: h.qty, precision: h.precision } : { raw: 0n, precision: 0 };
  }

  /** What the holdings alone take (the `held` published in the ledger); net sides only for `tracked` instruments. */
  held(tracked: ReadonlySet<string>): Exposure {
    let gross = 0n;
    const long = new Map<string, bigint>();
    const short = new Map<string, bigint>();
    for (const [inst, h] of this.holdings) {
      const v = notionalOf(abs(h.qty), h.precision, h.lastPrice);
      gross += v;
      if (!tracked.has(inst) || v === 0n) continue;
      (h.qty > 0n ? long : short).set(inst, v);
    }
    return { gross, long, short };
  }

  /** What the node uses now, plus `extra` (an order about to reserve) when given. */
  usage(tracked: ReadonlySet<string>, extra?: Reservation): Exposure {
    const h = this.held(tracked);
    const add = extra ? LocalBook.notional(extra) : 0n;
    const long = new Map(h.long);
    const short = new Map(h.short);
    for (const inst of tracked) {
      const l = (long.get(inst) ?? 0n) + (this.workingLong.get(inst) ?? 0n) + (extra?.instrumentId === inst && extra.side === 'BUY' ? add : 0n);
      const s = (short.get(inst) ?? 0n) + (this.workingShort.get(inst) ?? 0n) + (extra?.instrumentId === inst && extra.side === 'SELL' ? add : 0n);
      if (l > 0n) long.set(inst, l); else long.delete(inst);
      if (s > 0n) short.set(inst, s); else short.delete(inst);
    }
    return { gross: h.gross + this.workingGross + add, long, short };
  }

  private shift(inst: string, side: BookSide, delta: bigint): void {
    this.workingGross += delta;
    const m = side === 'BUY' ? this.workingLong : this.workingShort;
    const v = (m.get(inst) ?? 0n) + delta;
    if (v === 0n) m.delete(inst);
    else m.set(inst, v);
  }
}
