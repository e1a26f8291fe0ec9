/**
 * Opens a validated DataSourceSpec (reader-options.ts) as a stream of bars or trades: the format
 * detected when it is `auto`, the matching reader, and trades or bars turned into bars of
 * `barIntervalMs` when it is given.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import type { Bar } from '../model/bar.ts';
import { instrumentId } from '../model/identifiers.ts';
import type { Trade } from '../model/trade.ts';
import { readBinanceKlines, readBinanceTrades } from './binance.ts';
import { readCsvBars } from './csv-bars.ts';
import { checkOptionsFit, csvTimeFormat, detectFormat, type DataFormat, type DataSourceSpec } from './reader-options.ts';
import { resampleBars, tradesToBars } from './resample.ts';

export type OpenedSource =
  | { readonly kind: 'bars'; readonly format: DataFormat; readonly bars: AsyncIterable<Bar> }
  | { readonly kind: 'trades'; readonly format: DataFormat; readonly trades: AsyncIterable<Trade> };

const HEAD_BYTES = 16 * 1024;

/** The first characters of a file (gunzipped when it is gzip, by content), for detectFormat. */
export function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    const bytes = buf.subarray(0, n);
    if (n < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
    // A cut gzip stream: take what inflates, without asking for its end.
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, 4 * HEAD_BYTES).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The spec's format, detected from the file's first characters when it is `auto`, and checked
 * against the other options (a CSV-only option for a JSON file throws, naming the option).
 */
export function resolveFormat(spec: DataSourceSpec): DataFormat {
  const format = spec.format === 'auto' ? detectFormat(readHead(spec.file)) : spec.format;
  checkOptionsFit(spec, format);
  return format;
}

/** What a file gives before any resampling: bars, except trades from a binance-trades file. */
export function nativeKind(format: DataFormat): 'bars' | 'trades' {
  return format === 'binance-trades' ? 'trades' : 'bars';
}

function readBars(spec: DataSourceSpec, format: DataFormat): AsyncIterable<Bar> {
  const id = instrumentId(spec.instrumentId);
  // Binance's klines come as JSON (the REST API) or as headerless CSV (data.binance.vision).
  if (format === 'binance-klines' && readHead(spec.file).trimStart().startsWith('[')) return readBinanceKlines(spec.file, { instrumentId: id });
  return readCsvBars(spec.file, {
    instrumentId: id,
    ...(spec.columns ? { columns: spec.columns } : {}),
    ...(spec.header !== undefined ? { header: spec.header } : {}),
    ...(spec.delimiter ? { delimiter: spec.delimiter } : {}),
    ...(spec.utcOffset ? { utcOffset: spec.utcOffset } : {}),
    timeFormat: csvTimeFormat(spec.timeFormat),
  });
}

/**
 * The file as a stream of bars (or trades, from a binance-trades file without `barIntervalMs`).
 * Throws at once for a format that does not fit the options; read errors come from the stream
 * (`file:line: problem`).
 */
export function openDataSource(spec: DataSourceSpec): OpenedSource {
  const format = resolveFormat(spec);
  const interval = spec.barIntervalMs;
  if (nativeKind(format) === 'trades') {
    const trades = readBinanceTrades(spec.file, { instrumentId: instrumentId(spec.instrumentId) });
    return interval === undefined ? { kind: 'trades', format, trades } : { kind: 'bars', format, bars: tradesToBars(trades, interval) };
  }
  const bars = readBars(spec, format);
  return { kind: 'bars', format, bars: interval === undefined ? bars : resampleBars(bars, interval) };
}
