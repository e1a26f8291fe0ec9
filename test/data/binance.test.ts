import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBinanceKlines, readBinanceTrades } from '../../src/data/binance.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import type { GapInfo } from '../../src/data/bar-checks.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { BTCUSDT, collect, drain, tmpFile } from './helpers.ts';

const id = instrumentId('BTCUSDT.BINANCE');

/** The BTCUSDT CSV written as Binance /api/v3/klines JSON (strings for prices, one kline per line). */
async function btcAsKlines(): Promise<string> {
  const rows: string[] = [];
  for await (const b of readCsvBars(BTCUSDT, { instrumentId: id })) {
    rows.push(JSON.stringify([b.ts, b.open, b.high, b.low, b.close, b.volume, b.ts + 59_999, '0', 10, '0', '0', '0']));
  }
  return `[\n${rows.join(',\n')}\n]\n`;
}

describe('Binance klines', () => {
  it('the BTCUSDT month written as klines reads back as the same 30,240 bars as the CSV, gzipped or not', async () => {
    const json = await btcAsKlines();
    const csv = await collect(readCsvBars(BTCUSDT, { instrumentId: id }));
    const plain = await drain(readBinanceKlines(tmpFile('BTCUSDT-1m.json', json), { instrumentId: id }));
    const gz = await collect(readBinanceKlines(tmpFile('klines.bin', gzipSync(json)), { instrumentId: id }));
    expect(plain.items).toHaveLength(30_240);
    expect(plain.items).toEqual(csv);
    expect(gz).toEqual(csv);
    expect(plain.result).toMatchObject({ bars: 30_240, durationMs: 60_000, gaps: 0 });
  });

  it('takes the bar length from close time + 1 − open time, and numbers as well as strings', async () => {
    const f = tmpFile('k.json', '[[1677628800000,1.5,2,1,1.75,10,1677632399999],[1677632400000,1.75,2,1.5,2,0,1677635999999]]');
    expect(await collect(readBinanceKlines(f, { instrumentId: id }))).toEqual([
      { instrumentId: id, ts: 1677628800000, durationMs: 3_600_000, open: '1.5', high: '2', low: '1', close: '1.75', volume: '10' },
      { instrumentId: id, ts: 1677632400000, durationMs: 3_600_000, open: '1.75', high: '2', low: '1.5', close: '2', volume: '0' },
    ]);
  });

  it('reports a hole in klines with its line and the bars missing', async () => {
    const k = (min: number) => JSON.stringify([1677628800000 + min * 60_000, '1', '1', '1', '1', '1', 1677628800000 + min * 60_000 + 59_999]);
    const f = tmpFile('hole.json', `[\n${[0, 1, 2, 6, 7].map(k).join(',\n')}\n]`);
    const gaps: GapInfo[] = [];
    const bars = await collect(readBinanceKlines(f, { instrumentId: id, onGap: (g) => gaps.push(g) }));
    expect(bars).toHaveLength(5);
    expect(gaps).toEqual([{ file: f, line: 5, instrumentId: id, expectedTs: 1677628800000 + 3 * 60_000, actualTs: 1677628800000 + 6 * 60_000, missingBars: 3 }]);
  });

  it.each([
    ['high below low', '["1","9","11","10","1"]', ':3: element 1: high 9 < low 11'],
    ['negative volume', '["10","11","9","10","-1"]', ':3: element 1: negative volume -1'],
    ['a null price', '[null,"11","9","10","1"]', ':3: element 1: open is not a number: "null"'],
  ])('names file, line and element for %s', async (_name, fields, problem) => {
    const f = tmpFile('bad.json', `[\n[1677628800000,"10","11","9","10","1",1677628859999],\n[1677628860000,${fields.slice(1, -1)},1677628919999]\n]`);
    await expect(collect(readBinanceKlines(f, { instrumentId: id }))).rejects.toThrow(`${f}${problem}`);
  });

  it('refuses a duplicate and an unsorted open time, and malformed JSON, naming file and line', async () => {
    const dup = tmpFile('dup.json', '[\n[1677628800000,"1","1","1","1","1"],\n[1677628800000,"1","1","1","1","1"]\n]');
    await expect(collect(readBinanceKlines(dup, { instrumentId: id }))).rejects.toThrow(`${dup}:3: element 1: duplicate time 1677628800000`);
    const back = tmpFile('back.json', '[[1677628860000,"1","1","1","1","1"],\n[1677628800000,"1","1","1","1","1"]]');
    await expect(collect(readBinanceKlines(back, { instrumentId: id }))).rejects.toThrow(`${back}:2: element 1: time 1677628800000 goes back`);
    const broken = tmpFile('broken.json', '[\n[1677628800000,"1","1","1","1","1"]\n[1677628860000,"1","1","1","1","1"]\n]');
    await expect(collect(readBinanceKlines(broken, { instrumentId: id }))).rejects.toThrow(`${broken}:3: malformed JSON: after element 0: expected ',' or ']', found '['`);
    const short = tmpFile('short.json', '[[1677628800000,"1","1","1"]]');
    await expect(collect(readBinanceKlines(short, { instrumentId: id }))).rejects.toThrow(`${short}:1: element 0: a kline is an array`);
  });
});

describe('Binance trades', () => {
  it('reads Binance API trade objects: isBuyerMaker true means the seller was the aggressor', async () => {
    const f = tmpFile('trades.json', JSON.stringify([
      { id: 28457, price: '4.00000100', qty: '12.00000000', quoteQty: '48.000012', time: 1499865549590, isBuyerMaker: true, isBestMatch: true },
      { id: 28458, price: '4.00000200', qty: '1.50000000', quoteQty: '6.000003', time: 1499865549590, isBuyerMaker: false, isBestMatch: true },
    ]));
    expect(await collect(readBinanceTrades(f, { instrumentId: id }))).toEqual([
      { instrumentId: id, ts: 1499865549590, tradeId: '28457', price: '4.00000100', size: '12.00000000', aggressor: 'SELL' },
      { instrumentId: id, ts: 1499865549590, tradeId: '28458', price: '4.00000200', size: '1.50000000', aggressor: 'BUY' },
    ]);
  });

  it('reads aggTrades ({a, p, q, T, m}) and ccxt arrays with no side (aggressor undefined)', async () => {
    const agg = tmpFile('agg.json', '[{"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true,"M":true}]');
    expect(await collect(readBinanceTrades(agg, { instrumentId: id }))).toEqual([
      { instrumentId: id, ts: 1498793709153, tradeId: '26129', price: '0.01633102', size: '4.70443515', aggressor: 'SELL' },
    ]);
    const ccxt = tmpFile('ccxt.json.gz', gzipSync('[[1570752011620,"1",null,null,0.5,2.0,1.0]]'));
    expect(await collect(readBinanceTrades(ccxt, { instrumentId: id }))).toEqual([
      { instrumentId: id, ts: 1570752011620, tradeId: '1', price: '0.5', size: '2.0', aggressor: undefined },
    ]);
  });

  it.each([
    ['a time that goes back', '[1570752011619,"2",null,"buy",0.5,1.0]', ':3: element 1: time 2019-10-11T00:00:11.619Z goes back'],
    ['a duplicate trade id', '[1570752011620,"1",null,"buy",0.5,1.0]', ':3: element 1: duplicate trade id 1'],
    ['a trade id that goes back', '[1570752011620,"0",null,"buy",0.5,1.0]', ':3: element 1: trade id 0 goes back'],
    ['a zero price', '[1570752011620,"2",null,"buy",0,1.0]', ':3: element 1: price must be a positive number, got "0"'],
    ['a negative size', '[1570752011620,"2",null,"buy",0.5,-1.0]', ':3: element 1: negative size -1.0'],
    ['an unknown side', '[1570752011620,"2",null,"long",0.5,1.0]', ':3: element 1: side must be "buy", "sell" or null, got "long"'],
    ['a nested value', '[1570752011620,"2",null,"buy",[0.5],1.0]', ':3: malformed JSON: element 1: nested arrays and objects are not supported'],
  ])('names file, line and element for %s', async (_name, row, problem) => {
    const f = tmpFile('bad-trades.json', `[\n[1570752011620,"1",null,"sell",0.5,1.0],\n${row}\n]`);
    await expect(collect(readBinanceTrades(f, { instrumentId: id }))).rejects.toThrow(`${f}${problem}`);
  });
});
