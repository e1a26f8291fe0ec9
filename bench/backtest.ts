import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { instrumentSpecFor } from '../src/backtest/instruments.ts';
import { mergeBars } from '../src/backtest/merge.ts';
import { runBacktest } from '../src/backtest/runner.ts';
import type { Bar } from '../src/model/bar.ts';
import { instrumentId, type InstrumentId } from '../src/model/identifiers.ts';
import { parseRiskConfig } from '../src/risk/config/load.ts';
import { SmaCross } from '../src/strategies/sma-cross.ts';
import { runEngineOnly } from './backtest-engine-only.ts';
import { gc, recordResult } from './results.ts';
import { isolatedRuns } from './backtest-isolated.ts';

const GOAL_BARS_PER_SEC = 1_000_000;
const FILE = fileURLToPath(new URL('../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url));
const ID = 'BTCUSDT.BINANCEUS';
const MINUTE = 60_000;

/**
 * The risk gate with every limit wide enough that sma-cross is never denied (the gate still runs
 * its checks on every order); no breakers. Reference prices come from the bar marks.
 */
const RISK = parseRiskConfig(
  JSON.stringify({
    version: 1,
    limits: {
      default: { max_order_quantity: '1000000', max_order_notional: '100000000000', max_position_quantity: '1000000', max_position_notional: '100000000000', max_open_orders: 1000 },
      accounts: { BACKTEST: { max_gross_exposure: '100000000000', max_net_exposure: '100000000000', max_leverage: 1000, max_open_orders: 1000 } },
      firm: { max_gross_exposure: '100000000000', max_net_exposure: '100000000000' },
      reference_price_max_age_ms: 86_400_000,
      throttles: { submit: { per_second: 1000, per_minute: 10_000 }, modify: {}, cancel: {}, hard_limit_multiple: 2 },
    },
  }),
  'json',
  {},
  'bench risk config',
);

interface Rows {
  readonly ts0: number;
  readonly open: string[];
  readonly high: string[];
  readonly low: string[];
  readonly close: string[];
  readonly volume: string[];
}

/** The bundled file read once, in place: 30,240 one-minute bars (their text, as a CSV reader gives it). */
export function readRows(): Rows {
  const lines = readFileSync(FILE, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  if (header.join(',') !== 'open_time,open,high,low,close,volume') throw new Error(`unexpected header in ${FILE}: ${lines[0] ?? ""}`);
  const rows: Rows = { ts0: 0, open: [], high: [], low: [], close: [], volume: [] };
  let prev = NaN;
  let ts0 = NaN;
  for (const line of lines.slice(1)) {
    const c = line.split(',');
    const ts = Date.parse(c[0]!.replace(' ', 'T'));
    if (Number.isNaN(ts0)) ts0 = ts;
    if (!Number.isNaN(prev) && ts !== prev + MINUTE) throw new Error(`the bench expects gap-free minute bars; ${c[0] ?? ""} follows ${new Date(prev).toISOString()}`);
    prev = ts;
    rows.open.push(c[1]!);
    rows.high.push(c[2]!);
    rows.low.push(c[3]!);
    rows.close.push(c[4]!);
    rows.volume.push(c[5]!.trim());
  }
  return { ...rows, ts0 };
}

/**
 * A streaming source of `total` bars: the file's bars over and over, prices simply repeated (each
 * pass starts again at the file's first open, a gap from the previous pass's last close), times
 * continuing minute by minute. A fresh Bar per row, as a file reader makes; nothing is kept.
 */
function* repeated(rows: Rows, total: number, id: InstrumentId): Generator<Bar> {
  const n = rows.open.length;
  for (let i = 0, r = 0; i < total; i++, r = r + 1 === n ? 0 : r + 1) {
    yield { instrumentId: id, ts: rows.ts0 + i * MINUTE, durationMs: MINUTE, open: rows.open[r]!, high: rows.high[r]!, low: rows.low[r]!, close: rows.close[r]!, volume: rows.volume[r]! };
  }
}

/** The limit: a bare loop reading the same bars (sync), and through the async merge the runner reads from. */
async function limit(rows: Rows, total: number, id: InstrumentId): Promise<{ sync: number; async: number }> {
  let check = 0;
  let t0 = performance.now();
  for (const b of repeated(rows, total, id)) check += b.close.length;
  const sync = total / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  for await (const b of mergeBars([repeated(rows, total, id)])) check -= b.close.length;
  const asyncRate = total / ((performance.now() - t0) / 1000);
  if (check !== 0) throw new Error('the two reads saw different bars');
  return { sync: Math.round(sync), async: Math.round(asyncRate) };
}

/** Bars per second of the engine-only path (bench/backtest-engine-only.ts) over the same bars, and its result. */
export async function engineOnly(rows: Rows, total: number, id: InstrumentId): Promise<{ barsPerSec: number; trades: number; finalEquity: string }> {
  const t0 = performance.now();
  const r = await runEngineOnly({ spec: instrumentSpecFor(ID, { feeBps: '10' }), bars: repeated(rows, total, id), strategy: new SmaCross(), cash: '100000', risk: RISK });
  const secs = (performance.now() - t0) / 1000;
  if (r.bars !== total) throw new Error(`engine-only ran ${r.bars} bars, expected ${total}`);
  return { barsPerSec: Math.round(total / secs), trades: r.trades.length, finalEquity: r.finalEquity };
}

/**
 * The backtest through the TradingNode (runBacktest) and, in the same run, the engine-only path
 * it is held to (within 5%): engine-only, node, engine-only, node, each figure the better of its
 * two runs (so neither path runs only cold, nor only after the other warmed the shared code).
 */
export async function runBacktestBench(): Promise<Record<string, unknown>> {
  const total = Number(process.env.BENCH_BACKTEST_BARS ?? 10_000_000);
  const id = instrumentId(ID);
  const rows = readRows();
  const lim = await limit(rows, Math.min(total, 10_000_000), id);
  gc();
  const engineRuns = [];
  const nodeSecs: number[] = [];
  let node!: Awaited<ReturnType<typeof throughNode>>;
  for (let round = 0; round < 2; round++) {
    engineRuns.push(await engineOnly(rows, total, id));
    gc();
    node = await throughNode(rows, total, id);
    nodeSecs.push(node.secs);
    gc();
  }
  const sameEngineOnlyBarsPerSec = Math.max(...engineRuns.map((e) => e.barsPerSec));
  const r = node.result;
  if (engineRuns[0]!.trades !== r.trades.length || engineRuns[0]!.finalEquity !== r.finalEquity) {
    throw new Error(`the two paths disagree: engine-only ${engineRuns[0]!.trades} trades, ${engineRuns[0]!.finalEquity}; node ${r.trades.length} trades, ${r.finalEquity}`);
  }
  const secs = Math.min(...nodeSecs);
  const { rssStart, peakRss, rssAt1M, heapAt1M, end } = node;
  if (r.denied !== 0) throw new Error(`the gate denied ${r.denied} orders: the bench limits are meant to let every order through`);
  const sameProcessBarsPerSec = Math.round(total / secs);
  // The headline: each path in a process of its own (same bars, same run of the bench). In one
  // process the two wirings share engine, bus and strategy code whose inline caches then see both
  // shapes, which slows the second path measured (seen: 0.84 alternating vs ~0.95-1.0 apart).
  const iso = await isolatedRuns(total, { trades: r.trades.length, finalEquity: r.finalEquity });
  const barsPerSec = iso.nodeBarsPerSec;
  const engineOnlyBarsPerSec = iso.engineOnlyBarsPerSec;
  const nodeToEngineOnly = Number((barsPerSec / engineOnlyBarsPerSec).toFixed(3));
  const figures = {
    barsPerSec,
    engineOnlyBarsPerSec,
    nodeToEngineOnly,
    isolatedNodeRunsBarsPerSec: iso.nodeRuns,
    isolatedEngineOnlyRunsBarsPerSec: iso.engineOnlyRuns,
    sameProcessBarsPerSec,
    sameProcessEngineOnlyBarsPerSec: sameEngineOnlyBarsPerSec,
    sameProcessNodeToEngineOnly: Number((sameProcessBarsPerSec / sameEngineOnlyBarsPerSec).toFixed(3)),
    nodeRunsBarsPerSec: nodeSecs.map((t) => Math.round(total / t)),
    engineOnlyRunsBarsPerSec: engineRuns.map((e) => e.barsPerSec),
    limitBarsPerSec: lim.sync,
    limitAsyncBarsPerSec: lim.async,
    goalBarsPerSec: GOAL_BARS_PER_SEC,
    ratioToGoal: Number((barsPerSec / GOAL_BARS_PER_SEC).toFixed(2)),
    peakRssBytes: peakRss,
    rssStartBytes: rssStart,
    rssAt1MBytes: rssAt1M ?? null,
    rssEndBytes: end.rss,
    rssGrowthAfter1MBytes: rssAt1M === undefined ? null : end.rss - rssAt1M,
    equityCurvePoints: r.equity.times.length,
    heapUsedAt1MBytes: heapAt1M ?? null,
    heapUsedEndBytes: end.heapUsed,
    bars: total,
    seconds: Number(secs.toFixed(1)),
    trades: r.trades.length,
    fills: r.fills.length,
    source: 'binanceus-BTCUSDT-1m-2023-03-01_21.csv (30,240 bars) repeated, prices repeated, times continuing',
    strategy: 'sma-cross fast=10 slow=30 fraction=0.95, fee 10 bps, risk gate on (no breakers), keepBars false',
  };
  const mib = (b: number | undefined | null) => (b == null ? 'n/a' : `${(b / 1024 / 1024).toFixed(0)} MiB`);
  console.log(
    `backtest: through the node ${barsPerSec.toLocaleString('en-US')} bars/s, engine-only ${engineOnlyBarsPerSec.toLocaleString('en-US')} bars/s, each in its own process (node / engine-only ${nodeToEngineOnly}; goal ≥ 0.95)\n` +
      `backtest: both in one process, alternating: node ${sameProcessBarsPerSec.toLocaleString('en-US')}, engine-only ${sameEngineOnlyBarsPerSec.toLocaleString('en-US')} bars/s (${figures.sameProcessNodeToEngineOnly})\n` +
      `backtest: ${barsPerSec.toLocaleString('en-US')} bars/s over ${total.toLocaleString('en-US')} bars (goal ${GOAL_BARS_PER_SEC.toLocaleString('en-US')}, ${figures.ratioToGoal}x), ` +
      `${r.trades.length.toLocaleString('en-US')} trades, ${secs.toFixed(1)} s\n` +
      `backtest: limit (bare loop reading the same bars) ${lim.sync.toLocaleString('en-US')} bars/s; through the async merge ${lim.async.toLocaleString('en-US')} bars/s\n` +
      `backtest: RSS start ${mib(rssStart)}, after 1M bars ${mib(rssAt1M)}, end ${mib(end.rss)} (${rssAt1M === undefined ? 'n/a' : `${end.rss >= rssAt1M ? '+' : ''}${mib(end.rss - rssAt1M)} over the last ${((total - 1_000_000) / 1e6).toFixed(0)}M bars`}), peak ${mib(peakRss)}; ` +
      `heap at 1M ${mib(heapAt1M)}, end ${mib(end.heapUsed)}; equity curve kept ${r.equity.times.length.toLocaleString('en-US')} points, metrics over every bar`,
  );
  recordResult('backtest', figures);
  return figures;
}

/** One run through the node (runBacktest), with its memory figures. */
export async function throughNode(rows: Rows, total: number, id: InstrumentId) {
  const rssStart = process.memoryUsage().rss;
  let peakRss = rssStart;
  let rssAt1M: number | undefined;
  let heapAt1M: number | undefined;
  const t0 = performance.now();
  const result = await runBacktest({
    sources: [{ instrument: instrumentSpecFor(ID, { feeBps: '10' }), bars: repeated(rows, total, id) }],
    strategy: new SmaCross(),
    cash: '100000',
    risk: RISK,
    keepBars: false,
    progressEvery: 100_000,
    onProgress: (n) => {
      const m = process.memoryUsage();
      if (m.rss > peakRss) peakRss = m.rss;
      if (n === 1_000_000) {
        rssAt1M = m.rss;
        heapAt1M = m.heapUsed;
      }
    },
  });
  const secs = (performance.now() - t0) / 1000;
  const end = process.memoryUsage();
  peakRss = Math.max(peakRss, end.rss, process.resourceUsage().maxRSS * 1024);
  if (result.bars !== total) throw new Error(`ran ${result.bars} bars, expected ${total}`);
  return { result, secs, rssStart, peakRss, rssAt1M, heapAt1M, end };
}
