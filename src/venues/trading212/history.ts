import type { T212Client } from './client.ts';
import { epochMs } from './orders.ts';
import type { T212HistoricalOrder } from './wire.ts';

/** Pages read at most per sweep (50 items each): a bound on one look back. */
const MAX_PAGES = 20;

/**
 * The order history back to `since` (epoch ms), newest first, following nextPagePath (the docs'
 * cursor paging) until a page reaches orders created before `since`, or the end.
 */
export async function historySince(client: T212Client, since: number): Promise<T212HistoricalOrder[]> {
  const out: T212HistoricalOrder[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = await client.historyPage(next);
    let older = false;
    for (const item of p.items) {
      if (epochMs(item.order.createdAt, Number.POSITIVE_INFINITY) < since) older = true;
      else out.push(item);
    }
    if (older || p.nextPagePath === null || p.nextPagePath === undefined || p.items.length === 0) break;
    next = p.nextPagePath;
  }
  return out;
}

/** History items grouped by order id, each group oldest fill first (fill ids break a tie: they grow). */
export function byOrder(items: readonly T212HistoricalOrder[]): Map<string, T212HistoricalOrder[]> {
  const m = new Map<string, T212HistoricalOrder[]>();
  for (const it of items) {
    const k = String(it.order.id);
    const list = m.get(k) ?? [];
    list.push(it);
    m.set(k, list);
  }
  for (const list of m.values()) list.sort((a, b) => epochMs(a.fill?.filledAt, 0) - epochMs(b.fill?.filledAt, 0) || (a.fill?.id ?? 0) - (b.fill?.id ?? 0));
  return m;
}
