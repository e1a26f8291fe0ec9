/**
 * Real data: NVDA daily prices 1999-01-22 .. 2014-12-31 (Yahoo, 4 012 rows), read in place.
 * Every expected figure is computed a second, independent way in this file (plain loops, integer
 * quantile ranks) and also stated as a number, so a change in either shows up.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  historicalCVaR,
  historicalVaR,
  maxDrawdown,
  monteCarloVaR,
  mulberry32,
  parametricVaR,
  sharpeRatio,
  simpleReturns,
} from '../../../src/risk/analytics/index.ts';
import { Z95, Z99 } from './helpers.ts';

const CSV = '/work/shared/data/market/yahoo-NVDA-1d-1999_2014.csv';

function adjCloses(): { dates: string[]; closes: number[] } {
  const [header, ...rows] = readFileSync(CSV, 'utf8').trim().split('\n');
  const col = (header ?? '').split(',').indexOf('Adj Close');
  const dates: string[] = [];
  const closes: number[] = [];
  for (const row of rows) {
    const cells = row.split(',');
    dates.push(cells[0] ?? '');
    closes.push(Number(cells[col]));
  }
  return { dates, closes };
}

const { dates, closes } = adjCloses();
const returns = simpleReturns(closes);

// ---- the second implementation: as plain as possible ----
function plainReturns(p: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < p.length; i++) out.push((p[i] as number) / (p[i - 1] as number) - 1);
  return out;
}
/** Historical VaR with k = ceil(n × tailPercent / 100) in integer arithmetic. */
function plainHistVaR(r: number[], tailPercent: number): { var: number; cvar: number } {
  const s = [...r].sort((a, b) => a - b);
  const k = Math.ceil((s.length * tailPercent) / 100);
  let tail = 0;
  for (let i = 0; i < k; i++) tail += s[i] as number;
  return { var: -(s[k - 1] as number), cvar: -tail / k };
}
function plainSd(r: number[]): number {
  let m = 0;
  for (const x of r) m += x;
  m /= r.length;
  let v = 0;
  for (const x of r) v += (x - m) * (x - m);
  return Math.sqrt(v / (r.length - 1));
}
function plainWindows(r: number[], h: number): number[] {
  const out: number[] = [];
  for (let t = 0; t + h <= r.length; t++) {
    let g = 1;
    for (let k = 0; k < h; k++) g *= 1 + (r[t + k] as number);
    out.push(g - 1);
  }
  return out;
}

describe('NVDA daily returns 1999-2014', () => {
  it('has 4 012 prices and 4 011 returns, all finite', () => {
    expect(closes).toHaveLength(4012);
    expect(dates[0]).toBe('1999-01-22');
    expect(returns).toEqual(plainReturns(closes));
    expect(returns.every(Number.isFinite)).toBe(true);
  });

  it('historical 1-day VaR: 95% = 5.897% (201st worst of 4 011), 99% = 9.979% (41st worst)', () => {
    const p95 = plainHistVaR(returns, 5);
    const p99 = plainHistVaR(returns, 1);
    expect(historicalVaR(returns, { confidence: 0.95 })).toBe(p95.var);
    expect(historicalVaR(returns, { confidence: 0.99 })).toBe(p99.var);
    expect(historicalCVaR(returns, { confidence: 0.95 })).toBeCloseTo(p95.cvar, 14);
    expect(p95.var).toBeCloseTo(0.05897, 5);
    expect(p99.var).toBeCloseTo(0.09979, 5);
    expect(p95.cvar).toBeCloseTo(0.08806, 5);
  });

  it('parametric 1-day VaR: σ = 4.1646% → 95% = 6.850%, 99% = 9.688%', () => {
    const sd = plainSd(returns);
    expect(sd).toBeCloseTo(0.041646, 6);
    expect(parametricVaR(returns, { confidence: 0.95 })).toBeCloseTo(Z95 * sd, 14);
    expect(parametricVaR(returns, { confidence: 0.99 })).toBeCloseTo(Z99 * sd, 14);
    expect(Z95 * sd).toBeCloseTo(0.0685, 4);
    expect(Z99 * sd).toBeCloseTo(0.09688, 5);
  });

  it('shows fat tails: the normal model overstates the 95% loss but understates the 99% loss', () => {
    expect(historicalVaR(returns, { confidence: 0.95 })).toBeLessThan(parametricVaR(returns, { confidence: 0.95 }));
    expect(historicalVaR(returns, { confidence: 0.99 })).toBeGreaterThan(parametricVaR(returns, { confidence: 0.99 }));
  });

  it('5- and 30-day historical VaR from overlapping windows: 95% 5-day = 13.08%, 30-day = 30.09%', () => {
    const w5 = plainHistVaR(plainWindows(returns, 5), 5);
    const w30 = plainHistVaR(plainWindows(returns, 30), 5);
    expect(historicalVaR(returns, { confidence: 0.95, horizon: 5 })).toBeCloseTo(w5.var, 14);
    expect(historicalVaR(returns, { confidence: 0.95, horizon: 30 })).toBeCloseTo(w30.var, 14);
    expect(w5.var).toBeCloseTo(0.1308, 4);
    expect(w30.var).toBeCloseTo(0.3009, 4);
  });

  it('Monte Carlo 1-day 95% VaR (seed 42, 10 000 paths) is within 2% of the parametric 6.850%', () => {
    const mc = monteCarloVaR(returns, { rng: mulberry32(42), confidence: 0.95 });
    expect(Math.abs(mc.var / (Z95 * plainSd(returns)) - 1)).toBeLessThan(0.02);
  });

  it('max drawdown of the adjusted close: -89.72% from 2002-01-03 to 2002-10-09, recovered 2006-11-13', () => {
    const dd = maxDrawdown(closes, dates);
    let peak = closes[0] as number;
    let worst = 0;
    for (const c of closes) {
      peak = Math.max(peak, c);
      worst = Math.max(worst, (peak - c) / peak);
    }
    expect(dd.depth).toBeCloseTo(worst, 15);
    expect(dd.depth).toBeCloseTo(0.89722, 5);
    expect(dd).toMatchObject({ peakTime: '2002-01-03', troughTime: '2002-10-09', recoveryTime: '2006-11-13', duration: 1225 });
    // Sharpe (rf 0, √252): mean / sample sd × √252 = 0.0014968 / 0.0416456 × 15.8745 ≈ 0.5706.
    expect(sharpeRatio(returns)).toBeCloseTo(0.5706, 4);
  });
});
