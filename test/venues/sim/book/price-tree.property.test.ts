import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceTree } from '../../../../src/venues/sim/book/price-tree.ts';
import { SideLadder } from '../../../../src/venues/sim/book/ladder.ts';

/**
 * The level index against a plain sorted array: random inserts and deletes, with small fan-outs
 * so that a few hundred keys split and merge nodes at every depth, and keys at the ends of the
 * safe-integer range (±(2^53 − 1)) next to small ones.
 */
const MAX = Number.MAX_SAFE_INTEGER;
const key = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -300, max: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 }).map((k) => MAX - k) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 }).map((k) => -MAX + k) },
);
type TreeOp = { insert: boolean; key: number };
const treeOps = fc.array(fc.record({ insert: fc.boolean(), key }), { minLength: 50, maxLength: 800 });
const fanout = fc.constantFrom(4, 5, 6, 8, 64);

function modelInsert(model: number[], k: number): number {
  let i = 0;
  while (i < model.length && model[i]! < k) i++;
  model.splice(i, 0, k);
  return i;
}

describe('PriceTree (B+ tree of price keys)', () => {
  it('holds exactly the keys of a sorted-array model after every insert and delete, with every node within its fill bounds and all leaves at one depth', () => {
    fc.assert(
      fc.property(fanout, treeOps, (f, ops: TreeOp[]) => {
        const tree = new PriceTree(f);
        const model: number[] = [];
        for (const { insert, key: k } of ops) {
          const present = model.includes(k);
          if (insert && !present) {
            tree.insert(k);
            const i = modelInsert(model, k);
            // the neighbour it reports is the key right above or right below the new one
            if (model.length === 1) expect(tree.neighbour).toBe('NONE');
            else if (tree.neighbour === 'ABOVE') expect(tree.neighbourKey).toBe(model[i + 1]);
            else expect([tree.neighbour, tree.neighbourKey]).toEqual(['BELOW', model[i - 1]]);
          } else if (!insert) {
            expect(tree.delete(k)).toBe(present);
            if (present) model.splice(model.indexOf(k), 1);
          }
          expect(tree.size).toBe(model.length);
          tree.check();
        }
        expect(tree.toArray()).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a key it already holds, and deleting an absent key changes nothing', () => {
    const tree = new PriceTree(4);
    for (const k of [5, 1, 9, 3, 7, 2, 8]) tree.insert(k);
    expect(() => tree.insert(7)).toThrow(/already/);
    expect(tree.delete(4)).toBe(false);
    expect(tree.toArray()).toEqual([1, 2, 3, 5, 7, 8, 9]);
    expect(tree.check()).toBe(2);
  });

  it('rejects a fan-out below 4', () => {
    expect(() => new PriceTree(3)).toThrow(RangeError);
  });
});

describe('SideLadder (levels chained best to worst over the tree)', () => {
  const price = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 400 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 }).map((k) => MAX - k) },
  );
  const ladderOps = fc.array(fc.record({ open: fc.boolean(), price }), { minLength: 50, maxLength: 600 });

  it('walks from best through `worse` links in price order (bids descending, asks ascending), with `better` links the mirror image', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(4, 5, 64), ladderOps, (isBid, f, ops) => {
        const ladder = new SideLadder(isBid, f);
        const prices = new Set<number>();
        for (const { open, price: p } of ops) {
          if (open) {
            const level = ladder.levelFor(p);
            expect(level.price).toBe(p);
            prices.add(p);
          } else if (prices.has(p)) {
            ladder.remove(ladder.level(p)!);
            prices.delete(p);
          }
          const expected = [...prices].sort((a, b) => (isBid ? b - a : a - b));
          const walked: number[] = [];
          let prev = null;
          for (let l = ladder.best; l !== null; l = l.worse) {
            expect(l.better).toBe(prev);
            walked.push(l.price);
            prev = l;
          }
          expect(walked).toEqual(expected);
          expect(ladder.levelCount).toBe(expected.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
