import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetentionWindow } from '../../src/model/retention-window.ts';

describe('RetentionWindow', () => {
  it('keeps the last 2 of 3 ids and evicts the oldest', () => {
    const w = new RetentionWindow<string>(2);
    expect(w.add('a')).toEqual([]);
    expect(w.add('b')).toEqual([]);
    expect(w.add('c')).toEqual(['a']);
    expect([w.has('a'), w.has('b'), w.has('c')]).toEqual([false, true, true]);
  });

  it('counts ids, not additions: a, then b twice, keeps both a and b', () => {
    const w = new RetentionWindow<string>(2);
    w.add('a');
    w.add('b');
    expect(w.add('b')).toEqual([]);
    expect(w.size).toBe(2);
    expect(w.add('c')).toEqual(['a']);
  });

  it('a removed id no longer counts and is never evicted later', () => {
    const w = new RetentionWindow<string>(1);
    w.add('a');
    w.remove('a');
    expect(w.add('b')).toEqual([]);
    expect(w.add('c')).toEqual(['b']);
  });

  it('refuses a negative capacity', () => {
    expect(() => new RetentionWindow(-1)).toThrow(RangeError);
  });

  it('property: behaves like an ordered set of the most recent ids, and its queue stays bounded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 8 })), { maxLength: 3000 }),
        (capacity, ops) => {
          const w = new RetentionWindow<number>(capacity);
          let model: number[] = [];
          for (const [add, id] of ops) {
            if (add) {
              model = [...model.filter((x) => x !== id), id];
              const expected = model.slice(0, Math.max(0, model.length - capacity));
              model = model.slice(expected.length);
              expect(w.add(id)).toEqual(expected);
            } else {
              model = model.filter((x) => x !== id);
              w.remove(id);
            }
            expect(w.size).toBe(model.length);
          }
          const queueLength = (w as unknown as { queue: unknown[]; head: number }).queue.length - (w as unknown as { head: number }).head;
          expect(queueLength).toBeLessThanOrEqual(Math.max(1024, 2 * w.size) + 1);
        },
      ),
    );
  });
});
