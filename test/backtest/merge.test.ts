import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeBars } from '../../src/backtest/merge.ts';

interface Item {
  readonly ts: number;
  readonly n: number;
}

async function drain<T>(it: AsyncIterableIterator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* asAsync<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield await Promise.resolve(x);
}

const sorted = fc.array(fc.nat({ max: 1000 }), { maxLength: 40 }).map((ts) => ts.sort((a, b) => a - b).map((t, n) => ({ ts: t, n })));

describe('mergeBars', () => {
  it('passes one source through unchanged, sync or async, and ends as a generator does', async () => {
    await fc.assert(
      fc.asyncProperty(sorted, async (items) => {
        expect(await drain(mergeBars([items]))).toEqual(items);
        expect(await drain(mergeBars([asAsync(items)]))).toEqual(items);
        const it = mergeBars([items]);
        for (let i = 0; i < items.length; i++) await it.next();
        expect(await it.next()).toEqual({ done: true, value: undefined });
        expect(await it.next()).toEqual({ done: true, value: undefined });
      }),
    );
  });

  it('merges several sources by open time, ties in the order the sources were given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sorted, { minLength: 2, maxLength: 4 }), async (sources) => {
        const tagged = sources.map((s, k) => s.map((x) => ({ ...x, k })));
        const expected = tagged.flat().sort((a, b) => a.ts - b.ts || a.k - b.k || a.n - b.n);
        expect(await drain(mergeBars(tagged))).toEqual(expected);
      }),
    );
  });

  it('passes return on to a single source (a file reader closes) and then reads nothing', async () => {
    let closed = 0;
    const source: Iterable<Item> = {
      [Symbol.iterator]: () => {
        let i = 0;
        return {
          next: () => ({ done: false, value: { ts: i, n: i++ } }),
          return: () => {
            closed++;
            return { done: true, value: undefined };
          },
        };
      },
    };
    const it = mergeBars([source]);
    expect((await it.next()).value).toEqual({ ts: 0, n: 0 });
    await it.return!();
    await it.return!();
    expect(closed).toBe(1);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('turns a throw of a sync source into a rejection and ends', async () => {
    const source: Iterable<Item> = {
      [Symbol.iterator]: () => ({
        next: () => {
          throw new Error('bad row 3');
        },
      }),
    };
    const it = mergeBars([source]);
    await expect(it.next()).rejects.toThrow('bad row 3');
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});
