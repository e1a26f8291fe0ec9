import { describe, expect, it } from 'vitest';
import {
  estimateSlippagePct,
  PercentSlippage,
  SLIPPAGE_PRESETS,
  validate_order_size,
  validateOrderSize,
} from '../../../../src/venues/sim/models/slippage-percent.ts';
import { ctx, expectError } from './fixtures.ts';

const realistic = PercentSlippage.fromConfig({ preset: 'REALISTIC' });

describe('percent slippage model (fixed_slippage_pct, spread_pct, volume_slippage_factor, market_impact_factor, max_volume_pct)', () => {
  it('has the documented presets: NONE all zero; FIXED 0.05 %; REALISTIC 0.02 %, spread 0.05 %, factors 0.1 / 0.1, cap 10 %', () => {
    expect(Object.values(SLIPPAGE_PRESETS.NONE).every((v) => v === 0)).toBe(true);
    expect(SLIPPAGE_PRESETS.FIXED).toEqual({ fixed_slippage_pct: 0.05, volume_slippage_factor: 0, max_volume_pct: 0, spread_pct: 0, market_impact_factor: 0 });
    expect(SLIPPAGE_PRESETS.REALISTIC).toEqual({ fixed_slippage_pct: 0.02, volume_slippage_factor: 0.1, max_volume_pct: 10, spread_pct: 0.05, market_impact_factor: 0.1 });
  });

  it('REALISTIC, buy 1 BTC of 100 BTC 24h volume at 25,000.00: 0.02 + 0.05/2 + 0.1 × 1 + 0.1 × √1 = 0.245 % → 25,061.25; sell → 24,938.75', () => {
    expect(estimateSlippagePct(SLIPPAGE_PRESETS.REALISTIC, 1)).toBeCloseTo(0.245, 12);
    const buy = realistic.slip(ctx({ volume24h: '100' }));
    expect(buy.price.toString()).toBe('25061.25');
    expect(buy.fillQty.toString()).toBe('1.00000');
    expect(realistic.slip(ctx({ volume24h: '100', side: 'SELL' })).price.toString()).toBe('24938.75');
  });

  it('REALISTIC caps 20 BTC of 100 at 10 BTC: 0.045 + 0.1 × 10 + 0.1 × √10 = 1.3612277660 % → model 25,340.3069: buy 25,340.31, 10 BTC unfilled', () => {
    const r = realistic.slip(ctx({ qty: '20', volume24h: '100' }));
    expect(r.price.toString()).toBe('25340.31');
    expect(r.fillQty.toString()).toBe('10.00000');
    expect(r.unfilledQty.toString()).toBe('10.00000');
    expect(r.remainder).toBe('CANCEL');
  });

  it('FIXED charges 0.05 % whatever the size: buy 25,012.50, sell 24,987.50', () => {
    const m = PercentSlippage.fromConfig({ preset: 'FIXED' });
    expect(m.slip(ctx({ qty: '50', volume24h: '100' })).price.toString()).toBe('25012.50');
    expect(m.slip(ctx({ side: 'SELL' })).price.toString()).toBe('24987.50');
  });

  it('NONE executes at the reference and never caps (max_volume_pct 0): 500 BTC of 100 all filled at 25,000.00', () => {
    const r = PercentSlippage.fromConfig({ preset: 'NONE' }).slip(ctx({ qty: '500', volume24h: '100' }));
    expect(r.price.toString()).toBe('25000.00');
    expect(r.fillQty.toString()).toBe('500.00000');
  });

  it('with no volume known, only fixed + spread/2 apply: REALISTIC buy → 0.045 % → 25,011.25', () => {
    expect(realistic.slip(ctx()).price.toString()).toBe('25011.25');
  });

  it('a preset can be overridden field by field: REALISTIC with fixed_slippage_pct 0.1 on 1 % → 0.325 % → 25,081.25', () => {
    expect(PercentSlippage.fromConfig({ preset: 'REALISTIC', fixed_slippage_pct: 0.1 }).slip(ctx({ volume24h: '100' })).price.toString()).toBe('25081.25');
  });

  it('refuses a negative fixed_slippage_pct, max_volume_pct 101 and an unknown preset (INVALID_FIELD naming each)', () => {
    expectError(() => PercentSlippage.fromConfig({ fixed_slippage_pct: -0.01 }), 'INVALID_FIELD', { field: 'fixed_slippage_pct' });
    expectError(() => PercentSlippage.fromConfig({ max_volume_pct: 101 }), 'INVALID_FIELD', { field: 'max_volume_pct' });
    expectError(() => PercentSlippage.fromConfig({ preset: 'OPTIMISTIC' }), 'INVALID_FIELD', { field: 'preset' });
  });
});

describe('validate_order_size(order_value, volume_24h, max_slippage_pct) with REALISTIC', () => {
  it('10,000 of 10,000,000 (0.1 %): estimate 0.045 + 0.01 + 0.1 × √0.1 ≈ 0.0866 % ≤ 0.25 → ok, no warning', () => {
    const v = validate_order_size(10_000, 10_000_000, 0.5);
    expect(v.ok).toBe(true);
    expect(v.warning).toBeUndefined();
    expect(v.estimatedSlippagePct).toBeCloseTo(0.0866227766, 9);
  });

  it('150,000 of 10,000,000 (1.5 %): estimate 0.045 + 0.15 + 0.1 × √1.5 ≈ 0.3175 % > half of 0.5 → ok with a warning', () => {
    const v = validate_order_size(150_000, 10_000_000, 0.5);
    expect(v.ok).toBe(true);
    expect(v.warning).toMatch(/above half the limit/);
    expect(v.estimatedSlippagePct).toBeCloseTo(0.3174744871, 9);
  });

  it('500,000 of 10,000,000 (5 %): estimate 0.045 + 0.5 + 0.1 × √5 ≈ 0.7686 % > 0.5 → refused', () => {
    const v = validate_order_size(500_000, 10_000_000, 0.5);
    expect(v.ok).toBe(false);
    expect(v.warning).toMatch(/exceeds the limit/);
    expect(v.estimatedSlippagePct).toBeCloseTo(0.7686067977, 9);
  });

  it('1,200,000 of 10,000,000 (12 % > max_volume_pct 10 %) is refused even with a 5 % slippage limit', () => {
    const v = validate_order_size(1_200_000, 10_000_000, 5);
    expect(v.ok).toBe(false);
    expect(v.warning).toMatch(/max_volume_pct 10%/);
    expect(v.estimatedSlippagePct).toBeCloseTo(0.045 + 1.2 + 0.1 * Math.sqrt(12), 9);
  });

  it('a zero 24h volume refuses any order (estimate Infinity)', () => {
    expect(validate_order_size(1, 0, 0.5)).toEqual({ ok: false, warning: 'no 24h volume: slippage cannot be estimated', estimatedSlippagePct: Number.POSITIVE_INFINITY });
  });

  it('takes other parameters: FIXED 0.05 % against a 0.08 % limit → ok with a warning', () => {
    const v = validate_order_size(1_000, 1_000_000, 0.08, SLIPPAGE_PRESETS.FIXED);
    expect(v).toMatchObject({ ok: true, estimatedSlippagePct: 0.05 });
    expect(v.warning).toBeDefined();
  });

  it('validateOrderSize is the same function; negative order_value, NaN volume, zero limit are INVALID_FIELD', () => {
    expect(validateOrderSize).toBe(validate_order_size);
    expectError(() => validate_order_size(-1, 1, 1), 'INVALID_FIELD', { field: 'order_value' });
    expectError(() => validate_order_size(1, Number.NaN, 1), 'INVALID_FIELD', { field: 'volume_24h' });
    expectError(() => validate_order_size(1, 1, 0), 'INVALID_FIELD', { field: 'max_slippage_pct' });
  });
});
