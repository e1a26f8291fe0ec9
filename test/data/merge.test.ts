import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { readBinanceTrades } from '../../src/data/binance.ts';
import { availableAt, mergeBy, mergeByTime } from '../../src/data/merge.ts';
import type { Bar } from '../../src/model/bar.ts';
import type { Trade } from '../../src/model/trade.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { BTCUSDC, BTCUSDT, XRPETH_TRADES, collect, from } from './helpers.ts';

const USDT = instrumentId('BTCUSDT.BINANCE');
const USDC = instrumentId('BTCUSDC.BINANCE');


describe('merging instruments in time order', () => {
  it('BTCUSDT and BTCUSDC: 60,480 bars in time order, each minute USDT then USDC (stream order)', async () => {
    const merged = await collect(mergeByTime(readCsvBars(BTCUSDT, { instrumentId: USDT }), readCsvBars(BTCUSDC, { instrumentId: USDC })));
    expect(merged).toHaveLength(60_480);
    for (let i = 1; i < merged.length; i++) expect(merged[i]!.ts).toBeGreaterThanOrEqual(merged[i - 1]!.ts);
    expect(merged.slice(0, 4).map((b) => [b.instrumentId, new Date(b.ts).toISOString()])).toEqual([
      [USDT, '2023-03-01T00:00:00.000Z'], [USDC, '2023-03-01T00:00:00.000Z'],
      [USDT, '2023-03-01T00:01:00.000Z'], [USDC, '2023-03-01T00:01:00.000Z'],
    ]);
    // The de-peg minute: both quotes side by side.
    const at = Date.parse('2023-03-11T07:50:00Z');
    expect(merged.filter((b) => b.ts === at).map((b) => b.instrumentId)).toEqual([USDT, USDC]);
  });

  it('merges bars with trades; with availableAt a bar counts at its close', async () => {
    const bars = await collect(readCsvBars(BTCUSDT, { instrumentId: USDT }));
    const trades = await collect(readBinanceTrades(XRPETH_TRADES, { instrumentId: instrumentId('XRPETH.BINANCE') }));
    const bar: Bar = { ...bars[0]!, ts: 1570752000000 };
    const out = await collect(mergeBy<Bar | Trade>([from([bar]), from(trades.slice(0, 3))], availableAt));
    // The bar opens at 00:00:00 and closes at 00:01:00, after the three trades at 00:00:11-17.
    expect(out.map((x) => ('durationMs' in x ? 'bar' : x.tradeId))).toEqual(['13519807', '13519808', '13519809', 'bar']);
  });

  it('equals a stable sort of the concatenated streams (property)', async () => {
    const stream = fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }).map((xs) => xs.sort((a, b) => a - b));
    await fc.assert(
      fc.asyncProperty(fc.array(stream, { maxLength: 8 }), async (streams) => {
        const tagged = streams.map((xs, s) => xs.map((ts, i) => ({ ts, s, i })));
        const merged = await collect(mergeByTime(...tagged.map((xs) => from(xs))));
        const expected = tagged.flat().sort((a, b) => a.ts - b.ts || a.s - b.s || a.i - b.i);
        expect(merged).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a stream that goes back in time, and closes every stream when the reader stops early', async () => {
    await expect(collect(mergeByTime(from([{ ts: 2 }, { ts: 1 }])))).rejects.toThrow('stream 0 goes back in time');
    const closed = { n: 0 };
    for await (const x of mergeByTime(from([{ ts: 1 }, { ts: 3 }], closed), from([{ ts: 2 }], closed), from([{ ts: 5 }], closed))) {
      if (x.ts === 1) break;
    }
    expect(closed.n).toBe(3);
  });
});
