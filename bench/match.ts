import { performance } from 'node:perf_hooks';
import { OrderBook as PeerBook, Side } from 'nodejs-order-book';
import { OrderBook, type BookOrderRequest } from '../src/venues/sim/book/index.ts';
import { gc, median, recordResult } from './results.ts';
import { mulberry32 } from '../src/risk/analytics/random.ts';
import { runWideCases } from './match-wide.ts';

/**
 * `match`: our matching engine (src/venues/sim/book) against the npm package `nodejs-order-book`
 * on one generated workload: about 50% limit adds, 40% cancels, 10% market orders, on a book of
 * about 1,000 resting orders, then on one of about 100,000 (prefilled before timing).
 *
 * The workload is drawn from a seeded PRNG (mulberry32) and built before anything is timed, with
 * the request objects of both books prepared in advance, so only the books' own work is measured.
 * Choosing which order a cancel hits needs to know which orders are still resting: the generator
 * replays the workload through one of our books for that (outside any timing). Cancels always hit
 * a resting order; market orders are sized to keep the book near its target size. Limit prices
 * never cross (buys below, sells above a fixed mid, exponentially distributed with a mean of 20
 * ticks): market orders do all the matching.
 *
 * Then the wide-book case (./match-wide.ts): ~1k, ~50k and ~100k price levels, where most
 * operations open or close a level deep in the book, with crossing IOC/FOK/GTC limits, post-only
 * orders and modifies (`ratioWideBook`, `wideBookSlowdown1kTo100k`).
 */

const GOAL_RATIO = 3;
const GOAL_P99_MICROS = 5;
const MID = 100_000;


const ADD = 0;
const CANCEL = 1;
const MARKET = 2;

interface PeerLimit { id: string; side: Side; size: number; price: number }
interface PeerMarket { side: Side; size: number }

export interface Workload {
  restingTarget: number;
  /** Operations before timing: `restingTarget` adds. */
  prefill: number;
  kinds: Uint8Array;
  ours: (BookOrderRequest | string)[];
  peer: (PeerLimit | PeerMarket | string)[];
  /** Resting orders after the prefill and at the end (same for both books, checked). */
  restingAfterPrefill: number;
  restingAtEnd: number;
  levelsAtEnd: number;
}

export function generate(restingTarget: number, measuredOps: number, seed: number): Workload {
  const rnd = mulberry32(seed);
  const total = restingTarget + measuredOps;
  const kinds = new Uint8Array(total);
  const ours: (BookOrderRequest | string)[] = new Array<BookOrderRequest | string>(total);
  const peer: (PeerLimit | PeerMarket | string)[] = new Array<PeerLimit | PeerMarket | string>(total);
  const oracle = new OrderBook();
  const live: string[] = []; // resting ids (may hold filled ones until they are cleaned out)
  let n = 0;
  let restingAfterPrefill = 0;
  for (let i = 0; i < total; i++) {
    if (i === restingTarget) restingAfterPrefill = oracle.size;
    const u = i < restingTarget ? 0 : rnd();
    const isBuy = rnd() < 0.5;
    if (u < 0.5) {
      const offset = 1 + Math.floor(-Math.log(1 - rnd()) * 20);
      const price = isBuy ? MID - offset : MID + offset;
      const qty = 1 + Math.floor(rnd() * 10);
      const id = `L${++n}`;
      kinds[i] = ADD;
      ours[i] = { id, side: isBuy ? 'BUY' : 'SELL', type: 'LIMIT', price, qty, tif: 'GTC' };
      peer[i] = { id, side: isBuy ? Side.BUY : Side.SELL, size: qty, price };
      oracle.submit(ours[i] as BookOrderRequest);
      live.push(id);
    } else if (u < 0.9) {
      let id = 'none';
      while (live.length > 0) {
        const k = Math.floor(rnd() * live.length);
        const pick = live[k]!;
        live[k] = live[live.length - 1]!;
        live.pop();
        if (oracle.cancel(pick)) {
          id = pick;
          break;
        }
      }
      kinds[i] = CANCEL;
      ours[i] = id;
      peer[i] = id;
    } else {
      // Sized to pull the book back toward its target: bigger when above, smaller when below.
      const above = oracle.size > restingTarget;
      const qty = 1 + Math.floor(rnd() * (above ? 20 : 6));
      kinds[i] = MARKET;
      ours[i] = { id: `M${++n}`, side: isBuy ? 'BUY' : 'SELL', type: 'MARKET', qty, tif: 'IOC' };
      peer[i] = { side: isBuy ? Side.BUY : Side.SELL, size: qty };
      oracle.submit(ours[i] as BookOrderRequest);
    }
  }
  const depth = oracle.depth(1_000_000);
  return {
    restingTarget, prefill: restingTarget, kinds, ours, peer, restingAfterPrefill,
    restingAtEnd: oracle.size, levelsAtEnd: depth.bids.length + depth.asks.length,
  };
}

/** `filled` and `resting` are in lots, to check that both books did the same thing. */
interface Replayed { secs: number; filled: number; resting: number }

export function runOurs(w: Workload, make: () => Pick<OrderBook, 'submit' | 'cancel' | 'depth'> = () => new OrderBook()): Replayed {
  const book = make();
  const { kinds, ours, prefill } = w;
  let filled = 0;
  for (let i = 0; i < prefill; i++) book.submit(ours[i] as BookOrderRequest);
  gc(); // the prefill's garbage is not the workload's
  const t0 = performance.now();
  for (let i = prefill; i < kinds.length; i++) {
    if (kinds[i] === CANCEL) book.cancel(ours[i] as string);
    else {
      const fills = book.submit(ours[i] as BookOrderRequest).fills;
      for (let k = 0; k < fills.length; k++) filled += fills[k]!.qty;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const depth = book.depth(1_000_000);
  let resting = 0;
  for (const level of [...depth.asks, ...depth.bids]) resting += level[1];
  return { secs, filled, resting };
}

function runPeer(w: Workload): Replayed {
  const book = new PeerBook();
  const { kinds, peer, prefill } = w;
  let filled = 0;
  for (let i = 0; i < prefill; i++) book.limit(peer[i] as PeerLimit);
  gc();
  const t0 = performance.now();
  for (let i = prefill; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === CANCEL) book.cancel(peer[i] as string);
    else if (k === ADD) book.limit(peer[i] as PeerLimit);
    else {
      const r = book.market(peer[i] as PeerMarket);
      filled += (peer[i] as PeerMarket).size - r.quantityLeft;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const [asks, bids] = book.depth();
  let resting = 0;
  for (const level of [...asks, ...bids]) resting += level[1];
  return { secs, filled, resting };
}

/** Per-operation latency of our book: one process.hrtime.bigint() pair around each operation. */
function latencies(w: Workload): { p50: number; p99: number; p999: number; max: number; timerNanos: number } {
  const book = new OrderBook();
  const { kinds, ours, prefill } = w;
  for (let i = 0; i < prefill; i++) book.submit(ours[i] as BookOrderRequest);
  gc();
  const samples = new Float64Array(kinds.length - prefill);
  for (let i = prefill; i < kinds.length; i++) {
    const t0 = process.hrtime.bigint();
    if (kinds[i] === CANCEL) book.cancel(ours[i] as string);
    else book.submit(ours[i] as BookOrderRequest);
    samples[i - prefill] = Number(process.hrtime.bigint() - t0);
  }
  // What an empty pair of timer reads costs (included in every sample above, not subtracted).
  const empty = new Float64Array(100_000);
  for (let i = 0; i < empty.length; i++) {
    const t0 = process.hrtime.bigint();
    empty[i] = Number(process.hrtime.bigint() - t0);
  }
  samples.sort();
  empty.sort();
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]! / 1000;
  return { p50: q(0.5), p99: q(0.99), p999: q(0.999), max: samples[samples.length - 1]! / 1000, timerNanos: empty[empty.length >> 1]! };
}

interface Throughput { ours: number; peer: number; check: string }

/** Rounds alternate ours and the peer on fresh books; the median of each is reported. */
function throughput(w: Workload, rounds: number): Throughput {
  const measured = w.kinds.length - w.prefill;
  const ours: number[] = [];
  const peer: number[] = [];
  let check = '';
  for (let r = 0; r < rounds; r++) {
    gc();
    const a = runOurs(w);
    gc();
    const b = runPeer(w);
    ours.push(measured / a.secs);
    peer.push(measured / b.secs);
    if (a.filled !== b.filled || a.resting !== b.resting) {
      throw new Error(`books disagree: ours filled ${a.filled} lots and rests ${a.resting}, the peer ${b.filled} and ${b.resting}`);
    }
    check = `both books filled ${a.filled.toLocaleString('en-US')} lots and rest ${a.resting.toLocaleString('en-US')} lots`;
  }
  return { ours: Math.round(median(ours)), peer: Math.round(median(peer)), check };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export function runMatchBench(): Promise<Record<string, unknown>> {
  const ops = Number(process.env.BENCH_MATCH_OPS ?? 1_000_000);
  // The peer cancels in O(orders at the price), so at 100k resting it runs ~100x slower: fewer ops there.
  const opsAt100k = Number(process.env.BENCH_MATCH_OPS_100K ?? 300_000);
  const rounds = Number(process.env.BENCH_MATCH_ROUNDS ?? 3);
  // One workload at a time, so the second is not measured on a heap holding the first.
  let small: Workload | undefined = generate(1_000, ops, 0x5eed);
  // Warm-up: one untimed pass of each book over the small workload.
  runOurs(small);
  runPeer(small);
  const t1k = throughput(small, rounds);
  const lat = latencies(small);
  const shape1k = { afterPrefill: small.restingAfterPrefill, atEnd: small.restingAtEnd, levelsAtEnd: small.levelsAtEnd };
  small = undefined;
  gc();
  const large = generate(100_000, opsAt100k, 0x5eed + 1);
  const t100k = throughput(large, rounds);
  const lat100k = latencies(large);
  gc();
  const wide = runWideCases(rounds);
  const ratio = Number((t1k.ours / t1k.peer).toFixed(2));
  const ratio100k = Number((t100k.ours / t100k.peer).toFixed(2));
  const slowdown = Number((t1k.ours / t100k.ours).toFixed(2));
  const figures = {
    opsPerSec: t1k.ours,
    peerOpsPerSec: t1k.peer,
    ratio,
    goalRatio: GOAL_RATIO,
    p50Micros: round3(lat.p50),
    p99Micros: round3(lat.p99),
    p999Micros: round3(lat.p999),
    maxMicros: round3(lat.max),
    goalP99Micros: GOAL_P99_MICROS,
    timerPairNanos: lat.timerNanos,
    opsPerSecAt100k: t100k.ours,
    peerOpsPerSecAt100k: t100k.peer,
    ratioAt100k: ratio100k,
    p99MicrosAt100k: round3(lat100k.p99),
    p999MicrosAt100k: round3(lat100k.p999),
    slowdown1kTo100k: slowdown,
    measuredOps: ops,
    measuredOpsAt100k: opsAt100k,
    rounds,
    mix: '50% limit add, 40% cancel, 10% market',
    resting1k: shape1k,
    resting100k: { afterPrefill: large.restingAfterPrefill, atEnd: large.restingAtEnd, levelsAtEnd: large.levelsAtEnd },
    ...wide.figures,
    peer: 'nodejs-order-book@10.1.1',
  };
  console.log(
    `match: ~1k resting: ours ${fmt(t1k.ours)} ops/s, nodejs-order-book ${fmt(t1k.peer)} ops/s, ${ratio}x (goal ${GOAL_RATIO}x); ${t1k.check}\n` +
      `match: ~1k resting: latency per op p50 ${lat.p50.toFixed(3)} µs, p99 ${lat.p99.toFixed(3)} µs, p99.9 ${lat.p999.toFixed(3)} µs, max ${lat.max.toFixed(1)} µs ` +
      `(goal p99 < ${GOAL_P99_MICROS} µs; one hrtime pair per op, ~${lat.timerNanos} ns of it the timer)\n` +
      `match: ~100k resting: ours ${fmt(t100k.ours)} ops/s, nodejs-order-book ${fmt(t100k.peer)} ops/s, ${ratio100k}x; ${t100k.check}\n` +
      `match: ~100k resting: latency per op p50 ${lat100k.p50.toFixed(3)} µs, p99 ${lat100k.p99.toFixed(3)} µs, p99.9 ${lat100k.p999.toFixed(3)} µs\n` +
      `match: 1k → 100k resting: ours ${slowdown}x slower (goal ≤ 2x); ${shape1k.levelsAtEnd} vs ${large.levelsAtEnd} price levels\n` +
      wide.lines.join('\n'),
  );
  recordResult('match', figures);
  return Promise.resolve(figures);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
