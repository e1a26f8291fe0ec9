import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BacktestResult } from './runner.ts';
import type { ClosedTrade } from './trades.ts';
import { MonthlyReturns, type Metrics, type MonthlyReturn } from './metrics.ts';
import { breakerLine, deniedText, type BreakerLogEntry } from './risk-log.ts';

/** A breaker trip or reset as summary.json holds it: times ISO 8601. */
export type BreakerSummaryEntry =
  | (Omit<Extract<BreakerLogEntry, { kind: 'TRIPPED' }>, 'time' | 'autoResetAt'> & { readonly time: string; readonly autoResetAt: string | null })
  | (Omit<Extract<BreakerLogEntry, { kind: 'RESET' }>, 'time'> & { readonly time: string });

/** What summary.json holds: money from the ledger as exact strings, ratios as numbers (null when undefined). */
export interface BacktestSummary
  extends Pick<
    Metrics,
    | 'totalReturn'
    | 'cagr'
    | 'annualVolatility'
    | 'sharpe'
    | 'sortino'
    | 'calmar'
    | 'maxDrawdown'
    | 'maxDrawdownDurationBars'
    | 'maxDrawdownDurationMs'
    | 'winRate'
    | 'profitFactor'
    | 'expectancy'
    | 'averageWin'
    | 'averageLoss'
    | 'largestWin'
    | 'largestLoss'
    | 'exposureTime'
    | 'breakerTrips'
  > {
  readonly strategy: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly instruments: readonly string[];
  readonly start: string;
  readonly end: string;
  readonly bars: number;
  readonly currency: string;
  readonly initialEquity: string;
  readonly finalEquity: string;
  readonly feesPaid: string;
  readonly trades: number;
  readonly fills: number;
  readonly deniedOrders: number;
  /** Denied orders by denial code. */
  readonly deniedByCode: Readonly<Record<string, number>>;
  readonly breakerResets: number;
  /** Every breaker trip and reset, in time order. */
  readonly breakers: readonly BreakerSummaryEntry[];
  readonly periodsPerYear: number;
  /** How periodsPerYear was found (given, or inferred from the bar opens). */
  readonly annualisation: string;
  readonly openPositions: readonly { instrumentId: string; quantity: string }[];
  readonly settings: Readonly<Record<string, unknown>>;
}

export function summarize(r: BacktestResult, params: Readonly<Record<string, unknown>> = {}, settings: Readonly<Record<string, unknown>> = {}): BacktestSummary {
  const m = r.metrics;
  return {
    strategy: r.strategy,
    params,
    instruments: r.instruments.map((i) => i.id),
    start: iso(r.startTime),
    end: iso(r.endTime),
    bars: r.bars,
    currency: r.currency,
    initialEquity: r.initialEquity,
    finalEquity: r.finalEquity,
    feesPaid: r.feesPaid,
    trades: r.trades.length,
    fills: r.fills.length,
    totalReturn: m.totalReturn,
    cagr: m.cagr,
    annualVolatility: m.annualVolatility,
    sharpe: m.sharpe,
    sortino: m.sortino,
    calmar: m.calmar,
    maxDrawdown: m.maxDrawdown,
    maxDrawdownDurationBars: m.maxDrawdownDurationBars,
    maxDrawdownDurationMs: m.maxDrawdownDurationMs,
    winRate: m.winRate,
    profitFactor: m.profitFactor,
    expectancy: m.expectancy,
    averageWin: m.averageWin,
    averageLoss: m.averageLoss,
    largestWin: m.largestWin,
    largestLoss: m.largestLoss,
    exposureTime: m.exposureTime,
    breakerTrips: r.breakerTrips,
    deniedOrders: r.denied,
    deniedByCode: r.deniedByCode,
    breakerResets: r.breakerResets,
    breakers: r.breakerLog.map((b) => (b.kind === 'RESET' ? { ...b, time: iso(b.time) } : { ...b, time: iso(b.time), autoResetAt: b.autoResetAt === null ? null : iso(b.autoResetAt) })),
    periodsPerYear: m.periodsPerYear,
    annualisation: m.annualisation,
    openPositions: r.openPositions,
    settings,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export const TRADE_COLUMNS = ['instrument', 'side', 'entry_time', 'entry_price', 'exit_time', 'exit_price', 'quantity', 'gross_pnl', 'fees', 'pnl', 'return_pct'] as const;

/** trades.csv: one row per closed trade, times ISO 8601 UTC, money exact; pnl is net of fees. */
export function tradesCsv(trades: readonly ClosedTrade[]): string {
  const rows = [TRADE_COLUMNS.join(',')];
  for (const t of trades) {
    rows.push([t.instrumentId, t.side, iso(t.entryTime), t.entryPrice, iso(t.exitTime), t.exitPrice, t.quantity, t.grossPnl, t.fees, t.pnl, (t.returnPct * 100).toFixed(4)].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/**
 * equity.csv: time, equity and drawdown at each point of the result's equity curve: every bar close
 * (the first row is the start), or, past `maxEquityPoints`, the thinned curve (see runBacktest).
 */
export function equityCsv(r: BacktestResult): string {
  const { times, values } = r.equity;
  const out: string[] = ['time,equity,drawdown'];
  let peak = -Infinity;
  for (let i = 0; i < times.length; i++) {
    const v = values[i]!;
    if (v > peak) peak = v;
    out.push(`${iso(times[i]!)},${v.toFixed(8)},${(peak > 0 ? (peak - v) / peak : 0).toFixed(8)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Month-by-month returns of an equity curve (UTC months): last equity of the month ÷ last of the
 * one before − 1 (see MonthlyReturns in metrics.ts; the runner computes the same online over every
 * bar, in BacktestResult.monthlyReturns).
 */
export function monthlyReturns(times: readonly number[], values: readonly number[]): MonthlyReturn[] {
  const m = new MonthlyReturns();
  for (let i = 0; i < times.length; i++) m.add(times[i]!, values[i]!);
  return m.result();
}

let chartLib: string | undefined;
async function lightweightCharts(): Promise<string> {
  if (chartLib === undefined) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('lightweight-charts/package.json'));
    chartLib = await readFile(join(dir, 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
  }
  return chartLib;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number | null, d = 2): string => (x === null ? '—' : `${(x * 100).toFixed(d)}%`);
const num = (x: number | null, d = 2): string => (x === null ? '—' : x.toFixed(d));
const json = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

/** A self-contained HTML report: the chart library is inlined (with its license notice), no network needed. */
export async function reportHtml(r: BacktestResult, s: BacktestSummary): Promise<string> {
  const lib = await lightweightCharts();
  const sec = (ms: number): number => Math.floor(ms / 1000);
  const equity: [number, number][] = [];
  const drawdown: [number, number][] = [];
  let peak = -Infinity;
  for (let i = 0; i < r.equity.times.length; i++) {
    const t = sec(r.equity.times[i]!);
    const v = r.equity.values[i]!;
    if (equity.length > 0 && equity[equity.length - 1]![0] === t) continue;
    if (v > peak) peak = v;
    equity.push([t, +v.toFixed(2)]);
    drawdown.push([t, +(peak > 0 ? (-100 * (peak - v)) / peak : 0).toFixed(4)]);
  }
  const first = r.instruments[0]!;
  const kb = r.bySymbol.get(first.id);
  const candles: [number, number, number, number, number][] = [];
  if (kb) for (let i = 0; i < kb.time.length; i++) candles.push([sec(kb.time[i]!), kb.open[i]!, kb.high[i]!, kb.low[i]!, kb.close[i]!]);
  const markers = r.fills.filter((f) => f.instrumentId === first.id).map((f) => [sec(f.time), f.side, f.quantity, f.price]);
  const months = r.monthlyReturns; // over every bar, not the (possibly thinned) curve
  const years = [...new Set(months.map((m) => m.year))];
  const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const monthTable = years
    .map((y) => {
      const cells = monthNames.map((_, i) => {
        const m = months.find((x) => x.year === y && x.month === i + 1);
        return m ? `<td class="${m.ret >= 0 ? 'up' : 'down'}">${pct(m.ret)}</td>` : '<td></td>';
      });
      const yr = months.filter((m) => m.year === y).reduce((g, m) => g * (1 + m.ret), 1) - 1;
      return `<tr><th>${y}</th>${cells.join('')}<td class="${yr >= 0 ? 'up' : 'down'}"><b>${pct(yr)}</b></td></tr>`;
    })
    .join('\n');
  const rows: [string, string][] = [
    ['Period', `${s.start} → ${s.end} (${s.bars.toLocaleString('en-US')} bars)`],
    ['Instruments', s.instruments.join(', ')],
    ['Parameters', Object.entries(s.params).map(([k, v]) => `${k}=${String(v)}`).join(', ') || '—'],
    ['Initial equity', `${s.initialEquity} ${s.currency}`],
    ['Final equity', `${s.finalEquity} ${s.currency}`],
    ['Total return', pct(s.totalReturn)],
    ['CAGR', pct(s.cagr)],
    ['Annualised volatility', pct(s.annualVolatility)],
    ['Sharpe', num(s.sharpe)],
    ['Sortino', num(s.sortino)],
    ['Calmar', num(s.calmar)],
    ['Max drawdown', `${pct(s.maxDrawdown)} (${s.maxDrawdownDurationBars} bars, ${(s.maxDrawdownDurationMs / 3_600_000).toFixed(1)} h)`],
    ['Trades', String(s.trades)],
    ['Win rate', pct(s.winRate)],
    ['Profit factor', num(s.profitFactor)],
    ['Expectancy', `${num(s.expectancy)} ${s.currency}`],
    ['Average win / loss', `${num(s.averageWin)} / ${num(s.averageLoss)}`],
    ['Exposure time', pct(s.exposureTime)],
    ['Fees paid', `${s.feesPaid} ${s.currency}`],
    ['Breaker trips / resets', `${s.breakerTrips} / ${s.breakerResets}`],
    ['Denied orders', deniedText(s.deniedOrders, s.deniedByCode)],
    ['Annualisation', `${s.periodsPerYear.toLocaleString('en-US')} bars / year: ${s.annualisation}`],
  ];
  const tradeRows = r.trades
    .slice(0, 500)
    .map((t) => `<tr><td>${esc(t.side)}</td><td>${iso(t.entryTime)}</td><td>${t.entryPrice}</td><td>${iso(t.exitTime)}</td><td>${t.exitPrice}</td><td>${t.quantity}</td><td>${t.fees}</td><td class="${t.pnl.startsWith('-') ? 'down' : 'up'}">${t.pnl}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Warden backtest: ${esc(s.strategy)} on ${esc(s.instruments.join(', '))}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th{text-align:left;font-weight:600}.up{color:#0a7d32}.down{color:#c62828}
.chart{height:320px;width:100%}.small{height:200px}footer{margin-top:32px;color:#777;font-size:12px}
</style></head><body>
<h1>Backtest: ${esc(s.strategy)} on ${esc(s.instruments.join(', '))}</h1>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n')}</table>
${breakerSection(r)}
<h2>Equity (${esc(s.currency)})</h2><div id="equity" class="chart"></div>
<h2>Drawdown (%)</h2><div id="drawdown" class="chart small"></div>
<h2>${esc(first.id)} with trades</h2><div id="price" class="chart"></div>
<h2>Monthly returns</h2>
<table><tr><th></th>${monthNames.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr>
${monthTable}</table>
<h2>Trades${r.trades.length > 500 ? ' (first 500 of ' + r.trades.length + '; all in trades.csv)' : ''}</h2>
<table><tr><th>side</th><th>entry time</th><th>entry price</th><th>exit time</th><th>exit price</th><th>quantity</th><th>fees</th><th>pnl</th></tr>
${tradeRows}</table>
<footer>Generated by Warden. Charts: TradingView Lightweight Charts™, Copyright (c) TradingView, Inc.,
licensed under the Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0), https://www.tradingview.com/lightweight-charts/.
The library is inlined below with its license notice.</footer>
<script>
${lib}
</script>
<script>
(function () {
  var D = ${json({ equity, drawdown, candles, markers, precision: first.pricePrecision })};
  var LC = window.LightweightCharts;
  function chart(id) {
    var el = document.getElementById(id);
    return LC.createChart(el, { autoSize: true, layout: { attributionLogo: true }, timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.001 } });
  }
  var eq = chart('equity');
  eq.addSeries(LC.LineSeries, { color: '#1565c0', lineWidth: 2 }).setData(D.equity.map(function (p) { return { time: p[0], value: p[1] }; }));
  var dd = chart('drawdown');
  dd.addSeries(LC.AreaSeries, { lineColor: '#c62828', topColor: 'rgba(198,40,40,0.1)', bottomColor: 'rgba(198,40,40,0.4)', invertFilledArea: true })
    .setData(D.drawdown.map(function (p) { return { time: p[0], value: p[1] }; }));
  var px = chart('price');
  var step = Math.pow(10, -D.precision);
  var cs = px.addSeries(LC.CandlestickSeries, { priceFormat: { type: 'price', precision: D.precision, minMove: step } });
  cs.setData(D.candles.map(function (c) { return { time: c[0], open: c[1], high: c[2], low: c[3], close: c[4] }; }));
  LC.createSeriesMarkers(cs, D.markers.map(function (m) {
    var buy = m[1] === 'BUY';
    return { time: m[0], position: buy ? 'belowBar' : 'aboveBar', color: buy ? '#0a7d32' : '#c62828', shape: buy ? 'arrowUp' : 'arrowDown', size: 0.6 }; // details are in the trades table: labels would bury the price
  }));
  // autoSize measures the containers after layout; fit the whole period once they have a width.
  function fit() { [eq, dd, px].forEach(function (c) { c.timeScale().fitContent(); }); }
  fit();
  requestAnimationFrame(function () { requestAnimationFrame(fit); });
  window.addEventListener('load', fit);
})();
</script>
</body></html>
`;
}

/** The report's list of breaker trips and resets (nothing when there were none). */
function breakerSection(r: BacktestResult): string {
  if (r.breakerLog.length === 0) return '';
  return `<h2>Circuit breakers: ${r.breakerTrips} trips, ${r.breakerResets} resets</h2>
<pre>${r.breakerLog.map((b) => esc(breakerLine(b))).join('\n')}</pre>`;
}

export interface ReportFiles {
  readonly html: string;
  readonly trades: string;
  readonly equity: string;
  readonly summary: string;
}

/** Writes report.html, trades.csv, equity.csv and summary.json into `dir` (created if needed). */
export async function writeReports(r: BacktestResult, s: BacktestSummary, dir: string): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = { html: join(dir, 'report.html'), trades: join(dir, 'trades.csv'), equity: join(dir, 'equity.csv'), summary: join(dir, 'summary.json') };
  await Promise.all([
    writeFile(files.html, await reportHtml(r, s)),
    writeFile(files.trades, tradesCsv(r.trades)),
    writeFile(files.equity, equityCsv(r)),
    writeFile(files.summary, `${JSON.stringify(s, null, 2)}\n`),
  ]);
  return files;
}
