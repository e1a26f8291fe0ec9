import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Instrument } from '../../../../src/model/instrument.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import type { OrderSide } from '../../../../src/model/orders/types.ts';
import { Price, Quantity } from '../../../../src/model/values.ts';
import { SLIPPAGE_MODELS } from '../../../../src/venues/sim/models/index.ts';
import { FixedBpsSlippage, type SlippageContext, type SlippageModel } from '../../../../src/venues/sim/models/slippage.ts';
import { BTCUSDT } from './fixtures.ts';

/** BTCUSDT (tick 0.01) and a coarse-tick instrument (tick 0.05, lot 0.001). */
const COARSE = new Instrument({ id: 'ETHUSDT.SIM', kind: 'SPOT', base: Currencies.ETH, quote: Currencies.USDT, tickSize: '0.05', lotSize: '0.001' });

const models: fc.Arbitrary<SlippageModel> = fc.oneof(
  fc.constant(SLIPPAGE_MODELS.none()),
  fc.integer({ min: 0, max: 500 }).map((bps) => SLIPPAGE_MODELS.fixed_bps({ bps })),
  fc.integer({ min: 0, max: 200 }).map((s) => SLIPPAGE_MODELS.spread({ spread_bps: s })),
  fc.integer({ min: 1, max: 100 }).map((pct) => SLIPPAGE_MODELS.volume_share({ max_volume_pct: pct, price_impact: 0.2 })),
  fc.double({ min: 0, max: 3, noNaN: true }).map((k) => SLIPPAGE_MODELS.sqrt_impact({ k, volatility: 0.03 })),
  fc.double({ min: 0, max: 2, noNaN: true }).map((multiplier) => SLIPPAGE_MODELS.volatility({ multiplier, volatility: 0.01 })),
  fc.constantFrom('NONE', 'FIXED', 'REALISTIC').map((preset) => SLIPPAGE_MODELS.percent({ preset })),
);

const contexts: fc.Arbitrary<SlippageContext> = fc
  .record({
    instrument: fc.constantFrom(BTCUSDT, COARSE),
    side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
    ticks: fc.bigInt({ min: 1n, max: 10n ** 9n }),
    lots: fc.bigInt({ min: 1n, max: 10n ** 7n }),
    volLots: fc.bigInt({ min: 1n, max: 10n ** 10n }),
  })
  .map(({ instrument, side, ticks, lots, volLots }) => ({
    instrument,
    side,
    referencePrice: Price.fromRaw(ticks * instrument.tickSize.raw, instrument.pricePrecision),
    quantity: Quantity.fromRaw(lots * instrument.lotSize.raw, instrument.sizePrecision),
    barVolume: Quantity.fromRaw(volLots * instrument.lotSize.raw, instrument.sizePrecision),
    volume24h: Quantity.fromRaw(volLots * instrument.lotSize.raw * 24n, instrument.sizePrecision),
  }));

describe('slippage properties', () => {
  it('never improves the price for the trader (buy ≥ reference, sell ≤ reference) and always lands on the tick grid', () => {
    fc.assert(
      fc.property(models, contexts, (m, c) => {
        const r = m.slip(c);
        const onGrid = r.price.raw % c.instrument.tickSize.raw === 0n && r.price.precision === c.instrument.pricePrecision;
        const against = c.side === 'BUY' ? r.price.cmp(c.referencePrice) >= 0 : r.price.cmp(c.referencePrice) <= 0;
        return onGrid && against;
      }),
      { numRuns: 500 },
    );
  });

  it('fills plus unfilled is always the order quantity, both on the lot grid', () => {
    fc.assert(
      fc.property(models, contexts, (m, c) => {
        const r = m.slip(c);
        const lot = c.instrument.lotSize.raw;
        return r.fillQty.add(r.unfilledQty).eq(c.quantity) && r.fillQty.raw % lot === 0n && r.unfilledQty.raw % lot === 0n;
      }),
      { numRuns: 300 },
    );
  });

  it('fixed bps rounds by less than one tick beyond the exact model price ref × (1 ± bps/10,000)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), contexts, (bps, c) => {
        const r = new FixedBpsSlippage({ digits: BigInt(bps), scale: 0 }).slip(c);
        // everything × 10,000 so the model price is an integer in raw units
        const model = c.referencePrice.raw * (10_000n + (c.side === 'BUY' ? 1n : -1n) * BigInt(bps));
        const diff = (r.price.raw * 10_000n - model) * (c.side === 'BUY' ? 1n : -1n);
        const tick = c.instrument.tickSize.raw * 10_000n;
        // a sell clamped to one tick (model ≤ 0) is the only case above one tick
        return (diff >= 0n && diff < tick) || (c.side === 'SELL' && r.price.raw === c.instrument.tickSize.raw);
      }),
      { numRuns: 500 },
    );
  });
});
