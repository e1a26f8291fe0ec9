/**
 * The shared matching core, plus what Coinbase's market-data side needs from it: a tape of the
 * trades that printed (for `/ticker`, candles and the `market_trades` channel) and a signal when
 * the market moves (for the `ticker` and `level2` channels). Wrapping by subclass keeps
 * FakeMatching untouched; tests still move the market with `matching.quote(...)`/`trade(...)`.
 */
import { FakeMatching, type FakeMatchingOptions } from '../fake-venue/matching.ts';

export interface MarketPrint {
  readonly tradeId: number;
  readonly productId: string;
  readonly price: string;
  readonly size: string;
  /** The aggressor's side, as Coinbase labels market trades. */
  readonly side: 'BUY' | 'SELL';
  readonly ts: number;
}

export type MarketEvent = { kind: 'quote'; productId: string } | { kind: 'trade'; productId: string; print: MarketPrint };

export class CoinbaseMatching extends FakeMatching {
  private readonly tape: MarketPrint[] = [];
  private readonly tapeListeners: ((e: MarketEvent) => void)[] = [];
  private nextPrintId = 90_000_000;

  constructor(
    o: FakeMatchingOptions,
    private readonly now: () => number,
  ) {
    super(o);
  }

  override quote(symbol: string, bid: string, ask: string): void {
    super.quote(symbol, bid, ask);
    this.emit({ kind: 'quote', productId: symbol });
  }

  override trade(symbol: string, price: string, qty: string): void {
    const before = this.ticker(symbol);
    super.trade(symbol, price, qty);
    // A print at or above the ask was bought; below it, sold (the tape shows the aggressor).
    const side = before.ask !== undefined && Number(price) >= Number(before.ask) ? 'BUY' : 'SELL';
    const print: MarketPrint = { tradeId: this.nextPrintId++, productId: symbol, price, size: qty, side, ts: this.now() };
    this.tape.push(print);
    this.emit({ kind: 'trade', productId: symbol, print });
  }

  /** Prints of a product, newest first (as Coinbase lists them). */
  prints(productId: string, limit = 100): MarketPrint[] {
    return this.tape.filter((p) => p.productId === productId).reverse().slice(0, limit);
  }

  onTapeMove(l: (e: MarketEvent) => void): () => void {
    this.tapeListeners.push(l);
    return () => void this.tapeListeners.splice(this.tapeListeners.indexOf(l), 1);
  }

  private emit(e: MarketEvent): void {
    for (const l of [...this.tapeListeners]) l(e);
  }
}
