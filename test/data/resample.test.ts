import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { addDecimalText, compareDecimalText, resampleBars } from '../../src/data/resample.ts';
import type { Bar } from '../../src/model/bar.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { BTCUSDT, collect, from } from './helpers.ts';

const id = instrumentId('BTCUSDT.BINANCE');
const HOUR = 3_600_000;


describe('resampling', () => {
  it('1m → 1h on the BTCUSDT month: 504 hours, two checked against sums computed by hand from the file', async () => {
    const hours = await collect(resampleBars(readCsvBars(BTCUSDT, { instrumentId: id }), HOUR));
    expect(hours).toHaveLength(21 * 24);
    // 2023-03-01 00:00-00:59 (60 rows): open of 00:00, max high, min low, close of 00:59, volume summed exactly.
    expect(hours[0]).toEqual({ instrumentId: id, ts: Date.parse('2023-03-01T00:00:00Z'), durationMs: HOUR,
      open: '23140.48', high: '23216.8', low: '23020.41', close: '23084.12', volume: '97.629125' });
    // 2023-03-10 14:00-14:59, the hour BTC fell under 20,000.
    expect(hours.find((h) => h.ts === Date.parse('2023-03-10T14:00:00Z'))).toMatchObject({
      open: '20181.96', high: '20194.81', low: '19666.23', close: '19823.97', volume: '605.38090' });
  });

  it('aligns to UTC multiples of the length and keeps a partial bucket; an empty bucket gives no bar', async () => {
    const bar = (min: number, o: string, h: string, l: string, c: string, v: string): Bar =>
      ({ instrumentId: id, ts: Date.parse('2023-03-01T00:00:00Z') + min * 60_000, durationMs: 60_000, open: o, high: h, low: l, close: c, volume: v });
    const out = await collect(resampleBars(from([
      bar(3, '10', '12', '9', '11', '0.1'), bar(4, '11', '13', '10', '12', '0.2'),
      bar(16, '12', '12', '8', '9', '1.50'),
    ]), 5 * 60_000));
    expect(out).toEqual([
      { instrumentId: id, ts: Date.parse('2023-03-01T00:00:00Z'), durationMs: 300_000, open: '10', high: '13', low: '9', close: '12', volume: '0.3' },
      { instrumentId: id, ts: Date.parse('2023-03-01T00:15:00Z'), durationMs: 300_000, open: '12', high: '12', low: '8', close: '9', volume: '1.50' },
    ]);
  });

  it('refuses a length that is not a multiple of the bars, mixed instruments and unsorted bars', async () => {
    const b = (ts: number, inst = id): Bar => ({ instrumentId: inst, ts, durationMs: 60_000, open: '1', high: '1', low: '1', close: '1', volume: '1' });
    await expect(collect(resampleBars(from([b(0)]), 90_000))).rejects.toThrow('cannot resample 60000 ms bars into 90000 ms bars');
    await expect(collect(resampleBars(from([b(0), b(60_000, instrumentId('ETHUSDT.BINANCE'))]), HOUR))).rejects.toThrow('one instrument per stream');
    await expect(collect(resampleBars(from([b(60_000), b(0)]), HOUR))).rejects.toThrow('is not after the previous bar');
  });

  it('adds and compares decimal text exactly (0.1 + 0.2 = 0.3, no float)', () => {
    expect(addDecimalText('0.1', '0.2')).toBe('0.3');
    expect(addDecimalText('123456789012345678.000000001', '0.000000009')).toBe('123456789012345678.000000010');
    expect(compareDecimalText('0.30000000000000001', '0.3')).toBe(1);
    expect(compareDecimalText('28183.0', '28183')).toBe(0);
  });

  it('resampling in two steps (1m → 5m → 1h) equals one step, and the total volume is kept exactly (property)', async () => {
    const arbBars = fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 10 ** 9 })), { minLength: 1, maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(arbBars, async (spec) => {
        let ts = Date.parse('2023-03-01T00:00:00Z');
        const bars: Bar[] = spec.map(([step, prices, vol]) => {
          ts += step * 60_000;
          const [a, b, c] = [...prices].sort((x, y) => x - y) as [number, number, number];
          return { instrumentId: id, ts, durationMs: 60_000, open: (b / 100).toFixed(2), high: (c / 100).toFixed(2), low: (a / 100).toFixed(2), close: (b / 100).toFixed(2), volume: (vol / 1e6).toFixed(6) };
        });
        const direct = await collect(resampleBars(from(bars), HOUR));
        const twoStep = await collect(resampleBars(resampleBars(from(bars), 300_000), HOUR));
        expect(twoStep).toEqual(direct);
        const total = (xs: Bar[]) => xs.reduce((s, x) => addDecimalText(s, x.volume), '0');
        expect(total(direct)).toBe(total(bars));
      }),
      { numRuns: 100 },
    );
  });
});
