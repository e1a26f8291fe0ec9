import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferAnnualisation } from '../../src/backtest/annualisation.ts';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { computeMetrics } from '../../src/backtest/metrics.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import { runBacktestCli } from '../../src/cli/backtest.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { SmaCross } from '../../src/strategies/sma-cross.ts';

const NVDA = new URL('../../../shared/data/market/yahoo-NVDA-1d-1999_2014.csv', import.meta.url).pathname;
const MIN = 60_000;
const DAY = 86_400_000;
const MON = Date.parse('2024-01-01T00:00:00Z'); // a Monday

/** Opens of `days` consecutive calendar days from MON, keeping the weekdays when `weekdaysOnly`. */
function dailyOpens(days: number, weekdaysOnly: boolean): number[] {
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    const wd = new Date(MON + d * DAY).getUTCDay();
    if (!weekdaysOnly || (wd !== 0 && wd !== 6)) out.push(MON + d * DAY);
  }
  return out;
}

describe('annualisation inferred from bar opens', () => {
  it('gives 252 for weekday-only daily bars and 365 for daily bars every day', () => {
    expect(inferAnnualisation(dailyOpens(28, true))).toEqual({ periodsPerYear: 252, basis: 'daily bars, weekdays only' });
    expect(inferAnnualisation(dailyOpens(28, false)).periodsPerYear).toBe(365);
  });

  it('gives 390 × 252 = 98,280 for minute bars of a 14:30–21:00 UTC weekday session over two weeks', () => {
    const opens: number[] = [];
    for (const day of dailyOpens(14, true)) for (let m = 0; m < 390; m++) opens.push(day + 14.5 * 3_600_000 + m * MIN);
    const a = inferAnnualisation(opens);
    expect(a.periodsPerYear).toBe(98_280);
    expect(a.basis).toBe('1-minute bars, 390 a day × 252 days (weekdays only)');
  });

  it('gives 1,440 × 365 = 525,600 for 24/7 minute bars, and takes under a week of minute bars as 24/7', () => {
    const twoWeeks = Array.from({ length: 14 * 1440 }, (_, i) => MON + i * MIN);
    expect(inferAnnualisation(twoWeeks).periodsPerYear).toBe(525_600);
    const oneDaySession = Array.from({ length: 390 }, (_, i) => MON + 14.5 * 3_600_000 + i * MIN);
    expect(inferAnnualisation(oneDaySession).periodsPerYear).toBe(525_600);
  });

  it('gives 12 for monthly bars and 365 ÷ 7 for weekly bars', () => {
    const months = Array.from({ length: 24 }, (_, i) => Date.UTC(2020, i, 1));
    expect(inferAnnualisation(months).periodsPerYear).toBe(12);
    const weeks = Array.from({ length: 10 }, (_, i) => MON + i * 7 * DAY);
    expect(inferAnnualisation(weeks).periodsPerYear).toBeCloseTo(365 / 7, 12);
  });

  it('reads a curve stamped at bar closes as bars opening the day before: Friday bars closing Saturday 00:00 are weekday bars', () => {
    // Daily weekday bars: the equity points are the start (Monday's open) then each close, so the
    // Friday bar's point is Saturday 00:00 and Monday's open follows Saturday's.
    const opens = dailyOpens(28, true);
    const times = [opens[0]!, ...opens.map((t) => t + DAY)];
    expect(times.some((t) => new Date(t).getUTCDay() === 6)).toBe(true);
    const m = computeMetrics({ times, equity: times.map((_, i) => 100 + i), tradePnls: [], bars: opens.length, exposureBars: 0, feesPaid: '0', breakerTrips: 0 });
    expect(m.periodsPerYear).toBe(252);
  });
});

/** The NVDA file read by hand: first and last date, and the number of rows. */
function nvdaDates(): { first: number; last: number; rows: number } {
  const rows = readFileSync(NVDA, 'utf8').trim().split('\n').slice(1);
  const day = (row: string): number => Date.parse(`${row.slice(0, row.indexOf(','))}T00:00:00Z`);
  return { first: day(rows[0]!), last: day(rows.at(-1)!), rows: rows.length };
}

describe('NVDA daily bars 1999–2014', () => {
  const run = () =>
    runBacktest({
      sources: [{ instrument: instrumentSpecFor('NVDA.NASDAQ', { feeBps: '10' }), bars: readCsvBars(NVDA, { instrumentId: instrumentId('NVDA.NASDAQ') }) }],
      strategy: new SmaCross({ fast: 10, slow: 30, fraction: 0.95 }),
      cash: '100000',
      keepBars: false,
      maxEquityPoints: Infinity,
    });

  it('annualise with 252 trading days: CAGR over the 15.94 calendar years, Sharpe × √252', async () => {
    const r = await run();
    const { first, last, rows } = nvdaDates();
    expect(r.bars).toBe(rows);
    expect(r.metrics.periodsPerYear).toBe(252);
    expect(r.metrics.annualisation).toBe('daily bars, weekdays only');
    // From the first day's open to the last day's close (the next midnight), in 365.25-day years.
    const years = (last + DAY - first) / (365.25 * DAY);
    expect(years).toBeCloseTo(15.94, 2);
    const growth = Number(r.finalEquity) / Number(r.initialEquity);
    expect(r.metrics.cagr!).toBeCloseTo(growth ** (1 / years) - 1, 10);
    // Not the bars ÷ 365 "years" of the old inference (26.88% on this file before the venue refused unaffordable gap buys).
    expect(growth ** (365 / r.bars) - 1 - r.metrics.cagr!).toBeGreaterThan(0.05);
    // Sharpe by hand from the per-bar equity: mean / sample sd × √252.
    const v = r.equity.values;
    const ret = v.slice(1).map((x, i) => x / v[i]! - 1);
    const mean = ret.reduce((a, b) => a + b, 0) / ret.length;
    const sd = Math.sqrt(ret.reduce((a, b) => a + (b - mean) ** 2, 0) / (ret.length - 1));
    expect(r.metrics.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 8);
    expect((mean / sd) * Math.sqrt(365) - r.metrics.sharpe!).toBeGreaterThan(0.1);
  });

  it('print the annualisation in the summary table, summary.json and report.html', async () => {
    const out = mkdtempSync(join(tmpdir(), 'warden-ann-'));
    const lines: string[] = [];
    const s = await runBacktestCli({ data: [`${NVDA}@NVDA.NASDAQ`], strategy: 'sma-cross', param: [], cash: '100000', feeBps: '10', seed: '1', out }, (l) => lines.push(l));
    expect(s.periodsPerYear).toBe(252);
    expect(lines).toContain('  annualisation      252 bars / year: daily bars, weekdays only');
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(json.periodsPerYear).toBe(252);
    expect(json.annualisation).toBe('daily bars, weekdays only');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<th>Annualisation</th><td>252 bars / year: daily bars, weekdays only</td>');
  });
});
