/**
 * Kraken's /0/public/* endpoints: server time, system status, assets, asset pairs, and the market
 * data of the tape (ticker, depth, OHLC, recent trades), shaped as Kraken returns them.
 */
import { KrakenError, pairOrThrow, type KrakenContext } from './context.ts';
import { fixed } from './decimal.ts';
import type { KrakenPairSpec } from './pairs.ts';

type Handler = (ctx: KrakenContext, p: Record<string, string>) => Record<string, unknown>;

const INTERVALS = new Set([1, 5, 15, 30, 60, 240, 1440, 10080, 21600]);

export const PUBLIC_ROUTES: Readonly<Record<string, Handler>> = {
  Time: (ctx) => {
    const now = ctx.now();
    return { unixtime: Math.floor(now / 1000), rfc1123: new Date(now).toUTCString().replace('GMT', '+0000') };
  },
  SystemStatus: (ctx) => ({ status: ctx.faults.status, timestamp: new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z') }),
  Assets: (ctx, p) => {
    const wanted = list(p['asset']);
    const out: Record<string, unknown> = {};
    for (const a of ctx.pairs.assets) {
      if (wanted && !wanted.includes(a.id) && !wanted.includes(a.altname)) continue;
      out[a.id] = { aclass: 'currency', altname: a.altname, decimals: a.decimals, display_decimals: a.displayDecimals, status: 'enabled' };
    }
    if (wanted && Object.keys(out).length === 0) throw new KrakenError('EQuery:Unknown asset');
    return out;
  },
  AssetPairs: (ctx, p) => forPairs(ctx, p['pair'], assetPair, true),
  Ticker: (ctx, p) => forPairs(ctx, p['pair'], (pair) => ticker(ctx, pair), true),
  Depth: (ctx, p) => {
    const pair = pairOrThrow(ctx, p['pair']);
    const q = ctx.tape.quote(pair.id);
    const level = (px: string): [string, string, number] => [px, fixed(ctx.bookQty, pair.lotDecimals), Math.floor((q?.ts ?? 0) / 1000)];
    return { [pair.id]: { asks: q ? [level(q.ask)] : [], bids: q ? [level(q.bid)] : [] } };
  },
  OHLC: (ctx, p) => {
    const pair = pairOrThrow(ctx, p['pair']);
    const interval = Number(p['interval'] ?? '1');
    if (!INTERVALS.has(interval)) throw new KrakenError('EGeneral:Invalid arguments');
    const bars = ctx.tape.bars(pair, interval, p['since'] === undefined ? 0 : Number(p['since']) * 1000);
    const rows = bars.map((b) => [b.begin / 1000, b.open, b.high, b.low, b.close, b.vwap, b.volume, b.count]);
    return { [pair.id]: rows, last: bars.length > 0 ? bars.at(-1)!.begin / 1000 : Math.floor(ctx.now() / 1000) };
  },
  Trades: (ctx, p) => {
    const pair = pairOrThrow(ctx, p['pair']);
    const sinceNs = p['since'] === undefined ? 0n : BigInt(p['since'].length <= 10 ? `${p['since']}000000000` : p['since']);
    let prints = ctx.tape.trades(pair.id).filter((t) => BigInt(t.ts) * 1_000_000n > sinceNs);
    if (p['count'] !== undefined) prints = prints.slice(-Number(p['count']));
    const rows = prints.map((t) => [t.price, t.qty, t.ts / 1000, t.side === 'buy' ? 'b' : 's', 'l', '', t.id]);
    const last = prints.at(-1);
    return { [pair.id]: rows, last: (last ? BigInt(last.ts) * 1_000_000n : sinceNs).toString() };
  },
};

function list(s: string | undefined): string[] | undefined {
  return s === undefined ? undefined : s.split(',').filter((x) => x !== '');
}

function forPairs(ctx: KrakenContext, names: string | undefined, f: (p: KrakenPairSpec) => unknown, allWhenAbsent: boolean): Record<string, unknown> {
  const wanted = list(names);
  if (!wanted && !allWhenAbsent) throw new KrakenError('EGeneral:Invalid arguments');
  const pairs = wanted ? wanted.map((n) => pairOrThrow(ctx, n)) : ctx.pairs.pairs;
  return Object.fromEntries(pairs.map((p) => [p.id, f(p)]));
}

function assetPair(p: KrakenPairSpec): Record<string, unknown> {
  const step = (first: string, down: number): number => Number((Number(first) - down).toFixed(4));
  const tiers = (first: string): [number, number][] => [[0, Number(first)], [10000, step(first, 0.02)], [50000, step(first, 0.04)]];
  return {
    altname: p.altname,
    wsname: p.wsname,
    aclass_base: 'currency',
    base: p.base.id,
    aclass_quote: 'currency',
    quote: p.quote.id,
    lot: 'unit',
    cost_decimals: p.costDecimals,
    pair_decimals: p.pairDecimals,
    lot_decimals: p.lotDecimals,
    lot_multiplier: 1,
    leverage_buy: [],
    leverage_sell: [],
    fees: tiers(p.takerFeePct),
    fees_maker: tiers(p.makerFeePct),
    fee_volume_currency: 'ZUSD',
    margin_call: 80,
    margin_stop: 40,
    ordermin: p.ordermin,
    costmin: p.costmin,
    tick_size: p.tickSize,
    status: p.status,
  };
}

/** Kraken's ticker arrays: a/b [price, whole-lot volume, lot volume], c [price, volume], v/p/t/l/h today and 24h, o. */
function ticker(ctx: KrakenContext, pair: KrakenPairSpec): Record<string, unknown> {
  const q = ctx.tape.quote(pair.id);
  const s = ctx.tape.stats(pair, ctx.now());
  const px = (v: string | undefined): string => fixed(v ?? '0', pair.pairDecimals);
  const qty = fixed(ctx.bookQty, pair.lotDecimals);
  const whole = String(Math.max(1, Math.floor(Number(ctx.bookQty))));
  return {
    a: [px(q?.ask), whole, qty],
    b: [px(q?.bid), whole, qty],
    c: [px(s.last?.price), fixed(s.last?.qty ?? '0', pair.lotDecimals)],
    v: [s.volume, s.volume],
    p: [px(s.vwap), px(s.vwap)],
    t: [s.count, s.count],
    l: [px(s.low), px(s.low)],
    h: [px(s.high), px(s.high)],
    o: px(s.open),
  };
}
