import { ValidationError } from '../model/errors.ts';
import type { Bar } from '../model/bar.ts';
import type { Trade } from '../model/trade.ts';

interface Head<T> {
  item: T;
  key: number;
  readonly stream: number;
  readonly it: AsyncIterator<T>;
}

function before<T>(a: Head<T>, b: Head<T>): boolean {
  return a.key < b.key || (a.key === b.key && a.stream < b.stream);
}

function siftDown<T>(heap: Head<T>[], i: number): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1, r = l + 1;
    let m = i;
    if (l < n && before(heap[l]!, heap[m]!)) m = l;
    if (r < n && before(heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}

/**
 * Merges streams that are each in time order into one in time order, by `key`; equal keys come
 * out in stream order (stream 0 first), so the merge is stable and deterministic. A k-way merge
 * over a binary heap: it holds one item per stream, O(log k) per item. Throws if a stream goes back
 * in time. Stopping early (break) closes every stream.
 */
export async function* mergeBy<T>(streams: readonly AsyncIterable<T>[], key: (item: T) => number): AsyncGenerator<T> {
  const its = streams.map((s) => s[Symbol.asyncIterator]());
  const heap: Head<T>[] = [];
  try {
    const firsts = await Promise.all(its.map((it) => it.next()));
    firsts.forEach((r, stream) => {
      if (!r.done) heap.push({ item: r.value, key: key(r.value), stream, it: its[stream]! });
    });
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.item;
      const r = await top.it.next();
      if (r.done) {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown(heap, 0);
        }
        continue;
      }
      const k = key(r.value);
      if (k < top.key) {
        throw new ValidationError('INVALID_FIELD', `stream ${top.stream} goes back in time: ${new Date(k).toISOString()} after ${new Date(top.key).toISOString()}`, {
          field: 'stream', stream: top.stream,
        });
      }
      top.item = r.value;
      top.key = k;
      siftDown(heap, 0);
    }
  } finally {
    await Promise.all(
      its.map(async (it) => {
        await it.return?.();
      }),
    );
  }
}

/**
 * Several instruments (bars, trades, or both) in one stream in time order by `ts`, stable for equal
 * times by stream order. `ts` is a bar's open: to merge bars with trades without look-ahead,
 * use `mergeBy(streams, availableAt)`, which orders a bar by its close.
 */
export function mergeByTime<T extends { readonly ts: number }>(...streams: AsyncIterable<T>[]): AsyncGenerator<T> {
  return mergeBy(streams, (x) => x.ts);
}

/** When an item is known: a bar at its close (open + length), a trade at its time. */
export function availableAt(item: Bar | Trade): number {
  return 'durationMs' in item ? item.ts + item.durationMs : item.ts;
}
