import { mergeByTime } from '../data/merge.ts';
import { openDataSource } from '../data/open-source.ts';
import type { DataSourceSpec } from '../data/reader-options.ts';
import type { Bar } from '../model/bar.ts';
import type { Quote } from '../model/quote.ts';
import type { Trade } from '../model/trade.ts';

/** What a replayed file gives: bars, trades (prints) or quotes. */
export type MarketItem = Bar | Trade | Quote;

export const isTrade = (m: MarketItem): m is Trade => 'tradeId' in m;
export const isQuote = (m: MarketItem): m is Quote => 'bid' in m;
export const isBar = (m: MarketItem): m is Bar => 'durationMs' in m;

/** One replayed file, read as the CLI's `--data` reads it (openDataSource): bars, or trades from a trades file without a bar interval. */
export function readReplay(spec: DataSourceSpec): AsyncIterable<MarketItem> {
  const opened = openDataSource(spec);
  return opened.kind === 'bars' ? opened.bars : opened.trades;
}

/** Every replayed file, merged in time order (stable by file order for equal times). */
export function replayStream(files: readonly DataSourceSpec[]): AsyncIterable<MarketItem> {
  return mergeByTime(...files.map(readReplay));
}

/**
 * The replayed files over and over (a demo that never runs out): each pass is the data again with
 * its times moved on by the span of one pass (first open to last close), so time never goes back
 * and a pass's first bar opens as the previous pass's last one closes. A trade's id carries its
 * pass (`~2`), so the same print is never seen twice. Passes before `from` (a restart) are skipped
 * without being read: only the pass `from` falls in is read from its start.
 */
export async function* loopedReplay(files: readonly DataSourceSpec[], from = -Infinity): AsyncGenerator<MarketItem> {
  let first: number | undefined;
  let end = -Infinity;
  for await (const it of replayStream(files)) {
    first ??= it.ts;
    end = Math.max(end, closeOf(it), it.ts + 1);
  }
  if (first === undefined) return;
  const period = end - first;
  for (let pass = Number.isFinite(from) ? Math.max(0, Math.floor((from - first) / period)) : 0; ; pass++) {
    const shift = pass * period;
    for await (const it of replayStream(files)) yield pass === 0 ? it : shifted(it, shift, pass);
  }
}

function shifted(it: MarketItem, shift: number, pass: number): MarketItem {
  if (isTrade(it)) return { ...it, ts: it.ts + shift, tradeId: `${it.tradeId}~${pass}` as Trade['tradeId'] };
  return { ...it, ts: it.ts + shift };
}

/** When an item is complete: a bar at its close, a trade or quote at its time. */
export const closeOf = (m: MarketItem): number => (isBar(m) ? m.ts + m.durationMs : m.ts);

/**
 * Groups the stream into steps of items with the same time (several instruments' bars opening
 * together are one step), skipping items before `from` (a restart resumes after what the journal
 * has seen).
 */
export async function* steps(items: AsyncIterable<MarketItem>, from = -Infinity): AsyncGenerator<readonly MarketItem[]> {
  let group: MarketItem[] = [];
  for await (const it of items) {
    if (it.ts < from) continue;
    if (group.length > 0 && group[0]!.ts !== it.ts) {
      yield group;
      group = [];
    }
    group.push(it);
  }
  if (group.length > 0) yield group;
}

/**
 * Paces a replay on the wall clock: data time runs `speed` times as fast as the wall clock from
 * the first step; `max` never waits. The wall clock and the sleep are injected.
 */
export class Pacer {
  private origin: { data: number; wall: number } | undefined;

  constructor(
    private readonly speed: number | 'max',
    private readonly wall: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async until(dataTs: number): Promise<void> {
    if (this.speed === 'max') return;
    if (!this.origin) {
      this.origin = { data: dataTs, wall: this.wall() };
      return;
    }
    const due = this.origin.wall + (dataTs - this.origin.data) / this.speed;
    const wait = due - this.wall();
    if (wait > 0) await this.sleep(wait);
  }
}
