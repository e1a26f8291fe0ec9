import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The data-format flags end to end: each format of real files (and synthetic exports written
 * here) backtested through the CLI, the bar count checked against the file read independently.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const MARKET = (name: string): string => new URL(`../../../shared/data/market/${name}`, import.meta.url).pathname;
const BTC = MARKET('binanceus-BTCUSDT-1m-2023-03-01_21.csv');
const BTCUSD = MARKET('binanceus-BTCUSD-1m-2023-03-01_21.csv');
const NVDA = MARKET('yahoo-NVDA-1d-1999_2014.csv');
const ORCL = MARKET('yahoo-ORCL-1d-1995_2014.csv');
const XRP = MARKET('binance-XRP_ETH-trades.json.gz');
const XRP_ARGS = ['--tick', '0.00000001', '--lot', '1'];
const TMP = mkdtempSync(join(tmpdir(), 'warden-cli-data-'));

interface Summary { readonly bars: number; readonly start: string; readonly end: string; readonly instruments: readonly string[] }

function warden(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

let outs = 0;
/** `warden backtest --json` with sma-cross; the summary it prints. */
async function backtest(...args: string[]): Promise<Summary> {
  const r = await warden(['backtest', '--strategy', 'sma-cross', '--param', 'fast=3', '--param', 'slow=8', '--out', join(TMP, `out${++outs}`), '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}

/** The real BTC file's first `n` rows: [epoch ms, open, high, low, close, volume]. */
function btcRows(n: number): [number, string, string, string, string, string][] {
  return readFileSync(BTC, 'utf8').trim().split('\n').slice(1, n + 1).map((line) => {
    const [t = '', o = '', h = '', l = '', c = '', v = ''] = line.split(',');
    return [Date.parse(t.replace(' ', 'T')), o, h, l, c, v];
  });
}

const dataRows = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n').slice(1);
const iso = (ms: number): string => new Date(ms).toISOString();
const two = (n: number): string => String(n).padStart(2, '0');

describe('warden backtest --format: real files', () => {
  it.concurrent('--format csv: Binance.US BTC 1m bars before 2023-03-02 are the 1,440 rows of the first day', async () => {
    const expected = dataRows(BTC).filter((r) => r < '2023-03-02').length;
    expect(expected).toBe(1440);
    const s = await backtest('--data', BTC, '--format', 'csv', '--to', '2023-03-02');
    expect(s.bars).toBe(expected);
    expect(s.start).toBe('2023-03-01T00:00:00.000Z');
  });

  it.concurrent('--format csv: Yahoo NVDA (Date, Open, ..., Adj Close, Volume) gives one bar per row: 4,012', async () => {
    const rows = dataRows(NVDA);
    const s = await backtest('--data', NVDA, '--format', 'csv');
    expect(s.bars).toBe(rows.length);
    expect(s.start).toBe(`${rows[0]!.split(',')[0]!}T00:00:00.000Z`);
    expect(s.instruments).toEqual(['NVDA.YAHOO']);
  });

  it.concurrent('no --format: Yahoo ORCL is detected as csv with a header: 5,036 bars', async () => {
    const s = await backtest('--data', ORCL);
    expect(s.bars).toBe(dataRows(ORCL).length);
  });

  it.concurrent('--format binance-trades: the XRP/ETH prints drive the backtest one by one (12,477)', async () => {
    const trades = JSON.parse(gunzipSync(readFileSync(XRP)).toString('utf8')) as unknown[];
    const s = await backtest('--data', `${XRP}@XRPETH.BINANCE`, '--format', 'binance-trades', ...XRP_ARGS);
    expect(s.bars).toBe(trades.length);
    expect(trades.length).toBe(12477);
  });

  it.concurrent('binance-trades detected without --format, --bar-interval 1m: one bar per minute with a trade', async () => {
    const trades = JSON.parse(gunzipSync(readFileSync(XRP)).toString('utf8')) as [number][];
    const minutes = new Set(trades.map(([ts]) => Math.floor(ts / 60_000)));
    const s = await backtest('--data', `${XRP}@XRPETH.BINANCE`, '--bar-interval', '1m', ...XRP_ARGS);
    expect(s.bars).toBe(minutes.size);
    expect(s.start).toBe(iso(Math.min(...minutes) * 60_000));
  });

  it.concurrent('--format binance-klines: the BTC bars as Binance klines JSON and as headerless kline CSV (data.binance.vision)', async () => {
    const rows = btcRows(300);
    const json = join(TMP, 'klines.json');
    writeFileSync(json, JSON.stringify(rows.map(([t, ...p]) => [t, ...p, t + 59_999, '0', 1, '0', '0', '0'])));
    const csv = join(TMP, 'klines.csv');
    // Microsecond times, as Binance's spot exports have since 2025.
    writeFileSync(csv, rows.map(([t, ...p]) => [t * 1000, ...p, (t + 59_999) * 1000 + 999, '0', 1, '0', '0', '0'].join(',')).join('\n'));
    for (const file of [json, csv]) {
      const s = await backtest('--data', `${file}@BTCUSDT.BINANCE`, '--format', 'binance-klines');
      expect(s.bars).toBe(300);
      expect(s.start).toBe(iso(rows[0]![0]));
      expect(s.end).toBe(iso(rows[299]![0] + 60_000));
    }
  });
});

describe('warden backtest: synthetic exports that load without editing', () => {
  const rows = btcRows(200);

  it.concurrent('no header, columns by position (volume,close,low,high,open,time): 200 bars from the first row', async () => {
    const f = join(TMP, 'noheader.csv');
    writeFileSync(f, rows.map(([t, o, h, l, c, v]) => [v, c, l, h, o, t].join(',')).join('\n'));
    const s = await backtest('--data', `${f}@BTCUSDT.BINANCE`, '--no-header', '--columns', 'time=5,open=4,high=3,low=2,close=1,volume=0');
    expect(s.bars).toBe(200);
    expect(s.start).toBe(iso(rows[0]![0]));
  });

  it.concurrent('separate Date (DD/MM/YYYY) and Time (HH:mm) columns at +05:30: bars at the UTC times', async () => {
    const f = join(TMP, 'date-time.csv');
    const local = (t: number) => new Date(t + 330 * 60_000);
    const lines = rows.map(([t, o, h, l, c, v]) => {
      const d = local(t);
      return [`${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`, o, h, l, c, v].join(',');
    });
    writeFileSync(f, ['Date,Time,Open,High,Low,Close,Volume', ...lines].join('\n'));
    expect(lines[0]!.slice(0, 16)).toBe('01/03/2023,05:30');
    const s = await backtest('--data', `${f}@BTCUSDT.BINANCE`, '--columns', 'date=Date,time=Time', '--time-format', 'DD/MM/YYYY HH:mm', '--utc-offset', '+05:30');
    expect(s.bars).toBe(200);
    expect(s.start).toBe('2023-03-01T00:00:00.000Z');
    expect(s.end).toBe(iso(rows[199]![0] + 60_000));
  });

  it.concurrent('a semicolon delimiter with epoch seconds (--time-format epoch-s)', async () => {
    const f = join(TMP, 'semi.csv');
    writeFileSync(f, ['ts;o;h;l;c;vol', ...rows.map(([t, ...p]) => [t / 1000, ...p].join(';'))].join('\n'));
    const s = await backtest('--data', `${f}@BTCUSDT.BINANCE`, '--delimiter', ';', '--time-format', 'epoch-s', '--columns', 'time=ts,open=o,high=h,low=l,close=c,volume=vol');
    expect(s.bars).toBe(200);
    expect(s.start).toBe(iso(rows[0]![0]));
  });

  it.concurrent('flags apply to every --data file, a #key=value suffix to its file only: a ; file and a , file together', async () => {
    const semi = join(TMP, 'semi-usdt.csv');
    writeFileSync(semi, ['time;open;high;low;close;volume', ...rows.map((r) => r.join(';'))].join('\n'));
    // The BTC/USD rows stand in for a second USDT market (one settlement currency per run).
    const comma = join(TMP, 'comma.csv');
    writeFileSync(comma, ['open_time,open,high,low,close,volume', ...dataRows(BTCUSD).slice(0, 150)].join('\n'));
    const s = await backtest('--delimiter', 'semicolon', '--data', `${semi}@BTCUSDT.BINANCE`, '--data', `${comma}@BTCUSDT.KRAKEN#delimiter=comma`);
    expect(s.bars).toBe(350);
    expect(s.instruments).toEqual(['BTCUSDT.BINANCE', 'BTCUSDT.KRAKEN']);
  });
});

describe('the other commands that take --data read the same formats', () => {
  it.concurrent('sweep over the XRP/ETH trades with --bar-interval 5m: each run sees one bar per 5 minutes with a trade', async () => {
    const trades = JSON.parse(gunzipSync(readFileSync(XRP)).toString('utf8')) as [number][];
    const buckets = new Set(trades.map(([ts]) => Math.floor(ts / 300_000))).size;
    const r = await warden(['sweep', '--strategy', 'sma-cross', '--grid', 'fast=3,5', '--param', 'slow=10', '--out', join(TMP, 'sweep'), '--json',
      '--data', `${XRP}@XRPETH.BINANCE`, '--bar-interval', '5m', ...XRP_ARGS]);
    expect(r.stderr).toBe('');
    const rows = (JSON.parse(r.stdout) as { rows: { metrics: { bars: number } }[] }).rows;
    expect(rows.map((x) => x.metrics.bars)).toEqual([buckets, buckets]);
  });

  it.concurrent('paper replays a ;-separated file with Date and Time columns at +05:30, from 00:00 UTC: 40 bars', async () => {
    const rows = btcRows(100);
    const f = join(TMP, 'paper-dt.csv');
    const lines = rows.map(([t, o, h, l, c, v]) => {
      const d = new Date(t + 330 * 60_000);
      return [`${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`, o, h, l, c, v].join(';');
    });
    writeFileSync(f, ['Date;Time;Open;High;Low;Close;Volume', ...lines].join('\n'));
    // The instrument as backtest takes it: from @SYMBOL.VENUE (or a VENUE-SYMBOL-... file name).
    const r = await warden(['paper', '--data', `${f}@BTCUSDT.BINANCE`, '--delimiter', 'semicolon', '--columns', 'date=Date,time=Time', '--time-format', 'DD/MM/YYYY HH:mm',
      '--utc-offset', '+05:30', '--speed', '100000', '--bars', '40']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`paper: ${f} at 100000x from 2023-03-01T00:00:00.000Z`);
    expect(r.stdout).toContain('paper: 40 bars replayed');
  });
});

const OUT = join(TMP, 'err-out');
const bt = (...extra: string[]): string[] => ['backtest', '--strategy', 'sma-cross', '--out', OUT, '--json', '--data', BTC, ...extra];
const WRONG_COLS = join(TMP, 'wrong.csv');
writeFileSync(WRONG_COLS, 'Date,Open,High,Low,Close,Volume\n2023-03-01,1,1,1,1,1\n');

/** [what, argv, the whole first line of stderr] */
const CASES: [string, string[], string][] = [
  ['--format xml', bt('--format', 'xml'), 'INVALID_FIELD: --format: unknown format "xml"; known: csv, binance-klines, binance-trades (or auto)'],
  ['--columns without =', bt('--columns', 'Date'), 'INVALID_FIELD: --columns: expected role=column pairs separated by commas (e.g. time=Date,close=Close), got "Date"'],
  ['--columns with an unknown role', bt('--columns', 'when=Date'), 'INVALID_FIELD: --columns: unknown role "when"; roles: time, date, open, high, low, close, volume'],
  ['--columns giving a role twice', bt('--columns', 'time=0,time=1'), 'INVALID_FIELD: --columns: time is given twice'],
  ['--time-format with no day', bt('--time-format', 'YYYY-MM'), 'INVALID_FIELD: --time-format: auto, iso, epoch-s, epoch-ms, epoch-us or a date pattern: pattern "YYYY-MM" has no day (use YYYY, MM or M, DD or D; then HH, mm, ss, SSS)'],
  ['--utc-offset 5:30', bt('--utc-offset', '5:30'), 'INVALID_FIELD: --utc-offset: must be Z or ±HH:MM between -14:00 and +14:00 (e.g. +05:30), got "5:30"'],
  ['--utc-offset +15:00', bt('--utc-offset', '+15:00'), 'INVALID_FIELD: --utc-offset: must be Z or ±HH:MM between -14:00 and +14:00 (e.g. +05:30), got "+15:00"'],
  ['--delimiter of two characters', bt('--delimiter', ';;'), 'INVALID_FIELD: --delimiter: must be one character that cannot be part of a value (e.g. ";" or tab), got ";;"'],
  ['--delimiter .', bt('--delimiter', '.'), 'INVALID_FIELD: --delimiter: must be one character that cannot be part of a value (e.g. ";" or tab), got "."'],
  ['--bar-interval 1M (months)', bt('--bar-interval', '1M'), 'INVALID_FIELD: --bar-interval: must be a length such as 1m, 5m, 1h or 1d (units ms, s, m, h, d, w), got "1M"'],
  ['--bar-interval 0m', bt('--bar-interval', '0m'), 'INVALID_FIELD: --bar-interval: must be a length such as 1m, 5m, 1h or 1d (units ms, s, m, h, d, w), got "0m"'],
  ['a CSV option for a JSON format', ['backtest', '--strategy', 'sma-cross', '--out', OUT, '--data', `${XRP}@XRPETH.BINANCE`, '--time-format', 'iso'], 'INVALID_FIELD: --time-format: applies to csv files only; this file is binance-trades, whose layout is fixed'],
  ['a bad #suffix option names --data and the key', ['backtest', '--strategy', 'sma-cross', '--out', OUT, '--data', `${BTC}#format=xls`], `INVALID_FIELD: --data: ${BTC}#format=xls: #format=: unknown format "xls"; known: csv, binance-klines, binance-trades (or auto)`],
  ['a column that is not in the header', ['backtest', '--strategy', 'sma-cross', '--out', OUT, '--data', `${WRONG_COLS}@BTCUSDT.BINANCE`, '--columns', 'close=Adj Close'], `INVALID_FIELD: ${WRONG_COLS}:1: no Adj Close column in the header`],
  ['sweep over trades without --bar-interval', ['sweep', '--strategy', 'sma-cross', '--out', OUT, '--grid', 'fast=5', '--data', `${XRP}@XRPETH.BINANCE`], `INVALID_FIELD: --bar-interval: sweep needs bars, and ${XRP} holds trades (binance-trades): give --bar-interval (e.g. 1m) to make bars of them`],
  ['walk-forward: --columns with a bad pair', ['walk-forward', '--strategy', 'sma-cross', '--out', OUT, '--grid', 'fast=5', '--in-sample', '1h', '--out-of-sample', '1h', '--data', BTC, '--columns', 'open='], 'INVALID_FIELD: --columns: expected role=column pairs separated by commas (e.g. time=Date,close=Close), got "open="'],
  ['monte-carlo: --format nope', ['monte-carlo', '--strategy', 'sma-cross', '--out', OUT, '--data', BTC, '--format', 'nope'], 'INVALID_FIELD: --format: unknown format "nope"; known: csv, binance-klines, binance-trades (or auto)'],
  ['paper: trades without --bar-interval', ['paper', '--data', XRP, '--instrument', 'XRPETH.BINANCE'], `INVALID_FIELD: --bar-interval: paper needs bars, and ${XRP} holds trades (binance-trades): give --bar-interval (e.g. 1m) to make bars of them`],
  ['paper: --utc-offset abc', ['paper', '--data', BTC, '--utc-offset', 'abc'], 'INVALID_FIELD: --utc-offset: must be Z or ±HH:MM between -14:00 and +14:00 (e.g. +05:30), got "abc"'],
];

describe('warden: bad data-format flags exit 1 with one line naming the flag', () => {
  for (const [what, argv, line] of CASES) {
    it.concurrent(`${what}: ${line}`, async () => {
      const { code, stderr } = await warden(argv);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([line]);
    });
  }
});
