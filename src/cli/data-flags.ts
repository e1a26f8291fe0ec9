/**
 * The data-format flags of every command that takes `--data`: `--format`, `--columns`,
 * `--no-header`, `--time-format`, `--utc-offset`, `--delimiter`, `--bar-interval`. They apply to
 * every `--data` file; a file's own `#key=value` suffix (`--data trades.json.gz@XRPETH.BINANCE#bar-interval=1m`)
 * overrides them for that file. Parsing is reader-options.ts's; this names the flag in each error.
 */
import type { Command } from 'commander';
import { parseDataArg } from '../backtest/instruments.ts';
import { nativeKind, openDataSource, resolveFormat } from '../data/open-source.ts';
import { DATA_FORMATS, parseDataOptions, splitDataArg, type DataFormat, type DataOption, type DataOptionsText, type DataSourceSpec } from '../data/reader-options.ts';
import type { Bar } from '../model/bar.ts';
import type { Trade } from '../model/trade.ts';
import { WardenError } from '../model/errors.ts';
import { bad, readableFile, underFlag } from './flags.ts';

/** The flags as commander hands them over (`header` is false after `--no-header`, else true). */
export interface DataFormatCliOptions {
  format?: string;
  columns?: string;
  header?: boolean;
  timeFormat?: string;
  utcOffset?: string;
  delimiter?: string;
  barInterval?: string;
}

/** One `--data` argument resolved: its file, instrument, reader spec and format. */
export interface DataEntry {
  readonly arg: string;
  readonly file: string;
  readonly source: DataSourceSpec;
  readonly format: DataFormat;
  /** What the command will receive: bars, or trades (a trades file without a bar interval). */
  readonly kind: 'bars' | 'trades';
}

export function addDataFormatOptions(cmd: Command): Command {
  return cmd
    .option('--format <name>', `data file format: ${DATA_FORMATS.join(', ')} (default: detected from the file's first characters)`)
    .option('--columns <role=col,...>', 'csv columns by header name or position from 0: time, date, open, high, low, close, volume (e.g. time=Date,close=Close)')
    .option('--no-header', 'the csv files have no header line (default: detected: a first line of numbers only is data)')
    .option('--time-format <fmt>', 'csv time column: auto, iso, epoch-s, epoch-ms, epoch-us, or a pattern like DD/MM/YYYY HH:mm (default auto)')
    .option('--utc-offset <±HH:MM>', 'zone of csv times written without one, e.g. +05:30 (default UTC)')
    .option('--delimiter <c>', 'csv field separator: one character, or comma, semicolon, tab, pipe, space (default ,)')
    .option('--bar-interval <len>', 'make bars of this length (1m, 5m, 1h, 1d) from trades, or from shorter bars');
}

function flagText(o: DataFormatCliOptions): DataOptionsText {
  return {
    format: o.format, columns: o.columns, header: o.header === false ? false : undefined,
    'time-format': o.timeFormat, 'utc-offset': o.utcOffset, delimiter: o.delimiter, 'bar-interval': o.barInterval,
  };
}

const optionOf = (e: unknown): DataOption | undefined => (e instanceof WardenError && typeof e.context.option === 'string' ? (e.context.option as DataOption) : undefined);

/**
 * Runs `parse`; an option error is re-raised naming its flag (`--columns: ...`), or, when the
 * option came from the file's suffix, naming --data and the suffix key.
 */
function naming<T>(arg: string, suffix: DataOptionsText, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const option = optionOf(e);
    if (!option) throw e;
    const message = (e as Error).message;
    if (suffix[option] !== undefined) throw bad('data', `${arg}: #${option}=: ${message}`);
    throw bad(option, message);
  }
}

/** A `--data FILE[@SYMBOL.VENUE][#key=value...]` argument with the format flags, checked (the file's first characters are read to detect its format). */
export function resolveDataArg(arg: string, o: DataFormatCliOptions, instrument?: string): DataEntry {
  const flags = flagText(o);
  naming(arg, {}, () => parseDataOptions(flags));
  const { target, options: suffix } = underFlag('data', () => splitDataArg(arg));
  naming(arg, suffix, () => parseDataOptions(suffix));
  const { file, instrumentId } = instrument === undefined ? underFlag('data', () => parseDataArg(target)) : { file: target, instrumentId: instrument };
  readableFile('data', file);
  const merged = { ...flags, ...Object.fromEntries(Object.entries(suffix).filter(([, v]) => v !== undefined)) };
  const source: DataSourceSpec = { file, instrumentId, ...naming(arg, suffix, () => parseDataOptions(merged)) };
  const format = naming(arg, suffix, () => resolveFormat(source));
  const kind = source.barIntervalMs !== undefined ? 'bars' : nativeKind(format);
  return { arg, file, source, format, kind };
}

/** Refuses trades where a command needs bars, naming --bar-interval. */
export function requireBars(entry: DataEntry, command: string): void {
  if (entry.kind === 'bars') return;
  throw bad('bar-interval', `${command} needs bars, and ${entry.file} holds trades (${entry.format}): give --bar-interval (e.g. 1m) to make bars of them`);
}

/** The entry's stream: bars, or trades when the file holds trades and no bar interval was asked. */
export function openEntry(entry: DataEntry): AsyncIterable<Bar | Trade> {
  const opened = openDataSource(entry.source);
  return opened.kind === 'bars' ? opened.bars : opened.trades;
}

/** The entry's bars (requireBars first). */
export function openBars(entry: DataEntry): AsyncIterable<Bar> {
  const opened = openDataSource(entry.source);
  if (opened.kind !== 'bars') throw bad('bar-interval', `${entry.file} holds trades: give --bar-interval`);
  return opened.bars;
}
