type AnyIter<T> = AsyncIterator<T> | Iterator<T>;

/**
 * Bars (or trades) of several sources in time order (by open time; ties in the order the sources
 * were given). One source passes straight through. Each source must itself be in time order.
 */
export async function* mergeBars<T extends { readonly ts: number }>(sources: readonly (AsyncIterable<T> | Iterable<T>)[]): AsyncGenerator<T> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const iters: AnyIter<T>[] = sources.map(open);
  const heads: (T | undefined)[] = [];
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

function open<T>(s: AsyncIterable<T> | Iterable<T>): AnyIter<T> {
  return Symbol.asyncIterator in s ? s[Symbol.asyncIterator]() : s[Symbol.iterator]();
}

async function pull<T>(it: AnyIter<T>): Promise<T | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}
