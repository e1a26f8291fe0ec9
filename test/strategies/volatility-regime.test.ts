import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { parseIndexSeries, readIndexSeries, type IndexPoint } from '../../src/strategies/index-series.ts';
import { compareStat } from '../../src/strategies/stats.ts';
import { nextRegime, VOLATILITY_REGIME_DEFAULTS, VolatilityRegime, volatilityRegimeFactory, type VolatilityRegimeParams } from '../../src/strategies/volatility-regime.ts';
import { expectBadParam, expectDeterministic, units } from './helpers.ts';

const DATA = new URL('../../../shared/data/market/', import.meta.url).pathname;
const NVDA = { file: `${DATA}yahoo-NVDA-1d-1999_2014.csv`, id: 'NVDA.YAHOO' };
const ORCL = `${DATA}yahoo-ORCL-1d-1995_2014.csv`;
const FROM = Date.parse('2006-01-03T00:00:00Z');
const TO = Date.parse('2011-01-01T00:00:00Z');
const DAY = 86_400_000;

interface Daily { date: string; ts: number; open: string; close: number }

function daily(file: string, from = FROM, to = TO): Daily[] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => {
    const c = l.split(',');
    return { date: c[0]!, ts: Date.parse(`${c[0]!}T00:00:00Z`), open: c[1]!, close: Number(c[4]) };
  }).filter((b) => b.ts >= from && b.ts < to);
}

/** Sample sd of the n log returns ending at t × √252, by hand; NaN before n returns. */
function sigma(closes: number[], t: number, n: number): number {
  if (t < n) return Number.NaN;
  const r: number[] = [];
  for (let i = t - n + 1; i <= t; i++) r.push(Math.log(closes[i]! / closes[i - 1]!));
  const m = r.reduce((s, v) => s + v, 0) / n;
  return Math.sqrt((r.reduce((s, v) => s + (v - m) * (v - m), 0) / (n - 1)) * 252);
}

interface Fill { time: number; side: 'BUY' | 'SELL'; qty: bigint; px: bigint; fee: bigint }

/** The documented rule by hand (integer shares, 1e-6 USD, next-open fills, 10 bps fee half-up); `signal(t)` is the regime input or NaN. */
function expected(bars: Daily[], p: VolatilityRegimeParams, signal: (t: number, s: number) => number, cmp: (a: number, b: number) => number): { fills: Fill[]; switches: number; belowCap: number } {
  const closes = bars.map((b) => b.close);
  let cash = 100_000_000_000n;
  let qty = 0n;
  let on = false;
  let switches = 0;
  let belowCap = 0;
  const fills: Fill[] = [];
  const fee = (q: bigint, px: bigint): bigint => (q * px * 10n + 5000n) / 10000n;
  for (let t = 0; t + 1 < bars.length; t++) {
    const s = sigma(closes, t, p.window);
    if (Number.isNaN(s)) continue;
    const x = signal(t, s);
    if (Number.isNaN(x)) continue;
    const was: boolean = on;
    if (cmp(x, p.riskOff) >= 0) on = false;
    else if (cmp(x, p.riskOn) < 0) on = true;
    if (was !== on) switches++;
    const px = units(bars[t + 1]!.open, 6);
    if (!on && qty > 0n) {
      const f = fee(qty, px);
      cash += qty * px - f;
      fills.push({ time: bars[t + 1]!.ts, side: 'SELL', qty, px, fee: f });
      qty = 0n;
    } else if (on && qty === 0n) {
      const frac = Math.min(p.maxFraction, p.targetVol / s);
      if (frac < p.maxFraction) belowCap++;
      const q = BigInt(Math.floor((frac * (Number(cash) / 1e6)) / bars[t]!.close));
      if (q === 0n) continue;
      const f = fee(q, px);
      cash -= q * px + f;
      qty = q;
      fills.push({ time: bars[t + 1]!.ts, side: 'BUY', qty, px, fee: f });
    }
  }
  return { fills, switches, belowCap };
}

const run = (s: VolatilityRegime) =>
  runBacktest({ sources: [{ instrument: instrumentSpecFor(NVDA.id, { feeBps: '10' }), bars: readCsvBars(NVDA.file, { instrumentId: instrumentId(NVDA.id) }) }], strategy: s, cash: '100000', from: FROM, to: TO });

const fillsOf = (r: Awaited<ReturnType<typeof run>>) => r.fills.map((f) => ({ time: f.time, side: f.side, qty: units(f.quantity, 0), px: units(f.price, 6), fee: units(f.fee, 6) }));

describe('volatility-regime on real NVDA daily bars, 2006-2010 (through the 2008 crisis)', () => {
  it('own realised volatility: off at σ ≥ 60%, back on below 45%, sized to a 30% target, fill by fill', async () => {
    const p: VolatilityRegimeParams = { ...VOLATILITY_REGIME_DEFAULTS, riskOff: 0.6, riskOn: 0.45, targetVol: 0.3 };
    const want = expected(daily(NVDA.file), p, (_t, s) => s, compareStat);
    expect(want.switches).toBeGreaterThanOrEqual(4);
    expect(want.fills.length).toBeGreaterThanOrEqual(6);
    // Sizing bites: some entry is below the cap (σ above the 30% target).
    expect(want.belowCap).toBeGreaterThan(0);
    const r = await run(new VolatilityRegime(p));
    expect(fillsOf(r)).toEqual(want.fills);
  });

  it('a user-supplied index (here ORCL\'s own 20-day realised volatility in %, written as a daily CSV): off at ≥ 40, on below 30, never read before its day ends', async () => {
    // The index: ORCL's realised vol, 4 decimals, one row per ORCL trading day.
    const orcl = daily(ORCL, FROM - 60 * DAY);
    const orclCloses = orcl.map((b) => b.close);
    const rowsOut = orcl.map((b, t) => [b.date, sigma(orclCloses, t, 20)] as const).filter(([, v]) => !Number.isNaN(v)).map(([d, v]) => `${d},${(v * 100).toFixed(4)}`);
    const dir = mkdtempSync(join(tmpdir(), 'vix-'));
    const file = join(dir, 'orcl-vol.csv');
    writeFileSync(file, `Date,Value\n${rowsOut.join('\n')}\n`);
    const index = readIndexSeries('volatility-regime', file);
    const byDate = new Map(rowsOut.map((l) => [l.split(',')[0]!, Number(l.split(',')[1])]));
    const p: VolatilityRegimeParams = { ...VOLATILITY_REGIME_DEFAULTS, riskOff: 40, riskOn: 30, targetVol: 0.3 };
    const bars = daily(NVDA.file);
    // A daily NVDA bar (open 00:00 UTC, close 24h later) reads the index row of its own date: it is known at that close.
    let last = Number.NaN;
    const want = expected(bars, p, (t) => (last = byDate.get(bars[t]!.date) ?? last), (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(want.switches).toBeGreaterThanOrEqual(4);
    const r = await run(new VolatilityRegime(p, index));
    expect(fillsOf(r)).toEqual(want.fills);
    // The factory reads the same file.
    expect((volatilityRegimeFactory.create({ index: file }) as VolatilityRegime).index).toEqual(index);
  });

  it('compares an index exactly and realised volatility within 1e-9: equality at riskOff is off, at riskOn keeps the regime', () => {
    const p = { riskOff: 30, riskOn: 20 };
    const exact = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);
    expect(nextRegime('ON', 30, p, exact)).toBe('OFF');
    expect(nextRegime('ON', 29.99, p, exact)).toBe('ON');
    expect(nextRegime('OFF', 20, p, exact)).toBe('OFF');
    expect(nextRegime('ON', 20, p, exact)).toBe('ON');
    expect(nextRegime('OFF', 19.99, p, exact)).toBe('ON');
    // A volatility that is 0.3 in exact arithmetic but 0.30000000000000004 in float64 is AT the threshold: off.
    const q = { riskOff: 0.3, riskOn: 0.2 };
    expect(nextRegime('ON', 0.1 + 0.2, q, compareStat)).toBe('OFF');
    expect(nextRegime('ON', 0.3 * (1 - 1e-12), q, compareStat)).toBe('OFF');
    expect(nextRegime('OFF', 0.2 * (1 - 1e-12), q, compareStat)).toBe('OFF');
    expect(nextRegime('OFF', 0.2 * (1 - 1e-6), q, compareStat)).toBe('ON');
  });

  it('reads an index strictly and never looks ahead', () => {
    const pts: IndexPoint[] = parseIndexSeries('volatility-regime', 'Date,Open,Close\n2020-03-16,70,82.69\n2020-03-17T20:15:00Z,80,75.91\n');
    expect(pts).toEqual([{ knownAt: Date.UTC(2020, 2, 17), value: 82.69 }, { knownAt: Date.UTC(2020, 2, 17, 20, 15), value: 75.91 }]);
    expectBadParam(() => parseIndexSeries('volatility-regime', 'Date,Close\n2020-03-16,abc\n'), 'index');
    expectBadParam(() => parseIndexSeries('volatility-regime', 'Date,Close\n2020-03-17,1\n2020-03-16,2\n'), 'index');
    expectBadParam(() => parseIndexSeries('volatility-regime', 'When,Close\n2020-03-16,1\n'), 'index');
    expectBadParam(() => parseIndexSeries('volatility-regime', 'Date,Close\n2020-03-16 10:00,1\n'), 'index');
    expectBadParam(() => volatilityRegimeFactory.create({ index: '/nonexistent/vix.csv' }), 'index');
  });

  it('is deterministic', async () => {
    await expectDeterministic(() => run(new VolatilityRegime({ ...VOLATILITY_REGIME_DEFAULTS, riskOff: 0.6, riskOn: 0.45 })));
  });

  it('is registered with its defaults and info, and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['volatility-regime']).toBe(volatilityRegimeFactory);
    expect((volatilityRegimeFactory.create({}) as VolatilityRegime).params).toEqual(VOLATILITY_REGIME_DEFAULTS);
    expect((volatilityRegimeFactory.create({}) as VolatilityRegime).index).toBeUndefined();
    expect(volatilityRegimeFactory.family).toBe('volatility');
    expect(volatilityRegimeFactory.params.map((x) => x.name)).toEqual(['index', ...Object.keys(VOLATILITY_REGIME_DEFAULTS)]);
    expectBadParam(() => volatilityRegimeFactory.create({ window: '1' }), 'window');
    expectBadParam(() => volatilityRegimeFactory.create({ riskOff: '0' }), 'riskOff');
    expectBadParam(() => volatilityRegimeFactory.create({ riskOn: '0.5' }), 'riskOn');
    expectBadParam(() => volatilityRegimeFactory.create({ targetVol: '-1' }), 'targetVol');
    expectBadParam(() => volatilityRegimeFactory.create({ maxFraction: '1.5' }), 'maxFraction');
    expectBadParam(() => volatilityRegimeFactory.create({ leverage: '2' }), 'leverage');
  });
});
