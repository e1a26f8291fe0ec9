import type { Bar } from '../model/bar.ts';

type AnyIter = AsyncIterator<Bar> | Iterator<Bar>;

/**
 * Bars of several sources in time order (by open time; ties in the order the sources were given).
 * One source passes straight through. Each source must itself be in time order.
 */
export async function* mergeBars(sources: readonly (AsyncIterable<Bar> | Iterable<Bar>)[]): AsyncGenerator<Bar> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const iters: AnyIter[] = sources.map(open);
  const heads: (Bar | undefined)[] = [];
  for (const it of iters) heads.push(await pull(it));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (best < 0 || h.ts < heads[best]!.ts)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    heads[best] = await pull(iters[best]!);
  }
}

function open(s: AsyncIterable<Bar> | Iterable<Bar>): AnyIter {
  return Symbol.asyncIterator in s ? s[Symbol.asyncIterator]() : s[Symbol.iterator]();
}

async function pull(it: AnyIter): Promise<Bar | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}
