import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { readBinanceTrades } from '../../src/data/binance.ts';
import type { GapInfo } from '../../src/data/bar-checks.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { BTCUSD, BTCUSDC, BTCUSDT, NVDA, ORCL, XRPETH_TRADES, drain, tmpFile } from './helpers.ts';

const id = instrumentId('TEST.DATA');
const T = (iso: string) => Date.parse(iso);

describe('the shared market files, read in place', () => {
  it.each([
    [BTCUSDT, 30_240, { ts: T('2023-03-01T00:00:00Z'), open: '23140.48', high: '23150.77', low: '23128.52', close: '23142.31', volume: '2.131777' },
      { ts: T('2023-03-21T23:59:00Z'), open: '28122.53', high: '28123.37', low: '28094.85', close: '28110.26', volume: '0.82091' }],
    [BTCUSD, 30_240, { ts: T('2023-03-01T00:00:00Z'), open: '23144.78', high: '23152.48', low: '23133.11', close: '23143.72', volume: '3.912156' },
      { ts: T('2023-03-21T23:59:00Z'), open: '28211.29', high: '28211.4', low: '28183.0', close: '28194.93', volume: '11.06334' }],
    [BTCUSDC, 30_240, { ts: T('2023-03-01T00:00:00Z'), open: '23143.82', high: '23152.65', low: '23140.02', close: '23152.65', volume: '0.26395' },
      { ts: T('2023-03-21T23:59:00Z'), open: '28188.67', high: '28188.67', low: '28181.27', close: '28181.27', volume: '0.046' }],
  ])('%s: %i one-minute bars, no gaps, first and last rows as in the file', async (file, count, first, last) => {
    const gaps: GapInfo[] = [];
    const { items, result } = await drain(readCsvBars(file, { instrumentId: id, onGap: (g) => gaps.push(g) }));
    expect(items).toHaveLength(count);
    expect(items[0]).toEqual({ instrumentId: id, durationMs: 60_000, ...first });
    expect(items.at(-1)).toEqual({ instrumentId: id, durationMs: 60_000, ...last });
    expect(gaps).toEqual([]);
    expect(result).toMatchObject({ bars: count, gaps: 0, missingBars: 0, durationMs: 60_000 });
  });

  it.each([
    [NVDA, 4_012, { ts: T('1999-01-22T00:00:00Z'), open: '1.750000', high: '1.953125', low: '1.552083', close: '1.640625', volume: '67867200' },
      { ts: T('2014-12-31T00:00:00Z'), open: '20.400000', high: '20.510000', low: '19.990000', close: '20.049999', volume: '4157500' }, 870, 1_811],
    [ORCL, 5_036, { ts: T('1995-01-03T00:00:00Z'), open: '2.179012', high: '2.191358', low: '2.117284', close: '2.117284', volume: '36301200' },
      { ts: T('2014-12-31T00:00:00Z'), open: '45.450001', high: '45.560001', low: '44.970001', close: '44.970001', volume: '13269200' }, 1_091, 2_267],
  ])('%s: %i daily bars (one day long, though the file starts across a weekend); weekends and holidays reported as gaps', async (file, count, first, last, gapCount, missing) => {
    const gaps: GapInfo[] = [];
    const { items, result } = await drain(readCsvBars(file, { instrumentId: id, onGap: (g) => gaps.push(g) }));
    expect(items).toHaveLength(count);
    expect(items[0]).toEqual({ instrumentId: id, durationMs: 86_400_000, ...first });
    expect(items.at(-1)).toEqual({ instrumentId: id, durationMs: 86_400_000, ...last });
    // Counted independently: consecutive dates more than a day apart, and the days between them.
    expect(gaps).toHaveLength(gapCount);
    expect(gaps.reduce((s, g) => s + g.missingBars, 0)).toBe(missing);
    expect(result).toMatchObject({ gaps: gapCount, missingBars: missing });
  });

  it('the NVDA file: its first gap is the weekend after Friday 1999-01-22, reported at line 3 as 2 missing days', async () => {
    const gaps: GapInfo[] = [];
    await drain(readCsvBars(NVDA, { instrumentId: id, onGap: (g) => gaps.push(g) }));
    expect(gaps[0]).toEqual({ file: NVDA, line: 3, instrumentId: id, expectedTs: T('1999-01-23T00:00:00Z'), actualTs: T('1999-01-25T00:00:00Z'), missingBars: 2 });
  });

  it('the XRP/ETH trades file: 12,477 trades (6,524 taker buys), ids 13519807..13532283, first and last as in the file', async () => {
    const { items, result } = await drain(readBinanceTrades(XRPETH_TRADES, { instrumentId: id }));
    expect(items).toHaveLength(12_477);
    expect(items.filter((t) => t.aggressor === 'BUY')).toHaveLength(6_524);
    expect(items[0]).toEqual({ instrumentId: id, ts: 1570752011620, tradeId: '13519807', price: '0.00141342', size: '23.0', aggressor: 'SELL' });
    expect(items.at(-1)).toEqual({ instrumentId: id, ts: 1570965568844, tradeId: '13532283', price: '0.00152787', size: '130.0', aggressor: 'SELL' });
    expect(result).toEqual({ file: XRPETH_TRADES, trades: 12_477, firstTs: 1570752011620, lastTs: 1570965568844 });
  });

  it('the trades file gunzipped gives the same trades as the gzipped one', async () => {
    const plain = tmpFile('XRP_ETH-trades.json', gunzipSync(readFileSync(XRPETH_TRADES)));
    const a = await drain(readBinanceTrades(XRPETH_TRADES, { instrumentId: id }));
    const b = await drain(readBinanceTrades(plain, { instrumentId: id }));
    expect(b.items).toEqual(a.items);
  });
});
