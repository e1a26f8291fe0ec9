/**
 * The read-only market data a Binance bot asks at start (ticker/price, ticker/bookTicker,
 * ticker/24hr, depth, klines), served from the node's own market data: the latest quote the
 * engine has (last, bid, ask; a bar-fed node's last stands for both sides) and the bars it was
 * given since the gateway started. No order book beyond the top, no trade tape, no sizes at the
 * top (printed 0): Warden's quotes carry prices only.
 */
import type { Engine } from '../../engine/engine.ts';
import type { Bar } from '../../model/bar.ts';
import type { Params } from './http.ts';
import type { GatewaySymbols } from './symbols.ts';
import { optionalInt, required } from './trading.ts';
import { add, fixed, max, min, mul } from './wire/decimal.ts';
import { BinanceError } from './wire/errors.ts';
import { bookTickerWire, depthWire, INTERVAL_MS, klineRow, ticker24hWire, type Candle, type WireTop } from './wire/market-wire.ts';

/** Bars kept per instrument: a week of minutes (klines and the 24hr window read from them). */
const KEEP_BARS = 10_080;
const DAY_MS = 86_400_000;

export class GatewayMarket {
  private readonly bars = new Map<string, Bar[]>();
  /** Market updates seen per instrument: depth's lastUpdateId. */
  private readonly updates = new Map<string, number>();

  constructor(
    private readonly engine: Engine,
    private readonly symbols: GatewaySymbols,
  ) {}

  /** Starts keeping bars and counting updates of the mapped instruments; returns the stop. */
  start(): () => void {
    const offBar = this.engine.bus.subscribe('bar', (b) => {
      if (!this.symbols.has(b.instrumentId)) return;
      const list = this.bars.get(b.instrumentId) ?? [];
      list.push(b);
      // Trimmed in steps of a tenth, so keeping a bar costs O(1) amortized.
      if (list.length > KEEP_BARS * 1.1) list.splice(0, list.length - KEEP_BARS);
      this.bars.set(b.instrumentId, list);
    });
    const offMarket = this.engine.bus.subscribe('market', (u) => {
      if (this.symbols.has(u.instrumentId)) this.updates.set(u.instrumentId, (this.updates.get(u.instrumentId) ?? 0) + 1);
    });
    return () => {
      offBar();
      offMarket();
    };
  }

  routes(base: string): [string, (p: Params) => unknown][] {
    return [
      [`GET ${base}/ticker/price`, (p) => this.forSymbols(p, (s, id) => ({ symbol: s, price: fixed(this.price(s, id)) }))],
      [`GET ${base}/ticker/bookTicker`, (p) => this.forSymbols(p, (s, id) => bookTickerWire(s, this.top(id)))],
      [`GET ${base}/ticker/24hr`, (p) => this.forSymbols(p, (s, id) => this.ticker24h(s, id))],
      [`GET ${base}/depth`, (p) => this.depth(p)],
      [`GET ${base}/klines`, (p) => this.klines(p)],
    ];
  }

  /** `symbol`: one object; `symbols` (a JSON array): those; neither: every mapped symbol (as Binance). */
  private forSymbols(p: Params, one: (symbol: string, instrumentId: string) => unknown): unknown {
    if (p['symbol'] !== undefined && p['symbols'] !== undefined) throw new BinanceError(400, -1128, 'Combination of optional parameters invalid.');
    if (p['symbol'] !== undefined) return one(p['symbol'], this.symbols.instrumentOf(p['symbol']));
    const list = p['symbols'] !== undefined ? symbolList(p['symbols']) : this.symbols.all();
    return list.map((s) => one(s, this.symbols.instrumentOf(s)));
  }

  /** The last price: the last trade the engine saw, else the last bar's close; -1000 when it has seen none yet. */
  private price(symbol: string, instrumentId: string): string {
    const q = this.engine.portfolio.quote(instrumentId as never);
    const px = q?.last?.toString() ?? this.bars.get(instrumentId)?.at(-1)?.close;
    if (px === undefined) throw new BinanceError(400, -1000, `Warden NO_MARKET_DATA: no price for ${symbol} yet.`);
    return px;
  }

  /**
   * The best bid and ask the engine has. A node fed by bars (paper on replayed files) has a last
   * price only: it stands for both sides then, as the simulated venue fills at it.
   */
  private top(instrumentId: string): WireTop {
    const q = this.engine.portfolio.quote(instrumentId as never);
    const last = q?.last?.toString();
    return { bid: q?.bid?.toString() ?? last, ask: q?.ask?.toString() ?? last, bidQty: '0', askQty: '0' };
  }

  private ticker24h(symbol: string, instrumentId: string): Record<string, unknown> {
    const bars = this.bars.get(instrumentId) ?? [];
    const end = bars.at(-1);
    const closeTime = end ? end.ts + end.durationMs - 1 : this.engine.now();
    const day = bars.filter((b) => b.ts > closeTime - DAY_MS);
    const candle = merge(day, day[0]?.ts ?? 0, closeTime);
    const last = this.engine.portfolio.quote(instrumentId as never)?.last?.toString();
    return ticker24hWire(symbol, candle && last ? { ...candle, close: last } : candle, undefined, this.top(instrumentId), { openTime: closeTime + 1 - DAY_MS, closeTime });
  }

  private depth(p: Params): Record<string, unknown> {
    const id = this.symbols.instrumentOf(required(p, 'symbol'));
    return depthWire(this.updates.get(id) ?? 0, this.top(id));
  }

  /** The node's bars merged to `interval` (a whole number of them); -1120 for an interval finer than the bars or not of fixed length. */
  private klines(p: Params): unknown[] {
    const id = this.symbols.instrumentOf(required(p, 'symbol'));
    const ms = INTERVAL_MS[required(p, 'interval')];
    if (ms === undefined) throw new BinanceError(400, -1120, 'Invalid interval.');
    const bars = this.bars.get(id) ?? [];
    const barMs = bars[0]?.durationMs;
    if (barMs !== undefined && (ms < barMs || ms % barMs !== 0)) throw new BinanceError(400, -1120, `Invalid interval. (Warden: the node's bars for this symbol are ${barMs / 1000}s long.)`);
    const start = optionalInt(p, 'startTime');
    const end = optionalInt(p, 'endTime');
    const limit = Math.min(optionalInt(p, 'limit') ?? 500, 1000);
    const candles: Candle[] = [];
    let group: Bar[] = [];
    const flush = () => {
      const c = group[0] && merge(group, group[0].ts - (group[0].ts % ms), group[0].ts - (group[0].ts % ms) + ms - 1);
      if (c) candles.push(c);
      group = [];
    };
    for (const b of bars) {
      if (group[0] && b.ts - (b.ts % ms) !== group[0].ts - (group[0].ts % ms)) flush();
      group.push(b);
    }
    flush();
    const inRange = candles.filter((c) => (start === undefined || c.openTime >= start) && (end === undefined || c.openTime <= end));
    return (start !== undefined ? inRange.slice(0, limit) : inRange.slice(-limit)).map(klineRow);
  }
}

/**
 * Bars as one candle from `openTime` to `closeTime`. Bars carry no trades: the quote volume is
 * estimated as Σ close × volume, and the trade count and taker volumes are 0.
 */
function merge(bars: readonly Bar[], openTime: number, closeTime: number): Candle | undefined {
  const first = bars[0];
  if (!first) return undefined;
  const c: Candle = { openTime, closeTime, open: first.open, high: first.high, low: first.low, close: first.close, volume: '0', quoteVolume: '0', count: 0, takerBuyVolume: '0', takerBuyQuote: '0', firstId: -1, lastId: -1 };
  for (const b of bars) {
    c.high = max(c.high, b.high);
    c.low = min(c.low, b.low);
    c.close = b.close;
    c.volume = add(c.volume, b.volume);
    c.quoteVolume = add(c.quoteVolume, mul(b.close, b.volume));
  }
  return c;
}

/** Binance's `symbols` parameter: a JSON array of symbols; -1100 otherwise. */
function symbolList(text: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.");
  return v;
}
