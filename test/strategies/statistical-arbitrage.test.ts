import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { basketStat, STATISTICAL_ARBITRAGE_DEFAULTS, StatisticalArbitrage, statisticalArbitrageFactory, type StatisticalArbitrageParams } from '../../src/strategies/statistical-arbitrage.ts';
import { adfStatistic, ols } from '../../src/strategies/stats.ts';
import { BTCUSDC, BTCUSDT, expectBadParam, expectDeterministic, rows, START, units } from './helpers.ts';

const DATA = new URL('../../../shared/data/market/', import.meta.url).pathname;
const BTCUSD = { file: `${DATA}binanceus-BTCUSD-1m-2023-03-01_21.csv`, id: 'BTCUSD.BINANCEUS' };
const LEGS = [BTCUSDT, BTCUSDC, BTCUSD];
const TO = START + 2 * 86_400_000; // 2,880 minute bars of each
const P = STATISTICAL_ARBITRAGE_DEFAULTS; // lookback 120, adfLags 1, adfCritical −3.74, entry 2, exit 0.5, fraction 0.95

/** Every leg settles in USDT (USDC and USD taken at par: the runner wants one settlement currency). */
function source(leg: { file: string; id: string }) {
  const s = instrumentSpecFor(leg.id, { feeBps: '10' });
  return { instrument: { ...s, quote: instrumentSpecFor(BTCUSDT.id).quote }, bars: readCsvBars(leg.file, { instrumentId: instrumentId(leg.id) }) };
}
const run = (p = P) => runBacktest({ sources: LEGS.map(source), strategy: new StatisticalArbitrage(p), cash: '100000', to: TO });

interface Fill { id: string; time: number; side: 'BUY' | 'SELL'; qty: bigint; px: bigint; fee: bigint }

/** The documented rule by hand over the two days: the fills it sends, and how often each branch was taken. */
function expected(P: StatisticalArbitrageParams): { fills: Fill[]; entries: { y: number; x: number; refused: number; notCointegrated: number } } {
  const legs = LEGS.map((l) => rows(l.file, TO));
  expect(legs[1]!.map((b) => b.ts)).toEqual(legs[0]!.map((b) => b.ts));
  expect(legs[2]!.map((b) => b.ts)).toEqual(legs[0]!.map((b) => b.ts));
  const n = legs[0]!.length;
  let cash = 100_000n * 100_000_000n;
  const held = new Map<number, bigint>();
  const fills: Fill[] = [];
  const fee = (q: bigint, px: bigint): bigint => (q * px * 10n * 10n + 5000n) / 10000n;
  const entries = { y: 0, x: 0, refused: 0, notCointegrated: 0 };
  for (let t = P.lookback - 1; t + 1 < n; t++) {
    const win = Array.from({ length: P.lookback }, (_, i) => legs.map((l) => l[t - P.lookback + 1 + i]!.close));
    const st = basketStat(win.map((r) => r[0]!), win.map((r) => r.slice(1)), P.adfLags);
    if (!st) continue;
    const px = (leg: number) => units(legs[leg]![t + 1]!.open, 2);
    const close = (leg: number) => legs[leg]![t]!.close;
    const send = (leg: number, side: 'BUY' | 'SELL', qty: bigint) => {
      const f = fee(qty, px(leg));
      cash += side === 'BUY' ? -(qty * px(leg) * 10n + f) : qty * px(leg) * 10n - f;
      fills.push({ id: LEGS[leg]!.id, time: legs[leg]![t + 1]!.ts, side, qty, px: px(leg), fee: f });
    };
    if (held.has(0)) {
      if (st.z >= -P.exit) {
        send(0, 'SELL', held.get(0)!);
        held.clear();
      }
      continue;
    }
    if (held.size > 0) {
      if (st.z <= P.exit) for (const [leg, q] of held) send(leg, 'SELL', q);
      if (st.z <= P.exit) held.clear();
      continue;
    }
    const equity = Number(cash) / 1e8;
    if (!(st.adf < P.adfCritical)) entries.notCointegrated++;
    if (Math.abs(st.z) > P.entry && !(st.adf < P.adfCritical)) entries.refused++;
    if (!(st.adf < P.adfCritical)) continue;
    if (st.z < -P.entry) {
      const q = units(String((P.fraction * equity) / close(0)), 5);
      send(0, 'BUY', q);
      held.set(0, q);
      entries.y++;
    } else if (st.z > P.entry) {
      const longs = [1, 2].filter((leg) => st.coef[leg]! > 0);
      const total = longs.reduce((s, leg) => s + st.coef[leg]! * close(leg), 0);
      for (const leg of longs) {
        const q = units(String((((st.coef[leg]! * close(leg)) / total) * P.fraction * equity) / close(leg)), 5);
        if (q === 0n) continue;
        send(leg, 'BUY', q);
        held.set(leg, q);
      }
      entries.x++;
    }
  }
  return { fills, entries };
}

describe('the Engle–Granger pieces', () => {
  it('OLS recovers the weights of an exactly linear basket', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })), { minLength: 8, maxLength: 40 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }), (xs, a, b1, b2) => {
      const fit = ols(xs.map(([u, v]) => a + b1 * u + b2 * v), xs.map(([u, v]) => [1, u, v]));
      fc.pre(fit !== null);
      expect(fit.coef[0]).toBeCloseTo(a, 6);
      expect(fit.coef[1]).toBeCloseTo(b1, 6);
      expect(fit.coef[2]).toBeCloseTo(b2, 6);
    }));
    expect(ols([1, 2, 3, 4], [[1, 2], [1, 2], [1, 2], [1, 2]])).toBeNull(); // a constant regressor: singular
  });

  it('the Dickey–Fuller statistic without lags is γ̂ / se(γ̂) of Δe on e₋₁, by the closed form', () => {
    const e = [0.5, -0.2, 0.9, 0.1, -0.7, 0.3, 0.2, -0.4, 0.6, -0.1];
    let sxy = 0;
    let sxx = 0;
    for (let t = 1; t < e.length; t++) {
      sxy += e[t - 1]! * (e[t]! - e[t - 1]!);
      sxx += e[t - 1]! * e[t - 1]!;
    }
    const g = sxy / sxx;
    let rss = 0;
    for (let t = 1; t < e.length; t++) rss += (e[t]! - e[t - 1]! - g * e[t - 1]!) ** 2;
    expect(adfStatistic(e, 0)).toBeCloseTo(g / Math.sqrt(rss / (e.length - 2) / sxx), 12);
    // A strongly mean-reverting series rejects a unit root; a random walk's cumulative sum does not.
    expect(adfStatistic(e, 0)).toBeLessThan(-3);
    const walk = e.reduce<number[]>((acc, v) => [...acc, (acc.at(-1) ?? 0) + v + 0.3], []);
    expect(adfStatistic(walk, 0)).toBeGreaterThan(-3);
  });
});

describe('statistical-arbitrage on real BTCUSDT (Y), BTCUSDC and BTCUSD minute bars (2023-03-01 .. 03-02)', () => {
  const fillsOf = (r: Awaited<ReturnType<typeof run>>) => r.fills.map((f) => ({ id: f.instrumentId, time: f.time, side: f.side, qty: units(f.quantity, 5), px: units(f.price, 2), fee: units(f.fee, 8) }));

  it('trades exactly as documented: long-only legs on the z-score of the rolling Engle–Granger spread while ADF < −3.74, fill by fill', async () => {
    const { fills, entries } = expected(P);
    expect(entries.y).toBeGreaterThan(2);
    expect(entries.x).toBeGreaterThan(2);
    // Three quotes of one asset: every 120-minute window is cointegrated at 5%.
    expect(entries.notCointegrated).toBe(0);
    expect(fillsOf(await run())).toEqual(fills);
  });

  it('holds back entries while the ADF test does not reject a unit root (a stricter critical value, −7)', async () => {
    const strict = { ...P, adfCritical: -7 };
    const { fills, entries } = expected(strict);
    expect(entries.refused).toBeGreaterThan(0);
    expect(entries.y + entries.x).toBeGreaterThan(2);
    expect(fillsOf(await run(strict))).toEqual(fills);
  });

  it('is deterministic', async () => {
    await expectDeterministic(() => run());
  });

  it('needs a basket of three', async () => {
    await expect(runBacktest({ sources: [BTCUSDT, BTCUSDC].map(source), strategy: new StatisticalArbitrage(P), cash: '100000', to: START + 3_600_000 })).rejects.toThrow(/three or more/);
  });

  it('is registered with its defaults and info, and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['statistical-arbitrage']).toBe(statisticalArbitrageFactory);
    expect((statisticalArbitrageFactory.create({}) as StatisticalArbitrage).params).toEqual(P);
    expect(statisticalArbitrageFactory.family).toBe('arbitrage');
    expect(statisticalArbitrageFactory.params.map((p) => [p.name, Number(p.default)])).toEqual(Object.entries(P));
    expectBadParam(() => statisticalArbitrageFactory.create({ lookback: '10' }), 'lookback');
    expectBadParam(() => statisticalArbitrageFactory.create({ adfLags: '-1' }), 'adfLags');
    expectBadParam(() => statisticalArbitrageFactory.create({ lookback: '20', adfLags: '6' }), 'adfLags');
    expectBadParam(() => statisticalArbitrageFactory.create({ adfCritical: '1' }), 'adfCritical');
    expectBadParam(() => statisticalArbitrageFactory.create({ entry: '0' }), 'entry');
    expectBadParam(() => statisticalArbitrageFactory.create({ exit: '2' }), 'exit');
    expectBadParam(() => statisticalArbitrageFactory.create({ fraction: '0' }), 'fraction');
    expectBadParam(() => statisticalArbitrageFactory.create({ method: 'johansen' }), 'method');
  });
});
