import { readBinanceKlines, readBinanceTrades } from '../data/binance.ts';
import { readCsvBars, type CsvBarOptions } from '../data/csv-bars.ts';
import { mergeByTime } from '../data/merge.ts';
import { instrumentId } from '../model/identifiers.ts';
import type { Bar } from '../model/bar.ts';
import type { Quote } from '../model/quote.ts';
import type { Trade } from '../model/trade.ts';
import { intervalMs, type ReplayConfig } from './config/index.ts';

/** What a replayed file gives: bars, trades (prints) or quotes. */
export type MarketItem = Bar | Trade | Quote;

export const isTrade = (m: MarketItem): m is Trade => 'tradeId' in m;
export const isQuote = (m: MarketItem): m is Quote => 'bid' in m;
export const isBar = (m: MarketItem): m is Bar => 'durationMs' in m;

const TIME_FORMATS = { auto: 'auto', iso: 'iso', epoch_s: 'epoch_s', epoch_ms: 'epoch_ms' } as const;

/** One replayed file, read with the config's reader options. */
export function readReplay(r: ReplayConfig): AsyncIterable<MarketItem> {
  const id = instrumentId(r.instrument);
  const durationMs = r.interval !== undefined ? intervalMs(r.interval) : undefined;
  switch (r.format) {
    case 'binance-klines':
      return readBinanceKlines(r.file, { instrumentId: id, ...(durationMs !== undefined ? { durationMs } : {}) });
    case 'binance-trades':
      return readBinanceTrades(r.file, { instrumentId: id });
    case 'csv': {
      const { date: _date, ...columns } = r.columns ?? {};
      const o: CsvBarOptions = {
        instrumentId: id,
        ...(durationMs !== undefined ? { durationMs } : {}),
        ...(r.columns ? { columns } : {}),
        ...(r.delimiter !== undefined ? { delimiter: r.delimiter } : {}),
        timeFormat: TIME_FORMATS[r.time_format],
        ...(r.utc_offset !== undefined ? { utcOffset: r.utc_offset } : {}),
      };
      return readCsvBars(r.file, o);
    }
  }
}

/** Every replayed file, merged in time order (stable by file order for equal times). */
export function replayStream(files: readonly ReplayConfig[]): AsyncIterable<MarketItem> {
  return mergeByTime(...files.map(readReplay));
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
