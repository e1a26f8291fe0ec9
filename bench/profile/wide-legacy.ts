import { LegacyOrderBook } from '../../test/venues/sim/book/legacy/order-book.ts';
import { runWideCases } from '../match-wide.ts';

/**
 * The wide-book case of `match` with the book as it was before issue 20 (kept in test/ as the
 * reference model), for before/after figures in one place; prints only, records nothing:
 *   node --expose-gc --import tsx bench/profile/wide-legacy.ts
 */
const { figures, lines } = runWideCases(Number(process.env.BENCH_MATCH_ROUNDS ?? 3), () => new LegacyOrderBook());
console.log(lines.join('\n'));
console.log(JSON.stringify(figures));
