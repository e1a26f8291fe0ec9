/**
 * The public market of each pair as the test moved it: the prints (`matching.trade`) and the
 * top of book (`matching.quote`), from which Ticker, Trades, OHLC and Depth are answered and the
 * v2 ticker / trade / ohlc / book channels are pushed.
 */
import type { FakeMarketEvent, FakeMatching } from '../fake-venue/matching.ts';
import { add, cmp, div, fixed, mul } from './decimal.ts';
import type { KrakenPairSpec, PairDirectory } from './pairs.ts';

export interface Print {
  readonly id: number;
  readonly price: string;
  readonly qty: string;
  readonly side: 'buy' | 'sell';
  readonly ts: number;
}

export interface Bar {
  readonly begin: number; // ms
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly vwap: string;
  readonly count: number;
}

export interface Stats {
  readonly open: string | undefined;
  readonly high: string | undefined;
  readonly low: string | undefined;
  readonly last: Print | undefined;
  readonly volume: string;
  readonly vwap: string | undefined;
  readonly count: number;
}

const DAY_MS = 86_400_000;

export class MarketTape {
  private readonly prints = new Map<string, Print[]>();
  private readonly quotes = new Map<string, { bid: string; ask: string; ts: number }>();
  private readonly listeners: ((pair: KrakenPairSpec, e: FakeMarketEvent, print?: Print) => void)[] = [];
  private nextId = 1;

  constructor(private readonly pairs: PairDirectory, matching: FakeMatching) {
    matching.onMarket((e) => this.record(e));
  }

  onChange(l: (pair: KrakenPairSpec, e: FakeMarketEvent, print?: Print) => void): void {
    this.listeners.push(l);
  }

  quote(pairId: string): { bid: string; ask: string; ts: number } | undefined {
    return this.quotes.get(pairId);
  }

  trades(pairId: string): readonly Print[] {
    return this.prints.get(pairId) ?? [];
  }

  /** The last 24 hours, as the ticker's rolling fields. */
  stats(pair: KrakenPairSpec, now: number): Stats {
    const recent = this.trades(pair.id).filter((p) => p.ts > now - DAY_MS);
    const d = pair.lotDecimals;
    let volume = fixed('0', d);
    let notional = '0';
    let high: string | undefined;
    let low: string | undefined;
    for (const p of recent) {
      volume = add(volume, p.qty, d);
      notional = add(notional, mul(p.price, p.qty, pair.pairDecimals + d), pair.pairDecimals + d);
      if (high === undefined || cmp(p.price, high) > 0) high = p.price;
      if (low === undefined || cmp(p.price, low) < 0) low = p.price;
    }
    return {
      open: recent[0]?.price,
      high,
      low,
      last: recent.at(-1),
      volume,
      vwap: recent.length > 0 ? div(notional, volume, pair.pairDecimals) : undefined,
      count: recent.length,
    };
  }

  /** Bars of `intervalMin` minutes that had prints, oldest first. */
  bars(pair: KrakenPairSpec, intervalMin: number, sinceMs = 0): Bar[] {
    const width = intervalMin * 60_000;
    const groups = new Map<number, Print[]>();
    for (const p of this.trades(pair.id)) {
      const begin = Math.floor(p.ts / width) * width;
      if (begin < sinceMs) continue;
      groups.set(begin, [...(groups.get(begin) ?? []), p]);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b).map(([begin, ps]) => this.bar(pair, begin, ps));
  }

  private bar(pair: KrakenPairSpec, begin: number, ps: Print[]): Bar {
    const d = pair.lotDecimals;
    let volume = fixed('0', d);
    let notional = '0';
    let high = ps[0]!.price;
    let low = ps[0]!.price;
    for (const p of ps) {
      volume = add(volume, p.qty, d);
      notional = add(notional, mul(p.price, p.qty, pair.pairDecimals + d), pair.pairDecimals + d);
      if (cmp(p.price, high) > 0) high = p.price;
      if (cmp(p.price, low) < 0) low = p.price;
    }
    return { begin, open: ps[0]!.price, high, low, close: ps.at(-1)!.price, volume, vwap: div(notional, volume, pair.pairDecimals), count: ps.length };
  }

  private record(e: FakeMarketEvent): void {
    const pair = this.pairs.find(e.symbol);
    if (!pair) return;
    if (e.kind === 'quote') {
      this.quotes.set(pair.id, { bid: fixed(e.bid, pair.pairDecimals), ask: fixed(e.ask, pair.pairDecimals), ts: e.ts });
      for (const l of this.listeners) l(pair, e);
      return;
    }
    const q = this.quotes.get(pair.id);
    // Kraken tags each print with the taker's side: at or above the mid, a buyer lifted the offer.
    const side = q && cmp(mul(e.price, '2', pair.pairDecimals), add(q.bid, q.ask, pair.pairDecimals)) < 0 ? 'sell' : 'buy';
    const print: Print = { id: this.nextId++, price: fixed(e.price, pair.pairDecimals), qty: fixed(e.qty, pair.lotDecimals), side, ts: e.ts };
    const list = this.prints.get(pair.id) ?? [];
    list.push(print);
    this.prints.set(pair.id, list);
    for (const l of this.listeners) l(pair, e, print);
  }
}
