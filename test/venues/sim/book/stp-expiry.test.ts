import { describe, expect, it } from 'vitest';
import { OrderBook, type BookResult, type StpMode } from '../../../../src/venues/sim/book/index.ts';
import { buy, market, sell } from './fixtures.ts';

const trades = (r: BookResult): [string, number, number][] => r.fills.map((f) => [f.makerId, f.price, f.qty]);

/** Asks: bob 2 @ 100, alice 3 @ 100, bob 4 @ 101. */
function aliceBetweenBobs(stp: StpMode): OrderBook {
  const book = new OrderBook({ stp });
  book.submit(sell('BOB1', 100, 2, { owner: 'bob' }));
  book.submit(sell('ALICE', 100, 3, { owner: 'alice' }));
  book.submit(sell('BOB2', 101, 4, { owner: 'bob' }));
  return book;
}

describe('self-trade prevention', () => {
  it('NONE: alice BUY 6 @ 101 trades with her own ask like any other (2 + 3 + 1)', () => {
    const r = aliceBetweenBobs('NONE').submit(buy('T', 101, 6, { owner: 'alice' }));
    expect(trades(r)).toEqual([['BOB1', 100, 2], ['ALICE', 100, 3], ['BOB2', 101, 1]]);
  });

  it('CANCEL_TAKER: alice BUY 6 @ 101 trades 2 with bob, then stops at her own ask: 4 canceled SELF_TRADE, her ask stays', () => {
    const book = aliceBetweenBobs('CANCEL_TAKER');
    const r = book.submit(buy('T', 101, 6, { owner: 'alice' }));
    expect(r).toMatchObject({ outcome: 'CANCELED', rejectReason: 'SELF_TRADE', remainingQty: 4, canceledMakers: undefined });
    expect(trades(r)).toEqual([['BOB1', 100, 2]]);
    expect(book.get('ALICE')?.remainingQty).toBe(3);
    expect(book.get('T')).toBeUndefined();
  });

  it('CANCEL_MAKER: alice BUY 6 @ 101 cancels her ask of 3 and goes on to trade 2 @ 100 and 4 @ 101 with bob', () => {
    const book = aliceBetweenBobs('CANCEL_MAKER');
    const r = book.submit(buy('T', 101, 6, { owner: 'alice' }));
    expect(r).toMatchObject({ outcome: 'FILLED', canceledMakers: ['ALICE'], remainingQty: 0 });
    expect(trades(r)).toEqual([['BOB1', 100, 2], ['BOB2', 101, 4]]);
    expect(book.size).toBe(0);
  });

  it('CANCEL_BOTH: alice BUY 6 @ 101 trades 2 with bob, then her ask and her 4 remaining lots are both canceled', () => {
    const book = aliceBetweenBobs('CANCEL_BOTH');
    const r = book.submit(buy('T', 101, 6, { owner: 'alice' }));
    expect(r).toMatchObject({ outcome: 'CANCELED', rejectReason: 'SELF_TRADE', canceledMakers: ['ALICE'], remainingQty: 4 });
    expect(trades(r)).toEqual([['BOB1', 100, 2]]);
    expect(book.orders('SELL').map((o) => o.id)).toEqual(['BOB2']);
  });

  it('CANCEL_TAKER stops a GTC taker too: nothing of it rests', () => {
    const book = aliceBetweenBobs('CANCEL_TAKER');
    book.submit(buy('T', 100, 9, { owner: 'alice' }));
    expect(book.bestBid()).toBeUndefined();
  });

  it('CANCEL_MAKER with a market SELL of alice against only her own bid of 5: the bid is canceled, the market order too (5 remaining)', () => {
    const book = new OrderBook({ stp: 'CANCEL_MAKER' });
    book.submit(buy('B', 100, 5, { owner: 'alice' }));
    const r = book.submit(market('M', 'SELL', 5, { owner: 'alice' }));
    expect(r).toMatchObject({ outcome: 'CANCELED', canceledMakers: ['B'], remainingQty: 5, fills: [] });
    expect(book.size).toBe(0);
  });

  it('different owners, or an order without owner, never count as a self trade', () => {
    const book = new OrderBook({ stp: 'CANCEL_BOTH' });
    book.submit(sell('A', 100, 1, { owner: 'alice' }));
    book.submit(sell('N', 100, 1));
    expect(trades(book.submit(buy('T1', 100, 1, { owner: 'bob' })))).toEqual([['A', 100, 1]]);
    expect(trades(book.submit(buy('T2', 100, 1)))).toEqual([['N', 100, 1]]);
  });

  it('FOK with CANCEL_TAKER: alice FOK BUY 5 @ 101 needs lots behind her own ask and is rejected; FOK BUY 2 fills', () => {
    const book = aliceBetweenBobs('CANCEL_TAKER');
    expect(book.submit(buy('F1', 101, 5, { owner: 'alice', tif: 'FOK' })).rejectReason).toBe('FOK_CANNOT_FILL');
    expect(book.size).toBe(3);
    expect(book.submit(buy('F2', 101, 2, { owner: 'alice', tif: 'FOK' })).outcome).toBe('FILLED');
  });

  it('FOK with CANCEL_MAKER: her own 3 lots do not count: FOK BUY 7 @ 101 rejected (6 from bob), FOK BUY 6 fills', () => {
    const book = aliceBetweenBobs('CANCEL_MAKER');
    expect(book.submit(buy('F1', 101, 7, { owner: 'alice', tif: 'FOK' })).rejectReason).toBe('FOK_CANNOT_FILL');
    expect(book.get('ALICE')).toBeDefined();
    expect(book.submit(buy('F2', 101, 6, { owner: 'alice', tif: 'FOK' }))).toMatchObject({ outcome: 'FILLED', canceledMakers: ['ALICE'] });
  });

  it('FOK with CANCEL_TAKER counts only the visible slice of an iceberg queued ahead of an own order', () => {
    const book = new OrderBook({ stp: 'CANCEL_TAKER' });
    book.submit(sell('ICE', 100, 10, { owner: 'bob', displayQty: 2 }));
    book.submit(sell('OWN', 100, 1, { owner: 'alice' }));
    expect(book.submit(buy('F1', 100, 3, { owner: 'alice', tif: 'FOK' })).rejectReason).toBe('FOK_CANNOT_FILL');
    const r = book.submit(buy('T', 100, 3, { owner: 'alice' }));
    expect(r).toMatchObject({ outcome: 'CANCELED', rejectReason: 'SELF_TRADE', remainingQty: 1 });
    expect(trades(r)).toEqual([['ICE', 100, 2]]);
  });
});

describe('DAY and GTD expiry', () => {
  it('expire(1000) removes the DAY order at 1000 and the GTD order at 900, earliest first, and keeps GTC and the GTD at 1001', () => {
    const book = new OrderBook();
    book.submit(buy('GTC', 99, 1));
    book.submit(buy('DAY', 98, 1, { tif: 'DAY', expireAt: 1000 }));
    book.submit(sell('GTD900', 101, 1, { tif: 'GTD', expireAt: 900 }));
    book.submit(sell('GTD1001', 102, 1, { tif: 'GTD', expireAt: 1001 }));
    expect(book.expire(999)).toEqual(['GTD900']);
    expect(book.expire(1000)).toEqual(['DAY']);
    expect(book.orders('BUY').map((o) => o.id)).toEqual(['GTC']);
    expect(book.bestAsk()).toBe(102);
    expect(book.expire(5000)).toEqual(['GTD1001']);
    expect(book.size).toBe(1);
  });

  it('orders canceled or filled before expiring are not reported by expire', () => {
    const book = new OrderBook();
    book.submit(buy('A', 99, 1, { tif: 'GTD', expireAt: 10 }));
    book.submit(buy('B', 98, 1, { tif: 'GTD', expireAt: 10 }));
    book.cancel('A');
    book.submit(sell('S', 98, 1)); // fills B (A is gone)
    expect(book.expire(10)).toEqual([]);
  });

  it('an id reused after its GTD order was canceled expires at the new time only', () => {
    const book = new OrderBook();
    book.submit(buy('A', 99, 1, { tif: 'GTD', expireAt: 10 }));
    book.cancel('A');
    book.submit(buy('A', 99, 1, { tif: 'GTD', expireAt: 20 }));
    expect(book.expire(15)).toEqual([]);
    expect(book.expire(20)).toEqual(['A']);
  });

  it('a GTD order re-queued by modify keeps its expiry time of 50', () => {
    const book = new OrderBook();
    book.submit(sell('G', 105, 2, { tif: 'GTD', expireAt: 50 }));
    book.modify('G', { price: 104, qty: 5 });
    expect(book.get('G')).toMatchObject({ price: 104, remainingQty: 5, expireAt: 50 });
    expect(book.expire(50)).toEqual(['G']);
    expect(book.size).toBe(0);
  });

  it('10,000 GTD orders canceled early do not pile up: the last 10 still expire in time order', () => {
    const book = new OrderBook();
    for (let i = 0; i < 10_010; i++) book.submit(buy(`G${i}`, 100 + (i % 7), 1, { tif: 'GTD', expireAt: 1_000_000 - i }));
    for (let i = 0; i < 10_000; i++) book.cancel(`G${i}`);
    expect(book.expire(1_000_000)).toEqual(Array.from({ length: 10 }, (_, k) => `G${10_009 - k}`));
  });
});
