import { createInterface } from 'node:readline';
import type { InstrumentId } from '../model/identifiers.ts';
import type { Bar } from './bar.ts';
import { BarChecker, type BarReadSummary, type OnGap } from './bar-checks.ts';
import { fail, openBytes } from './source.ts';
import { compileTimePattern, offsetMinutes } from './time-format.ts';

/**
 * How the time column is written. `auto`: ISO text or a date, or epoch seconds (9-11 digits),
 * milliseconds (12-14 digits) or microseconds (15-17 digits); `{ pattern }`: a date pattern such
 * as `DD/MM/YYYY HH:mm` (see compileTimePattern).
 */
export type TimeFormat = 'auto' | 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | { readonly pattern: string };

type Field = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume';
/** A column's role: a bar field, or `date` (a date column whose time of day is in the `time` column). */
export type ColumnRole = Field | 'date';
/** A column by its header name (any case) or its position, counted from 0. */
export type ColumnRef = string | number;

export interface CsvBarOptions {
  readonly instrumentId: InstrumentId;
  /** Bar length; default: the smallest step among the first 16 rows. */
  readonly durationMs?: number;
  /**
   * Columns by name (any case) or position from 0; default: the first of
   * open_time/date/timestamp/time/datetime, open, high, low, close, volume by name, or positions
   * 0-5 in that order in a file without a header. With both `date` and `time`, a row's time is the
   * two cells joined by a space (read with `timeFormat`); `date` alone is the time column.
   */
  readonly columns?: Partial<Record<ColumnRole, ColumnRef>>;
  /** Whether the first line is a header; default: it is unless every cell of it is a number. */
  readonly header?: boolean;
  /** Field separator, default ','. Fields are not quoted. */
  readonly delimiter?: string;
  /** How the time column is written, default `auto`. */
  readonly timeFormat?: TimeFormat;
  /** Offset applied to ISO times and dates that carry no zone, e.g. '+05:30' or '-04:00'; default UTC. */
  readonly utcOffset?: string;
  /** Told of each gap (bars missing between two rows); gaps never stop the read. */
  readonly onGap?: OnGap;
}

const TIME_NAMES = ['open_time', 'date', 'timestamp', 'time', 'datetime'];
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms from ISO text, a date (`2023-03-01`, midnight), or epoch seconds / milliseconds.
 * ISO text and dates without a zone are taken at `utcOffset` (default UTC, never the local zone).
 * NaN when the text is not a time of that format.
 */
export function parseTime(text: string, format: TimeFormat = 'auto', utcOffset = 'Z'): number {
  if (typeof format === 'object') return compileTimePattern(format.pattern)(text, offsetMinutes(utcOffset) ?? NaN);
  const digits = /^\d+$/.test(text);
  if (format === 'epoch_s') return digits ? Number(text) * 1000 : NaN;
  if (format === 'epoch_ms') return digits ? Number(text) : NaN;
  if (format === 'epoch_us') return digits ? Math.floor(Number(text) / 1000) : NaN;
  if (format === 'auto' && digits) {
    if (text.length >= 9 && text.length <= 11) return Number(text) * 1000;
    if (text.length >= 12 && text.length <= 14) return Number(text);
    // Binance's spot kline exports are in microseconds since 2025.
    if (text.length >= 15 && text.length <= 17) return Math.floor(Number(text) / 1000);
    return NaN;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return NaN;
  let iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text.replace(' ', 'T');
  if (!HAS_ZONE.test(iso)) iso += utcOffset;
  return Date.parse(iso);
}

const FIELDS: readonly Field[] = ['time', 'open', 'high', 'low', 'close', 'volume'];
const NUMBER_CELL = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A first line is a header unless every cell of it is a number (a headerless export starts with data). */
export function looksLikeHeader(cells: readonly string[]): boolean {
  return !cells.every((c) => NUMBER_CELL.test(c.trim()));
}

/** Positions of the fields, plus of a separate date column; throws `file:line: problem`. */
function columnIndexes(file: string, lineNo: number, header: readonly string[] | undefined, columns: CsvBarOptions['columns']): { idx: Record<Field, number>; date: number | undefined } {
  const locate = (role: ColumnRole, ref: ColumnRef): number => {
    if (typeof ref === 'number') return ref;
    if (!header) fail(file, lineNo, `${role} column "${ref}" is a name, but the file has no header: give its position (0 is the first column)`);
    const i = header.indexOf(ref.toLowerCase());
    if (i < 0) fail(file, lineNo, `no ${ref} column in the header`);
    return i;
  };
  const find = (key: Field, pos: number, names: readonly string[]): number => {
    const ref = key === 'time' ? (columns?.time ?? columns?.date) : columns?.[key];
    if (ref !== undefined) return locate(key, ref);
    if (!header) return pos;
    const i = header.findIndex((h) => names.includes(h));
    if (i < 0) fail(file, lineNo, `no ${names.join('/')} column in the header`);
    return i;
  };
  const idx = Object.fromEntries(FIELDS.map((f, pos) => [f, find(f, pos, f === 'time' ? TIME_NAMES : [f])])) as Record<Field, number>;
  const date = columns?.date !== undefined && columns.time !== undefined ? locate('date', columns.date) : undefined;
  return { idx, date };
}

/**
 * Streams bars from a CSV file (gzipped or not: told by its first bytes), with a header or
 * without one (then the columns are positions: by default time, open, high, low, close, volume
 * as the first six, which is also Binance's kline CSV layout). Memory stays flat: one line at a
 * time, and at most 16 rows held back while the bar length is inferred. Each row is checked (see
 * `BarChecker`); a bad row stops the read with an error whose message is `file:line: problem`.
 * Gaps go to `onGap`; the generator's return value counts them.
 */
export async function* readCsvBars(file: string, opts: CsvBarOptions): AsyncGenerator<Bar, BarReadSummary> {
  const delimiter = opts.delimiter ?? ',';
  const timeFormat = opts.timeFormat ?? 'auto';
  const utcOffset = opts.utcOffset ?? 'Z';
  const offset = offsetMinutes(utcOffset);
  if (offset === undefined) throw new RangeError(`utcOffset must look like +05:30, got ${utcOffset}`);
  const pattern = typeof timeFormat === 'object' ? compileTimePattern(timeFormat.pattern) : undefined;
  const toTs = (text: string): number => (pattern ? pattern(text, offset) : parseTime(text, timeFormat, utcOffset));
  const input = await openBytes(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const checker = new BarChecker(file, opts.instrumentId, opts.durationMs, opts.onGap);
  let cols: ReturnType<typeof columnIndexes> | undefined;
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const cells = line.split(delimiter);
      if (!cols) {
        const header = opts.header ?? looksLikeHeader(cells);
        cols = columnIndexes(file, lineNo, header ? cells.map((c) => c.trim().toLowerCase()) : undefined, opts.columns);
        if (header) continue;
      }
      const { idx, date } = cols;
      const cell = (i: number) => (cells[i] ?? '').trim();
      const timeText = date === undefined ? cell(idx.time) : `${cell(date)} ${cell(idx.time)}`;
      const row = {
        ts: toTs(timeText), timeText,
        open: cell(idx.open), high: cell(idx.high), low: cell(idx.low), close: cell(idx.close), volume: cell(idx.volume),
      };
      for (const bar of checker.push(row, lineNo)) yield bar;
    }
    if (!cols) fail(file, Math.max(lineNo, 1), 'no header: the file is empty');
    for (const bar of checker.finish()) yield bar;
    return checker.summary();
  } finally {
    lines.close();
    input.destroy();
  }
}
