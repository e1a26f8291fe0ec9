import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Currencies } from '../../../../src/model/currency.ts';
import { Money } from '../../../../src/model/money.ts';
import { FixedFee, MakerTakerFee, NoFee, PerShareFee, TieredFee } from '../../../../src/venues/sim/models/fees.ts';
import { AAPL, BTCUSDT, expectError, feeCtx, XRPUSDT } from './fixtures.ts';

const usdt = (v: string) => Money.of(v, Currencies.USDT);

describe('maker/taker percent', () => {
  it('uses the instrument rates by default: 0.5 BTC @ 30,000.00 taker 0.1 % → 15.00000000 USDT, maker 0.02 % → 3.00000000', () => {
    const m = MakerTakerFee.fromConfig({});
    expect(m.fee(feeCtx(BTCUSDT, '0.5', '30000.00')).toString()).toBe('15.00000000 USDT');
    expect(m.fee(feeCtx(BTCUSDT, '0.5', '30000.00', { liquidity: 'MAKER' })).toString()).toBe('3.00000000 USDT');
  });

  it('takes given rates, negative for a rebate: maker −0.01 % on 15,000 USDT → −1.50000000', () => {
    const m = MakerTakerFee.fromConfig({ maker: '-0.0001', taker: '0.00075' });
    expect(m.fee(feeCtx(BTCUSDT, '0.5', '30000.00', { liquidity: 'MAKER' })).toString()).toBe('-1.50000000 USDT');
    expect(m.fee(feeCtx(BTCUSDT, '0.5', '30000.00')).toString()).toBe('11.25000000 USDT');
  });

  it('rounds once, half-up, to the cent: 1 share @ 5.00 × 0.1 % = 0.005 → 0.01 USD; @ 4.99 → 0.00499 → 0.00', () => {
    const m = MakerTakerFee.fromConfig({});
    expect(m.fee(feeCtx(AAPL, '1', '5.00')).toString()).toBe('0.01 USD');
    expect(m.fee(feeCtx(AAPL, '1', '4.99')).toString()).toBe('0.00 USD');
  });

  it('matches Instrument.fee exactly for the default rates', () => {
    const c = feeCtx(BTCUSDT, '0.12345', '27123.45');
    expect(MakerTakerFee.fromConfig({}).fee(c).eq(BTCUSDT.fee(c.qty, c.price, 'TAKER'))).toBe(true);
  });
});

describe('fees in the base currency', () => {
  it('0.12345 BTC × 0.075 % = 0.0000925875 BTC → half-up to 8 decimals: 0.00009259 BTC', () => {
    const m = MakerTakerFee.fromConfig({ taker: '0.00075', fee_currency: 'BASE' });
    expect(m.fee(feeCtx(BTCUSDT, '0.12345', '30000.00')).toString()).toBe('0.00009259 BTC');
  });

  it('XRP has 6 decimals: 100.5 XRP × 0.00075 % = 0.00075375 → 0.000754 XRP; 1 XRP × 0.00005 % = 0.0000005 → 0.000001 (half rounds up)', () => {
    expect(MakerTakerFee.fromConfig({ taker: '0.0000075', fee_currency: 'BASE' }).fee(feeCtx(XRPUSDT, '100.5', '0.5000')).toString()).toBe('0.000754 XRP');
    expect(MakerTakerFee.fromConfig({ taker: '0.0000005', fee_currency: 'BASE' }).fee(feeCtx(XRPUSDT, '1', '0.5000')).toString()).toBe('0.000001 XRP');
  });

  it('an equity has no base currency: INVALID_FIELD on fee_currency', () => {
    expectError(() => MakerTakerFee.fromConfig({ fee_currency: 'BASE' }).fee(feeCtx(AAPL, '1', '5.00')), 'INVALID_FIELD', { field: 'fee_currency' });
  });
});

describe('tiered by 30-day volume', () => {
  const tiered = TieredFee.fromConfig({
    tiers: [
      { min_volume: 0, maker: '0.001', taker: '0.001' },
      { min_volume: '1000000', maker: '0.0008', taker: '0.0009' },
      { min_volume: '5000000', maker: '0.0006', taker: '0.0008' },
    ],
  });
  const taker = (vol?: string) => tiered.fee(feeCtx(BTCUSDT, '1', '30000.00', vol === undefined ? {} : { volume30d: usdt(vol) })).toString();
  const maker = (vol: string) => tiered.fee(feeCtx(BTCUSDT, '1', '30000.00', { liquidity: 'MAKER', volume30d: usdt(vol) })).toString();

  it('1 BTC @ 30,000 taker: 999,999.99 → 30 (tier 0); exactly 1,000,000.00 → 27 (tier 1); 4,999,999.99 → 27; 5,000,000 → 24', () => {
    expect(taker('999999.99')).toBe('30.00000000 USDT');
    expect(taker('1000000.00')).toBe('27.00000000 USDT');
    expect(taker('4999999.99')).toBe('27.00000000 USDT');
    expect(taker('5000000')).toBe('24.00000000 USDT');
  });

  it('maker side at the same boundaries: 30, 24, 18; no volume known → the first tier, 30', () => {
    expect(maker('0')).toBe('30.00000000 USDT');
    expect(maker('1000000')).toBe('24.00000000 USDT');
    expect(maker('5000000')).toBe('18.00000000 USDT');
    expect(taker()).toBe('30.00000000 USDT');
  });

  it('refuses tiers out of order, a first tier above 0, no tiers, a bad rate (INVALID_FIELD naming the tier)', () => {
    const t = (min: string | number) => ({ min_volume: min, maker: '0.001', taker: '0.001' });
    expectError(() => TieredFee.fromConfig({ tiers: [t(0), t('5'), t('5')] }), 'INVALID_FIELD', { field: 'tiers[2].min_volume' });
    expectError(() => TieredFee.fromConfig({ tiers: [t('1')] }), 'INVALID_FIELD', { field: 'tiers[0].min_volume' });
    expectError(() => TieredFee.fromConfig({ tiers: [] }), 'INVALID_FIELD', { field: 'tiers' });
    expectError(() => TieredFee.fromConfig({ tiers: [t(0), { min_volume: 10, maker: '0.001', taker: 'lots' }] }), 'INVALID_FIELD', { field: 'tiers[1].taker' });
    expectError(() => TieredFee.fromConfig({ tiers: [{ ...t(0), rebate: 1 }] }), 'INVALID_FIELD', { field: 'tiers[0].rebate' });
  });
});

describe('per share with minimum and maximum per order ($0.005/share, min $1, max 1 % of notional)', () => {
  const m = PerShareFee.fromConfig({ per_share: '0.005', min: '1', max_pct: '1' });
  const fee = (q: string, p: string) => m.fee(feeCtx(AAPL, q, p)).toString();

  it('1,000 shares @ 50.00 → 5.00 USD (per share, between the limits)', () => expect(fee('1000', '50.00')).toBe('5.00 USD'));
  it('100 shares @ 50.00 → 0.50 raised to the 1.00 minimum', () => expect(fee('100', '50.00')).toBe('1.00 USD'));
  it('10 shares @ 5.00 → 0.05, minimum 1.00, capped at 1 % of 50.00 = 0.50', () => expect(fee('10', '5.00')).toBe('0.50 USD'));
  it('10,000 shares @ 0.20 → 50.00 capped at 1 % of 2,000 = 20.00', () => expect(fee('10000', '0.20')).toBe('20.00 USD'));
  it('301 shares @ 100.00 → 1.505 → half-up 1.51', () => expect(fee('301', '100.00')).toBe('1.51 USD'));
  it('333 shares @ 100.00 at $0.0035 → 1.1655 → 1.17 (no min, no max)', () => {
    expect(PerShareFee.fromConfig({ per_share: '0.0035' }).fee(feeCtx(AAPL, '333', '100.00')).toString()).toBe('1.17 USD');
  });
});

describe('fixed per order and none', () => {
  it('fixed 1.50 USD on any fill; 1.505 USD is INVALID_FIELD on amount (USD has 2 decimals)', () => {
    expect(FixedFee.fromConfig({ amount: '1.50' }).fee(feeCtx(AAPL, '7', '123.45')).toString()).toBe('1.50 USD');
    expectError(() => FixedFee.fromConfig({ amount: '1.505' }).fee(feeCtx(AAPL, '7', '123.45')), 'INVALID_FIELD', { field: 'amount' });
  });

  it('fixed 0.0001 BTC in the base currency', () => {
    expect(FixedFee.fromConfig({ amount: '0.0001', fee_currency: 'BASE' }).fee(feeCtx(BTCUSDT, '1', '30000.00')).toString()).toBe('0.00010000 BTC');
  });

  it('none charges 0 in the settlement currency', () => {
    expect(new NoFee().fee(feeCtx(BTCUSDT, '1', '30000.00')).toString()).toBe('0.00000000 USDT');
  });
});

describe('fee properties', () => {
  const qtyRaw = fc.bigInt({ min: 1n, max: 10n ** 9n }); // up to 10,000 BTC in 0.00001 lots
  const pxRaw = fc.bigInt({ min: 1n, max: 10n ** 8n }); // up to 1,000,000.00
  // a rate in [0, 1] with 1..8 decimals: digits ≤ 10^scale
  const rate = fc.integer({ min: 1, max: 8 }).chain((scale) => fc.tuple(fc.bigInt({ min: 0n, max: 10n ** BigInt(scale) }), fc.constant(scale)));
  const text = (digits: bigint, scale: number) => (scale === 0 ? digits.toString() : `${digits / 10n ** BigInt(scale)}.${(digits % 10n ** BigInt(scale)).toString().padStart(scale, '0')}`);

  it('a maker/taker fee at a rate ≥ 0 is never negative and equals notional × rate rounded half-up to the 1e-8 USDT unit', () => {
    fc.assert(
      fc.property(qtyRaw, pxRaw, rate, (q, p, [d, s]) => {
        const c = { instrument: BTCUSDT, side: 'BUY' as const, qty: BTCUSDT.quantity(text(q, 5)), price: BTCUSDT.price(text(p, 2)), liquidity: 'TAKER' as const };
        const f = MakerTakerFee.fromConfig({ taker: text(d, s) }).fee(c);
        // exact value q × p × d at scale 7 + s; the fee is at USDT's scale 8
        const exact = q * p * d;
        if (f.raw < 0n) return false;
        if (s <= 1) return f.raw === exact * 10n ** BigInt(1 - s);
        const unit = 10n ** BigInt(s - 1);
        const diff2 = 2n * (f.raw * unit - exact); // half-up: in (−unit, unit]
        return diff2 <= unit && diff2 > -unit;
      }),
    );
  });

  it('a per-share fee with positive rate, min and max % is never negative and lies within [0, max(min, …)] on the cent grid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100 }), (shares, cents, perMils) => {
        const f = PerShareFee.fromConfig({ per_share: text(BigInt(perMils), 4), min: '1', max_pct: '1' }).fee(feeCtx(AAPL, String(shares), text(BigInt(cents), 2)));
        const notionalCents = BigInt(shares) * BigInt(cents);
        return f.raw >= 0n && f.raw * 100n <= notionalCents + 50n && f.currency.code === 'USD';
      }),
    );
  });
});
