/**
 * How to read a market data file, from text (command-line flags, a `--data FILE#key=value`
 * suffix, or the `data:` section of a config file) to a validated `DataSourceSpec`. Pure: no file
 * is opened here (see open-source.ts for `openDataSource`). Each bad value throws a
 * ValidationError (INVALID_FIELD) whose context `option` names the option (`format`, `columns`,
 * `time-format`, ...) and whose message is the problem, so the CLI can name its flag and the
 * config loader its path.
 */
import { z } from 'zod';
import { ValidationError } from '../model/errors.ts';
import { instrumentId as toInstrumentId } from '../model/identifiers.ts';
import type { ColumnRef, ColumnRole, TimeFormat } from './csv-bars.ts';
import { compileTimePattern, offsetMinutes } from './time-format.ts';

export const DATA_FORMATS = ['csv', 'binance-klines', 'binance-trades'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** The reader options, each by its command-line name (the config file uses the same names with `_`). */
export const DATA_OPTIONS = ['format', 'columns', 'header', 'time-format', 'utc-offset', 'delimiter', 'bar-interval'] as const;
export type DataOption = (typeof DATA_OPTIONS)[number];

const COLUMN_ROLES: readonly ColumnRole[] = ['time', 'date', 'open', 'high', 'low', 'close', 'volume'];
const NAMED_TIME_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'epoch-us'] as const;
/** Options that only a CSV file has: refused for the JSON formats rather than silently ignored. */
const CSV_ONLY: readonly DataOption[] = ['columns', 'header', 'time-format', 'utc-offset', 'delimiter'];

/** How to read one file, validated. Optional fields are the reader's defaults. */
export interface DataReadOptions {
  /** `auto`: told by the file's first characters (see detectFormat). */
  readonly format: DataFormat | 'auto';
  readonly columns?: Readonly<Partial<Record<ColumnRole, ColumnRef>>>;
  /** Whether the first line is a header; default: unless every cell of it is a number. */
  readonly header?: boolean;
  /** `auto`, `iso`, `epoch-s`, `epoch-ms`, `epoch-us`, or a date pattern such as `DD/MM/YYYY HH:mm`. */
  readonly timeFormat?: string;
  /** `Z` or `±HH:MM`: the zone of times written without one (never the machine's zone). */
  readonly utcOffset?: string;
  /** One character. */
  readonly delimiter?: string;
  /** Bars of this length (ms) from trades, or from shorter bars (resampled). */
  readonly barIntervalMs?: number;
}

/** One data file to replay: what the CLI's `--data` and the config's `data:` entries become. */
export interface DataSourceSpec extends DataReadOptions {
  readonly file: string;
  /** SYMBOL.VENUE */
  readonly instrumentId: string;
}

/** The options as text, by command-line name; `header` may be a boolean (`--no-header`). */
export type DataOptionsText = Partial<Record<Exclude<DataOption, 'columns'>, string | boolean | undefined>> & {
  /** Text (`time=Date,close=Close`) or, from a config file, role → name or position. */
  readonly columns?: string | Readonly<Record<string, ColumnRef>> | undefined;
};

export function optionError(option: DataOption, problem: string): ValidationError {
  return new ValidationError('INVALID_FIELD', problem, { field: option, option });
}

export function parseFormat(text: string): DataFormat | 'auto' {
  const t = text.trim().toLowerCase();
  if (t === 'auto' || (DATA_FORMATS as readonly string[]).includes(t)) return t as DataFormat | 'auto';
  throw optionError('format', `unknown format ${JSON.stringify(text)}; known: ${DATA_FORMATS.join(', ')} (or auto)`);
}

/** `time=Date,open=Open,...` or positions from 0 (`time=0,open=1`); names cannot contain `,` or `=`. */
export function parseColumns(text: string): Partial<Record<ColumnRole, ColumnRef>> {
  const pairs = text.split(',').map((pair): [string, ColumnRef] => {
    const i = pair.indexOf('=');
    const ref = pair.slice(i + 1).trim();
    if (i <= 0 || ref === '') throw optionError('columns', `expected role=column pairs separated by commas (e.g. time=Date,close=Close), got ${JSON.stringify(pair)}`);
    return [pair.slice(0, i), /^\d+$/.test(ref) ? Number(ref) : ref];
  });
  return checkColumns(pairs);
}

/** Role → column pairs checked: known roles, each once, a name or a whole position. */
export function checkColumns(pairs: readonly (readonly [string, ColumnRef])[]): Partial<Record<ColumnRole, ColumnRef>> {
  const out: Partial<Record<ColumnRole, ColumnRef>> = {};
  for (const [name, ref] of pairs) {
    const role = name.trim().toLowerCase() as ColumnRole;
    if (!COLUMN_ROLES.includes(role)) throw optionError('columns', `unknown role ${JSON.stringify(name)}; roles: ${COLUMN_ROLES.join(', ')}`);
    if (out[role] !== undefined) throw optionError('columns', `${role} is given twice`);
    if (typeof ref === 'number' ? !Number.isSafeInteger(ref) || ref < 0 : ref.trim() === '') throw optionError('columns', `${role}: a column is a header name or a position from 0, got ${JSON.stringify(ref)}`);
    out[role] = typeof ref === 'string' ? ref.trim() : ref;
  }
  return out;
}

export function parseTimeFormatOption(text: string): string {
  const t = text.trim();
  if ((NAMED_TIME_FORMATS as readonly string[]).includes(t.toLowerCase())) return t.toLowerCase();
  try {
    compileTimePattern(t);
  } catch (e) {
    throw optionError('time-format', `${NAMED_TIME_FORMATS.join(', ')} or a date pattern: ${(e as Error).message}`);
  }
  return t;
}

export function parseUtcOffset(text: string): string {
  const t = text.trim().toUpperCase() === 'UTC' ? 'Z' : text.trim();
  if (offsetMinutes(t) === undefined) throw optionError('utc-offset', `must be Z or ±HH:MM between -14:00 and +14:00 (e.g. +05:30), got ${JSON.stringify(text)}`);
  return t;
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t', pipe: '|', space: ' ' };

/** One character, or a name: comma, semicolon, tab (or \t), pipe, space. Not a letter, digit, `.`, `-`, `+` or quote: those are inside values. */
export function parseDelimiter(text: string): string {
  const d = DELIMITER_NAMES[text.toLowerCase()] ?? text;
  if ([...d].length !== 1 || /[\p{L}\p{N}.+\-"']/u.test(d)) {
    throw optionError('delimiter', `must be one character that cannot be part of a value (e.g. ";" or tab), got ${JSON.stringify(text)}`);
  }
  return d;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `500ms`, `30s`, `1m`, `5m`, `1h`, `1d`, `1w` in milliseconds (m is minutes; months have no fixed length). */
export function parseBarInterval(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
  if (!(Number.isSafeInteger(ms) && ms > 0)) throw optionError('bar-interval', `must be a length such as 1m, 5m, 1h or 1d (units ms, s, m, h, d, w), got ${JSON.stringify(text)}`);
  return ms;
}

export function parseHeader(v: string | boolean): boolean {
  if (typeof v === 'boolean') return v;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === 'yes') return true;
  if (t === 'false' || t === 'no') return false;
  throw optionError('header', `must be true or false, got ${JSON.stringify(v)}`);
}

/** The options, each parsed and checked, and checked together (CSV options refused for an explicit JSON format). */
export function parseDataOptions(text: DataOptionsText): DataReadOptions {
  const str = (k: Exclude<DataOption, 'columns'>): string | undefined => {
    const v = text[k];
    if (typeof v === 'boolean') throw optionError(k, 'expected a value');
    return v;
  };
  const format = text.format === undefined ? 'auto' : parseFormat(str('format')!);
  const columns = typeof text.columns === 'object' ? checkColumns(Object.entries(text.columns)) : text.columns === undefined ? undefined : parseColumns(text.columns);
  const timeFormat = str('time-format'), utcOffset = str('utc-offset'), delimiter = str('delimiter'), interval = str('bar-interval');
  const opts: DataReadOptions = {
    format,
    ...(columns !== undefined ? { columns } : {}),
    ...(text.header !== undefined ? { header: parseHeader(text.header) } : {}),
    ...(timeFormat !== undefined ? { timeFormat: parseTimeFormatOption(timeFormat) } : {}),
    ...(utcOffset !== undefined ? { utcOffset: parseUtcOffset(utcOffset) } : {}),
    ...(delimiter !== undefined ? { delimiter: parseDelimiter(delimiter) } : {}),
    ...(interval !== undefined ? { barIntervalMs: parseBarInterval(interval) } : {}),
  };
  if (format !== 'auto') checkOptionsFit(opts, format);
  return opts;
}

/** Throws, naming the first option, when a CSV-only option is given for a JSON format. */
export function checkOptionsFit(opts: DataReadOptions, format: DataFormat): void {
  if (format === 'csv') return;
  const given: Record<DataOption, unknown> = {
    format: undefined, columns: opts.columns, header: opts.header, 'time-format': opts.timeFormat, 'utc-offset': opts.utcOffset, delimiter: opts.delimiter, 'bar-interval': undefined,
  };
  const stray = CSV_ONLY.find((k) => given[k] !== undefined);
  if (stray) throw optionError(stray, `applies to csv files only; this file is ${format}, whose layout is fixed`);
}

/** The csv reader's time format for a spec's. */
export function csvTimeFormat(text: string | undefined): TimeFormat {
  switch (text) {
    case undefined:
    case 'auto':
      return 'auto';
    case 'iso':
      return 'iso';
    case 'epoch-s':
      return 'epoch_s';
    case 'epoch-ms':
      return 'epoch_ms';
    case 'epoch-us':
      return 'epoch_us';
    default:
      return { pattern: text };
  }
}

/**
 * The format of a file from its first characters (gunzipped): JSON (`[`) whose first element is
 * an object, or an array whose fourth item is "buy", "sell" or null, is binance-trades; other JSON
 * is binance-klines; anything else is csv (with a header or not: see readCsvBars).
 */
export function detectFormat(head: string): DataFormat {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (!t.startsWith('[')) return 'csv';
  const first = /^\[\s*([[{])([^\]}]*)/.exec(t);
  if (!first) return 'binance-klines';
  if (first[1] === '{') return 'binance-trades';
  const fourth = (first[2] ?? '').split(',')[3]?.trim().toLowerCase();
  return fourth === '"buy"' || fourth === '"sell"' || fourth === 'null' ? 'binance-trades' : 'binance-klines';
}

const SUFFIX_KEY = new RegExp(`#(${DATA_OPTIONS.join('|')})=`, 'g');

/**
 * Splits `FILE[@SYMBOL.VENUE][#key=value...]` into the part before the options and the options:
 * each `#key=value` runs to the next `#key=` (so a value may hold `,` and `=`: `#columns=time=0,open=1`).
 * A `#` not followed by a known key is part of the file name.
 */
export function splitDataArg(arg: string): { target: string; options: DataOptionsText } {
  const starts = [...arg.matchAll(SUFFIX_KEY)];
  if (starts.length === 0) return { target: arg, options: {} };
  const options: Record<string, string> = {};
  starts.forEach((m, k) => {
    const key = m[1] as DataOption;
    const end = k + 1 < starts.length ? starts[k + 1]!.index : arg.length;
    if (options[key] !== undefined) throw optionError(key, `#${key}= is given twice in ${JSON.stringify(arg)}`);
    options[key] = arg.slice(m.index + m[0].length, end);
  });
  return { target: arg.slice(0, starts[0]!.index), options };
}

/** Text options from a config entry: the same names with `_` for `-`. */
const configOptions = {
  // The metadata is for editors (the JSON Schema); the parsers below are what check.
  format: z.string().optional().meta({ enum: ['auto', ...DATA_FORMATS], description: 'default: detected from the first characters of the file' }),
  columns: z
    .union([z.string(), z.record(z.string(), z.union([z.string(), z.number().int().nonnegative()]))])
    .optional()
    .meta({ description: 'csv columns by role (time, date, open, high, low, close, volume): a header name or a position from 0' }),
  header: z.boolean().optional().meta({ description: 'whether the first line is a header; default: unless it holds only numbers' }),
  time_format: z.string().optional().meta({ description: 'auto, iso, epoch-s, epoch-ms, epoch-us, or a pattern such as DD/MM/YYYY HH:mm' }),
  utc_offset: z.string().optional().meta({ description: 'zone of times written without one: Z or ±HH:MM (default UTC)' }),
  delimiter: z.string().optional().meta({ description: 'one character, or comma, semicolon, tab, pipe, space (default ,)' }),
  bar_interval: z.string().optional().meta({ description: 'make bars of this length (1m, 5m, 1h, 1d) from trades or shorter bars' }),
};

/**
 * A `data:` entry of a config file: `{ file, instrument, format?, columns?, header?, time_format?,
 * utc_offset?, delimiter?, bar_interval? }` (strict), checked by the same parsers as the CLI flags,
 * each problem reported at its key. Its output is a DataSourceSpec.
 */
export const dataSourceSchema = z
  .strictObject({ file: z.string().min(1), instrument: z.string().min(1), ...configOptions })
  .transform((v, ctx): DataSourceSpec => {
    try {
      toInstrumentId(v.instrument);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['instrument'], message: (e as Error).message });
      return z.NEVER;
    }
    try {
      const opts = parseDataOptions({
        format: v.format, columns: v.columns, header: v.header, 'time-format': v.time_format, 'utc-offset': v.utc_offset, delimiter: v.delimiter, 'bar-interval': v.bar_interval,
      });
      return { file: v.file, instrumentId: v.instrument, ...opts };
    } catch (e) {
      const option = (e as ValidationError).context?.option;
      ctx.addIssue({ code: 'custom', path: typeof option === 'string' ? [option.replace('-', '_')] : [], message: (e as Error).message });
      return z.NEVER;
    }
  });
