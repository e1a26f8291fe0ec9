type AnyIter<T> = AsyncIterator<T> | Iterator<T>;

/**
 * Bars (or trades) of several sources in time order (by open time; ties in the order the sources
 * were given). One source passes straight through, without an async generator around it: a
 * generator's `next` costs several promises and microtask turns per item, and a backtest reads
 * millions (a plain source is read with one resolved promise per item). Each source must itself
 * be in time order.
 */
export function mergeBars<T extends { readonly ts: number }>(sources: readonly (AsyncIterable<T> | Iterable<T>)[]): AsyncIterableIterator<T> {
  if (sources.length === 1) return passThrough(open(sources[0]!));
  return mergeMany(sources);
}

async function* mergeMany<T extends { readonly ts: number }>(sources: readonly (AsyncIterable<T> | Iterable<T>)[]): AsyncGenerator<T> {
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

/**
 * One source as an async iterator: its own items, then its end (`value` undefined, as a generator
 * gives), `return` passed on (a file reader closes). A throw of the source is a rejection.
 */
function passThrough<T>(it: AnyIter<T>): AsyncIterableIterator<T> {
  let finished = false;
  const end = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });
  const settle = (r: IteratorResult<T>): IteratorResult<T> => {
    if (!r.done) return r;
    finished = true;
    return end();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next(): Promise<IteratorResult<T>> {
      if (finished) return Promise.resolve(end());
      try {
        const r = it.next();
        if (!isThenable(r)) return Promise.resolve(settle(r));
        return Promise.resolve(r).then(settle, (e: unknown) => {
          finished = true;
          throw e;
        });
      } catch (e) {
        finished = true;
        return Promise.resolve().then(() => {
          throw e;
        });
      }
    },
    async return(): Promise<IteratorResult<T>> {
      if (!finished) {
        finished = true;
        await it.return?.();
      }
      return end();
    },
  };
}

function isThenable<T>(r: IteratorResult<T> | PromiseLike<IteratorResult<T>>): r is PromiseLike<IteratorResult<T>> {
  return typeof (r as { then?: unknown }).then === 'function';
}

function open<T>(s: AsyncIterable<T> | Iterable<T>): AnyIter<T> {
  return Symbol.asyncIterator in s ? s[Symbol.asyncIterator]() : s[Symbol.iterator]();
}

async function pull<T>(it: AnyIter<T>): Promise<T | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}
