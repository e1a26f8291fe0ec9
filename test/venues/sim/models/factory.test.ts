import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/model/errors.ts';
import {
  createFeeModel,
  createLatencyModel,
  createLimitFillModel,
  createSlippageModel,
  FEE_MODELS,
  LATENCY_MODELS,
  LIMIT_FILL_MODELS,
  SLIPPAGE_MODELS,
} from '../../../../src/venues/sim/models/index.ts';
import { ctx, expectError, feeCtx, BTCUSDT } from './fixtures.ts';

describe('factory maps', () => {
  it('name exactly these models', () => {
    expect(Object.keys(SLIPPAGE_MODELS)).toEqual(['none', 'fixed_bps', 'spread', 'volume_share', 'sqrt_impact', 'volatility', 'percent']);
    expect(Object.keys(LIMIT_FILL_MODELS)).toEqual(['fill_at_touch', 'fill_on_trade_through', 'queue_position']);
    expect(Object.keys(FEE_MODELS)).toEqual(['none', 'maker_taker', 'tiered', 'per_share', 'fixed']);
    expect(Object.keys(LATENCY_MODELS)).toEqual(['constant', 'random']);
  });

  it('build working models by name: fixed_bps 10 → 25,025.00; maker_taker → 30 USDT on 1 BTC @ 30,000; constant → 5 ms', () => {
    expect(createSlippageModel('fixed_bps', { bps: 10 }).slip(ctx()).price.toString()).toBe('25025.00');
    expect(createSlippageModel('percent', { preset: 'REALISTIC' }).slip(ctx({ volume24h: '100' })).price.toString()).toBe('25061.25');
    expect(createFeeModel('maker_taker').fee(feeCtx(BTCUSDT, '1', '30000.00')).toString()).toBe('30.00000000 USDT');
    expect(createLatencyModel('constant', { submit_ms: 5 }).cancelMs()).toBe(5);
    expect(createLimitFillModel('fill_on_trade_through')).toBeDefined();
  });

  it('refuse an unknown model name, including inherited keys like toString (INVALID_FIELD on model)', () => {
    for (const create of [createSlippageModel, createFeeModel, createLatencyModel, createLimitFillModel]) {
      const e = expectError(() => create('magic'), 'INVALID_FIELD', { field: 'model', input: '"magic"' });
      expect(e).toBeInstanceOf(ValidationError);
      expectError(() => create('toString'), 'INVALID_FIELD', { field: 'model' });
    }
  });

  it('refuse an unknown parameter, naming it: fixed_bps { bps, bsp }, none { bps }, queue_position { depth }', () => {
    expectError(() => createSlippageModel('fixed_bps', { bps: 1, bsp: 2 }), 'INVALID_FIELD', { field: 'bsp' });
    expectError(() => createSlippageModel('none', { bps: 1 }), 'INVALID_FIELD', { field: 'bps' });
    expectError(() => createLimitFillModel('queue_position', { depth: 3 }), 'INVALID_FIELD', { field: 'depth' });
    expectError(() => createFeeModel('none', { rate: 0 }), 'INVALID_FIELD', { field: 'rate' });
  });

  it('refuse bad values, naming the field: bps "ten", k "1" (a string), remainder KEEP, fee_currency EUR, config 42', () => {
    expectError(() => createSlippageModel('fixed_bps', { bps: 'ten' }), 'INVALID_FIELD', { field: 'bps' });
    expectError(() => createSlippageModel('fixed_bps', {}), 'INVALID_FIELD', { field: 'bps' });
    expectError(() => createSlippageModel('sqrt_impact', { k: '1' }), 'INVALID_FIELD', { field: 'k' });
    expectError(() => createSlippageModel('volume_share', { remainder: 'KEEP' }), 'INVALID_FIELD', { field: 'remainder' });
    expectError(() => createFeeModel('maker_taker', { fee_currency: 'EUR' }), 'INVALID_FIELD', { field: 'fee_currency' });
    expectError(() => createFeeModel('maker_taker', 42 as never), 'INVALID_FIELD', { field: 'config' });
    expectError(() => createLatencyModel('random', { seed: 1.5, submit: { mean_ms: 1, stdev_ms: 0 } }), 'INVALID_FIELD', { field: 'seed' });
  });
});
