import type { InstrumentId } from '../model/identifiers.ts';
import type { Bar } from '../model/bar.ts';
import { fail as failAt } from './source.ts';

/** A hole in a bar series: bars missing between two consecutive rows. Reported, never filled. */
export interface GapInfo {
  readonly file: string;
  /** Line of the first bar after the hole. */
  readonly line: number;
  readonly instrumentId: InstrumentId;
  /** When the next bar should have opened (previous open + bar length), epoch ms. */
  readonly expectedTs: number;
  /** When it did open, epoch ms. */
  readonly actualTs: number;
  /** Whole bars missing (rounded up when the hole is not a multiple of the bar length). */
  readonly missingBars: number;
}

export type OnGap = (gap: GapInfo) => void;

/** What a bar reader saw; the value its generator returns once the file is read to the end. */
export interface BarReadSummary {
  readonly file: string;
  readonly bars: number;
  readonly durationMs: number | undefined;
  readonly firstTs: number | undefined;
  readonly lastTs: number | undefined;
  readonly gaps: number;
  readonly missingBars: number;
}

/** One row as read, before it is checked. Prices and volume are the source's decimal text. */
export interface RawBar {
  readonly ts: number;
  /** The time as written, for messages. */
  readonly timeText: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

const DECIMAL = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
/** Rows looked at, at most, to infer the bar length when it is not given. */
export const DURATION_LOOKAHEAD = 16;
const DEFAULT_DURATION_MS = 60_000;

export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

/**
 * Checks bar rows one at a time and lets them out in order. A bad row throws naming file and
 * line: a field that is not a number, high < low, open or close outside low..high, negative
 * volume, a time equal to (duplicate) or before (unsorted) the previous row's, a bar that starts
 * before the previous one has ended. A gap (the next bar opens later than the previous open plus
 * the bar length) is passed to `onGap` and counted, never filled and never fatal.
 *
 * The bar length is `durationMs` when given; otherwise the smallest step among the first
 * `DURATION_LOOKAHEAD` rows (so a weekend right at the start of daily data does not make the bars
 * three days long), holding at most that many rows back. A file of one row gets one minute.
 */
export class BarChecker {
  private duration: number | undefined;
  private readonly held: { bar: Bar; line: number; at: string }[] = [];
  private prevTs: number | undefined;
  private lastOutTs: number | undefined;
  private bars = 0;
  private gaps = 0;
  private missing = 0;
  private firstTs: number | undefined;

  constructor(
    private readonly file: string,
    private readonly instrumentId: InstrumentId,
    durationMs: number | undefined,
    private readonly onGap: OnGap | undefined,
  ) {
    if (durationMs !== undefined && !(Number.isSafeInteger(durationMs) && durationMs > 0)) {
      throw new RangeError(`durationMs must be a positive whole number of milliseconds, got ${durationMs}`);
    }
    this.duration = durationMs;
  }

  /** Checks one row; returns the bars now ready to go out, in order (none while inferring the bar length). */
  push(row: RawBar, line: number, element?: number): Bar[] {
    const file = this.file;
    const at = element === undefined ? '' : `element ${element}: `;
    const fail = (l: number, problem: string): never => failAt(file, l, at + problem);
    if (!Number.isFinite(row.ts)) fail(line, `unreadable time ${JSON.stringify(row.timeText)}`);
    for (const name of ['open', 'high', 'low', 'close', 'volume'] as const) {
      if (!DECIMAL.test(row[name])) fail(line, `${name} is not a number: ${JSON.stringify(row[name])}`);
    }
    const o = Number(row.open), h = Number(row.high), l = Number(row.low), c = Number(row.close);
    if (h < l) fail(line, `high ${row.high} < low ${row.low}`);
    if (o > h || o < l || c > h || c < l) fail(line, `open ${row.open} / close ${row.close} outside low ${row.low} .. high ${row.high}`);
    if (Number(row.volume) < 0) fail(line, `negative volume ${row.volume}`);
    if (this.prevTs !== undefined && row.ts === this.prevTs) fail(line, `duplicate time ${row.timeText}`);
    if (this.prevTs !== undefined && row.ts < this.prevTs) fail(line, `time ${row.timeText} goes back (previous row ${new Date(this.prevTs).toISOString()})`);
    this.prevTs = row.ts;
    this.firstTs ??= row.ts;
    const bar: Bar = {
      instrumentId: this.instrumentId, ts: row.ts, durationMs: this.duration ?? 0,
      open: row.open, high: row.high, low: row.low, close: row.close, volume: row.volume,
    };
    if (this.duration !== undefined) return [this.release(bar, line, at)];
    this.held.push({ bar, line, at });
    return this.held.length >= DURATION_LOOKAHEAD ? this.drain() : [];
  }

  /** Call at the end of the file: the bars still held back. */
  finish(): Bar[] {
    return this.duration === undefined ? this.drain() : [];
  }

  summary(): BarReadSummary {
    return {
      file: this.file, bars: this.bars, durationMs: this.duration, firstTs: this.firstTs, lastTs: this.lastOutTs,
      gaps: this.gaps, missingBars: this.missing,
    };
  }

  private drain(): Bar[] {
    let step = Infinity;
    for (let i = 1; i < this.held.length; i++) step = Math.min(step, this.held[i]!.bar.ts - this.held[i - 1]!.bar.ts);
    this.duration = Number.isFinite(step) ? step : DEFAULT_DURATION_MS;
    const out = this.held.map(({ bar, line, at }) => this.release({ ...bar, durationMs: this.duration! }, line, at));
    this.held.length = 0;
    return out;
  }

  private release(bar: Bar, line: number, at: string): Bar {
    const d = this.duration!;
    const prev = this.lastOutTs;
    if (prev !== undefined) {
      const step = bar.ts - prev;
      if (step < d) {
        failAt(this.file, line, `${at}bar at ${new Date(bar.ts).toISOString()} starts ${step} ms after the previous one, inside its ${d} ms`);
      }
      if (step > d) {
        const missingBars = Math.ceil(step / d) - 1;
        this.gaps++;
        this.missing += missingBars;
        this.onGap?.({ file: this.file, line, instrumentId: this.instrumentId, expectedTs: prev + d, actualTs: bar.ts, missingBars });
      }
    }
    this.lastOutTs = bar.ts;
    this.bars++;
    return bar;
  }
}
