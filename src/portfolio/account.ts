import { pow10, roundRaw } from '../model/decimal.ts';
import type { Currency } from '../model/currency.ts';
import type { AccountId, ClientOrderId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import { ValidationError } from '../model/errors.ts';
import { Money, type RawAmount } from '../model/money.ts';
import type { Order } from '../model/orders/order.ts';
import type { PositionMode } from './position.ts';

/** CASH: buys pay the full notional. MARGIN: only PnL and fees move cash; orders lock margin. */
export type AccountType = 'CASH' | 'MARGIN';

export interface Balance {
  readonly currency: Currency;
  readonly total: Money;
  readonly locked: Money;
  readonly free: Money;
}

interface Lock {
  readonly currency: Currency;
  readonly raw: bigint;
}

/** Everything an account holds: balances and what each working order locks. */
export interface AccountSnapshot {
  readonly id: AccountId;
  readonly type: AccountType;
  readonly positionMode: PositionMode;
  readonly totals: readonly RawAmount[];
  readonly locks: readonly { readonly clientOrderId: ClientOrderId; readonly currency: Currency; readonly raw: bigint }[];
}

export class Account {
  private readonly totals = new Map<string, { currency: Currency; raw: bigint }>();
  private readonly lockedByCurrency = new Map<string, bigint>();
  private readonly locks = new Map<ClientOrderId, Lock>();

  constructor(
    readonly id: AccountId,
    readonly type: AccountType,
    readonly positionMode: PositionMode,
  ) {}

  /**
   * Whether the account holds a balance in the currency `code` (a venue's commission may be in
   * one). One function per account, made once: the report path passes it on every fill.
   */
  readonly holds = (code: string): boolean => this.totals.has(code);

  /** The locked sums per currency are not kept: they are the sums of the locks. */
  toSnapshot(): AccountSnapshot {
    return {
      id: this.id,
      type: this.type,
      positionMode: this.positionMode,
      totals: [...this.totals.values()].map((t) => ({ currency: t.currency, raw: t.raw })),
      locks: [...this.locks].map(([clientOrderId, l]) => ({ clientOrderId, currency: l.currency, raw: l.raw })),
    };
  }

  static fromSnapshot(s: AccountSnapshot): Account {
    const a = new Account(s.id, s.type, s.positionMode);
    for (const t of s.totals) {
      if (a.totals.has(t.currency.code)) throw new RangeError(`account ${s.id} snapshot repeats ${t.currency.code}`);
      a.totals.set(t.currency.code, { currency: t.currency, raw: t.raw });
    }
    for (const l of s.locks) {
      if (a.locks.has(l.clientOrderId) || l.raw <= 0n) throw new RangeError(`account ${s.id} snapshot has a bad lock for ${l.clientOrderId}`);
      a.locks.set(l.clientOrderId, { currency: l.currency, raw: l.raw });
      a.addLocked(l.currency, l.raw);
    }
    return a;
  }

  adjust(amount: Money): void {
    this.adjustRaw(amount.currency, amount.raw);
  }

  /** Refuses a withdrawal (negative amount) beyond the free balance; a deposit is always fine. */
  checkAdjustment(amount: Money): void {
    if (amount.raw < 0n && this.balance(amount.currency).free.raw + amount.raw < 0n) {
      throw new ValidationError('INVALID_FIELD', `withdrawal of ${amount.neg().toString()} exceeds the free balance`, { field: 'amount' });
    }
  }

  adjustRaw(currency: Currency, raw: bigint): void {
    const cur = this.totals.get(currency.code);
    if (cur) cur.raw += raw;
    else this.totals.set(currency.code, { currency, raw });
  }

  totalRaw(c: Currency): bigint {
    return this.totals.get(c.code)?.raw ?? 0n;
  }

  /** Total less locked, raw: what `balance(c).free` holds, without building the Balance (the gate asks on every order). */
  freeRaw(c: Currency): bigint {
    return this.totalRaw(c) - (this.lockedByCurrency.get(c.code) ?? 0n);
  }

  balance(c: Currency): Balance {
    const total = this.totalRaw(c);
    const locked = this.lockedByCurrency.get(c.code) ?? 0n;
    return { currency: c, total: Money.fromRaw(total, c), locked: Money.fromRaw(locked, c), free: Money.fromRaw(total - locked, c) };
  }

  balances(): Balance[] {
    return [...this.totals.values()].map((t) => this.balance(t.currency));
  }

  get openLockCount(): number {
    return this.locks.size;
  }

  /**
   * Sets what a working order holds back: a CASH buy locks its notional in the settlement
   * currency, a CASH spot sell locks the base quantity, a MARGIN order locks initial margin
   * (rounded up). Orders without a price (market) lock nothing until they fill.
   */
  updateLock(order: Order, instrument: Instrument): void {
    const next = order.isOpen ? this.lockFor(order, instrument) : undefined;
    const prev = this.locks.get(order.clientOrderId);
    if (prev) this.addLocked(prev.currency, -prev.raw);
    if (next && next.raw > 0n) {
      this.locks.set(order.clientOrderId, next);
      this.addLocked(next.currency, next.raw);
    } else if (prev) {
      this.locks.delete(order.clientOrderId);
    }
  }

  private addLocked(c: Currency, raw: bigint): void {
    const v = (this.lockedByCurrency.get(c.code) ?? 0n) + raw;
    if (v === 0n) this.lockedByCurrency.delete(c.code);
    else this.lockedByCurrency.set(c.code, v);
  }

  private lockFor(order: Order, inst: Instrument): Lock | undefined {
    const leaves = order.leavesQty;
    if (leaves.isZero()) return undefined;
    const px = order.price ?? order.triggerPrice;
    if (this.type === 'CASH') {
      if (order.side === 'SELL') {
        if (inst.kind !== 'SPOT' || !inst.base) return undefined;
        return { currency: inst.base, raw: leaves.raw * pow10(inst.base.precision - inst.sizePrecision) };
      }
      if (!px) return undefined;
      return { currency: inst.settlement, raw: inst.notional(leaves, px).raw };
    }
    if (!px) return undefined;
    const n = inst.notionalRaw(leaves, px);
    const margin = roundRaw(n * inst.marginInit.digits, inst.notionalScale + inst.marginInit.scale, inst.settlement.precision, 'UP');
    return { currency: inst.settlement, raw: margin };
  }
}
