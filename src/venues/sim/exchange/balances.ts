import type { Currency } from '../../../model/currency.ts';
import { formatRaw, pow10, roundRaw } from '../../../model/decimal.ts';
import { LookupError } from '../../../model/errors.ts';
import type { Instrument } from '../../../model/instrument.ts';
import { Money } from '../../../model/money.ts';
import type { OrderSide } from '../../../model/orders/types.ts';
import { Quantity, type Price } from '../../../model/values.ts';

/** An amount in a currency's minor units: what the venue's ledger adds up. */
interface Amount {
  readonly currency: Currency;
  readonly raw: bigint;
}

/** The terms of an order that decide what it holds back: side, instrument, open quantity and the price it may pay. */
export interface OrderTerms {
  readonly side: OrderSide;
  readonly instrument: Instrument;
  /** Quantity still open. */
  readonly leaves: Quantity;
  /** The limit (or, for a stop, the trigger) price; undefined for a market order. */
  readonly price: Price | undefined;
}

/** A CASH balance as a venue shows it: `free = total − locked`. */
export interface SimBalance {
  readonly total: Money;
  readonly locked: Money;
  readonly free: Money;
}

/**
 * What a CASH order holds back while it works, as a spot venue does (Binance locks the quote of
 * a buy and the base of a sell at entry): a buy its notional at its price plus the taker fee on
 * it (our fees are charged in the settlement currency), a spot sell its base quantity. A buy
 * without a price (market) holds nothing; it is checked against the reference price at entry and
 * against what it really costs at each fill.
 */
export function holdFor(t: OrderTerms, reference?: Price): Amount | undefined {
  if (t.leaves.raw === 0n) return undefined;
  const inst = t.instrument;
  if (t.side === 'SELL') return inst.kind === 'SPOT' && inst.base ? { currency: inst.base, raw: baseRaw(t.leaves, inst.base) } : undefined;
  const px = t.price ?? reference;
  if (px === undefined) return undefined;
  const n = inst.notionalRaw(t.leaves, px);
  const r = inst.takerFee;
  const fee = r.digits > 0n ? roundRaw(n * r.digits, inst.notionalScale + r.scale, inst.settlement.precision, 'UP') : 0n;
  return { currency: inst.settlement, raw: n * pow10(inst.settlement.precision - inst.notionalScale) + fee };
}

/** What one fill moves in a CASH account: the notional, the base quantity (spot), the commission. */
export function fillFlows(side: OrderSide, inst: Instrument, qty: Quantity, px: Price, commission: Money): Amount[] {
  const notional = inst.notionalRaw(qty, px) * pow10(inst.settlement.precision - inst.notionalScale);
  const flows: Amount[] = [{ currency: inst.settlement, raw: side === 'BUY' ? -notional : notional }];
  if (inst.kind === 'SPOT' && inst.base) {
    const base = baseRaw(qty, inst.base);
    flows.push({ currency: inst.base, raw: side === 'BUY' ? base : -base });
  }
  if (commission.raw !== 0n) flows.push({ currency: commission.currency, raw: -commission.raw });
  return flows;
}

function baseRaw(qty: Quantity, base: Currency): bigint {
  return qty.raw * pow10(base.precision - qty.precision);
}

class CashAccount {
  readonly totals = new Map<string, bigint>();
  readonly locked = new Map<string, bigint>();
  readonly holds = new Map<string, Amount>();

  free(code: string): bigint {
    return (this.totals.get(code) ?? 0n) - (this.locked.get(code) ?? 0n);
  }

  heldBy(orderId: string, code: string): bigint {
    const h = this.holds.get(orderId);
    return h !== undefined && h.currency.code === code ? h.raw : 0n;
  }

  setHold(orderId: string, next: Amount | undefined): void {
    const prev = this.holds.get(orderId);
    if (prev) add(this.locked, prev.currency.code, -prev.raw);
    if (next && next.raw > 0n) {
      this.holds.set(orderId, next);
      add(this.locked, next.currency.code, next.raw);
    } else this.holds.delete(orderId);
  }
}

function add(m: Map<string, bigint>, code: string, raw: bigint): void {
  const v = (m.get(code) ?? 0n) + raw;
  if (v === 0n) m.delete(code);
  else m.set(code, v);
}

function shortfall(a: Amount, free: bigint): string {
  // Text, not Money: an absurd order's notional may be beyond Money's range.
  const c = a.currency;
  return `needs ${formatRaw(a.raw, c.precision)} ${c.code}, free ${formatRaw(free, c.precision)} ${c.code}`;
}

/**
 * The balances the simulated exchange keeps for the CASH accounts it is told about
 * (`openCashAccount`), as a spot venue keeps them: it refuses an order the account cannot pay for
 * (Binance -2010) and a fill that would take any balance below zero, so no balance ever does.
 * Accounts it was not told about are not checked. One instance may serve several exchanges (a
 * backtest's single account trading on two venues). MARGIN accounts are not modelled: the venue
 * does not track realized PnL, so it leaves margin to the engine's gate.
 */
export class SimAccounts {
  private readonly accounts = new Map<string, CashAccount>();

  openCashAccount(id: string, balances: readonly Money[]): void {
    if (this.accounts.has(id)) throw new LookupError('DUPLICATE_REGISTRATION', `account ${id} is already open at the simulated exchange`, { accountId: id });
    const a = new CashAccount();
    for (const m of balances) add(a.totals, m.currency.code, m.raw);
    this.accounts.set(id, a);
  }

  /** Whether the exchange checks this account's balances. */
  checks(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  balance(accountId: string, currency: Currency): SimBalance | undefined {
    const a = this.accounts.get(accountId);
    if (!a) return undefined;
    const total = a.totals.get(currency.code) ?? 0n;
    const locked = a.locked.get(currency.code) ?? 0n;
    return { total: Money.fromRaw(total, currency), locked: Money.fromRaw(locked, currency), free: Money.fromRaw(total - locked, currency) };
  }

  /**
   * Why the account cannot take this order now (undefined: it can). A market buy is valued at
   * `reference`. For a modify, `orderId` names the order whose current hold the new terms replace.
   */
  entryRefusal(accountId: string, t: OrderTerms, reference: Price | undefined, orderId?: string): string | undefined {
    const a = this.accounts.get(accountId);
    const need = a && holdFor(t, reference);
    if (!a || !need) return undefined;
    const code = need.currency.code;
    const free = a.free(code) + (orderId === undefined ? 0n : a.heldBy(orderId, code));
    return need.raw > free ? shortfall(need, free) : undefined;
  }

  /** Holds back what the order needs while it works (nothing once it is done: pass leaves 0). */
  hold(accountId: string, orderId: string, t: OrderTerms): void {
    this.accounts.get(accountId)?.setHold(orderId, holdFor(t));
  }

  /**
   * Why this fill cannot be paid (undefined: it can): some balance would go below zero once the
   * order's hold shrinks to `after` (its terms after the fill).
   */
  fillRefusal(accountId: string, orderId: string, flows: readonly Amount[], after: OrderTerms): string | undefined {
    const a = this.accounts.get(accountId);
    if (!a) return undefined;
    const next = holdFor(after);
    // Flows in one currency net first: a sell's fee in the quote currency is paid out of its
    // proceeds (as a venue deducts it), so an account holding none of that currency can still sell.
    const net = new Map<string, Amount>();
    for (const f of flows) {
      const prev = net.get(f.currency.code);
      net.set(f.currency.code, { currency: f.currency, raw: (prev?.raw ?? 0n) + f.raw });
    }
    for (const f of net.values()) {
      if (f.raw >= 0n) continue;
      const code = f.currency.code;
      const available = a.free(code) + a.heldBy(orderId, code) - (next?.currency.code === code ? next.raw : 0n);
      if (available + f.raw < 0n) return shortfall({ currency: f.currency, raw: -f.raw }, available);
    }
    return undefined;
  }

  /** Books a fill's flows and resets the order's hold to its terms after the fill. */
  book(accountId: string, orderId: string, flows: readonly Amount[], after: OrderTerms): void {
    const a = this.accounts.get(accountId);
    if (!a) return;
    for (const f of flows) add(a.totals, f.currency.code, f.raw);
    a.setHold(orderId, holdFor(after));
  }
}

/** Order terms with `leaves` open lots of `lotSize`. */
export function termsOf(side: OrderSide, instrument: Instrument, leavesLots: number, price: Price | undefined): OrderTerms {
  const leaves = Quantity.fromRaw(BigInt(leavesLots) * instrument.lotSize.raw, instrument.sizePrecision);
  return { side, instrument, leaves, price };
}
