import type { Currency } from './currency.ts';
import { checkRange, formatRaw, pow10, rescale, roundRaw, toRaw, type NumericInput, type RoundingMode } from './decimal.ts';
import { ValidationError } from './errors.ts';

/** An exact amount in a currency's minor units. */
export class Money {
  private constructor(
    readonly raw: bigint,
    readonly currency: Currency,
  ) {}

  static of(value: NumericInput, currency: Currency, field = 'amount'): Money {
    return new Money(toRaw(value, currency.precision, field), currency);
  }

  static fromRaw(raw: bigint, currency: Currency): Money {
    checkRange(raw, currency.precision, 'amount');
    return new Money(raw, currency);
  }

  static zero(currency: Currency): Money {
    return new Money(0n, currency);
  }

  /** From an exact product at `scale` decimals; throws PRECISION_EXCEEDED rather than round. */
  static fromScaled(raw: bigint, scale: number, currency: Currency, field = 'amount'): Money {
    return Money.fromRaw(rescale(raw, scale, currency.precision, field), currency);
  }

  /** From an exact product at `scale` decimals, rounded by an explicit business rule (fees). */
  static rounded(raw: bigint, scale: number, currency: Currency, mode: RoundingMode): Money {
    return Money.fromRaw(roundRaw(raw, scale, currency.precision, mode), currency);
  }

  add(o: Money): Money {
    this.same(o);
    return new Money(this.raw + o.raw, this.currency);
  }
  sub(o: Money): Money {
    this.same(o);
    return new Money(this.raw - o.raw, this.currency);
  }
  neg(): Money {
    return new Money(-this.raw, this.currency);
  }
  isZero(): boolean {
    return this.raw === 0n;
  }
  cmp(o: Money): -1 | 0 | 1 {
    this.same(o);
    return this.raw < o.raw ? -1 : this.raw > o.raw ? 1 : 0;
  }
  eq(o: Money): boolean {
    return this.currency.code === o.currency.code && this.raw === o.raw;
  }
  toNumber(): number {
    return Number(this.raw) / 10 ** this.currency.precision;
  }
  /** Amount without the currency code. */
  toDecimalString(): string {
    return formatRaw(this.raw, this.currency.precision);
  }
  toString(): string {
    return `${this.toDecimalString()} ${this.currency.code}`;
  }
  toJSON(): string {
    return this.toString();
  }

  private same(o: Money): void {
    if (o.currency.code !== this.currency.code) {
      throw new ValidationError('CURRENCY_MISMATCH', `cannot combine ${this.currency.code} with ${o.currency.code}`, {
        left: this.currency.code,
        right: o.currency.code,
      });
    }
  }
}

/** Sum of money amounts per currency, exact. Keeps raw totals so adding allocates no Money. */
export class MoneyBag {
  private readonly amounts = new Map<string, { readonly currency: Currency; raw: bigint }>();

  add(m: Money): void {
    this.addRaw(m.currency, m.raw);
  }
  addRaw(currency: Currency, raw: bigint): void {
    const cur = this.amounts.get(currency.code);
    if (cur) cur.raw += raw;
    else this.amounts.set(currency.code, { currency, raw });
  }
  get(c: Currency): Money {
    const cur = this.amounts.get(c.code);
    return cur ? Money.fromRaw(cur.raw, cur.currency) : Money.zero(c);
  }
  entries(): Money[] {
    return [...this.amounts.values()].map((a) => Money.fromRaw(a.raw, a.currency));
  }
  /** The raw sums in insertion order (no range check: a running sum is kept exactly, whatever its size). */
  toSnapshot(): RawAmount[] {
    return [...this.amounts.values()].map((a) => ({ currency: a.currency, raw: a.raw }));
  }
  static fromSnapshot(amounts: readonly RawAmount[]): MoneyBag {
    const bag = new MoneyBag();
    for (const a of amounts) {
      if (bag.amounts.has(a.currency.code)) throw new RangeError(`money bag snapshot repeats ${a.currency.code}`);
      bag.addRaw(a.currency, a.raw);
    }
    return bag;
  }
}

/** An exact sum in a currency's minor units, as kept in running totals. */
export interface RawAmount {
  readonly currency: Currency;
  readonly raw: bigint;
}

export { pow10 };
