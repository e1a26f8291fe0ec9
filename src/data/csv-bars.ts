import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { ValidationError } from '../model/errors.ts';
import type { InstrumentId } from '../model/identifiers.ts';
import type { Bar } from './bar.ts';

export interface CsvBarOptions {
  readonly instrumentId: InstrumentId;
  /** Bar length; default: inferred from the first two rows. */
  readonly durationMs?: number;
  /** Column names; default: the first of open_time/Date/timestamp/time, open, high, low, close, volume (any case). */
  readonly columns?: Partial<Record<'time' | 'open' | 'high' | 'low' | 'close' | 'volume', string>>;
}

const TIME_NAMES = ['open_time', 'date', 'timestamp', 'time', 'datetime'];
const DECIMAL = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Epoch ms from ISO text, a date, or epoch seconds / milliseconds. */
export function parseTime(text: string): number {
  if (/^\d{9,11}$/.test(text)) return Number(text) * 1000;
  if (/^\d{12,14}$/.test(text)) return Number(text);
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
  return t;
}

function fail(file: string, line: number, problem: string): never {
  throw new ValidationError('INVALID_FIELD', `${file}:${line}: ${problem}`, { field: 'data', file, line });
}

/**
 * Streams bars from a CSV file with a header (gzipped when the name ends in .gz). Memory stays
 * flat: one line at a time. Rows are checked (time increasing, no duplicates, high ≥ low, high and
 * low bracketing open and close, volume ≥ 0) and a bad row stops the read with its file and line.
 */
export async function* readCsvBars(file: string, opts: CsvBarOptions): AsyncGenerator<Bar> {
  const input = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let header: string[] | undefined;
  let idx: Record<'time' | 'open' | 'high' | 'low' | 'close' | 'volume', number> | undefined;
  let lineNo = 0;
  let prevTs: number | undefined;
  let duration = opts.durationMs;
  let pending: Omit<Bar, 'durationMs'> | undefined;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === '') continue;
    const cells = line.split(',');
    if (!header) {
      header = cells.map((c) => c.trim().toLowerCase());
      const find = (key: 'time' | 'open' | 'high' | 'low' | 'close' | 'volume', names: string[]): number => {
        const wanted = opts.columns?.[key]?.toLowerCase();
        const i = wanted ? header!.indexOf(wanted) : header!.findIndex((h) => names.includes(h));
        if (i < 0) fail(file, lineNo, `no ${wanted ?? names.join('/')} column in the header`);
        return i;
      };
      idx = { time: find('time', TIME_NAMES), open: find('open', ['open']), high: find('high', ['high']), low: find('low', ['low']), close: find('close', ['close']), volume: find('volume', ['volume']) };
      continue;
    }
    const col = idx!;
    const cell = (i: number) => (cells[i] ?? '').trim();
    const ts = parseTime(cell(col.time));
    if (!Number.isFinite(ts)) fail(file, lineNo, `unreadable time ${JSON.stringify(cell(col.time))}`);
    const [open, high, low, close, volume] = [cell(col.open), cell(col.high), cell(col.low), cell(col.close), cell(col.volume)];
    for (const [name, v] of [['open', open], ['high', high], ['low', low], ['close', close], ['volume', volume]] as const) {
      if (!DECIMAL.test(v)) fail(file, lineNo, `${name} is not a number: ${JSON.stringify(v)}`);
    }
    const [o, h, l, c, vol] = [Number(open), Number(high), Number(low), Number(close), Number(volume)];
    if (h < l) fail(file, lineNo, `high ${high} < low ${low}`);
    if (o > h || o < l || c > h || c < l) fail(file, lineNo, `open ${open} / close ${close} outside low ${low} .. high ${high}`);
    if (vol < 0) fail(file, lineNo, `negative volume ${volume}`);
    if (prevTs !== undefined && ts === prevTs) fail(file, lineNo, `duplicate time ${cell(col.time)}`);
    if (prevTs !== undefined && ts < prevTs) fail(file, lineNo, `time ${cell(col.time)} goes back`);
    if (duration === undefined && prevTs !== undefined) duration = ts - prevTs;
    if (pending) yield { ...pending, durationMs: duration ?? 60_000 };
    pending = { instrumentId: opts.instrumentId, ts, open, high, low, close, volume };
    prevTs = ts;
  }
  if (pending) yield { ...pending, durationMs: duration ?? 60_000 };
}
