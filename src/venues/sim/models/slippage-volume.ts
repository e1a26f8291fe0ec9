import { pow10 } from '../../../model/decimal.ts';
import type { Rate } from '../../../model/instrument.ts';
import { Quantity } from '../../../model/values.ts';
import { ConfigReader, invalidField, type ModelConfig } from './config.ts';
import {
  filledAt,
  fractionOfNumber,
  quantityOf,
  referenceOf,
  slipByFraction,
  type Remainder,
  type SlippageContext,
  type SlippageModel,
  type SlippageResult,
} from './slippage.ts';

/** `volume` on the instrument's size precision, rounded down (a volume can be finer than the lot). */
function volumeRaw(ctx: SlippageContext, volume: Quantity): bigint {
  const sp = ctx.instrument.sizePrecision;
  return (volume.raw * pow10(sp)) / pow10(volume.precision);
}

/**
 * The fillable part of an order under a cap of `pct` percent of `volume`, on the lot grid
 * (rounded down): `[fill, rest]` at the instrument's size precision.
 */
export function capByVolume(ctx: SlippageContext, volume: Quantity, pct: Rate): [Quantity, Quantity] {
  const qty = quantityOf(ctx);
  const sp = ctx.instrument.sizePrecision;
  const lot = ctx.instrument.lotSize.raw;
  let cap = (volumeRaw(ctx, volume) * pct.digits) / pow10(pct.scale + 2);
  cap -= cap % lot;
  const fill = qty.raw <= cap ? qty.raw : cap;
  return [Quantity.fromRaw(fill, sp), Quantity.fromRaw(qty.raw - fill, sp)];
}

export interface VolumeShareConfig {
  /** Most of the bar's volume one order may take, in percent (default 2.5). */
  readonly max_volume_pct?: string | number;
  /** Impact coefficient: slippage fraction = price_impact × share² (default 0.1). */
  readonly price_impact?: string | number;
  /** The part above the cap: CANCEL (default) or CARRY to the next bar. */
  readonly remainder?: Remainder;
}

/**
 * `volume_share` (Zipline's VolumeShareSlippage): fills at most `max_volume_pct` % of the bar's
 * volume; with share = filled / bar volume, the price moves by price_impact × share² against the
 * trader. Exact rational arithmetic throughout. Needs `barVolume` (INVALID_FIELD otherwise).
 */
export class VolumeShareSlippage implements SlippageModel {
  constructor(
    readonly maxVolumePct: Rate,
    readonly priceImpact: Rate,
    readonly remainder: Remainder,
  ) {}

  static fromConfig(config?: ModelConfig): VolumeShareSlippage {
    const r = new ConfigReader(config);
    const pct = r.decimal('max_volume_pct', { default: '2.5', positive: true });
    if (pct.digits > 100n * pow10(pct.scale)) throw invalidField('max_volume_pct', 'must be at most 100');
    const m = new VolumeShareSlippage(pct, r.decimal('price_impact', { default: '0.1', nonNegative: true }), r.oneOf('remainder', ['CANCEL', 'CARRY'], 'CANCEL'));
    r.done();
    return m;
  }

  slip(ctx: SlippageContext): SlippageResult {
    if (!ctx.barVolume) throw invalidField('barVolume', 'the volume_share model needs the bar volume');
    const [fill, rest] = capByVolume(ctx, ctx.barVolume, this.maxVolumePct);
    const vol = volumeRaw(ctx, ctx.barVolume);
    const base = { fillQty: fill, unfilledQty: rest, remainder: this.remainder };
    if (fill.raw === 0n) return { ...base, price: referenceOf(ctx) };
    // share = fill / vol (both at size precision); fraction = impact × share²
    const price = slipByFraction(ctx, { num: this.priceImpact.digits * fill.raw * fill.raw, den: pow10(this.priceImpact.scale) * vol * vol });
    return { ...base, price };
  }
}

/** The float fraction, capped at `maxBps` when given. */
function capped(f: number, maxBps: number | undefined): number {
  return maxBps === undefined ? f : Math.min(f, maxBps / 10_000);
}

function sigmaOf(ctx: SlippageContext, fallback: number | undefined, model: string): number {
  const s = ctx.volatility ?? fallback;
  if (s === undefined) throw invalidField('volatility', `the ${model} model needs a volatility (context or config)`);
  if (!Number.isFinite(s) || s < 0) throw invalidField('volatility', `must be finite and >= 0, got ${s}`);
  return s;
}

export interface SqrtImpactConfig {
  /** Impact coefficient k (≥ 0), e.g. 1 (Almgren et al. report about 0.3–1 for equities). */
  readonly k: number;
  /** Volatility to use when the context has none, as a fraction (e.g. 0.02). */
  readonly volatility?: number;
  /** Upper bound of the slippage, in basis points. */
  readonly max_bps?: number;
}

/**
 * `sqrt_impact`: the square-root law, impact fraction = k × σ × √(quantity / volume), σ the
 * context volatility (or the configured one), volume the 24h volume (or the bar volume when that
 * is all there is). Computed in floating point, taken to the nearest 1e-12, then priced exactly.
 */
export class SqrtImpactSlippage implements SlippageModel {
  constructor(
    readonly k: number,
    readonly volatility: number | undefined,
    readonly maxBps: number | undefined,
  ) {}

  static fromConfig(config?: ModelConfig): SqrtImpactSlippage {
    const r = new ConfigReader(config);
    const m = new SqrtImpactSlippage(r.number('k', { min: 0 }), r.optionalNumber('volatility', { min: 0 }), r.optionalNumber('max_bps', { min: 0 }));
    r.done();
    return m;
  }

  slip(ctx: SlippageContext): SlippageResult {
    const volume = ctx.volume24h ?? ctx.barVolume;
    if (!volume || volume.raw <= 0n) throw invalidField('volume24h', 'the sqrt_impact model needs a positive 24h (or bar) volume');
    const sigma = sigmaOf(ctx, this.volatility, 'sqrt_impact');
    const f = this.k * sigma * Math.sqrt(quantityOf(ctx).toNumber() / volume.toNumber());
    return filledAt(ctx, slipByFraction(ctx, fractionOfNumber(capped(f, this.maxBps))));
  }
}

export interface VolatilityConfig {
  /** Slippage fraction per unit of volatility (≥ 0): fraction = multiplier × σ. */
  readonly multiplier: number;
  /** Volatility to use when the context has none. */
  readonly volatility?: number;
  /** Floor and cap of the slippage in basis points. */
  readonly min_bps?: number;
  readonly max_bps?: number;
}

/** `volatility`: slippage fraction = clamp(multiplier × σ, min_bps, max_bps). */
export class VolatilitySlippage implements SlippageModel {
  constructor(
    readonly multiplier: number,
    readonly volatility: number | undefined,
    readonly minBps: number,
    readonly maxBps: number | undefined,
  ) {
    if (maxBps !== undefined && maxBps < minBps) throw invalidField('max_bps', `must be >= min_bps ${minBps}`);
  }

  static fromConfig(config?: ModelConfig): VolatilitySlippage {
    const r = new ConfigReader(config);
    const m = new VolatilitySlippage(
      r.number('multiplier', { min: 0 }),
      r.optionalNumber('volatility', { min: 0 }),
      r.number('min_bps', { min: 0, default: 0 }),
      r.optionalNumber('max_bps', { min: 0 }),
    );
    r.done();
    return m;
  }

  slip(ctx: SlippageContext): SlippageResult {
    const f = Math.max(this.multiplier * sigmaOf(ctx, this.volatility, 'volatility'), this.minBps / 10_000);
    return filledAt(ctx, slipByFraction(ctx, fractionOfNumber(capped(f, this.maxBps))));
  }
}
