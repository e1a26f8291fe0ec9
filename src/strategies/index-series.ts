import { readFileSync } from 'node:fs';
import { invalidParam } from './common.ts';

/** One observation of a volatility index: the time from which it is known (epoch ms) and its value. */
export interface IndexPoint {
  readonly knownAt: number;
  readonly value: number;
}

const DAY_MS = 86_400_000;

/**
 * Parses an index series (e.g. VIX daily from Yahoo): CSV with a header naming a `date` column
 * and a `value` or `close` column (case-insensitive; others ignored), in time order. A date-only
 * row (YYYY-MM-DD) is a daily close, known from the end of that UTC day (00:00 the next day); a
 * row with a time (ISO 8601 with Z or an offset) is known from that instant. Values are decimal
 * text, parsed to float64, which keeps their order and equality exactly for decimals of up to 15
 * significant digits. A bad row: ValidationError INVALID_FIELD naming `index`, with its line.
 */
export function parseIndexSeries(strategy: string, text: string, where = 'index'): IndexPoint[] {
  const lines = text.split(/\r?\n/);
  let dateCol = -1;
  let valueCol = -1;
  const out: IndexPoint[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (dateCol < 0) {
      const h = cells.map((c) => c.toLowerCase());
      dateCol = h.indexOf('date');
      valueCol = h.includes('value') ? h.indexOf('value') : h.indexOf('close');
      if (dateCol < 0 || valueCol < 0) throw invalidParam(strategy, 'index', `${where}: the header must name date and value (or close) columns, got ${line}`);
      continue;
    }
    const when = cells[dateCol] ?? '';
    const valueText = cells[valueCol] ?? '';
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(when);
    const ts = dateOnly ? Date.parse(`${when}T00:00:00Z`) + DAY_MS : /[zZ]|[+-]\d{2}:\d{2}$/.test(when) ? Date.parse(when) : Number.NaN;
    if (!Number.isFinite(ts)) throw invalidParam(strategy, 'index', `${where} line ${i + 1}: date must be YYYY-MM-DD or an ISO time with a zone, got ${JSON.stringify(when)}`);
    const value = Number(valueText);
    if (valueText === '' || !/^[0-9.eE+-]+$/.test(valueText) || !Number.isFinite(value)) throw invalidParam(strategy, 'index', `${where} line ${i + 1}: value must be a number, got ${JSON.stringify(valueText)}`);
    if (out.length > 0 && ts < out[out.length - 1]!.knownAt) throw invalidParam(strategy, 'index', `${where} line ${i + 1}: rows must be in time order`);
    out.push({ knownAt: ts, value });
  }
  if (out.length === 0) throw invalidParam(strategy, 'index', `${where} has no rows`);
  return out;
}

/** Reads and parses an index file (the factory's edge: the strategy does no I/O). */
export function readIndexSeries(strategy: string, file: string): IndexPoint[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidParam(strategy, 'index', `cannot read ${file}: ${(e as Error).message}`);
  }
  return parseIndexSeries(strategy, text, file);
}

/** Walks a series forward in time: the latest value known at a time (never one from later). */
export class IndexCursor {
  private i = -1;
  constructor(private readonly points: readonly IndexPoint[]) {}

  /** The last value with knownAt ≤ at, or undefined; `at` must not go back. */
  at(at: number): number | undefined {
    while (this.i + 1 < this.points.length && this.points[this.i + 1]!.knownAt <= at) this.i++;
    return this.i < 0 ? undefined : this.points[this.i]!.value;
  }
}
