import { describe, expect, it } from 'vitest';
import { OrderBook, type BookResult } from '../../../../src/venues/sim/book/index.ts';
import { buy, market, sell } from './fixtures.ts';

/** [makerId, price, qty] of each fill, in order. */
const trades = (r: BookResult): [string, number, number][] => r.fills.map((f) => [f.makerId, f.price, f.qty]);

describe('price-time priority', () => {
  it('two sells at 100 fill in arrival order: BUY 5 @ 100 takes 3 from S1, then 2 from S2', () => {
    const book = new OrderBook();
    book.submit(sell('S1', 100, 3));
    book.submit(sell('S2', 100, 4));
    const r = book.submit(buy('B1', 100, 5));
    expect(r.outcome).toBe('FILLED');
    expect(trades(r)).toEqual([['S1', 100, 3], ['S2', 100, 2]]);
    expect(book.get('S1')).toBeUndefined();
    expect(book.get('S2')?.remainingQty).toBe(2);
  });

  it('the better price trades first: asks 101 (older) and 100 (newer), BUY 4 @ 105 takes the 100 first', () => {
    const book = new OrderBook();
    book.submit(sell('S101', 101, 2));
    book.submit(sell('S100', 100, 2));
    expect(trades(book.submit(buy('B', 105, 4)))).toEqual([['S100', 100, 2], ['S101', 101, 2]]);
  });

  it('trades at the maker price: SELL 3 @ 95 against a bid at 100 fills at 100, not 95', () => {
    const book = new OrderBook();
    book.submit(buy('B', 100, 3));
    const r = book.submit(sell('S', 95, 3));
    expect(r.fills).toEqual([{ takerId: 'S', makerId: 'B', price: 100, qty: 3, takerSide: 'SELL', makerOwner: undefined, takerOwner: undefined }]);
  });

  it('a partly filled maker keeps the front: S1 10 @ 100 loses 4, S2 5 arrives, BUY 8 takes 6 from S1 and 2 from S2', () => {
    const book = new OrderBook();
    book.submit(sell('S1', 100, 10));
    book.submit(buy('B1', 100, 4));
    book.submit(sell('S2', 100, 5));
    expect(trades(book.submit(buy('B2', 100, 8)))).toEqual([['S1', 100, 6], ['S2', 100, 2]]);
  });

  it('a BUY 10 @ 99 below the 100 ask rests: RESTING 10, best bid 99, best ask 100', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 5));
    const r = book.submit(buy('B', 99, 10));
    expect(r).toMatchObject({ outcome: 'RESTING', remainingQty: 10, fills: [] });
    expect([book.bestBid(), book.bestAsk(), book.size]).toEqual([99, 100, 2]);
  });

  it('BUY 10 @ 101 against 4 @ 100 and 3 @ 101 fills 7 and rests 3 @ 101 (PARTIALLY_FILLED_RESTING)', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 4));
    book.submit(sell('B', 101, 3));
    book.submit(sell('C', 102, 9));
    const r = book.submit(buy('T', 101, 10));
    expect(r.outcome).toBe('PARTIALLY_FILLED_RESTING');
    expect(r.remainingQty).toBe(3);
    expect(trades(r)).toEqual([['A', 100, 4], ['B', 101, 3]]);
    expect(book.depth(5)).toEqual({ bids: [[101, 3]], asks: [[102, 9]] });
  });

  it('fills carry both owners and the taker side', () => {
    const book = new OrderBook();
    book.submit(buy('B', 100, 2, { owner: 'alice' }));
    const r = book.submit(sell('S', 100, 2, { owner: 'bob' }));
    expect(r.fills[0]).toMatchObject({ takerId: 'S', makerId: 'B', takerSide: 'SELL', makerOwner: 'alice', takerOwner: 'bob' });
  });
});

describe('IOC', () => {
  it('IOC BUY 10 @ 100 against 6 @ 100 fills 6, cancels 4, and nothing rests', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 6));
    const r = book.submit(buy('T', 100, 10, { tif: 'IOC' }));
    expect(r).toMatchObject({ outcome: 'CANCELED', remainingQty: 4 });
    expect(trades(r)).toEqual([['S', 100, 6]]);
    expect(book.size).toBe(0);
    expect(book.bestBid()).toBeUndefined();
  });

  it('IOC BUY 5 @ 99 under the 100 ask is CANCELED with no fills and 5 remaining', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 6));
    expect(book.submit(buy('T', 99, 5, { tif: 'IOC' }))).toMatchObject({ outcome: 'CANCELED', fills: [], remainingQty: 5 });
    expect(book.size).toBe(1);
  });
});

describe('FOK', () => {
  it('FOK BUY 10 @ 101 fills in full from 6 @ 100 and 4 of 5 @ 101', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 6));
    book.submit(sell('B', 101, 5));
    const r = book.submit(buy('T', 101, 10, { tif: 'FOK' }));
    expect(r.outcome).toBe('FILLED');
    expect(trades(r)).toEqual([['A', 100, 6], ['B', 101, 4]]);
  });

  it('FOK BUY 12 @ 101 with 11 available up to 101 is rejected FOK_CANNOT_FILL and changes nothing', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 6));
    book.submit(sell('B', 101, 5));
    book.submit(sell('C', 102, 50));
    const r = book.submit(buy('T', 101, 12, { tif: 'FOK' }));
    expect(r).toMatchObject({ outcome: 'REJECTED', rejectReason: 'FOK_CANNOT_FILL', fills: [], remainingQty: 12 });
    expect(book.depth(3).asks).toEqual([[100, 6], [101, 5], [102, 50]]);
  });

  it('FOK counts hidden iceberg lots: an ask of 10 showing 2 fills a FOK BUY of 8', () => {
    const book = new OrderBook();
    book.submit(sell('ICE', 100, 10, { displayQty: 2 }));
    const r = book.submit(buy('T', 100, 8, { tif: 'FOK' }));
    expect(r.outcome).toBe('FILLED');
    expect(r.fills.map((f) => f.qty)).toEqual([2, 2, 2, 2]);
  });

  it('a FOK market BUY 10 against 9 lots of asks is rejected; a FOK market BUY 9 fills', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 4));
    book.submit(sell('B', 120, 5));
    expect(book.submit(market('M1', 'BUY', 10, { tif: 'FOK' })).rejectReason).toBe('FOK_CANNOT_FILL');
    expect(book.submit(market('M2', 'BUY', 9, { tif: 'FOK' })).outcome).toBe('FILLED');
    expect(book.size).toBe(0);
  });
});

describe('post-only', () => {
  it('a post-only BUY 5 @ 99 under the 100 ask rests', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 5));
    expect(book.submit(buy('P', 99, 5, { postOnly: true })).outcome).toBe('RESTING');
    expect(book.get('P')?.postOnly).toBe(true);
  });

  it('a post-only BUY 5 @ 100 at the 100 ask is rejected POST_ONLY_WOULD_CROSS and the ask keeps 5', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 5));
    expect(book.submit(buy('P', 100, 5, { postOnly: true }))).toMatchObject({ outcome: 'REJECTED', rejectReason: 'POST_ONLY_WOULD_CROSS', fills: [] });
    expect(book.depth(1)).toEqual({ bids: [], asks: [[100, 5]] });
  });

  it('a post-only SELL 5 @ 101 above the 100 bid rests; @ 100 it is rejected', () => {
    const book = new OrderBook();
    book.submit(buy('B', 100, 5));
    expect(book.submit(sell('P1', 101, 5, { postOnly: true })).outcome).toBe('RESTING');
    expect(book.submit(sell('P2', 100, 5, { postOnly: true })).rejectReason).toBe('POST_ONLY_WOULD_CROSS');
  });
});

describe('market orders', () => {
  it('a market BUY 12 sweeps 5 @ 100, 4 @ 101 and 3 of 6 @ 102, leaving 3 @ 102', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 5));
    book.submit(sell('B', 101, 4));
    book.submit(sell('C', 102, 6));
    const r = book.submit(market('M', 'BUY', 12));
    expect(r).toMatchObject({ outcome: 'FILLED', remainingQty: 0 });
    expect(trades(r)).toEqual([['A', 100, 5], ['B', 101, 4], ['C', 102, 3]]);
    expect(book.depth(5).asks).toEqual([[102, 3]]);
  });

  it('a market SELL 10 against 4 lots of bids fills 4, cancels 6 and never rests', () => {
    const book = new OrderBook();
    book.submit(buy('A', 100, 1));
    book.submit(buy('B', 90, 3));
    const r = book.submit(market('M', 'SELL', 10, { tif: 'GTC' }));
    expect(r).toMatchObject({ outcome: 'CANCELED', remainingQty: 6 });
    expect(trades(r)).toEqual([['A', 100, 1], ['B', 90, 3]]);
    expect([book.size, book.bestAsk(), book.bestBid()]).toEqual([0, undefined, undefined]);
  });

  it('a market BUY 10 on an empty book is CANCELED with 10 remaining and no fills', () => {
    expect(new OrderBook().submit(market('M', 'BUY', 10))).toMatchObject({ outcome: 'CANCELED', fills: [], remainingQty: 10 });
  });
});

describe('cancel', () => {
  it('canceling the only order at 100 empties the level: best ask moves from 100 to 101', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 5));
    book.submit(sell('B', 101, 5));
    expect(book.cancel('A')).toBe(true);
    expect([book.bestAsk(), book.size]).toEqual([101, 1]);
  });

  it('canceling the middle of three orders at 100 keeps the other two in arrival order', () => {
    const book = new OrderBook();
    for (const id of ['A', 'B', 'C']) book.submit(sell(id, 100, 2));
    book.cancel('B');
    expect(trades(book.submit(buy('T', 100, 4)))).toEqual([['A', 100, 2], ['C', 100, 2]]);
  });

  it('canceling an unknown or already filled id returns false', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 5));
    book.submit(buy('B', 100, 5));
    expect(book.cancel('A')).toBe(false);
    expect(book.cancel('nope')).toBe(false);
  });
});

describe('ids', () => {
  it('a second submit with the id of a resting order is rejected DUPLICATE_ID and leaves the first as it was', () => {
    const book = new OrderBook();
    book.submit(buy('X', 100, 5));
    expect(book.submit(sell('X', 101, 7))).toMatchObject({ outcome: 'REJECTED', rejectReason: 'DUPLICATE_ID', remainingQty: 7 });
    expect(book.get('X')).toMatchObject({ side: 'BUY', price: 100, remainingQty: 5 });
  });

  it('an id may be used again once its order has left the book', () => {
    const book = new OrderBook();
    book.submit(buy('X', 100, 5));
    book.cancel('X');
    expect(book.submit(sell('X', 101, 7)).outcome).toBe('RESTING');
  });
});

describe('depth, get and size', () => {
  it('depth(2) lists the 2 best levels per side, best first, summing orders at one price', () => {
    const book = new OrderBook();
    book.submit(buy('B1', 98, 1));
    book.submit(buy('B2', 99, 2));
    book.submit(buy('B3', 99, 3));
    book.submit(buy('B4', 97, 4));
    book.submit(sell('S1', 102, 5));
    book.submit(sell('S2', 101, 6));
    expect(book.depth(2)).toEqual({ bids: [[99, 5], [98, 1]], asks: [[101, 6], [102, 5]] });
    expect(book.depth(0)).toEqual({ bids: [], asks: [] });
    expect(book.size).toBe(6);
  });

  it('get returns a copy: changing it does not change the book', () => {
    const book = new OrderBook();
    book.submit(buy('B', 99, 2, { owner: 'alice' }));
    const v = book.get('B')!;
    expect(v).toMatchObject({ id: 'B', side: 'BUY', price: 99, remainingQty: 2, visibleQty: 2, owner: 'alice', tif: 'GTC' });
    v.remainingQty = 50;
    expect(book.get('B')?.remainingQty).toBe(2);
  });

  it('orders(side) lists resting orders in matching order', () => {
    const book = new OrderBook();
    book.submit(sell('S1', 101, 1));
    book.submit(sell('S2', 100, 1));
    book.submit(sell('S3', 101, 1));
    expect(book.orders('SELL').map((o) => o.id)).toEqual(['S2', 'S1', 'S3']);
    expect(book.orders('BUY')).toEqual([]);
  });
});
