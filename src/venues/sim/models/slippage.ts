import { floorDiv, pow10 } from '../../../model/decimal.ts';
import type { Instrument, Rate } from '../../../model/instrument.ts';
import type { OrderSide } from '../../../model/orders/types.ts';
import { Price, Quantity } from '../../../model/values.ts';
import { ConfigReader, invalidField, type ModelConfig } from './config.ts';

/** What a slippage model knows about one market execution. Optional fields are "when known". */
export interface SlippageContext {
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  /** Best opposite price, or the bar open in bar-driven backtests; must be on the tick grid. */
  readonly referencePrice: Price;
  /** Volume of the current bar, in the instrument's quantity units. */
  readonly barVolume?: Quantity;
  /** Volume of the last 24 hours (or day), in the instrument's quantity units. */
  readonly volume24h?: Quantity;
  /** Current bid-ask spread (ask − bid). */
  readonly spread?: Price;
  /** Recent volatility as a fraction per period, e.g. 0.02 for 2 %. */
  readonly volatility?: number;
}

/** What to do with the part a volume-limited model could not fill. */
export type Remainder = 'CANCEL' | 'CARRY';

export interface SlippageResult {
  /** Execution price on the tick grid; never better for the trader than the reference price. */
  readonly price: Price;
  /** Quantity that executes now (the whole order, except for volume-limited models). */
  readonly fillQty: Quantity;
  /** Quantity left over: zero unless a volume cap bit. */
  readonly unfilledQty: Quantity;
  /** CANCEL: the rest is dropped (IOC-like); CARRY: the rest tries again on the next bar. */
  readonly remainder: Remainder;
}

/** One small interface: every slippage model is a function of the context. */
export interface SlippageModel {
  slip(ctx: SlippageContext): SlippageResult;
}

/** A non-negative fraction `num / den` of the reference price. */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

/** Float fractions (square roots, volatility) are taken to the nearest 1e-12 before pricing. */
export const FRACTION_DEN = 10n ** 12n;
export const ZERO_FRACTION: Fraction = { num: 0n, den: 1n };

/** A float fraction (≥ 0) to the nearest 1e-12: removes binary noise such as 0.1 + 0.2. */
export function fractionOfNumber(x: number): Fraction {
  if (!Number.isFinite(x) || x < 0) throw invalidField('slippage', `fraction must be finite and >= 0, got ${x}`);
  return { num: BigInt(Math.round(x * 1e12)), den: FRACTION_DEN };
}

/** An exact decimal divided by 10^`shift`: bps are (rate, 4), percentages (rate, 2). */
export function fractionOfRate(r: Rate, shift: number, extraDen = 1n): Fraction {
  return { num: r.digits, den: pow10(r.scale + shift) * extraDen };
}

export function addFractions(a: Fraction, b: Fraction): Fraction {
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

/**
 * Rounds a model price `num / den` (in raw units of the instrument's price precision) onto the
 * tick grid against the trader: buys up, sells down. So the result is at most one tick beyond the
 * model's price, and exactly the model's price when that is on the grid. A sell that would reach
 * zero or below stops at one tick on instruments that refuse non-positive prices.
 */
export function roundAgainst(instrument: Instrument, side: OrderSide, num: bigint, den: bigint): Price {
  const tick = instrument.tickSize.raw;
  const d = den * tick;
  let ticks = side === 'BUY' ? -floorDiv(-num, d) : floorDiv(num, d);
  if (side === 'SELL' && ticks <= 0n && !instrument.allowNonPositivePrice) ticks = 1n;
  return Price.fromRaw(ticks * tick, instrument.pricePrecision);
}

/** The reference price on the instrument's grid (refuses an off-grid reference, never rounds it). */
export function referenceOf(ctx: SlippageContext): Price {
  return ctx.instrument.price(ctx.referencePrice, 'referencePrice');
}

/** Reference moved against the trader by `f` × |reference|, then rounded against the trader. */
export function slipByFraction(ctx: SlippageContext, f: Fraction): Price {
  const ref = referenceOf(ctx);
  const adj = (ref.raw < 0n ? -ref.raw : ref.raw) * f.num;
  const base = ref.raw * f.den;
  return roundAgainst(ctx.instrument, ctx.side, ctx.side === 'BUY' ? base + adj : base - adj, f.den);
}

/** Reference moved against the trader by an absolute price offset `num / den` (in price units). */
export function slipByOffset(ctx: SlippageContext, offsetDigits: bigint, offsetScale: number, extraDen = 1n): Price {
  const ref = referenceOf(ctx);
  const pp = ctx.instrument.pricePrecision;
  const den = pow10(offsetScale) * extraDen;
  const adj = offsetDigits * pow10(pp);
  const base = ref.raw * den;
  return roundAgainst(ctx.instrument, ctx.side, ctx.side === 'BUY' ? base + adj : base - adj, den);
}

/** The order's quantity on the instrument's lot grid. */
export function quantityOf(ctx: SlippageContext): Quantity {
  return ctx.instrument.quantity(ctx.quantity, 'quantity');
}

/** A result that fills the whole order at `price`. */
export function filledAt(ctx: SlippageContext, price: Price): SlippageResult {
  const qty = quantityOf(ctx);
  return { price, fillQty: qty, unfilledQty: Quantity.zero(qty.precision), remainder: 'CANCEL' };
}

/** `none`: executes at the reference price. Config: none. */
export class NoSlippage implements SlippageModel {
  static fromConfig(config?: ModelConfig): NoSlippage {
    new ConfigReader(config).done();
    return new NoSlippage();
  }
  slip(ctx: SlippageContext): SlippageResult {
    return filledAt(ctx, referenceOf(ctx));
  }
}

export interface FixedBpsConfig {
  /** Basis points against the trader, ≥ 0, exact (e.g. 10 or "2.5"). */
  readonly bps: string | number;
}

/** `fixed_bps`: price × (1 ± bps / 10,000). */
export class FixedBpsSlippage implements SlippageModel {
  private readonly f: Fraction;
  constructor(readonly bps: Rate) {
    if (bps.digits < 0n) throw invalidField('bps', 'must not be negative');
    this.f = fractionOfRate(bps, 4);
  }
  static fromConfig(config?: ModelConfig): FixedBpsSlippage {
    const r = new ConfigReader(config);
    const m = new FixedBpsSlippage(r.decimal('bps', { nonNegative: true }));
    r.done();
    return m;
  }
  slip(ctx: SlippageContext): SlippageResult {
    return filledAt(ctx, slipByFraction(ctx, this.f));
  }
}

export interface SpreadConfig {
  /** Configured spread in basis points of the reference price; the model charges half. */
  readonly spread_bps?: string | number;
  /** Configured absolute spread in price units; the model charges half. */
  readonly spread?: string | number;
}

/**
 * `spread`: crosses half the spread: ± spread / 2. The spread is the configured one (`spread_bps`
 * or `spread`, at most one); with neither configured, the market spread from the context, and
 * INVALID_FIELD on `spread` when the context has none.
 */
export class SpreadSlippage implements SlippageModel {
  constructor(private readonly spread: { readonly bps: Rate } | { readonly price: Rate } | undefined) {}

  static fromConfig(config?: ModelConfig): SpreadSlippage {
    const r = new ConfigReader(config);
    const bps = r.optionalDecimal('spread_bps', { nonNegative: true });
    const price = r.optionalDecimal('spread', { nonNegative: true });
    r.done();
    if (bps && price) throw invalidField('spread', 'give spread_bps or spread, not both');
    return new SpreadSlippage(bps ? { bps } : price ? { price } : undefined);
  }

  slip(ctx: SlippageContext): SlippageResult {
    const s = this.spread;
    if (s && 'bps' in s) return filledAt(ctx, slipByFraction(ctx, fractionOfRate(s.bps, 4, 2n)));
    if (s) return filledAt(ctx, slipByOffset(ctx, s.price.digits, s.price.scale, 2n));
    if (!ctx.spread) throw invalidField('spread', 'the spread model has no configured spread and the market spread is unknown');
    if (ctx.spread.raw < 0n) throw invalidField('spread', `market spread must not be negative, got ${ctx.spread.toString()}`);
    return filledAt(ctx, slipByOffset(ctx, ctx.spread.raw, ctx.spread.precision, 2n));
  }
}
