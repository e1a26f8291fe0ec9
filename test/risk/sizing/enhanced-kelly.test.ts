import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { enhancedKelly, type EnhancedKellyOptions } from '../../../src/risk/sizing/index.ts';
import { aaplCtx, btcCtx, BTCUSDT, expectInvalidField } from './fixtures.ts';

// Worked by hand: W 0.55, R 2/1 → f* = 0.55 - 0.45 / 2 = 0.325; × kellyFraction 0.5 = 0.1625;
// volScale = 10 / 12.5 = 0.8; × regime 0.9 → 0.1625 × 0.8 × 0.9 = 0.117.
const EDGE: EnhancedKellyOptions = { winRate: 0.55, avgWin: 2, avgLoss: 1, averageAtr: 10, currentAtr: 12.5, regimeQuality: 0.9, stopDistance: 500 };

describe('enhanced Kelly', () => {
  it('caps at the default 2%: 0.117 → 0.02 × 100 000 = 2 000 / 500 stop = 4 BTC', () => {
    const r = enhancedKelly(btcCtx(), EDGE);
    expect(r.method).toBe('enhanced-kelly');
    expect(r.riskPct).toBe(0.02);
    expect(r.riskAmount).toBe(2000);
    expect(r.quantity.toString()).toBe('4.00000');
  });

  it('records every step in order with its value', () => {
    const r = enhancedKelly(btcCtx(), EDGE);
    const v = Object.fromEntries(r.audit.map((a) => [a.step, a.value]));
    expect(r.audit.map((a) => a.step)).toEqual([
      'balance', 'price', 'valuePerPoint', 'winRate', 'payoffRatio', 'kelly', 'fractionalKelly', 'volScale.raw', 'volScale',
      'regimeQuality', 'riskPct.uncapped', 'riskPct', 'riskAmount', 'riskPerUnit', 'units', 'quantity.floored', 'notional',
      'estimatedMargin', 'marginUtilization',
    ]);
    expect(v.kelly).toBeCloseTo(0.325, 15);
    expect(v.fractionalKelly).toBeCloseTo(0.1625, 15);
    expect(v.volScale).toBeCloseTo(0.8, 15);
    expect(v['riskPct.uncapped']).toBeCloseTo(0.117, 15);
    expect(v.riskPerUnit).toBe(500);
  });

  it('below the cap: riskPct 0.117 of 100 000 = 11 700 / 7.00 stop = 1 671.4 → 1 671 shares', () => {
    const r = enhancedKelly(aaplCtx({ balance: 100_000 }), { ...EDGE, riskCap: 0.2, stopDistance: 7 });
    expect(r.riskPct).toBeCloseTo(0.117, 15);
    expect(r.quantity.toString()).toBe('1671');
  });

  it('clamps the volatility scale to [0.5, 1.5]: ATR 5 vs average 10 → 2 → 1.5; ATR 40 → 0.25 → 0.5', () => {
    const calm = enhancedKelly(btcCtx(), { ...EDGE, currentAtr: 5, riskCap: 1 });
    expect(calm.audit.find((a) => a.step === 'volScale')?.value).toBe(1.5);
    expect(calm.riskPct).toBeCloseTo(0.1625 * 1.5 * 0.9, 15);
    const wild = enhancedKelly(btcCtx(), { ...EDGE, currentAtr: 40, riskCap: 1 });
    expect(wild.audit.find((a) => a.step === 'volScale')?.value).toBe(0.5);
    const custom = enhancedKelly(btcCtx(), { ...EDGE, currentAtr: 40, riskCap: 1, minVolScale: 0.2 });
    expect(custom.audit.find((a) => a.step === 'volScale')?.value).toBe(0.25);
  });

  it('trades nothing when Kelly <= 0 or the regime quality is 0', () => {
    const noEdge = enhancedKelly(btcCtx(), { ...EDGE, winRate: 0.3 }); // 0.3 - 0.7 / 2 = -0.05
    expect(noEdge.quantity.isZero()).toBe(true);
    expect(noEdge.audit.at(-4)).toMatchObject({ step: 'decision', value: 'no-trade' });
    expect(enhancedKelly(btcCtx(), { ...EDGE, regimeQuality: 0 }).quantity.isZero()).toBe(true);
  });

  it('refuses bad inputs with INVALID_FIELD naming the field', () => {
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, winRate: 1.01 }), 'winRate');
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, stopDistance: 0 }), 'stopDistance');
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, currentAtr: 0 }), 'currentAtr');
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, averageAtr: -1 }), 'averageAtr');
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, regimeQuality: 1.1 }), 'regimeQuality');
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, riskCap: -0.01 }), 'riskCap');
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, kellyFraction: 0 }), 'kellyFraction');
    expectInvalidField(() => enhancedKelly(btcCtx(), { ...EDGE, minVolScale: 2, maxVolScale: 1 }), 'minVolScale');
    expectInvalidField(() => enhancedKelly(btcCtx({ balance: -100 }), EDGE), 'balance');
  });

  it('property: the quantity is on the lot grid and never risks more than the cap', () => {
    fc.assert(
      fc.property(
        fc.record({
          balance: fc.double({ min: 0, max: 1e8, noNaN: true }),
          winRate: fc.double({ min: 0, max: 1, noNaN: true }),
          avgWin: fc.double({ min: 0.01, max: 100, noNaN: true }),
          avgLoss: fc.double({ min: 0.01, max: 100, noNaN: true }),
          currentAtr: fc.double({ min: 0.01, max: 1000, noNaN: true }),
          averageAtr: fc.double({ min: 0.01, max: 1000, noNaN: true }),
          regimeQuality: fc.double({ min: 0, max: 1, noNaN: true }),
          riskCap: fc.double({ min: 0, max: 0.1, noNaN: true }),
          stopDistance: fc.double({ min: 0.01, max: 5000, noNaN: true }),
        }),
        (o) => {
          const r = enhancedKelly(btcCtx({ balance: o.balance }), o);
          expect(r.quantity.raw % BTCUSDT.lotSize.raw).toBe(0n);
          expect(r.riskPct).toBeLessThanOrEqual(o.riskCap);
          const capImplied = (o.balance * o.riskCap) / o.stopDistance;
          expect(r.quantity.toNumber()).toBeLessThanOrEqual(capImplied * (1 + 1e-12));
          if (o.winRate - (1 - o.winRate) / (o.avgWin / o.avgLoss) <= 0) expect(r.quantity.isZero()).toBe(true);
          expect(typeof (JSON.parse(JSON.stringify(r)) as { quantity: unknown }).quantity).toBe('string');
        },
      ),
    );
  });
});
