import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook, type BookOrderRequest, type BookResult, type BookSide, type StpMode } from '../../../../src/venues/sim/book/index.ts';
import { ReferenceBook } from './reference-book.ts';

/**
 * Long random sessions of submit / cancel / modify / market / expire on a narrow price band
 * (95..105 ticks) with few owners, so that crossing, partial fills, icebergs, self trades and
 * expiries happen all the time.
 */
type Op =
  | { kind: 'limit'; idx: number; side: BookSide; price: number; qty: number; tif: 'GTC' | 'IOC' | 'FOK' | 'DAY' | 'GTD'; postOnly: boolean; display: number; owner: string | undefined; expireAt: number }
  | { kind: 'market'; idx: number; side: BookSide; qty: number; fok: boolean; owner: string | undefined }
  | { kind: 'cancel'; idx: number }
  | { kind: 'modify'; idx: number; qty: number | undefined; price: number | undefined }
  | { kind: 'expire'; now: number };

const owner = fc.constantFrom<string | undefined>('alice', 'bob', 'carol', undefined);
const side = fc.constantFrom<BookSide>('BUY', 'SELL');
const idx = fc.nat({ max: 400 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('limit' as const), idx, side, price: fc.integer({ min: 95, max: 105 }), qty: fc.integer({ min: 1, max: 20 }), tif: fc.constantFrom('GTC', 'GTC', 'IOC', 'FOK', 'DAY', 'GTD'), postOnly: fc.boolean(), display: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })), owner, expireAt: fc.integer({ min: 0, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('market' as const), idx, side, qty: fc.integer({ min: 1, max: 40 }), fok: fc.boolean(), owner }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), idx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('modify' as const), idx, qty: fc.option(fc.integer({ min: 1, max: 25 }), { nil: undefined }), price: fc.option(fc.integer({ min: 95, max: 105 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), now: fc.integer({ min: 0, max: 100 }) }) },
);
const session = fc.record({ stp: fc.constantFrom<StpMode>('NONE', 'CANCEL_TAKER', 'CANCEL_MAKER', 'CANCEL_BOTH'), ops: fc.array(op, { minLength: 100, maxLength: 400 }) });

/** The request of an op; ids are drawn from a small pool ("o" + idx) so that duplicates and reuse happen. */
function request(o: Extract<Op, { kind: 'limit' | 'market' }>): BookOrderRequest {
  if (o.kind === 'market') return { id: `o${o.idx}`, owner: o.owner, side: o.side, type: 'MARKET', qty: o.qty, tif: o.fok ? 'FOK' : 'IOC' };
  const rests = o.tif !== 'IOC' && o.tif !== 'FOK';
  return {
    id: `o${o.idx}`, owner: o.owner, side: o.side, type: 'LIMIT', price: o.price, qty: o.qty, tif: o.tif,
    postOnly: rests && o.postOnly ? true : undefined,
    displayQty: rests && o.display > 0 ? Math.min(o.display, o.qty) : undefined,
    expireAt: o.tif === 'DAY' || o.tif === 'GTD' ? o.expireAt : undefined,
  };
}

function apply(book: OrderBook | ReferenceBook, o: Op): BookResult | boolean | string[] {
  switch (o.kind) {
    case 'limit':
    case 'market':
      return book.submit(request(o));
    case 'cancel':
      return book.cancel(`o${o.idx}`);
    case 'modify':
      return o.qty === undefined && o.price === undefined ? book.cancel('none') : book.modify(`o${o.idx}`, { qty: o.qty, price: o.price });
    case 'expire':
      return book.expire(o.now);
  }
}

const restingQty = (book: OrderBook): number => [...book.orders('BUY'), ...book.orders('SELL')].reduce((s, v) => s + v.remainingQty, 0);
const remainingById = (book: OrderBook): Map<string, number> =>
  new Map([...book.orders('BUY'), ...book.orders('SELL')].map((v) => [v.id, v.remainingQty]));

describe('order book properties over random sessions of 100-400 operations', () => {
  it('gives the same results, fills and resting orders as a naive sorted-array reference book, after every operation', () => {
    fc.assert(
      fc.property(session, ({ stp, ops }) => {
        const book = new OrderBook({ stp });
        const ref = new ReferenceBook(stp);
        for (const o of ops) {
          expect(apply(book, o)).toEqual(apply(ref, o));
          for (const s of ['BUY', 'SELL'] as const) {
            expect(book.orders(s).map(({ id, price, remainingQty, visibleQty }) => ({ id, price, remainingQty, visibleQty }))).toEqual(ref.view(s));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is never crossed after an operation: best bid < best ask, and depth shows the visible lots of the orders', () => {
    fc.assert(
      fc.property(session, ({ stp, ops }) => {
        const book = new OrderBook({ stp });
        for (const o of ops) {
          apply(book, o);
          const bid = book.bestBid();
          const ask = book.bestAsk();
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
          const depth = book.depth(1000);
          for (const [s, levels] of [['BUY', depth.bids], ['SELL', depth.asks]] as const) {
            const byPrice = new Map<number, number>();
            for (const v of book.orders(s)) byPrice.set(v.price, (byPrice.get(v.price) ?? 0) + v.visibleQty);
            expect(levels).toEqual([...byPrice]);
          }
          expect(book.size).toBe(book.orders('BUY').length + book.orders('SELL').length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never fills an order beyond its quantity, and resting lots = submitted − filled − canceled', () => {
    fc.assert(
      fc.property(session, ({ stp, ops }) => {
        const book = new OrderBook({ stp });
        // per live order: its quantity so far (submitted, changed by modify) and lots filled
        const orders = new Map<string, { qty: number; filled: number }>();
        let submitted = 0;
        let filled = 0; // lots traded, counted once per side of each trade
        let canceled = 0;
        for (const o of ops) {
          const before = remainingById(book);
          const r = apply(book, o);
          const fillsOf = (res: BookResult, taker: { qty: number; filled: number }) => {
            for (const f of res.fills) {
              taker.filled += f.qty;
              const maker = orders.get(f.makerId)!;
              maker.filled += f.qty;
              filled += 2 * f.qty;
              expect(maker.filled).toBeLessThanOrEqual(maker.qty);
            }
            expect(taker.filled).toBeLessThanOrEqual(taker.qty);
            for (const id of res.canceledMakers ?? []) canceled += before.get(id)!;
          };
          if (o.kind === 'limit' || o.kind === 'market') {
            const res = r as BookResult;
            if (res.outcome === 'REJECTED') continue;
            const taker = { qty: request(o).qty, filled: 0 };
            submitted += taker.qty;
            fillsOf(res, taker);
            if (res.outcome === 'CANCELED') canceled += res.remainingQty;
            else orders.set(request(o).id, taker);
            expect(taker.filled + res.remainingQty).toBe(taker.qty);
          } else if (o.kind === 'modify' && typeof r === 'object' && !Array.isArray(r) && r.outcome !== 'REJECTED') {
            const id = `o${o.idx}`;
            const mine = orders.get(id)!;
            const newQty = o.qty ?? before.get(id)!;
            submitted += newQty - before.get(id)!; // a cut counts as a negative submission
            mine.qty = mine.filled + newQty;
            fillsOf(r, mine);
            if (r.outcome === 'CANCELED') canceled += r.remainingQty;
          } else if (o.kind === 'cancel' && r === true) {
            canceled += before.get(`o${o.idx}`)!;
          } else if (o.kind === 'expire') {
            for (const id of r as string[]) canceled += before.get(id)!;
          }
          expect(restingQty(book)).toBe(submitted - filled - canceled);
        }
      }),
      { numRuns: 200 },
    );
  });
});
