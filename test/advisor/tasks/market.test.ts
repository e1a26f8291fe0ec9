import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { marketFeatures, marketRequest, type MarketFeatures } from '../../../src/advisor/tasks/market.ts';
import type { Bar } from '../../../src/model/bar.ts';
import { realBars, ScriptedConsultant } from '../support.ts';

let btc: Bar[];
let nvda: Bar[];
beforeAll(async () => {
  btc = await realBars('binanceus-BTCUSDT-1m-2023-03-01_21.csv', 'BTCUSDT.BINANCEUS', 3_000);
  nvda = await realBars('yahoo-NVDA-1d-1999_2014.csv', 'NVDA.NASDAQ', 600);
});

const scope = { instruments: ['BTCUSDT.BINANCEUS'], positions: [] };
const scale = (bars: readonly Bar[], k: number): Bar[] => bars.map((b) => ({ ...b, open: String(Number(b.open) * k), high: String(Number(b.high) * k), low: String(Number(b.low) * k), close: String(Number(b.close) * k) }));
const close = (a: number | null, b: number | null, rel = 1e-6) => (a === null || b === null ? a === b : Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b)));

describe('market features from real bars', () => {
  it('computes returns, volatility, ATR, RSI, ADX and MA slopes of 200 BTCUSDT minute bars, checked by hand', () => {
    const bars = btc.slice(0, 200);
    const f = marketFeatures(bars);
    const closes = bars.map((b) => Number(b.close));
    expect(f.bars).toBe(200);
    expect(f.lastClose).toBe(closes[199]);
    expect(f.returns.total).toBeCloseTo(closes[199]! / closes[0]! - 1, 6);
    // realised volatility by hand: sample stdev of log returns
    const logs = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
    const m = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1));
    expect(f.realisedVolatility.perBar).toBeCloseTo(sd, 8);
    // minute bars: ~525,960 per year
    expect(f.realisedVolatility.periodsPerYear).toBeGreaterThan(500_000);
    // SMA(20) of the last 20 closes
    const sma = closes.slice(-20).reduce((a, b) => a + b, 0) / 20;
    expect(f.sma.value).toBeCloseTo(sma, 2);
    expect(f.rsi).toBeGreaterThanOrEqual(0);
    expect(f.rsi).toBeLessThanOrEqual(100);
    expect(f.adx).toBeGreaterThan(0);
    expect(f.atrPct).toBeCloseTo(((f.atr ?? 0) / f.lastClose) * 100, 4);
    expect(f.barSeconds).toBe(60);
  });

  it('reads NVDA daily bars in 1999-2001 with an annualisation near 252 a year', () => {
    const f = marketFeatures(nvda.slice(0, 300));
    expect(f.realisedVolatility.periodsPerYear).toBeGreaterThan(240);
    expect(f.realisedVolatility.periodsPerYear).toBeLessThan(370);
    expect(f.realisedVolatility.annualised).toBeGreaterThan(0.3);
  });

  it('property: features are scale-free (prices × k leave returns, volatility, ATR%, RSI, ADX, slopes unchanged) and bounded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: btc.length - 120 }), fc.integer({ min: 60, max: 120 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (start, len, k) => {
        const bars = btc.slice(start, start + len);
        const a = marketFeatures(bars);
        const b = marketFeatures(scale(bars, k));
        const same = (x: number | null, y: number | null) => close(x, y, 1e-4);
        expect(same(a.returns.total, b.returns.total)).toBe(true);
        expect(same(a.realisedVolatility.perBar, b.realisedVolatility.perBar)).toBe(true);
        expect(same(a.atrPct, b.atrPct)).toBe(true);
        expect(same(a.rsi, b.rsi)).toBe(true);
        expect(same(a.adx, b.adx)).toBe(true);
        expect(same(a.sma.slopePctPerBar, b.sma.slopePctPerBar)).toBe(true);
        for (const f of [a, b]) {
          expect(f.realisedVolatility.perBar!).toBeGreaterThanOrEqual(0);
          expect(f.rsi!).toBeGreaterThanOrEqual(0);
          expect(f.rsi!).toBeLessThanOrEqual(100);
          expect(f.adx!).toBeGreaterThanOrEqual(0);
          expect(f.adx!).toBeLessThanOrEqual(100);
          expect(f.volatilityPercentile!).toBeGreaterThanOrEqual(0);
          expect(f.volatilityPercentile!).toBeLessThanOrEqual(100);
          expect(f.efficiencyRatio!).toBeGreaterThanOrEqual(0);
          expect(f.efficiencyRatio!).toBeLessThanOrEqual(1 + 1e-9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('property: a straight rising line is a trend: efficiency 1, positive slopes, RSI 100', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0.001, max: 0.01, noNaN: true }), (p0, g) => {
        const bars: Bar[] = Array.from({ length: 80 }, (_, i) => {
          const c = p0 * (1 + g) ** i;
          return { instrumentId: 'X.V' as never, ts: i * 60_000, durationMs: 60_000, open: String(c), high: String(c * 1.0005), low: String(c * 0.9995), close: String(c), volume: '1' };
        });
        const f = marketFeatures(bars);
        expect(f.efficiencyRatio).toBeCloseTo(1, 6);
        expect(f.sma.slopePctPerBar!).toBeGreaterThan(0);
        expect(f.ema.slopePctPerBar!).toBeGreaterThan(0);
        expect(f.rsi).toBeCloseTo(100, 3);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses too few bars, bars out of order and non-positive prices with INVALID_FIELD', () => {
    expect(() => marketFeatures(btc.slice(0, 10))).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
    const back = [...btc.slice(0, 100)];
    back[50] = { ...back[50]!, ts: back[10]!.ts };
    expect(() => marketFeatures(back)).toThrow(/time order/);
    const bad = [...btc.slice(0, 100)];
    bad[5] = { ...bad[5]!, close: '-1' };
    expect(() => marketFeatures(bad)).toThrow(/positive/);
  });
});

describe('market request and answer', () => {
  let f: MarketFeatures;
  beforeAll(() => {
    f = marketFeatures(btc.slice(0, 300));
  });

  it('carries the features as data (the record holds them), never in the system text', async () => {
    const c = new ScriptedConsultant(() => ({ answer: { regime: 'range', direction: 'sideways', trendStrength: 'weak', volatility: 'normal', confidence: 0.6, evidence: [{ feature: 'adx', reading: 'ADX is low' }], summary: 'A range.' } }));
    const advice = await c.consult(marketRequest(f, scope));
    expect(advice.ok).toBe(true);
    const req = c.requests[0]!;
    expect((req.data as { features: MarketFeatures }).features).toEqual(f);
    expect(req.system).not.toContain(String(f.lastClose));
    expect(c.records[0]!.promptText).toContain(String(f.adx));
    if (advice.ok) expect(advice.value.proposals).toEqual([]);
  });

  it('drops an answer outside the schema: unknown regime, evidence of a feature Warden did not compute, a proposal of an instrument Warden does not trade', async () => {
    const good = { regime: 'trend', direction: 'up', trendStrength: 'strong', volatility: 'low', confidence: 0.9, evidence: [{ feature: 'adx', reading: 'high' }], summary: 'Up.' };
    for (const bad of [
      { ...good, regime: 'bull' },
      { ...good, evidence: [{ feature: 'moonPhase', reading: 'full' }] },
      { ...good, proposals: [{ action: 'enter', instrumentId: 'DOGE.X', side: 'BUY', quantity: '1', type: 'MARKET', rationale: 'moon' }] },
      { ...good, proposals: [{ action: 'exit', instrumentId: 'BTCUSDT.BINANCEUS', rationale: 'no position held' }] },
      { ...good, confidence: 2 },
    ]) {
      const c = new ScriptedConsultant(() => ({ answer: bad }));
      const advice = await c.consult(marketRequest(f, scope));
      expect(advice).toMatchObject({ ok: false, reason: 'INVALID' });
    }
  });
});
