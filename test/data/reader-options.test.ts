import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDataSource, readHead } from '../../src/data/open-source.ts';
import { dataSourceSchema, detectFormat, parseBarInterval, parseDataOptions, splitDataArg } from '../../src/data/reader-options.ts';
import { tradesToBars } from '../../src/data/resample.ts';
import { compileTimePattern } from '../../src/data/time-format.ts';
import { readBinanceTrades } from '../../src/data/binance.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import type { Bar } from '../../src/model/bar.ts';
import type { Trade } from '../../src/model/trade.ts';
import { BTCUSDT, collect, NVDA, tmpFile, XRPETH_TRADES } from './helpers.ts';

describe('detectFormat: the format from the first characters of a file', () => {
  it('reads the bundled files: Binance.US and Yahoo CSV are csv, the gzipped XRP/ETH trades binance-trades', () => {
    expect(detectFormat(readHead(BTCUSDT))).toBe('csv');
    expect(detectFormat(readHead(NVDA))).toBe('csv');
    expect(detectFormat(readHead(XRPETH_TRADES))).toBe('binance-trades');
  });

  it('tells klines from trades by the first element: an object or a 4th item of buy/sell/null is a trade', () => {
    expect(detectFormat('[[1677628800000,"23140.48","23150.77","23128.52","23142.31","2.1",1677628859999]]')).toBe('binance-klines');
    expect(detectFormat(' [\n [1570752011620, "13519807", null, "sell", 0.00141342, 23.0]')).toBe('binance-trades');
    expect(detectFormat('[[1570752011620,"1",null,null,0.1,2]]')).toBe('binance-trades');
    expect(detectFormat('[{"a":1,"p":"0.1","q":"2","T":1570752011620,"m":true}]')).toBe('binance-trades');
    expect(detectFormat('\uFEFF1677628800000,1,2,0.5,1.5,10')).toBe('csv');
  });
});

describe('splitDataArg: FILE[@SYMBOL.VENUE][#key=value...]', () => {
  it('takes each value up to the next #key=, so a value may hold , and =', () => {
    expect(splitDataArg('x.csv@BTCUSDT.BINANCE#columns=time=0,open=1#bar-interval=5m')).toEqual({
      target: 'x.csv@BTCUSDT.BINANCE', options: { columns: 'time=0,open=1', 'bar-interval': '5m' },
    });
  });

  it('leaves a # that starts no known key in the file name', () => {
    expect(splitDataArg('data/run#2.csv')).toEqual({ target: 'data/run#2.csv', options: {} });
    expect(() => splitDataArg('x.csv#format=csv#format=csv')).toThrow('#format= is given twice');
  });
});

describe('compileTimePattern', () => {
  it('reads DD/MM/YYYY HH:mm at +05:30 as UTC 5 h 30 min earlier', () => {
    expect(compileTimePattern('DD/MM/YYYY HH:mm')('01/03/2023 05:30', 330)).toBe(Date.parse('2023-03-01T00:00:00Z'));
  });

  it('takes one or two digits for M, D and H, and milliseconds for SSS', () => {
    expect(compileTimePattern('M/D/YYYY H:mm:ss.SSS')('3/1/2023 9:05:07.250', 0)).toBe(Date.parse('2023-03-01T09:05:07.250Z'));
  });

  it('gives NaN for a day that does not exist (31/02) and for text that does not match, never another day', () => {
    const p = compileTimePattern('DD/MM/YYYY');
    expect(p('31/02/2023', 0)).toBeNaN();
    expect(p('2023-02-01', 0)).toBeNaN();
    expect(p('01/13/2023', 0)).toBeNaN();
  });

  it('refuses a pattern without a year, month and day, or with a unit twice', () => {
    expect(() => compileTimePattern('HH:mm')).toThrow('has no year');
    expect(() => compileTimePattern('YYYY-MM-DD MM')).toThrow('gives the month twice');
  });
});

describe('parseDataOptions', () => {
  it('parses bar intervals: 1m is a minute, 1h 3,600,000 ms, 1w 7 days', () => {
    expect(parseBarInterval('1m')).toBe(60_000);
    expect(parseBarInterval('1h')).toBe(3_600_000);
    expect(parseBarInterval('1w')).toBe(7 * 86_400_000);
    expect(() => parseBarInterval('1.5h')).toThrow('must be a length');
  });

  it('names the option of each bad value in the error context', () => {
    const optionOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return (e as { context: { option: unknown } }).context.option;
      }
      return 'no error';
    };
    expect(optionOf(() => parseDataOptions({ delimiter: 'ab' }))).toBe('delimiter');
    expect(optionOf(() => parseDataOptions({ format: 'binance-klines', columns: 'time=0' }))).toBe('columns');
    expect(optionOf(() => parseDataOptions({ header: 'maybe' }))).toBe('header');
  });

  it('maps delimiter names and keeps column positions as numbers', () => {
    expect(parseDataOptions({ delimiter: 'tab', columns: 'time=0,close=Close', 'utc-offset': 'UTC' })).toEqual({
      format: 'auto', delimiter: '\t', columns: { time: 0, close: 'Close' }, utcOffset: 'Z',
    });
  });
});

describe('dataSourceSchema: a data: entry of a config file', () => {
  it('gives a DataSourceSpec, columns as a map of names or positions', () => {
    const spec = dataSourceSchema.parse({ file: 'x.csv', instrument: 'BTCUSDT.BINANCE', columns: { time: 0, close: 'Close' }, time_format: 'DD/MM/YYYY', bar_interval: '5m' });
    expect(spec).toEqual({ file: 'x.csv', instrumentId: 'BTCUSDT.BINANCE', format: 'auto', columns: { time: 0, close: 'Close' }, timeFormat: 'DD/MM/YYYY', barIntervalMs: 300_000 });
  });

  it('reports each problem at its key, and refuses unknown keys', () => {
    const issues = (v: unknown) => dataSourceSchema.safeParse(v).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ file: 'x.csv', instrument: 'BTCUSDT.BINANCE', utc_offset: '5' })).toEqual([['utc_offset', 'must be Z or ±HH:MM between -14:00 and +14:00 (e.g. +05:30), got "5"']]);
    expect(issues({ file: 'x.csv', instrument: 'nope' })?.[0]?.[0]).toBe('instrument');
    expect(issues({ file: 'x.csv', instrument: 'BTCUSDT.BINANCE', speed: 2 })?.[0]?.[1]).toContain('speed');
  });

  it('has a JSON Schema for editors (its input side)', () => {
    const schema = z.toJSONSchema(dataSourceSchema, { io: 'input' }) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['file', 'instrument', 'format', 'columns', 'header', 'time_format', 'utc_offset', 'delimiter', 'bar_interval']);
    expect(schema.required).toEqual(['file', 'instrument']);
  });
});

describe('openDataSource and tradesToBars', () => {
  it('makes 1-minute bars of the XRP/ETH trades equal to the minute-by-minute OHLC and summed sizes', async () => {
    const raw = JSON.parse(gunzipSync(readFileSync(XRPETH_TRADES)).toString('utf8')) as [number, string, null, string, number, number][];
    const byMinute = new Map<number, { open: number; high: number; low: number; close: number; volume: number }>();
    for (const [ts, , , , price, size] of raw) {
      const k = Math.floor(ts / 60_000) * 60_000;
      const b = byMinute.get(k);
      if (!b) byMinute.set(k, { open: price, high: price, low: price, close: price, volume: size });
      else Object.assign(b, { high: Math.max(b.high, price), low: Math.min(b.low, price), close: price, volume: b.volume + size });
    }
    const opened = openDataSource({ file: XRPETH_TRADES, instrumentId: 'XRPETH.BINANCE', format: 'auto', barIntervalMs: 60_000 });
    expect(opened.kind).toBe('bars');
    const bars = opened.kind === 'bars' ? await collect(opened.bars) : [];
    expect(bars.length).toBe(byMinute.size);
    expect(bars.map((b) => [b.ts, Number(b.open), Number(b.high), Number(b.low), Number(b.close), Number(b.volume), b.durationMs])).toEqual(
      [...byMinute].map(([ts, b]) => [ts, b.open, b.high, b.low, b.close, b.volume, 60_000]),
    );
  });

  it('gives the trades themselves without a bar interval', async () => {
    const opened = openDataSource({ file: XRPETH_TRADES, instrumentId: 'XRPETH.BINANCE', format: 'binance-trades' });
    expect(opened.kind).toBe('trades');
    const direct = await collect(readBinanceTrades(XRPETH_TRADES, { instrumentId: instrumentId('XRPETH.BINANCE') }));
    expect(opened.kind === 'trades' ? await collect(opened.trades) : []).toEqual(direct);
  });

  it('refuses trades that go back in time, and keeps the exact decimal volume', async () => {
    const id = instrumentId('XRPETH.BINANCE');
    const t = (ts: number, price: string, size: string): Trade => ({ instrumentId: id, ts, tradeId: `${ts}` as Trade['tradeId'], price, size, aggressor: undefined });
    const of = (...xs: Trade[]): AsyncIterable<Trade> => ({
      [Symbol.asyncIterator]: () => {
        let i = 0;
        return { next: () => Promise.resolve(i < xs.length ? { done: false, value: xs[i++]! } : { done: true, value: undefined }) };
      },
    });
    const bars: Bar[] = await collect(tradesToBars(of(t(0, '1.10', '0.1'), t(10, '1.2', '0.2'), t(59_999, '1.05', '0.0000001')), 60_000));
    expect(bars).toEqual([{ instrumentId: id, ts: 0, durationMs: 60_000, open: '1.10', high: '1.2', low: '1.05', close: '1.05', volume: '0.3000001' }]);
    await expect(collect(tradesToBars(of(t(10, '1', '1'), t(5, '1', '1')), 60_000))).rejects.toThrow('is before the previous trade');
  });

  it('reads a headerless CSV by position through the spec (Binance kline CSV layout)', async () => {
    const f = tmpFile('k.csv', '1677628800000,1,2,0.5,1.5,10,1677628859999\n1677628860000,1.5,2,1,2,0,1677628919999\n');
    const opened = openDataSource({ file: f, instrumentId: 'BTCUSDT.BINANCE', format: 'binance-klines' });
    const bars = opened.kind === 'bars' ? await collect(opened.bars) : [];
    expect(bars.map((b) => [b.ts, b.close])).toEqual([[1677628800000, '1.5'], [1677628860000, '2']]);
  });
});
