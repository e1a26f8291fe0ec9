import { createInterface } from 'node:readline';
import type { InstrumentId } from '../model/identifiers.ts';
import type { Bar } from './bar.ts';
import { BarChecker, type BarReadSummary, type OnGap } from './bar-checks.ts';
import { fail, openBytes } from './source.ts';

/** How the time column is written. `auto`: ISO text or a date, or epoch seconds (9-11 digits) / milliseconds (12-14 digits). */
export type TimeFormat = 'auto' | 'iso' | 'epoch_s' | 'epoch_ms';

type Field = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume';

export interface CsvBarOptions {
  readonly instrumentId: InstrumentId;
  /** Bar length; default: the smallest step among the first 16 rows. */
  readonly durationMs?: number;
  /** Column names (any case); default: the first of open_time/date/timestamp/time/datetime, open, high, low, close, volume. */
  readonly columns?: Partial<Record<Field, string>>;
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
const OFFSET = /^[+-]\d{2}:\d{2}$/;

/**
 * Epoch ms from ISO text, a date (`2023-03-01`, midnight), or epoch seconds / milliseconds.
 * ISO text and dates without a zone are taken at `utcOffset` (default UTC, never the local zone).
 * NaN when the text is not a time of that format.
 */
export function parseTime(text: string, format: TimeFormat = 'auto', utcOffset = 'Z'): number {
  const digits = /^\d+$/.test(text);
  if (format === 'epoch_s') return digits ? Number(text) * 1000 : NaN;
  if (format === 'epoch_ms') return digits ? Number(text) : NaN;
  if (format === 'auto' && digits) {
    if (text.length >= 9 && text.length <= 11) return Number(text) * 1000;
    if (text.length >= 12 && text.length <= 14) return Number(text);
    return NaN;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return NaN;
  let iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text.replace(' ', 'T');
  if (!HAS_ZONE.test(iso)) iso += utcOffset;
  return Date.parse(iso);
}

/**
 * Streams bars from a CSV file with a header (gzipped or not: told by its first bytes). Memory
 * stays flat: one line at a time, and at most 16 rows held back while the bar length is inferred.
 * Each row is checked (see `BarChecker`); a bad row stops the read with an error whose message is
 * `file:line: problem`. Gaps go to `onGap`; the generator's return value counts them.
 */
export async function* readCsvBars(file: string, opts: CsvBarOptions): AsyncGenerator<Bar, BarReadSummary> {
  const delimiter = opts.delimiter ?? ',';
  const timeFormat = opts.timeFormat ?? 'auto';
  const utcOffset = opts.utcOffset ?? 'Z';
  if (utcOffset !== 'Z' && !OFFSET.test(utcOffset)) throw new RangeError(`utcOffset must look like +05:30, got ${utcOffset}`);
  const input = await openBytes(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const checker = new BarChecker(file, opts.instrumentId, opts.durationMs, opts.onGap);
  let idx: Record<Field, number> | undefined;
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const cells = line.split(delimiter);
      if (!idx) {
        const header = cells.map((c) => c.trim().toLowerCase());
        const find = (key: Field, names: string[]): number => {
          const wanted = opts.columns?.[key]?.toLowerCase();
          const i = wanted ? header.indexOf(wanted) : header.findIndex((h) => names.includes(h));
          if (i < 0) fail(file, lineNo, `no ${wanted ?? names.join('/')} column in the header`);
          return i;
        };
        idx = { time: find('time', TIME_NAMES), open: find('open', ['open']), high: find('high', ['high']), low: find('low', ['low']), close: find('close', ['close']), volume: find('volume', ['volume']) };
        continue;
      }
      const cell = (i: number) => (cells[i] ?? '').trim();
      const timeText = cell(idx.time);
      const row = {
        ts: parseTime(timeText, timeFormat, utcOffset), timeText,
        open: cell(idx.open), high: cell(idx.high), low: cell(idx.low), close: cell(idx.close), volume: cell(idx.volume),
      };
      for (const bar of checker.push(row, lineNo)) yield bar;
    }
    if (!idx) fail(file, Math.max(lineNo, 1), 'no header: the file is empty');
    for (const bar of checker.finish()) yield bar;
    return checker.summary();
  } finally {
    lines.close();
    input.destroy();
  }
}
