import { performance } from 'node:perf_hooks';
import { OrderBook as PeerBook, Side, type LimitOrderOptions } from 'nodejs-order-book';
import { OrderBook, type BookModify, type BookOrderRequest } from '../src/venues/sim/book/index.ts';
import { mulberry32, type Rng } from '../src/risk/analytics/random.ts';
import { gc, median } from './results.ts';

/**
 * The wide-book case of `match`: a book of many price levels with one or two orders each, where
 * most operations open or close a level deep in the book (the cost the level index decides).
 *
 * Prefill (untimed): one order on every other tick of a band of `levels` ticks on each side of a
 * fixed mid, so about `levels` levels in all. Measured mix: 35% GTC adds at a uniform price of
 * the band (half of them open a new level), 30% cancels, 10% modifies (new price in the band or
 * new qty), 10% IOC and 5% FOK limits crossing the touch by up to 8 ticks, 5% post-only at or
 * near the touch (some refused), 5% GTC limits crossing by up to 4 ticks (take, then rest).
 * Adds and cancels lean to hold the book near its start size. The workload is drawn from a
 * seeded PRNG and built before any timing; an `OrderBook` replays it to know which ids rest.
 */

const MID = 50_000_000;
const Kind = { ADD: 0, CANCEL: 1, MODIFY: 2, IOC: 3, FOK: 4, POST: 5, CROSS: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

type PeerLimit = LimitOrderOptions;
interface PeerModify { id: string; price?: number; size?: number }
type OurModify = { id: string; change: BookModify };

export interface WideWorkload {
  levels: number;
  prefill: number;
  kinds: Uint8Array;
  ours: (BookOrderRequest | OurModify | string)[];
  peer: (PeerLimit | PeerModify | string)[];
  levelsAtStart: number;
  levelsAtEnd: number;
}

const tif = (t: 'GTC' | 'IOC' | 'FOK'): PeerLimit['timeInForce'] => t as unknown as PeerLimit['timeInForce'];

function limit(id: string, isBuy: boolean, price: number, qty: number, t: 'GTC' | 'IOC' | 'FOK', postOnly: boolean): [BookOrderRequest, PeerLimit] {
  const side = isBuy ? 'BUY' : 'SELL';
  const ours: BookOrderRequest = postOnly ? { id, side, type: 'LIMIT', price, qty, tif: t, postOnly } : { id, side, type: 'LIMIT', price, qty, tif: t };
  return [ours, { id, side: isBuy ? Side.BUY : Side.SELL, size: qty, price, timeInForce: tif(t), postOnly }];
}

/** Draws the kind of the next measured op, leaning to adds when the book shrank and to cancels when it grew. */
function drawKind(rnd: Rng, size: number, target: number): Kind {
  const u = rnd();
  const lean = size < target ? 0.05 : -0.05;
  if (u < 0.35 + lean) return Kind.ADD;
  if (u < 0.65) return Kind.CANCEL;
  if (u < 0.75) return Kind.MODIFY;
  if (u < 0.85) return Kind.IOC;
  if (u < 0.9) return Kind.FOK;
  if (u < 0.95) return Kind.POST;
  return Kind.CROSS;
}

class Generator {
  readonly oracle = new OrderBook();
  private readonly live: string[] = [];
  private n = 0;
  readonly kinds: Kind[] = [];
  readonly ours: (BookOrderRequest | OurModify | string)[] = [];
  readonly peer: (PeerLimit | PeerModify | string)[] = [];

  constructor(private readonly rnd: Rng, private readonly band: number) {}

  private push(kind: Kind, ours: BookOrderRequest | OurModify | string, peer: PeerLimit | PeerModify | string): void {
    this.kinds.push(kind);
    this.ours.push(ours);
    this.peer.push(peer);
  }

  private submit(kind: Kind, isBuy: boolean, price: number, qty: number, t: 'GTC' | 'IOC' | 'FOK', postOnly: boolean): void {
    const [ours, peer] = limit(`${postOnly ? 'P' : 'L'}${++this.n}`, isBuy, price, qty, t, postOnly);
    this.push(kind, ours, peer);
    const r = this.oracle.submit(ours);
    if (r.outcome === 'RESTING' || r.outcome === 'PARTIALLY_FILLED_RESTING') this.live.push(ours.id);
  }

  prefill(levelsPerSide: number): void {
    for (let k = 0; k < levelsPerSide; k++) {
      this.submit(Kind.ADD, true, MID - 1 - 2 * k, 1 + Math.floor(this.rnd() * 10), 'GTC', false);
      this.submit(Kind.ADD, false, MID + 1 + 2 * k, 1 + Math.floor(this.rnd() * 10), 'GTC', false);
    }
  }

  /** A resting id, taken out of `live` (undefined when none rests). */
  private pickResting(): string | undefined {
    const live = this.live;
    while (live.length > 0) {
      const k = Math.floor(this.rnd() * live.length);
      const id = live[k]!;
      live[k] = live[live.length - 1]!;
      live.pop();
      if (this.oracle.get(id) !== undefined) return id;
    }
    return undefined;
  }

  private bandPrice(isBuy: boolean): number {
    const offset = 1 + Math.floor(this.rnd() * this.band);
    return isBuy ? MID - offset : MID + offset;
  }

  private touchPrice(isBuy: boolean, cross: number): number {
    const opposite = isBuy ? this.oracle.bestAsk() : this.oracle.bestBid();
    const base = opposite ?? MID;
    return isBuy ? base + cross : Math.max(1, base - cross);
  }

  step(target: number): void {
    const rnd = this.rnd;
    const isBuy = rnd() < 0.5;
    const qty = 1 + Math.floor(rnd() * 10);
    const kind = drawKind(rnd, this.oracle.size, target);
    switch (kind) {
      case Kind.ADD: return this.submit(kind, isBuy, this.bandPrice(isBuy), qty, 'GTC', false);
      case Kind.CANCEL: return this.cancel();
      case Kind.MODIFY: return this.modify(isBuy, qty);
      case Kind.IOC: return this.submit(kind, isBuy, this.touchPrice(isBuy, Math.floor(rnd() * 8)), qty * 2, 'IOC', false);
      case Kind.FOK: return this.submit(kind, isBuy, this.touchPrice(isBuy, Math.floor(rnd() * 8)), qty * 2, 'FOK', false);
      case Kind.POST: return this.submit(kind, isBuy, this.touchPrice(isBuy, 1 - Math.floor(rnd() * 3)), qty, 'GTC', true);
      case Kind.CROSS: return this.submit(kind, isBuy, this.touchPrice(isBuy, Math.floor(rnd() * 4)), qty * 2, 'GTC', false);
    }
  }

  private cancel(): void {
    const id = this.pickResting() ?? 'none';
    this.push(Kind.CANCEL, id, id);
    this.oracle.cancel(id);
  }

  /** New price in the band (it may cross), or for a post-only order a new qty (the peer cancels a crossing post-only modify; we keep it). */
  private modify(isBuy: boolean, qty: number): void {
    const id = this.pickResting();
    if (id === undefined) return this.cancel();
    const view = this.oracle.get(id)!;
    const buy = view.side === 'BUY';
    const priceChange = !view.postOnly && isBuy;
    const change: BookModify = priceChange ? { price: this.bandPrice(buy) } : { qty };
    this.push(Kind.MODIFY, { id, change }, priceChange ? { id, price: change.price } : { id, size: qty });
    const r = this.oracle.modify(id, change);
    if (r.outcome === 'RESTING' || r.outcome === 'PARTIALLY_FILLED_RESTING') this.live.push(id);
  }
}

export function generateWide(levels: number, measuredOps: number, seed: number): WideWorkload {
  const gen = new Generator(mulberry32(seed), levels);
  gen.prefill(levels >> 1);
  const prefill = gen.kinds.length;
  const levelCount = (): number => {
    const d = gen.oracle.depth(Number.MAX_SAFE_INTEGER);
    return d.bids.length + d.asks.length;
  };
  const levelsAtStart = levelCount();
  const target = gen.oracle.size;
  for (let i = 0; i < measuredOps; i++) gen.step(target);
  return { levels, prefill, kinds: Uint8Array.from(gen.kinds), ours: gen.ours, peer: gen.peer, levelsAtStart, levelsAtEnd: levelCount() };
}

/** `filled` and `resting` are lots, compared between the books. */
export interface WideReplay { secs: number; filled: number; resting: number }

/** What a replay needs of a book: ours, or the pre-issue-20 one kept in test/ (for before/after figures). */
export type MatchingBook = Pick<OrderBook, 'submit' | 'cancel' | 'modify' | 'depth'>;

export function replayOurs(w: WideWorkload, make: () => MatchingBook = () => new OrderBook()): WideReplay {
  const book = make();
  const { kinds, ours, prefill } = w;
  for (let i = 0; i < prefill; i++) book.submit(ours[i] as BookOrderRequest);
  gc();
  let filled = 0;
  const t0 = performance.now();
  for (let i = prefill; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === Kind.CANCEL) {
      book.cancel(ours[i] as string);
      continue;
    }
    let fills;
    if (k === Kind.MODIFY) {
      const m = ours[i] as OurModify;
      fills = book.modify(m.id, m.change).fills;
    } else fills = book.submit(ours[i] as BookOrderRequest).fills;
    for (let f = 0; f < fills.length; f++) filled += fills[f]!.qty;
  }
  const secs = (performance.now() - t0) / 1000;
  const depth = book.depth(Number.MAX_SAFE_INTEGER);
  let resting = 0;
  for (const level of depth.asks) resting += level[1];
  for (const level of depth.bids) resting += level[1];
  return { secs, filled, resting };
}

export function replayPeer(w: WideWorkload): WideReplay {
  const book = new PeerBook();
  const { kinds, peer, prefill } = w;
  for (let i = 0; i < prefill; i++) book.limit(peer[i] as PeerLimit);
  gc();
  let filled = 0;
  const t0 = performance.now();
  for (let i = prefill; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === Kind.CANCEL) {
      book.cancel(peer[i] as string);
    } else if (k === Kind.MODIFY) {
      const m = peer[i] as PeerModify;
      const size = m.size ?? book.order(m.id)?.size ?? 0;
      const r = m.price !== undefined ? book.modify(m.id, { price: m.price }) : book.modify(m.id, { size });
      filled += traded(r, size);
    } else {
      const o = peer[i] as PeerLimit;
      filled += traded(book.limit(o), o.size);
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const [asks, bids] = book.depth();
  let resting = 0;
  for (const level of asks) resting += level[1];
  for (const level of bids) resting += level[1];
  return { secs, filled, resting };
}

/** Lots the peer's taker traded: what it asked for less what was left (nothing when refused). */
function traded(r: ReturnType<PeerBook['limit']>, size: number): number {
  return r.err === null ? size - r.quantityLeft : 0;
}

export interface WideFigures { levels: number; levelsAtStart: number; levelsAtEnd: number; ours: number; peer: number; nanosPerOp: number; check: string }

/** One round: ours then the peer on fresh books, the replays compared; ops per second of each. */
function wideRound(w: WideWorkload, make?: () => MatchingBook): { ours: number; peer: number; check: string } {
  const measured = w.kinds.length - w.prefill;
  gc();
  const a = replayOurs(w, make);
  gc();
  const b = replayPeer(w);
  if (a.filled !== b.filled || a.resting !== b.resting) {
    throw new Error(`wide book: books disagree: ours filled ${a.filled} lots and rests ${a.resting}, the peer ${b.filled} and ${b.resting}`);
  }
  const check = `both books filled ${a.filled.toLocaleString('en-US')} lots and rest ${a.resting.toLocaleString('en-US')} lots`;
  return { ours: measured / a.secs, peer: measured / b.secs, check };
}

/**
 * Rounds interleave every size and both books (ours, peer, next size, ...), and each figure is the
 * median over rounds: the machine is shared, so load that comes and goes hits all of them alike,
 * including the 1k → 100k slowdown of ours.
 */
export function wideThroughput(workloads: readonly WideWorkload[], rounds: number, make?: () => MatchingBook): WideFigures[] {
  const ours = workloads.map((): number[] => []);
  const peer = workloads.map((): number[] => []);
  const checks = workloads.map(() => '');
  for (let r = 0; r < rounds; r++) {
    workloads.forEach((w, i) => {
      const round = wideRound(w, make);
      ours[i]!.push(round.ours);
      peer[i]!.push(round.peer);
      checks[i] = round.check;
    });
  }
  return workloads.map((w, i) => {
    const o = median(ours[i]!);
    return { levels: w.levels, levelsAtStart: w.levelsAtStart, levelsAtEnd: w.levelsAtEnd, ours: Math.round(o), peer: Math.round(median(peer[i]!)), nanosPerOp: Math.round(1e9 / o), check: checks[i]! };
  });
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * The wide-book case at about 1k, 50k and 100k levels (all three workloads in memory, to interleave). Returns
 * the figures for bench/results.json and the lines to print.
 */
export function runWideCases(rounds: number, make?: () => MatchingBook): { figures: Record<string, unknown>; lines: string[] } {
  const ops = Number(process.env.BENCH_MATCH_WIDE_OPS ?? 200_000);
  const sizes = [1_000, 50_000, 100_000] as const;
  const workloads = sizes.map((levels, i) => generateWide(levels, ops, 0x5eed0 + i));
  replayOurs(workloads[0]!, make); // warm-up, untimed
  replayPeer(workloads[0]!);
  const [at1k, at50k, at100k] = wideThroughput(workloads, rounds, make) as [WideFigures, WideFigures, WideFigures];
  const at = { at1k, at50k, at100k };
  const lines = [at1k, at50k, at100k].map(
    (f) =>
      `match: wide book ~${fmt(f.levelsAtStart)} levels (${fmt(f.levelsAtEnd)} at end): ours ${fmt(f.ours)} ops/s (${f.nanosPerOp} ns/op), ` +
      `nodejs-order-book ${fmt(f.peer)} ops/s, ${(f.ours / f.peer).toFixed(2)}x; ${f.check}`,
  );
  const ratio = (f: WideFigures): number => Number((f.ours / f.peer).toFixed(2));
  const slowdown = Number((at1k.ours / at100k.ours).toFixed(2));
  lines.push(`match: wide book 1k → 100k levels: ours ${slowdown}x slower per op (goal ≤ 2x); ${ratio(at100k)}x the peer at 100k levels (goal ≥ 3x)`);
  const figures = {
    ratioWideBook: ratio(at100k),
    ratioWideBookAt50k: ratio(at50k),
    ratioWideBookAt1k: ratio(at1k),
    wideBookSlowdown1kTo100k: slowdown,
    goalRatioWideBook: 3,
    wideBook: {
      measuredOps: ops,
      mix: '35% GTC add in the band, 30% cancel, 10% modify, 10% IOC and 5% FOK crossing, 5% post-only at the touch, 5% GTC crossing',
      ...at,
    },
  };
  return { figures, lines };
}
