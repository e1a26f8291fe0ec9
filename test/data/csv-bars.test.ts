import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsvBars, parseTime } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';

const BTC = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const NVDA = new URL('../../../shared/data/market/yahoo-NVDA-1d-1999_2014.csv', import.meta.url).pathname;
const id = instrumentId('BTCUSDT.BINANCE');

async function all(file: string) {
  const out = [];
  for await (const b of readCsvBars(file, { instrumentId: id })) out.push(b);
  return out;
}

function tmp(name: string, text: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-csv-'));
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('CSV bars', () => {
  it('reads the Binance.US BTCUSDT March 2023 file: 30,240 one-minute bars, first and last as in the file', async () => {
    const bars = await all(BTC);
    expect(bars).toHaveLength(30_240);
    expect(bars[0]).toMatchObject({ ts: Date.parse('2023-03-01T00:00:00Z'), durationMs: 60_000, open: '23140.48', high: '23150.77', low: '23128.52', close: '23142.31', volume: '2.131777' });
    expect(bars.at(-1)!.ts).toBe(Date.parse('2023-03-21T23:59:00Z'));
  });

  it('reads Yahoo daily NVDA (Date column, one-day bars)', async () => {
    const bars = await all(NVDA);
    expect(bars).toHaveLength(4_012);
    expect(bars[0]).toMatchObject({ ts: Date.parse('1999-01-22T00:00:00Z'), open: '1.750000', close: '1.640625' });
  });

  it('reads gzipped files the same', async () => {
    const text = 'open_time,open,high,low,close,volume\n2023-03-01 00:00:00+00:00,1,2,1,2,5\n2023-03-01 00:01:00+00:00,2,3,1,2,6\n';
    expect(await all(tmp('b.csv.gz', gzipSync(text)))).toHaveLength(2);
  });

  it.each([
    ['high below low', '2023-03-01T00:00:00Z,10,9,11,10,1', 'high 9 < low 11'],
    ['negative volume', '2023-03-01T00:00:00Z,10,11,9,10,-1', 'negative volume -1'],
    ['a non-number', '2023-03-01T00:00:00Z,10,11,9,abc,1', 'close is not a number'],
    ['close outside the range', '2023-03-01T00:00:00Z,10,11,9,12,1', 'open 10 / close 12 outside low 9 .. high 11'],
  ])('names file and line for %s', async (_name, row, problem) => {
    const f = tmp('bad.csv', `time,open,high,low,close,volume\n2023-02-28T23:59:00Z,10,11,9,10,1\n${row}\n`);
    await expect(all(f)).rejects.toThrow(`${f}:3: ${problem}`);
  });

  it('refuses unsorted and duplicate times with their line', async () => {
    const dup = tmp('dup.csv', 'time,open,high,low,close,volume\n1677628800,1,1,1,1,1\n1677628800,1,1,1,1,1\n');
    await expect(all(dup)).rejects.toThrow(':3: duplicate time');
    const back = tmp('back.csv', 'time,open,high,low,close,volume\n1677628860,1,1,1,1,1\n1677628800,1,1,1,1,1\n');
    await expect(all(back)).rejects.toThrow(':3: time 1677628800 goes back');
  });

  it('parses ISO, date-only, epoch seconds and epoch milliseconds', () => {
    const t = Date.parse('2023-03-01T00:00:00Z');
    expect([parseTime('2023-03-01 00:00:00+00:00'), parseTime('2023-03-01'), parseTime('1677628800'), parseTime('1677628800000')]).toEqual([t, t, t, t]);
  });
});
