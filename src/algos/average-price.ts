import { formatRaw, pow10 } from '../model/decimal.ts';
import { Price } from '../model/values.ts';

/**
 * The exact volume-weighted average of fill prices: Σ(qty × px) over Σqty, kept as the ratio of
 * two integers because it is rarely on the tick grid (0.2 @ 100.01 and 0.1 @ 100.02 average
 * 100.013333...). Compare with `eq`, show with `toFixed`; never feed a rounded one to the ledger.
 */
export class AveragePrice {
  constructor(
    /** Σ qty.raw × px.raw: qty at the instrument's size precision, px at `pricePrecision`. */
    readonly costRaw: bigint,
    /** Σ qty.raw at the instrument's size precision. */
    readonly quantityRaw: bigint,
    readonly pricePrecision: number,
  ) {
    if (quantityRaw <= 0n) throw new RangeError('an average needs a positive quantity');
  }

  /** The average as a Price when it is exactly one at the price precision, else undefined. */
  exact(): Price | undefined {
    return this.costRaw % this.quantityRaw === 0n ? Price.fromRaw(this.costRaw / this.quantityRaw, this.pricePrecision) : undefined;
  }

  /** Exact comparison with a price at any precision. */
  eq(p: Price): boolean {
    return p.raw * this.quantityRaw * pow10(this.pricePrecision) === this.costRaw * pow10(p.precision);
  }

  /** Rounded half-even to `decimals` places, for display. */
  toFixed(decimals: number): string {
    const num = this.costRaw * pow10(decimals);
    const den = this.quantityRaw * pow10(this.pricePrecision);
    let q = num / den;
    const r = num % den;
    if (2n * r > den || (2n * r === den && q % 2n !== 0n)) q += 1n;
    return formatRaw(q, decimals);
  }

  toString(): string {
    return this.exact()?.toString() ?? this.toFixed(this.pricePrecision + 4);
  }
  toJSON(): string {
    return this.toString();
  }
}
