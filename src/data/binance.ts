import { tradeId as toTradeId, type InstrumentId, type TradeId } from '../model/identifiers.ts';
import type { Bar } from '../model/bar.ts';
import type { Aggressor, Trade } from '../model/trade.ts';
import { BarChecker, isDecimalText, type BarReadSummary, type OnGap } from './bar-checks.ts';
import { parseTime } from './csv-bars.ts';
import { JsonNumber, streamJsonArray, type JsonScalar } from './json-stream.ts';
import { fail, textChunks } from './source.ts';

export interface BinanceKlineOptions {
  readonly instrumentId: InstrumentId;
  /** Bar length; default: close time + 1 − open time of the first kline, else inferred like CSV. */
  readonly durationMs?: number;
  /** Told of each gap; gaps never stop the read. */
  readonly onGap?: OnGap;
}

export interface BinanceTradeOptions {
  readonly instrumentId: InstrumentId;
}

/** What a trade reader saw; the value its generator returns once the file is read to the end. */
export interface TradeReadSummary {
  readonly file: string;
  readonly trades: number;
  readonly firstTs: number | undefined;
  readonly lastTs: number | undefined;
}

/** Text of a JSON string or number; undefined for anything else. */
function text(v: JsonScalar | undefined): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (v instanceof JsonNumber) return v.text;
  return undefined;
}

/** Epoch ms from a JSON number or string of epoch ms (12-14 digits) or seconds (9-11 digits). */
function epoch(v: JsonScalar | undefined): number {
  const t = text(v);
  return t === undefined ? NaN : parseTime(t, 'auto');
}

/**
 * Streams bars from a Binance klines JSON file (gzipped or not): one array of
 * `[openTime ms, open, high, low, close, volume, closeTime ms, ...]`, prices as strings or
 * numbers (kept as their text). Checked like CSV bars; errors name file, line and element.
 */
export async function* readBinanceKlines(file: string, opts: BinanceKlineOptions): AsyncGenerator<Bar, BarReadSummary> {
  let checker: BarChecker | undefined;
  for await (const { value, index, line } of streamJsonArray(textChunks(file), file)) {
    if (!Array.isArray(value) || value.length < 6) {
      fail(file, line, `element ${index}: a kline is an array [openTime, open, high, low, close, volume, closeTime, ...]`);
    }
    const k = value as readonly JsonScalar[];
    const ts = epoch(k[0]);
    if (!checker) {
      const closeTs = k.length > 6 ? epoch(k[6]) : NaN;
      const duration = opts.durationMs ?? (Number.isFinite(closeTs) && closeTs >= ts ? closeTs + 1 - ts : undefined);
      checker = new BarChecker(file, opts.instrumentId, duration, opts.onGap);
    }
    const field = (i: number) => text(k[i]) ?? JSON.stringify(k[i] ?? null);
    const row = { ts, timeText: field(0), open: field(1), high: field(2), low: field(3), close: field(4), volume: field(5) };
    for (const bar of checker.push(row, line, index)) yield bar;
  }
  checker ??= new BarChecker(file, opts.instrumentId, opts.durationMs, opts.onGap);
  for (const bar of checker.finish()) yield bar;
  return checker.summary();
}

function aggressorOf(v: JsonScalar | undefined, fromBuyerMaker: boolean, where: () => never): Aggressor | undefined {
  if (v === undefined || v === null) return undefined;
  if (fromBuyerMaker) {
    // isBuyerMaker: the buyer's order rested, so the seller took liquidity.
    if (typeof v !== 'boolean') where();
    return v ? 'SELL' : 'BUY';
  }
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  if (s === 'buy') return 'BUY';
  if (s === 'sell') return 'SELL';
  return where();
}

/**
 * Streams trades from a Binance trades JSON file (gzipped or not), one top-level array whose
 * elements are any of:
 * - `[timestamp ms, trade id, order id | null, 'buy' | 'sell' | null, price, amount, cost?]`
 *   (ccxt / freqtrade; the side is the taker's),
 * - `{ id, price, qty, time, isBuyerMaker }` (Binance `/api/v3/trades`, `historicalTrades`),
 * - `{ a, p, q, T, m }` (Binance `aggTrades`; `a` is the trade id).
 * Checked: a time that goes back, a duplicate trade id (or, for numeric ids, one that goes back),
 * a price that is not a positive number, a size that is not a positive number. Errors name file,
 * line and element; equal times are fine (one order often fills several trades in a millisecond).
 */
export async function* readBinanceTrades(file: string, opts: BinanceTradeOptions): AsyncGenerator<Trade, TradeReadSummary> {
  let prevTs: number | undefined;
  let prevId: string | undefined;
  let firstTs: number | undefined;
  let count = 0;
  for await (const { value, index, line } of streamJsonArray(textChunks(file), file)) {
    const bad: (problem: string) => never = (problem) => fail(file, line, `element ${index}: ${problem}`);
    let tsV: JsonScalar | undefined, idV: JsonScalar | undefined, priceV: JsonScalar | undefined, sizeV: JsonScalar | undefined;
    let aggressor: Aggressor | undefined;
    if (Array.isArray(value)) {
      const a = value as readonly JsonScalar[];
      if (a.length < 6) bad('a trade array is [timestamp, id, order, side, price, amount, cost]');
      [tsV, idV, , , priceV, sizeV] = a;
      aggressor = aggressorOf(a[3], false, () => bad(`side must be "buy", "sell" or null, got ${JSON.stringify(text(a[3]) ?? a[3])}`));
    } else {
      const o = value as { readonly [key: string]: JsonScalar };
      const agg = 'a' in o && 'p' in o;
      tsV = agg ? o.T : o.time;
      idV = agg ? o.a : o.id;
      priceV = agg ? o.p : o.price;
      sizeV = agg ? o.q : o.qty;
      const makerKey = agg ? 'm' : 'isBuyerMaker';
      aggressor = aggressorOf(o[makerKey], true, () => bad(`${makerKey} must be true or false`));
      if (tsV === undefined || idV === undefined || priceV === undefined || sizeV === undefined) {
        bad(agg ? 'an aggTrade needs a, p, q and T' : 'a trade object needs id, price, qty and time');
      }
    }
    const ts = epoch(tsV);
    if (!Number.isFinite(ts)) bad(`unreadable time ${JSON.stringify(text(tsV) ?? tsV)}`);
    const id = text(idV);
    if (id === undefined || id === '') bad('no trade id');
    const price = text(priceV) ?? '';
    const size = text(sizeV) ?? '';
    if (!isDecimalText(price) || !(Number(price) > 0)) bad(`price must be a positive number, got ${JSON.stringify(price)}`);
    if (!isDecimalText(size)) bad(`size is not a number: ${JSON.stringify(size)}`);
    if (Number(size) < 0) bad(`negative size ${size}`);
    if (!(Number(size) > 0)) bad(`size must be positive, got ${size}`);
    if (prevTs !== undefined && ts < prevTs) bad(`time ${new Date(ts).toISOString()} goes back (previous trade ${new Date(prevTs).toISOString()})`);
    if (prevId !== undefined) {
      if (id === prevId) bad(`duplicate trade id ${id}`);
      if (/^\d+$/.test(id) && /^\d+$/.test(prevId) && BigInt(id) < BigInt(prevId)) bad(`trade id ${id} goes back (previous ${prevId})`);
    }
    let tradeId: TradeId;
    try {
      tradeId = toTradeId(id);
    } catch {
      return bad(`trade id ${JSON.stringify(id)} is not an identifier`);
    }
    prevTs = ts;
    prevId = id;
    firstTs ??= ts;
    count++;
    yield { instrumentId: opts.instrumentId, ts, tradeId, price, size, aggressor };
  }
  return { file, trades: count, firstTs, lastTs: prevTs };
}
