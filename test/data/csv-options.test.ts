import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvBars, parseTime } from '../../src/data/csv-bars.ts';
import type { GapInfo } from '../../src/data/bar-checks.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { BTCUSDT, collect, drain, tmpFile } from './helpers.ts';

const id = instrumentId('BTCUSDT.BINANCE');
const T0 = Date.parse('2023-03-01T00:00:00Z');

describe('generic CSV with a column mapping', () => {
  it('maps columns, a ; delimiter and epoch-millisecond times', async () => {
    const f = tmpFile('m.csv', 'ms;o;h;l;c;qty;extra\n1677628800000;1;2;0.5;1.5;10;x\n1677628860000;1.5;2;1;2;0;y\n');
    const bars = await collect(readCsvBars(f, {
      instrumentId: id, delimiter: ';', timeFormat: 'epoch_ms',
      columns: { time: 'ms', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'qty' },
    }));
    expect(bars).toEqual([
      { instrumentId: id, ts: T0, durationMs: 60_000, open: '1', high: '2', low: '0.5', close: '1.5', volume: '10' },
      { instrumentId: id, ts: T0 + 60_000, durationMs: 60_000, open: '1.5', high: '2', low: '1', close: '2', volume: '0' },
    ]);
  });

  it('reads times without a zone at the given UTC offset (never the machine zone)', async () => {
    const f = tmpFile('tz.csv', 'time,open,high,low,close,volume\n2023-03-01 05:30:00,1,1,1,1,1\n2023-03-01T05:31:00,1,1,1,1,1\n');
    const bars = await collect(readCsvBars(f, { instrumentId: id, utcOffset: '+05:30' }));
    expect(bars.map((b) => b.ts)).toEqual([T0, T0 + 60_000]);
    expect(parseTime('2023-03-01 00:00:00')).toBe(T0);
    expect(parseTime('2023-02-28', 'iso', '-05:00')).toBe(Date.parse('2023-02-28T05:00:00Z'));
    expect(parseTime('1677628800', 'epoch_s')).toBe(T0);
    expect(parseTime('2023-03-01', 'epoch_ms')).toBeNaN();
  });

  it('refuses a time column in the wrong format with its line', async () => {
    const f = tmpFile('fmt.csv', 'time,open,high,low,close,volume\n1677628800,1,1,1,1,1\n');
    await expect(collect(readCsvBars(f, { instrumentId: id, timeFormat: 'iso' }))).rejects.toThrow(`${f}:2: unreadable time "1677628800"`);
  });

  it('names the missing column and an empty file', async () => {
    const f = tmpFile('nocol.csv', 'time,open,high,low,close\n');
    await expect(collect(readCsvBars(f, { instrumentId: id }))).rejects.toThrow(`${f}:1: no volume column in the header`);
    const e = tmpFile('empty.csv', '');
    await expect(collect(readCsvBars(e, { instrumentId: id }))).rejects.toThrow(`${e}:1: no header: the file is empty`);
  });
});

describe('gaps are reported, not hidden', () => {
  it('the BTCUSDT file with 2023-03-05 10:00-10:59 and 17:00 cut out: 2 gaps, 61 missing bars, every bar still read', async () => {
    const lines = readFileSync(BTCUSDT, 'utf8').split('\n');
    const kept = lines.filter((l) => !l.startsWith('2023-03-05 10:') && !l.startsWith('2023-03-05 17:00'));
    const f = tmpFile('holes.csv', kept.join('\n'));
    const gaps: GapInfo[] = [];
    const { items, result } = await drain(readCsvBars(f, { instrumentId: id, onGap: (g) => gaps.push(g) }));
    expect(items).toHaveLength(30_240 - 61);
    expect(gaps.map((g) => [g.missingBars, new Date(g.expectedTs).toISOString(), new Date(g.actualTs).toISOString()])).toEqual([
      [60, '2023-03-05T10:00:00.000Z', '2023-03-05T11:00:00.000Z'],
      [1, '2023-03-05T17:00:00.000Z', '2023-03-05T17:01:00.000Z'],
    ]);
    // line of the first bar after the hole: header + 4 days + 10 hours + 1-based
    expect(gaps[0]).toMatchObject({ file: f, line: 1 + 4 * 1440 + 600 + 1 });
    expect(result).toMatchObject({ gaps: 2, missingBars: 61, bars: 30_240 - 61 });
  });

  it('a gap in the first rows does not stretch the inferred bar length', async () => {
    const f = tmpFile('early.csv', 'time,open,high,low,close,volume\n1677628800,1,1,1,1,1\n1677629100,1,1,1,1,1\n1677629160,1,1,1,1,1\n');
    const gaps: GapInfo[] = [];
    const bars = await collect(readCsvBars(f, { instrumentId: id, onGap: (g) => gaps.push(g) }));
    expect(bars.map((b) => b.durationMs)).toEqual([60_000, 60_000, 60_000]);
    expect(gaps).toEqual([{ file: f, line: 3, instrumentId: id, expectedTs: T0 + 60_000, actualTs: T0 + 300_000, missingBars: 4 }]);
  });

  it('refuses a bar that starts inside the previous one, with its line', async () => {
    const f = tmpFile('overlap.csv', 'time,open,high,low,close,volume\n1677628800,1,1,1,1,1\n1677628830,1,1,1,1,1\n');
    await expect(collect(readCsvBars(f, { instrumentId: id, durationMs: 60_000 }))).rejects.toThrow(
      `${f}:3: bar at 2023-03-01T00:00:30.000Z starts 30000 ms after the previous one, inside its 60000 ms`,
    );
  });
});
