import { LegacyOrderBook } from '../../test/venues/sim/book/legacy/order-book.ts';
import { OrderBook } from '../../src/venues/sim/book/index.ts';
import { generate, runOurs } from '../match.ts';
import { gc, median } from '../results.ts';

/**
 * A/B of the book before issue 20 (kept in test/) and now on the narrow workloads of `match`
 * (~1k and ~100k resting orders on a few hundred levels), rounds interleaved; prints only:
 *   node --expose-gc --import tsx bench/profile/ab-narrow.ts
 */
const rounds = Number(process.env.BENCH_MATCH_ROUNDS ?? 5);
for (const [target, ops] of [[1_000, 500_000], [100_000, 200_000]] as const) {
  const w = generate(target, ops, 0x5eed + (target === 1_000 ? 0 : 1));
  const before: number[] = [];
  const after: number[] = [];
  runOurs(w, () => new OrderBook());
  const runBefore = (): void => {
    gc();
    before.push(ops / runOurs(w, () => new LegacyOrderBook()).secs);
  };
  const runAfter = (): void => {
    gc();
    after.push(ops / runOurs(w).secs);
  };
  for (let r = 0; r < rounds; r++) {
    // alternate which goes first, so neither always runs on the other's leftover heap
    if (r % 2 === 0) {
      runBefore();
      runAfter();
    } else {
      runAfter();
      runBefore();
    }
  }
  const b = median(before);
  const a = median(after);
  console.log(`narrow ~${target} resting: before ${Math.round(b).toLocaleString('en-US')} ops/s, after ${Math.round(a).toLocaleString('en-US')} ops/s (${(a / b).toFixed(2)}x)`);
}
