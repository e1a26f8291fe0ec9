import { invalidField, ConfigReader, type ModelConfig } from './config.ts';
import { capByVolume } from './slippage-volume.ts';
import { filledAt, fractionOfNumber, quantityOf, slipByFraction, type Remainder, type SlippageContext, type SlippageModel, type SlippageResult } from './slippage.ts';

/**
 * Parameters of the `percent` slippage model, all in percent except the two factors.
 *
 * Formula implemented (p = participation = 100 × order_value / volume_value, in percent; with a
 * known volume the order is first capped at max_volume_pct % of it):
 *
 *   total slippage % = fixed_slippage_pct + spread_pct / 2
 *                      + volume_slippage_factor × p + market_impact_factor × √p
 *
 * So volume_slippage_factor is "percent of slippage per 1 % of volume taken". Participation is
 * read in percent because every other term is in percent; with the ratio as a bare fraction the
 * REALISTIC factors would add under 0.02 % even at the 10 % cap. Worked example (REALISTIC, an
 * order of 1 % of volume): 0.02 + 0.025 + 0.1 × 1 + 0.1 × √1 = 0.245 %.
 * max_volume_pct = 0 means no cap. With no volume known, the two volume terms are zero.
 */
export interface PercentSlippageParams {
  readonly fixed_slippage_pct: number;
  readonly volume_slippage_factor: number;
  readonly max_volume_pct: number;
  readonly spread_pct: number;
  readonly market_impact_factor: number;
}

export const PERCENT_SLIPPAGE_FIELDS = ['fixed_slippage_pct', 'volume_slippage_factor', 'max_volume_pct', 'spread_pct', 'market_impact_factor'] as const;

export const SLIPPAGE_PRESETS = Object.freeze({
  /** No slippage at all, no volume cap. */
  NONE: Object.freeze({ fixed_slippage_pct: 0, volume_slippage_factor: 0, max_volume_pct: 0, spread_pct: 0, market_impact_factor: 0 }),
  /** A flat 0.05 % (5 bps) on every market execution, no cap. */
  FIXED: Object.freeze({ fixed_slippage_pct: 0.05, volume_slippage_factor: 0, max_volume_pct: 0, spread_pct: 0, market_impact_factor: 0 }),
  /**
   * Liquid crypto / large-cap equity: 0.02 % fixed, a 0.05 % spread (half paid), 0.1 % per 1 % of
   * volume, impact 0.1 × √(percent of volume), at most 10 % of the volume per order.
   */
  REALISTIC: Object.freeze({ fixed_slippage_pct: 0.02, volume_slippage_factor: 0.1, max_volume_pct: 10, spread_pct: 0.05, market_impact_factor: 0.1 }),
} as const satisfies Record<string, PercentSlippageParams>);

export type SlippagePresetName = keyof typeof SLIPPAGE_PRESETS;

/** Estimated slippage in percent for a participation of `participationPct` percent of volume. */
export function estimateSlippagePct(p: PercentSlippageParams, participationPct: number): number {
  return p.fixed_slippage_pct + p.spread_pct / 2 + p.volume_slippage_factor * participationPct + p.market_impact_factor * Math.sqrt(participationPct);
}

export interface PercentSlippageConfig extends Partial<PercentSlippageParams> {
  /** Start from a preset (default NONE); the fields given override it. */
  readonly preset?: SlippagePresetName;
  /** The part above max_volume_pct: CANCEL (default) or CARRY. */
  readonly remainder?: Remainder;
}

/** `percent`: the parameterized model above. */
export class PercentSlippage implements SlippageModel {
  constructor(
    readonly params: PercentSlippageParams,
    readonly remainder: Remainder = 'CANCEL',
  ) {
    checkParams(params);
  }

  static fromConfig(config?: ModelConfig): PercentSlippage {
    const r = new ConfigReader(config);
    const preset = SLIPPAGE_PRESETS[r.oneOf('preset', Object.keys(SLIPPAGE_PRESETS) as SlippagePresetName[], 'NONE')];
    const params = { ...preset } as Record<(typeof PERCENT_SLIPPAGE_FIELDS)[number], number>;
    for (const f of PERCENT_SLIPPAGE_FIELDS) params[f] = r.number(f, { min: 0, default: preset[f] });
    const m = new PercentSlippage(params, r.oneOf('remainder', ['CANCEL', 'CARRY'], 'CANCEL'));
    r.done();
    return m;
  }

  slip(ctx: SlippageContext): SlippageResult {
    const volume = ctx.volume24h ?? ctx.barVolume;
    const p = this.params;
    if (!volume || volume.raw <= 0n) return filledAt(ctx, slipByFraction(ctx, fractionOfNumber(estimateSlippagePct(p, 0) / 100)));
    const capped = p.max_volume_pct > 0;
    const [fill, rest] = capped ? capByVolume(ctx, volume, { digits: BigInt(Math.round(p.max_volume_pct * 1e6)), scale: 6 }) : [quantityOf(ctx), undefined];
    // order_value / volume_value = fill × price / (volume × price) = fill / volume
    const participationPct = (100 * fill.toNumber()) / volume.toNumber();
    const price = slipByFraction(ctx, fractionOfNumber(estimateSlippagePct(p, participationPct) / 100));
    return rest ? { price, fillQty: fill, unfilledQty: rest, remainder: this.remainder } : filledAt(ctx, price);
  }
}

function checkParams(p: PercentSlippageParams): void {
  for (const f of PERCENT_SLIPPAGE_FIELDS) {
    const v = p[f];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidField(f, `must be a finite number >= 0, got ${String(v)}`);
  }
  if (p.max_volume_pct > 100) throw invalidField('max_volume_pct', `must be at most 100, got ${p.max_volume_pct}`);
}

export interface OrderSizeVerdict {
  readonly ok: boolean;
  /** Why it was refused, or that the estimate is above half the limit. */
  readonly warning?: string;
  /** Estimated slippage in percent (Infinity when the 24h volume is zero). */
  readonly estimatedSlippagePct: number;
}

/**
 * Pre-trade check of an order's size against the 24h volume with the `percent` model's formula
 * (uncapped participation, since the point is to see the whole order's cost). Refuses (ok false)
 * when the estimate exceeds `max_slippage_pct` or the order is above max_volume_pct % of the 24h
 * volume (when that cap is set) or there is no 24h volume; warns when the estimate is above half
 * of `max_slippage_pct`. Values are in the quote currency, as plain numbers: this is an estimate.
 */
export function validate_order_size(
  order_value: number,
  volume_24h: number,
  max_slippage_pct: number,
  params: PercentSlippageParams = SLIPPAGE_PRESETS.REALISTIC,
): OrderSizeVerdict {
  checkParams(params);
  if (!Number.isFinite(order_value) || order_value < 0) throw invalidField('order_value', `must be a finite number >= 0, got ${order_value}`);
  if (!Number.isFinite(volume_24h) || volume_24h < 0) throw invalidField('volume_24h', `must be a finite number >= 0, got ${volume_24h}`);
  if (!Number.isFinite(max_slippage_pct) || max_slippage_pct <= 0) throw invalidField('max_slippage_pct', `must be a finite number > 0, got ${max_slippage_pct}`);
  if (volume_24h === 0) {
    return order_value === 0
      ? { ok: true, estimatedSlippagePct: estimateSlippagePct(params, 0) }
      : { ok: false, warning: 'no 24h volume: slippage cannot be estimated', estimatedSlippagePct: Number.POSITIVE_INFINITY };
  }
  const participation = (100 * order_value) / volume_24h;
  const est = estimateSlippagePct(params, participation);
  const shown = `estimated slippage ${est.toFixed(4)}%`;
  if (params.max_volume_pct > 0 && participation > params.max_volume_pct) {
    return { ok: false, warning: `order is ${participation.toFixed(4)}% of 24h volume, above max_volume_pct ${params.max_volume_pct}% (${shown})`, estimatedSlippagePct: est };
  }
  if (est > max_slippage_pct) return { ok: false, warning: `${shown} exceeds the limit ${max_slippage_pct}%`, estimatedSlippagePct: est };
  if (est > max_slippage_pct / 2) return { ok: true, warning: `${shown} is above half the limit ${max_slippage_pct}%`, estimatedSlippagePct: est };
  return { ok: true, estimatedSlippagePct: est };
}

/** camelCase alias of `validate_order_size`. */
export const validateOrderSize = validate_order_size;
