import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook, type BookOrderRequest, type BookResult, type BookSide, type BookTif, type StpMode } from '../../../../src/venues/sim/book/index.ts';
import { LegacyOrderBook } from './legacy/order-book.ts';

/**
 * The book with its B+ tree level index against the book as it was (a sorted array of prices,
 * kept in ./legacy as the reference model), over random sessions on WIDE price ranges: a prefill
 * of up to 1,500 resting orders on distinct prices (enough levels for the index to split and
 * merge its nodes), then adds anywhere in the band and across the touch, cancels, modifies,
 * IOC / FOK / post-only / iceberg / DAY-GTD orders, market orders and expiries. Prices include
 * the ends of the safe-integer tick range (1 and 2^53 − 1), where an inexact key would show.
 */
const MAX = Number.MAX_SAFE_INTEGER;
const MID = 1_000_000;

type Band = 'mid' | 'low' | 'high';
/** A price of a band: around MID (±3,000 ticks), near 1, or near 2^53 − 1. */
function priceIn(band: Band, offset: number): number {
  if (band === 'low') return 1 + (offset + 3000) % 40;
  if (band === 'high') return MAX - ((offset + 3000) % 40);
  return MID + offset;
}

type Op =
  | { kind: 'limit'; idx: number; side: BookSide; offset: number; qty: number; tif: BookTif; postOnly: boolean; display: number; owner: string | undefined; expireAt: number }
  | { kind: 'market'; idx: number; side: BookSide; qty: number; fok: boolean; owner: string | undefined }
  | { kind: 'cancel'; idx: number }
  | { kind: 'modify'; idx: number; qty: number | undefined; offset: number | undefined }
  | { kind: 'expire'; now: number };

const owner = fc.constantFrom<string | undefined>('alice', 'bob', undefined);
const side = fc.constantFrom<BookSide>('BUY', 'SELL');
const idx = fc.nat({ max: 2000 });
const offset = fc.oneof(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -8, max: 8 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('limit' as const), idx, side, offset, qty: fc.integer({ min: 1, max: 30 }), tif: fc.constantFrom<BookTif>('GTC', 'GTC', 'IOC', 'FOK', 'DAY', 'GTD'), postOnly: fc.boolean(), display: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })), owner, expireAt: fc.integer({ min: 0, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('market' as const), idx, side, qty: fc.integer({ min: 1, max: 60 }), fok: fc.boolean(), owner }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('cancel' as const), idx }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('modify' as const), idx, qty: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }), offset: fc.option(offset, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), now: fc.integer({ min: 0, max: 100 }) }) },
);
const session = fc.record({
  stp: fc.constantFrom<StpMode>('NONE', 'CANCEL_TAKER', 'CANCEL_MAKER', 'CANCEL_BOTH'),
  band: fc.constantFrom<Band>('mid', 'mid', 'low', 'high'),
  prefill: fc.integer({ min: 0, max: 1500 }),
  ops: fc.array(op, { minLength: 100, maxLength: 400 }),
});

/** Prefill: bids below and asks above the band's centre, one order per level, every other tick, shuffled by a stride. */
function prefillRequests(band: Band, count: number): BookOrderRequest[] {
  const out: BookOrderRequest[] = [];
  for (let k = 0; k < count; k++) {
    const j = (k * 7919) % count; // a stride coprime with most counts: levels arrive out of order
    const isBuy = j % 2 === 0;
    const distance = 2 + 2 * (j >> 1);
    const price = band === 'mid' ? MID + (isBuy ? -distance : distance) : band === 'low' ? (isBuy ? 1 + (j % 20) : 100 + distance) : isBuy ? MAX - 100 - distance : MAX - (j % 20);
    out.push({ id: `p${k}`, side: isBuy ? 'BUY' : 'SELL', type: 'LIMIT', price, qty: 1 + (k % 9), tif: 'GTC' });
  }
  return out;
}

function request(band: Band, o: Extract<Op, { kind: 'limit' | 'market' }>): BookOrderRequest {
  if (o.kind === 'market') return { id: `o${o.idx}`, owner: o.owner, side: o.side, type: 'MARKET', qty: o.qty, tif: o.fok ? 'FOK' : 'IOC' };
  const rests = o.tif !== 'IOC' && o.tif !== 'FOK';
  return {
    id: `o${o.idx}`, owner: o.owner, side: o.side, type: 'LIMIT', price: priceIn(band, o.offset), qty: o.qty, tif: o.tif,
    postOnly: rests && o.postOnly ? true : undefined,
    displayQty: rests && o.display > 0 ? Math.min(o.display, o.qty) : undefined,
    expireAt: o.tif === 'DAY' || o.tif === 'GTD' ? o.expireAt : undefined,
  };
}

function apply(book: OrderBook | LegacyOrderBook, band: Band, o: Op): BookResult | boolean | string[] {
  switch (o.kind) {
    case 'limit':
    case 'market':
      return book.submit(request(band, o));
    case 'cancel':
      return book.cancel(`o${o.idx}`) || book.cancel(`p${o.idx}`);
    case 'modify': {
      const id = book.get(`o${o.idx}`) !== undefined ? `o${o.idx}` : `p${o.idx}`;
      const price = o.offset === undefined ? undefined : priceIn(band, o.offset);
      return o.qty === undefined && price === undefined ? book.cancel('none') : book.modify(id, { qty: o.qty, price });
    }
    case 'expire':
      return book.expire(o.now);
  }
}

function expectSameState(book: OrderBook, legacy: LegacyOrderBook, full: boolean): void {
  expect(book.bestBid()).toBe(legacy.bestBid());
  expect(book.bestAsk()).toBe(legacy.bestAsk());
  expect(book.size).toBe(legacy.size);
  expect(book.depth(full ? MAX : 12)).toEqual(legacy.depth(full ? MAX : 12));
  if (full) for (const s of ['BUY', 'SELL'] as const) expect(book.orders(s)).toEqual(legacy.orders(s));
}

describe('order book with a B+ tree level index: same behaviour as the sorted-array book it replaced, on wide books', () => {
  it('gives the same results (fills, outcomes, canceled makers), best prices and depth after every operation, and the same resting orders every 50 operations and at the end', () => {
    fc.assert(
      fc.property(session, ({ stp, band, prefill, ops }) => {
        const book = new OrderBook({ stp });
        const legacy = new LegacyOrderBook({ stp });
        for (const req of prefillRequests(band, prefill)) expect(book.submit(req)).toEqual(legacy.submit(req));
        expectSameState(book, legacy, true);
        ops.forEach((o, i) => {
          expect(apply(book, band, o)).toEqual(apply(legacy, band, o));
          expectSameState(book, legacy, i % 50 === 49);
        });
        expectSameState(book, legacy, true);
      }),
      { numRuns: 150 },
    );
  });

  it('sweeps a book of 3,000 levels the same way: one market order per side takes every level, best first, and leaves both sides empty', () => {
    const book = new OrderBook();
    const legacy = new LegacyOrderBook();
    for (const req of prefillRequests('mid', 3000)) expect(book.submit(req)).toEqual(legacy.submit(req));
    for (const s of ['BUY', 'SELL'] as const) {
      const sweep: BookOrderRequest = { id: `sweep-${s}`, side: s, type: 'MARKET', qty: 1_000_000, tif: 'IOC' };
      const ours = book.submit(sweep);
      expect(ours).toEqual(legacy.submit(sweep));
      expect(ours.fills).toHaveLength(1500);
      const prices = ours.fills.map((f) => f.price);
      expect(prices).toEqual([...prices].sort((a, b) => (s === 'BUY' ? a - b : b - a)));
    }
    expect([book.bestBid(), book.bestAsk(), book.size]).toEqual([undefined, undefined, 0]);
  });
});
