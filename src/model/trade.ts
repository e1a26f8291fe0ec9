import type { InstrumentId, TradeId } from './identifiers.ts';

/** Which side took liquidity: BUY when the buyer was the taker, SELL when the seller was. */
export type Aggressor = 'BUY' | 'SELL';

/**
 * One public trade (a print) as read from a file: price and size as the decimal text of the
 * source, so nothing is rounded before an instrument checks them against its grid.
 */
export interface Trade {
  readonly instrumentId: InstrumentId;
  /** Trade time, epoch milliseconds. */
  readonly ts: number;
  readonly tradeId: TradeId;
  readonly price: string;
  readonly size: string;
  /** The taker's side, when the source says. */
  readonly aggressor: Aggressor | undefined;
}
