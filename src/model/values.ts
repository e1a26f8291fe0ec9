import { checkPrecision, checkRange, formatRaw, MAX_PRECISION, pow10, rescale, toRaw, type NumericInput } from './decimal.ts';
import { ValidationError } from './errors.ts';

/**
 * A price: an exact integer count of 10^-precision units. May be negative (spreads); whether an
 * instrument accepts a non-positive price is the instrument's rule, not the value's.
 */
export class Price {
  private constructor(
    readonly raw: bigint,
    readonly precision: number,
  ) {}

  static of(value: NumericInput | Price, precision: number, field = 'price'): Price {
    checkPrecision(precision, field);
    if (value instanceof Price) return value.precision === precision ? value : new Price(rescale(value.raw, value.precision, precision, field), precision);
    return new Price(toRaw(value, precision, field), precision);
  }

  static fromRaw(raw: bigint, precision: number): Price {
    checkPrecision(precision, 'price');
    checkRange(raw, precision, 'price');
    return new Price(raw, precision);
  }

  isPositive(): boolean {
    return this.raw > 0n;
  }
  add(o: Price): Price {
    const p = Math.max(this.precision, o.precision);
    return Price.fromRaw(this.raw * pow10(p - this.precision) + o.raw * pow10(p - o.precision), p);
  }
  sub(o: Price): Price {
    const p = Math.max(this.precision, o.precision);
    return Price.fromRaw(this.raw * pow10(p - this.precision) - o.raw * pow10(p - o.precision), p);
  }
  cmp(o: Price): -1 | 0 | 1 {
    return cmpScaled(this.raw, this.precision, o.raw, o.precision);
  }
  eq(o: Price): boolean {
    return this.cmp(o) === 0;
  }
  /** For analytics and display only; never feed the result back into the ledger. */
  toNumber(): number {
    return Number(this.raw) / 10 ** this.precision;
  }
  toString(): string {
    return formatRaw(this.raw, this.precision);
  }
  toJSON(): string {
    return this.toString();
  }
}

const ZERO_QUANTITIES: Quantity[] = [];

/** A non-negative quantity: an exact integer count of 10^-precision units. */
export class Quantity {
  private constructor(
    readonly raw: bigint,
    readonly precision: number,
  ) {}

  static of(value: NumericInput | Quantity, precision: number, field = 'quantity'): Quantity {
    checkPrecision(precision, field);
    if (value instanceof Quantity) {
      return value.precision === precision ? value : new Quantity(rescale(value.raw, value.precision, precision, field), precision);
    }
    return Quantity.checked(toRaw(value, precision, field), precision, field);
  }

  static fromRaw(raw: bigint, precision: number): Quantity {
    checkPrecision(precision, 'quantity');
    checkRange(raw, precision, 'quantity');
    return Quantity.checked(raw, precision, 'quantity');
  }

  static zero(precision: number): Quantity {
    return (ZERO_QUANTITIES[precision] ??= new Quantity(0n, precision));
  }

  private static checked(raw: bigint, precision: number, field: string): Quantity {
    if (raw < 0n) {
      throw new ValidationError('NEGATIVE_QUANTITY', `${field} must not be negative, got ${formatRaw(raw, precision)}`, {
        field,
        input: formatRaw(raw, precision),
      });
    }
    return new Quantity(raw, precision);
  }

  isZero(): boolean {
    return this.raw === 0n;
  }
  add(o: Quantity): Quantity {
    if (o.precision === this.precision) return new Quantity(this.raw + o.raw, this.precision);
    const p = Math.max(this.precision, o.precision);
    return new Quantity(this.raw * pow10(p - this.precision) + o.raw * pow10(p - o.precision), p);
  }
  /** Throws NEGATIVE_QUANTITY when `o` is larger. */
  sub(o: Quantity): Quantity {
    const p = Math.max(this.precision, o.precision);
    return Quantity.checked(this.raw * pow10(p - this.precision) - o.raw * pow10(p - o.precision), p, 'quantity');
  }
  cmp(o: Quantity): -1 | 0 | 1 {
    return cmpScaled(this.raw, this.precision, o.raw, o.precision);
  }
  eq(o: Quantity): boolean {
    return this.cmp(o) === 0;
  }
  min(o: Quantity): Quantity {
    return this.cmp(o) <= 0 ? this : o;
  }
  toNumber(): number {
    return Number(this.raw) / 10 ** this.precision;
  }
  toString(): string {
    return formatRaw(this.raw, this.precision);
  }
  toJSON(): string {
    return this.toString();
  }
}

export function cmpScaled(a: bigint, pa: number, b: bigint, pb: number): -1 | 0 | 1 {
  let x = a;
  let y = b;
  if (pa > pb) y *= pow10(pa - pb);
  else if (pb > pa) x *= pow10(pb - pa);
  return x < y ? -1 : x > y ? 1 : 0;
}

export { MAX_PRECISION };
