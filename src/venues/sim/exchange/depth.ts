import type { OrderSide } from '../../../model/orders/types.ts';

/**
 * What a taking order gets from L2 levels ([ticks, lots], best first): a fill per level until
 * it is done or the next level is past its limit. A FOK that the levels cannot fill in full gets
 * nothing. The levels passed in are reduced by what is taken (they are the exchange's working
 * copy of the snapshot, never the data).
 */
export function walkDepth(levels: [number, number][], side: OrderSide, limit: number | undefined, want: number, fok: boolean): [ticks: number, lots: number][] {
  const within = (p: number) => limit === undefined || (side === 'BUY' ? p <= limit : p >= limit);
  if (fok) {
    let available = 0;
    // Stops once enough is found: levels are capped at 2^53 − 1 lots, and a longer sum could round.
    for (const [p, q] of levels) {
      if (available >= want) break;
      if (within(p)) available += q;
    }
    if (available < want) return [];
  }
  const fills: [number, number][] = [];
  let left = want;
  for (const level of levels) {
    if (left <= 0) break;
    const [p, q] = level;
    if (q <= 0) continue;
    if (!within(p)) break;
    const lots = Math.min(q, left);
    level[1] = q - lots;
    left -= lots;
    fills.push([p, lots]);
  }
  return fills;
}
