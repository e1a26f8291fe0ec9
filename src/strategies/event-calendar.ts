import { readFileSync } from 'node:fs';
import { invalidParam } from './common.ts';

/** One scheduled event: a symbol's announcement on a UTC calendar day (days since 1970-01-01). */
export interface CalendarEvent {
  readonly symbol: string;
  readonly day: number;
}

const DAY_MS = 86_400_000;

/** The UTC calendar day (days since 1970-01-01) of an epoch-ms time. */
export const utcDay = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * Parses an event calendar: CSV with a header naming at least `date` (YYYY-MM-DD) and `symbol`
 * columns (others, such as a source, are ignored), one event a line; blank lines and lines
 * starting with # are skipped. Symbols are upper-cased. A bad line is a ValidationError
 * INVALID_FIELD naming `calendar`, with the line number. `strategy` names the error's owner.
 */
export function parseEventCalendar(strategy: string, text: string, where = 'calendar'): CalendarEvent[] {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  const out: CalendarEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      if (!header.includes('date') || !header.includes('symbol')) throw invalidParam(strategy, 'calendar', `${where}: the header must name date and symbol columns, got ${line}`);
      continue;
    }
    const date = cells[header.indexOf('date')] ?? '';
    const symbol = (cells[header.indexOf('symbol')] ?? '').toUpperCase();
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
    if (!m || new Date(ms).toISOString().slice(0, 10) !== date) throw invalidParam(strategy, 'calendar', `${where} line ${i + 1}: date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
    if (symbol === '') throw invalidParam(strategy, 'calendar', `${where} line ${i + 1}: no symbol`);
    out.push({ symbol, day: utcDay(ms) });
  }
  if (!header) throw invalidParam(strategy, 'calendar', `${where} is empty`);
  return out.sort((a, b) => a.day - b.day);
}

/** Reads and parses a calendar file (the factory's edge: a strategy itself does no I/O). */
export function readEventCalendar(strategy: string, file: string): CalendarEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidParam(strategy, 'calendar', `cannot read ${file}: ${(e as Error).message}`);
  }
  return parseEventCalendar(strategy, text, file);
}
