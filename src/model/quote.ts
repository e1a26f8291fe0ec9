import type { InstrumentId } from './identifiers.ts';

/**
 * Top of book at a moment: best bid and ask (and their sizes when known) as the decimal text of
 * the source, checked against the instrument's grid where they are used.
 */
export interface Quote {
  readonly instrumentId: InstrumentId;
  /** Epoch milliseconds. */
  readonly ts: number;
  readonly bid: string;
  readonly ask: string;
  readonly bidSize?: string;
  readonly askSize?: string;
}
