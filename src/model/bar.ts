import type { InstrumentId } from './identifiers.ts';

/**
 * One OHLCV bar as read from a file: prices and volume as the decimal text of the source, so
 * nothing is rounded before an instrument checks them against its grid.
 */
export interface Bar {
  readonly instrumentId: InstrumentId;
  /** Bar open time, epoch milliseconds. */
  readonly ts: number;
  /** Bar length in milliseconds (60,000 for 1-minute bars). */
  readonly durationMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}
