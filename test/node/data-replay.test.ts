import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Bar } from '../../src/model/bar.ts';
import { ConfigError, parseNodeConfig } from '../../src/node/config/index.ts';
import { replayStream, type MarketItem } from '../../src/node/market-data.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { tempDir } from './support.ts';

const T0 = Date.UTC(2023, 2, 1);
const two = (n: number): string => String(n).padStart(2, '0');

/** `n` one-minute bars from 2023-03-01T00:00Z: [time, open, high, low, close, volume]. */
function rows(n: number): [number, string, string, string, string, string][] {
  return Array.from({ length: n }, (_, i) => {
    const p = 20_000 + i;
    return [T0 + i * 60_000, `${p}.00`, `${p + 5}.00`, `${p - 5}.00`, `${p + 1}.00`, '1.5'];
  });
}

/** A node config around one replayed file entry (the entry's keys as written in warden.yaml). */
function configText(dir: string, entry: Record<string, unknown>): string {
  return stringify({
    node: { id: 'replay-test', mode: 'paper', journal: { sqlite: join(dir, 'journal.sqlite') } },
    venues: { SIM: { type: 'sim' } },
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USDT: '100000' } }],
    instruments: [{ id: 'BTCUSDT.SIM', kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' }],
    data: { speed: 'max', replay: [{ instrument: 'BTCUSDT.SIM', ...entry }] },
    logging: { level: 'silent' },
  });
}

async function all(items: AsyncIterable<MarketItem>): Promise<MarketItem[]> {
  const out: MarketItem[] = [];
  for await (const m of items) out.push(m);
  return out;
}

function problems(text: string, dir: string): string[] {
  try {
    parseNodeConfig(text, { file: 'warden.yaml', env: {}, baseDir: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split('\n');
  }
  throw new Error('expected the config to be refused');
}

describe('data.replay in warden.yaml takes every reader option the CLI has (DataSourceSpec)', () => {
  it('header: false with columns by position (volume,close,low,high,open,time): 30 bars, the first row is data', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'noheader.csv'), rows(30).map(([t, o, h, l, c, v]) => [v, c, l, h, o, new Date(t).toISOString()].join(',')).join('\n'));
    const { config } = parseNodeConfig(configText(dir, { file: 'noheader.csv', header: false, columns: { time: 5, open: 4, high: 3, low: 2, close: 1, volume: 0 } }), { env: {}, baseDir: dir });
    expect(config.data.replay[0]).toMatchObject({ file: join(dir, 'noheader.csv'), instrumentId: 'BTCUSDT.SIM', header: false });
    const bars = (await all(replayStream(config.data.replay))) as Bar[];
    expect(bars).toHaveLength(30);
    expect(bars[0]!.ts).toBe(T0);
    expect(bars[0]!.open.toString()).toBe('20000.00');
    expect(bars[29]!.close.toString()).toBe('20030.00');
  });

  it('a ;-separated file with Date (DD/MM/YYYY) and Time (HH:mm) columns at +05:30: bars at the UTC times, from 00:00Z', async () => {
    const dir = tempDir();
    const lines = rows(20).map(([t, o, h, l, c, v]) => {
      const d = new Date(t + 330 * 60_000);
      return [`${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`, o, h, l, c, v].join(';');
    });
    expect(lines[0]!.slice(0, 16)).toBe('01/03/2023;05:30');
    writeFileSync(join(dir, 'dt.csv'), ['Date;Time;Open;High;Low;Close;Volume', ...lines].join('\n'));
    const entry = { file: 'dt.csv', format: 'csv', delimiter: 'semicolon', columns: { date: 'Date', time: 'Time' }, time_format: 'DD/MM/YYYY HH:mm', utc_offset: '+05:30' };
    const { config } = parseNodeConfig(configText(dir, entry), { env: {}, baseDir: dir });
    const bars = (await all(replayStream(config.data.replay))) as Bar[];
    expect(bars.map((b) => b.ts)).toEqual(rows(20).map(([t]) => t));
  });

  it('bar_interval: 5m resamples 30 one-minute bars (epoch-s times) into 6 five-minute bars', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'epoch.csv'), ['ts,o,h,l,c,vol', ...rows(30).map(([t, ...p]) => [t / 1000, ...p].join(','))].join('\n'));
    const entry = { file: 'epoch.csv', time_format: 'epoch-s', columns: 'time=ts,open=o,high=h,low=l,close=c,volume=vol', bar_interval: '5m' };
    const { config } = parseNodeConfig(configText(dir, entry), { env: {}, baseDir: dir });
    expect(config.data.replay[0]!.barIntervalMs).toBe(300_000);
    const bars = (await all(replayStream(config.data.replay))) as Bar[];
    expect(bars.map((b) => [b.ts, b.durationMs])).toEqual([0, 1, 2, 3, 4, 5].map((k) => [T0 + k * 300_000, 300_000]));
  });

  it('a paper node replays a headerless file: one step per row, none lost to a header', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'noheader.csv'), rows(25).map(([t, ...p]) => [new Date(t).toISOString(), ...p].join(',')).join('\n'));
    const { config } = parseNodeConfig(configText(dir, { file: 'noheader.csv', header: false }), { env: {}, baseDir: dir });
    const node = await TradingNode.start(config);
    const { status, completed } = await node.run();
    expect(completed).toBe(true);
    expect(status.steps).toBe(25);
    expect(status.ts).toBe(T0 + 25 * 60_000);
  });

  it('each bad option is named at its path with the CLI parser\'s message', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bars.csv'), 'time,open,high,low,close,volume\n');
    const at = (entry: Record<string, unknown>) => problems(configText(dir, { file: 'bars.csv', ...entry }), dir);
    expect(at({ format: 'parquet' })).toEqual(['warden.yaml: data.replay[0].format: unknown format "parquet"; known: csv, binance-klines, binance-trades (or auto)']);
    expect(at({ columns: { when: 'Date' } })).toEqual(['warden.yaml: data.replay[0].columns: unknown role "when"; roles: time, date, open, high, low, close, volume']);
    expect(at({ utc_offset: '+25:00' })[0]).toMatch(/^warden\.yaml: data\.replay\[0\]\.utc_offset: must be Z or ±HH:MM/);
    expect(at({ time_format: 'YYYY-MM' })[0]).toMatch(/^warden\.yaml: data\.replay\[0\]\.time_format: .*has no day/);
    expect(at({ delimiter: 'ab' })[0]).toMatch(/^warden\.yaml: data\.replay\[0\]\.delimiter: must be one character/);
    expect(at({ bar_interval: '1y' })[0]).toMatch(/^warden\.yaml: data\.replay\[0\]\.bar_interval: must be a length such as 1m/);
    expect(at({ format: 'binance-klines', header: false })).toEqual(['warden.yaml: data.replay[0].header: applies to csv files only; this file is binance-klines, whose layout is fixed']);
    expect(at({ interval: '1m' })).toEqual(['warden.yaml: data.replay[0].interval: unknown key']);
  });

  it('a csv option on a file whose content is JSON (format auto) is refused when the files are checked, at the option', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'klines.json'), '[[1677628800000,"1","1","1","1","1",1677628859999,"1",1,"1","1","0"]]');
    expect(problems(configText(dir, { file: 'klines.json', delimiter: ';' }), dir)).toEqual([
      'warden.yaml: data.replay[0].delimiter: applies to csv files only; this file is binance-klines, whose layout is fixed',
    ]);
  });
});
