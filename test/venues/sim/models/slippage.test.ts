import { describe, expect, it } from 'vitest';
import { Instrument } from '../../../../src/model/instrument.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { Price } from '../../../../src/model/values.ts';
import { FixedBpsSlippage, NoSlippage, SpreadSlippage } from '../../../../src/venues/sim/models/slippage.ts';
import { SqrtImpactSlippage, VolatilitySlippage, VolumeShareSlippage } from '../../../../src/venues/sim/models/slippage-volume.ts';
import { ctx, expectError } from './fixtures.ts';

const fixed = (bps: number | string) => FixedBpsSlippage.fromConfig({ bps });

describe('none', () => {
  it('executes a BUY 1 BTC at the reference 25,000.00 and fills all of it', () => {
    const r = new NoSlippage().slip(ctx());
    expect(r.price.toString()).toBe('25000.00');
    expect(r.fillQty.toString()).toBe('1.00000');
    expect(r.unfilledQty.isZero()).toBe(true);
  });
});

describe('fixed bps', () => {
  it('10 bps on a buy at 25,000.00 with tick 0.01 → 25,025.00; on a sell → 24,975.00', () => {
    expect(fixed(10).slip(ctx()).price.toString()).toBe('25025.00');
    expect(fixed(10).slip(ctx({ side: 'SELL' })).price.toString()).toBe('24975.00');
  });

  it('3 bps at 25,000.01 (model 25,007.510003 / 24,992.509997) rounds against the trader: buy 25,007.52, sell 24,992.50', () => {
    expect(fixed(3).slip(ctx({ ref: '25000.01' })).price.toString()).toBe('25007.52');
    expect(fixed(3).slip(ctx({ ref: '25000.01', side: 'SELL' })).price.toString()).toBe('24992.50');
  });

  it('takes fractional bps exactly: "2.5" bps at 25,000.00 → buy 25,006.25', () => {
    expect(fixed('2.5').slip(ctx()).price.toString()).toBe('25006.25');
  });

  it('a sell of a 0.01 coin at 10 bps (model 0.00999) stops at one tick 0.01, never zero', () => {
    expect(fixed(10).slip(ctx({ ref: '0.01', side: 'SELL' })).price.toString()).toBe('0.01');
  });

  it('on an instrument that allows negative prices, 100 bps of |−10.00| moves a buy to −9.90 and a sell to −10.10', () => {
    const spread = new Instrument({ id: 'CALSPREAD.SIM', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '1', allowNonPositivePrice: true });
    expect(fixed(100).slip(ctx({ ref: '-10.00' }, spread)).price.toString()).toBe('-9.90');
    expect(fixed(100).slip(ctx({ ref: '-10.00', side: 'SELL' }, spread)).price.toString()).toBe('-10.10');
  });

  it('refuses an off-grid reference 25,000.005 (OFF_TICK_GRID) instead of rounding it', () => {
    expectError(() => fixed(10).slip({ ...ctx(), referencePrice: Price.of('25000.005', 3) }), 'OFF_TICK_GRID');
  });

  it('refuses −1 bps: slippage never improves the price (INVALID_FIELD on bps)', () => {
    expectError(() => fixed(-1), 'INVALID_FIELD', { field: 'bps' });
  });
});

describe('spread', () => {
  it('configured 10 bps spread charges half, 5 bps: buy at 25,000.00 → 25,012.50, sell → 24,987.50', () => {
    const m = SpreadSlippage.fromConfig({ spread_bps: 10 });
    expect(m.slip(ctx()).price.toString()).toBe('25012.50');
    expect(m.slip(ctx({ side: 'SELL' })).price.toString()).toBe('24987.50');
  });

  it('configured absolute spread 0.05 charges 0.025, rounded against the trader: buy 25,000.03, sell 24,999.97', () => {
    const m = SpreadSlippage.fromConfig({ spread: '0.05' });
    expect(m.slip(ctx()).price.toString()).toBe('25000.03');
    expect(m.slip(ctx({ side: 'SELL' })).price.toString()).toBe('24999.97');
  });

  it('without a configured spread uses the market spread 0.20: buy 25,000.10', () => {
    expect(SpreadSlippage.fromConfig({}).slip(ctx({ spread: '0.20' })).price.toString()).toBe('25000.10');
  });

  it('without any spread is INVALID_FIELD on spread; both spread_bps and spread is INVALID_FIELD too', () => {
    expectError(() => SpreadSlippage.fromConfig({}).slip(ctx()), 'INVALID_FIELD', { field: 'spread' });
    expectError(() => SpreadSlippage.fromConfig({ spread_bps: 1, spread: '0.01' }), 'INVALID_FIELD', { field: 'spread' });
  });
});

describe('volume share', () => {
  const m = VolumeShareSlippage.fromConfig({ max_volume_pct: 2.5, price_impact: 0.1 });

  it('1 BTC of a 100 BTC bar: share 1 %, impact 0.1 × 0.01² = 0.001 % → buy 25,000.25, all filled', () => {
    const r = m.slip(ctx({ barVolume: '100' }));
    expect(r.price.toString()).toBe('25000.25');
    expect(r.fillQty.toString()).toBe('1.00000');
    expect(r.unfilledQty.isZero()).toBe(true);
  });

  it('5 BTC of a 100 BTC bar: fills the 2.5 BTC cap, impact 0.1 × 0.025² → model 25,001.5625: buy 25,001.57, sell 24,998.43; 2.5 unfilled', () => {
    const buy = m.slip(ctx({ qty: '5', barVolume: '100' }));
    expect(buy.price.toString()).toBe('25001.57');
    expect(buy.fillQty.toString()).toBe('2.50000');
    expect(buy.unfilledQty.toString()).toBe('2.50000');
    expect(buy.remainder).toBe('CANCEL');
    expect(m.slip(ctx({ qty: '5', barVolume: '100', side: 'SELL' })).price.toString()).toBe('24998.43');
  });

  it('with remainder CARRY says the rest is carried to the next bar', () => {
    const carry = VolumeShareSlippage.fromConfig({ remainder: 'CARRY' });
    expect(carry.slip(ctx({ qty: '5', barVolume: '100' })).remainder).toBe('CARRY');
  });

  it('rounds the cap down to the lot: 2.5 % of 0.00099 BTC is 0.00002475 → 0.00002 fillable', () => {
    expect(m.slip(ctx({ qty: '1', barVolume: '0.00099' })).fillQty.toString()).toBe('0.00002');
  });

  it('a bar of zero volume fills nothing, at the reference price', () => {
    const r = m.slip(ctx({ barVolume: '0' }));
    expect(r.fillQty.isZero()).toBe(true);
    expect(r.unfilledQty.toString()).toBe('1.00000');
    expect(r.price.toString()).toBe('25000.00');
  });

  it('needs the bar volume (INVALID_FIELD on barVolume); max_volume_pct 150 is INVALID_FIELD', () => {
    expectError(() => m.slip(ctx()), 'INVALID_FIELD', { field: 'barVolume' });
    expectError(() => VolumeShareSlippage.fromConfig({ max_volume_pct: 150 }), 'INVALID_FIELD', { field: 'max_volume_pct' });
  });
});

describe('square-root market impact', () => {
  it('k 1, σ 2 %, 1 BTC of 100 BTC daily volume: 1 × 0.02 × √0.01 = 20 bps → buy 25,050.00, sell 24,950.00', () => {
    const m = SqrtImpactSlippage.fromConfig({ k: 1 });
    expect(m.slip(ctx({ volume24h: '100', volatility: 0.02 })).price.toString()).toBe('25050.00');
    expect(m.slip(ctx({ volume24h: '100', volatility: 0.02, side: 'SELL' })).price.toString()).toBe('24950.00');
  });

  it('k 0.5, configured σ 3 %, 4 BTC of 10,000: 0.5 × 0.03 × 0.02 = 3 bps → buy 25,007.50', () => {
    expect(SqrtImpactSlippage.fromConfig({ k: 0.5, volatility: 0.03 }).slip(ctx({ qty: '4', volume24h: '10000' })).price.toString()).toBe('25007.50');
  });

  it('quadrupling the quantity doubles the impact: 4 BTC of 100 at k 1, σ 2 % → 40 bps → 25,100.00', () => {
    expect(SqrtImpactSlippage.fromConfig({ k: 1 }).slip(ctx({ qty: '4', volume24h: '100', volatility: 0.02 })).price.toString()).toBe('25100.00');
  });

  it('caps at max_bps 25: 4 BTC of 100 → 25 bps → 25,062.50', () => {
    expect(SqrtImpactSlippage.fromConfig({ k: 1, max_bps: 25 }).slip(ctx({ qty: '4', volume24h: '100', volatility: 0.02 })).price.toString()).toBe('25062.50');
  });

  it('falls back to the bar volume, and needs a volume and a volatility (INVALID_FIELD)', () => {
    const m = SqrtImpactSlippage.fromConfig({ k: 1 });
    expect(m.slip(ctx({ barVolume: '100', volatility: 0.02 })).price.toString()).toBe('25050.00');
    expectError(() => m.slip(ctx({ volatility: 0.02 })), 'INVALID_FIELD', { field: 'volume24h' });
    expectError(() => m.slip(ctx({ volume24h: '100' })), 'INVALID_FIELD', { field: 'volatility' });
  });
});

describe('volatility-scaled', () => {
  it('multiplier 0.5 × σ 0.4 % = 20 bps: buy 25,050.00, sell 24,950.00', () => {
    const m = VolatilitySlippage.fromConfig({ multiplier: 0.5 });
    expect(m.slip(ctx({ volatility: 0.004 })).price.toString()).toBe('25050.00');
    expect(m.slip(ctx({ volatility: 0.004, side: 'SELL' })).price.toString()).toBe('24950.00');
  });

  it('clamps to [min_bps 2, max_bps 10]: σ 0 → 2 bps = 25,005.00; σ 1 % → 10 bps = 25,025.00', () => {
    const m = VolatilitySlippage.fromConfig({ multiplier: 0.5, min_bps: 2, max_bps: 10 });
    expect(m.slip(ctx({ volatility: 0 })).price.toString()).toBe('25005.00');
    expect(m.slip(ctx({ volatility: 0.01 })).price.toString()).toBe('25025.00');
  });

  it('max_bps below min_bps is INVALID_FIELD on max_bps', () => {
    expectError(() => VolatilitySlippage.fromConfig({ multiplier: 1, min_bps: 5, max_bps: 1 }), 'INVALID_FIELD', { field: 'max_bps' });
  });
});
