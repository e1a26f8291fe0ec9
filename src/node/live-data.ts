import type { Exchange } from 'ccxt';
import type { AlertCode } from '../engine/alert-codes.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../execution/backoff.ts';
import { instrumentId, tradeId, type InstrumentId } from '../model/identifiers.ts';
import { exactOptional, exactText } from '../venues/ccxt/exact.ts';
import type { MarketItem } from './market-data.ts';

/** One instrument's subscription at a ccxt venue: what to watch and under which of our ids the items come. */
export interface LiveSubscription {
  readonly instrumentId: string;
  /** ccxt's unified symbol at the data venue. */
  readonly symbol: string;
  readonly client: Exchange;
  readonly quotes: boolean;
  /** Top of book from the order book stream (with sizes) instead of the quote stream. */
  readonly book: boolean;
  readonly trades: boolean;
  /** Bar interval (1m, 5m, 1h ...): each bar once it has closed. */
  readonly bars: string | undefined;
}

/** A market data stream of another kind (a broker's): items into the sink until stopped. */
export type ExternalFeed = (sink: (item: MarketItem) => void) => { stop(): void };

export interface LiveMarketDataOptions {
  /** The node's wall clock: quotes and trades are stamped when they arrive, never earlier than the last item. */
  readonly wall: () => number;
  /** First wait before watching again after a failure, doubled up to `maxBackoffMs`. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly onAlert: (code: AlertCode, message: string) => void;
  /** Brokers' streams beside ccxt's watch loops: their quotes and trades stamped on arrival as ccxt's are, their bars as given. */
  readonly feeds?: readonly ExternalFeed[];
}

const INTERVAL_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Market data from ccxt.pro's watch calls (watchTicker, watchTrades, watchOHLCV) as the node's
 * time-ordered stream of items: figures exact (shortest decimal text of ccxt's floats), quotes
 * and trades stamped with their arrival on the node's clock so the stream never goes back in
 * time, bars given once closed (a bar is closed when the exchange starts the next). A watch that
 * fails is alerted and retried with backoff; `close()` ends the stream.
 */
export class LiveMarketData implements AsyncIterable<MarketItem> {
  private readonly queue: MarketItem[] = [];
  private waiting: ((r: IteratorResult<MarketItem>) => void) | undefined;
  private running = false;
  private last = -Infinity;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly subs: readonly LiveSubscription[],
    private readonly o: LiveMarketDataOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const s of this.subs) {
      const id = instrumentId(s.instrumentId);
      // Top of book: the exchange's best bid/offer stream where ccxt has one (a ticker may carry no bid and ask: Binance's miniTicker).
      if (s.quotes && s.client.has['watchBidsAsks']) void this.loop(s, 'quotes', async () => this.quote(id, (await s.client.watchBidsAsks([s.symbol]))[s.symbol] ?? {}));
      else if (s.quotes) void this.loop(s, 'quotes', async () => this.quote(id, await s.client.watchTicker(s.symbol)));
      if (s.book) void this.loop(s, 'book', async () => this.quote(id, topOf(await s.client.watchOrderBook(s.symbol))));
      if (s.trades) void this.loop(s, 'trades', async () => (await s.client.watchTrades(s.symbol)).forEach((t) => this.trade(id, t)));
      if (s.bars !== undefined) void this.bars(s, id, s.bars);
    }
    for (const feed of this.o.feeds ?? []) {
      const f = feed((item) => this.push('durationMs' in item ? item : { ...item, ts: this.stamp() }));
      this.stops.push(() => f.stop());
    }
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.running = false;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<MarketItem> {
    return {
      next: () => {
        const item = this.queue.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (!this.running) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }

  private push(item: MarketItem): void {
    if (!this.running) return;
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w({ value: item, done: false });
    } else this.queue.push(item);
  }

  /** Arrival time on the node's clock, never before the last item's. */
  private stamp(): number {
    this.last = Math.max(this.last, this.o.wall());
    return this.last;
  }

  private quote(id: InstrumentId, t: { bid?: number | undefined; ask?: number | undefined; bidVolume?: number | undefined; askVolume?: number | undefined }): void {
    if (t.bid === undefined || t.ask === undefined) return;
    const bidSize = exactOptional(t.bidVolume, 'ticker.bidVolume');
    const askSize = exactOptional(t.askVolume, 'ticker.askVolume');
    this.push({ instrumentId: id, ts: this.stamp(), bid: exactText(t.bid, 'ticker.bid'), ask: exactText(t.ask, 'ticker.ask'), ...(bidSize ? { bidSize } : {}), ...(askSize ? { askSize } : {}) });
  }

  private trade(id: InstrumentId, t: { id?: string | undefined; price: number | undefined; amount: number | undefined; side?: string | undefined }): void {
    this.push({
      instrumentId: id,
      ts: this.stamp(),
      tradeId: tradeId(String(t.id ?? `${this.last}`)),
      price: exactText(t.price, 'trade.price'),
      size: exactText(t.amount, 'trade.amount'),
      aggressor: t.side === 'buy' ? 'BUY' : t.side === 'sell' ? 'SELL' : undefined,
    });
  }

  private async bars(s: LiveSubscription, id: InstrumentId, interval: string): Promise<void> {
    const m = /^(\d+)([smhd])$/.exec(interval);
    const durationMs = m ? Number(m[1]) * INTERVAL_MS[m[2]!]! : 60_000;
    let open: number[] | undefined;
    let given = -Infinity;
    await this.loop(s, 'bars', async () => {
      for (const c of await s.client.watchOHLCV(s.symbol, interval)) {
        const ts = c[0]!;
        // The exchange started a later bar: the one held is closed.
        if (open && ts > open[0]! && open[0]! > given) {
          given = open[0]!;
          this.push({ instrumentId: id, ts: open[0]!, durationMs, open: exactText(open[1], 'bar.open'), high: exactText(open[2], 'bar.high'), low: exactText(open[3], 'bar.low'), close: exactText(open[4], 'bar.close'), volume: exactText(open[5] ?? 0, 'bar.volume') });
        }
        if (!open || ts >= open[0]!) open = c as number[];
      }
    });
  }

  private async loop(s: LiveSubscription, what: string, watch: () => Promise<void>): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await watch();
        failures = 0;
      } catch (e) {
        if (!this.running) return;
        failures++;
        this.o.onAlert('VENUE_STREAM_FAILED', `${s.client.id} ${what} of ${s.symbol} failed (attempt ${failures}): ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, backoffDelay(failures, { ...DEFAULT_RETRY_POLICY, baseDelayMs: this.o.baseBackoffMs, maxDelayMs: this.o.maxBackoffMs })));
      }
    }
  }
}

/** The best level of each side of a ccxt order book, as a ticker's bid and ask with their sizes. */
function topOf(book: { bids: (number | undefined)[][]; asks: (number | undefined)[][] }): { bid?: number | undefined; ask?: number | undefined; bidVolume?: number | undefined; askVolume?: number | undefined } {
  const [bid, bidVolume] = book.bids[0] ?? [];
  const [ask, askVolume] = book.asks[0] ?? [];
  return { ...(bid !== undefined ? { bid, bidVolume } : {}), ...(ask !== undefined ? { ask, askVolume } : {}) };
}
