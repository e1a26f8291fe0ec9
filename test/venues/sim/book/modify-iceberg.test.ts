import { describe, expect, it } from 'vitest';
import { OrderBook, type BookResult } from '../../../../src/venues/sim/book/index.ts';
import { buy, sell } from './fixtures.ts';

const trades = (r: BookResult): [string, number, number][] => r.fills.map((f) => [f.makerId, f.price, f.qty]);

describe('modify', () => {
  it('reducing A from 10 to 4 at 100 keeps A ahead of B: BUY 5 takes 4 from A then 1 from B', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 10));
    book.submit(sell('B', 100, 10));
    expect(book.modify('A', { qty: 4 })).toMatchObject({ outcome: 'RESTING', remainingQty: 4, fills: [] });
    expect(book.depth(1).asks).toEqual([[100, 14]]);
    expect(trades(book.submit(buy('T', 100, 5)))).toEqual([['A', 100, 4], ['B', 100, 1]]);
  });

  it('raising A from 4 to 10 at 100 sends it behind B: BUY 5 takes 5 from B', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 4));
    book.submit(sell('B', 100, 5));
    expect(book.modify('A', { qty: 10 })).toMatchObject({ outcome: 'RESTING', remainingQty: 10 });
    expect(trades(book.submit(buy('T', 100, 5)))).toEqual([['B', 100, 5]]);
    expect(book.get('A')?.remainingQty).toBe(10);
  });

  it('moving A from 101 to 100 queues it behind B already at 100', () => {
    const book = new OrderBook();
    book.submit(sell('A', 101, 3));
    book.submit(sell('B', 100, 3));
    expect(book.modify('A', { price: 100 }).outcome).toBe('RESTING');
    expect(book.depth(5).asks).toEqual([[100, 6]]);
    expect(book.orders('SELL').map((o) => o.id)).toEqual(['B', 'A']);
  });

  it('moving a bid of 10 from 99 to 100 against an ask of 4 @ 100 trades 4 and rests 6 @ 100', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 4));
    book.submit(buy('B', 99, 10));
    const r = book.modify('B', { price: 100 });
    expect(r).toMatchObject({ outcome: 'PARTIALLY_FILLED_RESTING', remainingQty: 6 });
    expect(r.fills).toEqual([{ takerId: 'B', makerId: 'S', price: 100, qty: 4, takerSide: 'BUY', makerOwner: undefined, takerOwner: undefined }]);
    expect(book.depth(5)).toEqual({ bids: [[100, 6]], asks: [] });
  });

  it('a modify that fills the whole order removes it: FILLED, size 0, id free again', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 10));
    book.submit(buy('B', 99, 3));
    expect(book.modify('B', { price: 100 })).toMatchObject({ outcome: 'FILLED', remainingQty: 0 });
    expect(book.get('B')).toBeUndefined();
    expect(book.size).toBe(1);
    expect(book.submit(buy('B', 90, 1)).outcome).toBe('RESTING');
  });

  it('modifying an unknown id is REJECTED with UNKNOWN_ORDER', () => {
    expect(new OrderBook().modify('nope', { qty: 3 })).toMatchObject({ outcome: 'REJECTED', rejectReason: 'UNKNOWN_ORDER', remainingQty: 0 });
  });

  it('a post-only bid moved from 99 to the 100 ask is rejected and stays 5 @ 99 at the front', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 4));
    book.submit(buy('P', 99, 5, { postOnly: true }));
    book.submit(buy('Q', 99, 5));
    expect(book.modify('P', { price: 100 })).toMatchObject({ outcome: 'REJECTED', rejectReason: 'POST_ONLY_WOULD_CROSS', remainingQty: 5 });
    expect(book.orders('BUY').map((o) => [o.id, o.price, o.remainingQty])).toEqual([['P', 99, 5], ['Q', 99, 5]]);
  });

  it('the same price and quantity changes nothing, not even priority', () => {
    const book = new OrderBook();
    book.submit(sell('A', 100, 4));
    book.submit(sell('B', 100, 4));
    book.modify('A', { qty: 4, price: 100 });
    expect(book.orders('SELL').map((o) => o.id)).toEqual(['A', 'B']);
  });

  it('reducing an iceberg of 10 showing 3 to 2 shows 2', () => {
    const book = new OrderBook();
    book.submit(sell('ICE', 100, 10, { displayQty: 3 }));
    book.modify('ICE', { qty: 2 });
    expect(book.get('ICE')).toMatchObject({ remainingQty: 2, visibleQty: 2, displayQty: 3 });
    expect(book.depth(1).asks).toEqual([[100, 2]]);
  });

  it('a re-queued iceberg of 20 showing 5 shows 5 at its new price', () => {
    const book = new OrderBook();
    book.submit(sell('ICE', 100, 10, { displayQty: 5 }));
    book.modify('ICE', { qty: 20, price: 101 });
    expect(book.depth(1).asks).toEqual([[101, 5]]);
    expect(book.get('ICE')).toMatchObject({ remainingQty: 20, visibleQty: 5 });
  });
});

describe('iceberg (display quantity)', () => {
  it('an ask of 10 showing 3 shows 3 lots in depth and 10 remaining in get', () => {
    const book = new OrderBook();
    book.submit(sell('ICE', 100, 10, { displayQty: 3 }));
    expect(book.depth(1).asks).toEqual([[100, 3]]);
    expect(book.get('ICE')).toMatchObject({ remainingQty: 10, visibleQty: 3, displayQty: 3 });
  });

  it('when its 3 visible lots trade it shows 3 more at the back, behind B that arrived later', () => {
    const book = new OrderBook();
    book.submit(sell('ICE', 100, 10, { displayQty: 3 }));
    book.submit(sell('B', 100, 4));
    expect(trades(book.submit(buy('T1', 100, 3)))).toEqual([['ICE', 100, 3]]);
    expect(book.orders('SELL').map((o) => [o.id, o.visibleQty, o.remainingQty])).toEqual([['B', 4, 4], ['ICE', 3, 7]]);
    expect(trades(book.submit(buy('T2', 100, 5)))).toEqual([['B', 100, 4], ['ICE', 100, 1]]);
  });

  it('one taker of 8 against an iceberg of 10 showing 3 alone at 100 trades 3, 3 and 2', () => {
    const book = new OrderBook();
    book.submit(sell('ICE', 100, 10, { displayQty: 3 }));
    const r = book.submit(buy('T', 100, 8));
    expect(trades(r)).toEqual([['ICE', 100, 3], ['ICE', 100, 3], ['ICE', 100, 2]]);
    expect(book.get('ICE')).toMatchObject({ remainingQty: 2, visibleQty: 1 });
  });

  it('the last slice of an iceberg of 10 showing 4 is 2 lots: shows 4, 4, then 2', () => {
    const book = new OrderBook();
    book.submit(sell('ICE', 100, 10, { displayQty: 4 }));
    const shown: number[] = [];
    for (let i = 0; i < 3; i++) {
      shown.push(book.depth(1).asks[0]![1]);
      book.submit(buy(`T${i}`, 100, 4, { tif: 'IOC' }));
    }
    expect(shown).toEqual([4, 4, 2]);
    expect(book.size).toBe(0);
  });

  it('an iceberg that partly fills as a taker rests its rest showing the display size: BUY 10 showing 2 after 3 trade shows 2 of 7', () => {
    const book = new OrderBook();
    book.submit(sell('S', 100, 3));
    const r = book.submit(buy('ICE', 100, 10, { displayQty: 2 }));
    expect(r).toMatchObject({ outcome: 'PARTIALLY_FILLED_RESTING', remainingQty: 7 });
    expect(book.get('ICE')).toMatchObject({ remainingQty: 7, visibleQty: 2 });
    expect(book.depth(1).bids).toEqual([[100, 2]]);
  });
});
