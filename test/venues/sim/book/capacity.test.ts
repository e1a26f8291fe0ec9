import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/venues/sim/book/index.ts';
import { buy, sell } from './fixtures.ts';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1 = 9,007,199,254,740,991

describe('book capacity: lots resting in the book never pass 2^53 − 1, so every sum of them is exact', () => {
  it('S1 of 2^53 − 1 lots rests; S2 of 2 lots at the same price is refused CAPACITY_EXCEEDED (the level would read 2^53 + 1)', () => {
    const book = new OrderBook();
    expect(book.submit(sell('S1', 100, MAX)).outcome).toBe('RESTING');
    const r = book.submit(sell('S2', 100, 2));
    expect(r).toMatchObject({ outcome: 'REJECTED', rejectReason: 'CAPACITY_EXCEEDED', remainingQty: 2 });
    expect(book.depth(1).asks).toEqual([[100, MAX]]);
  });

  it('the other side counts too: a bid of 1 lot is refused next to 2^53 − 1 resting asks', () => {
    const book = new OrderBook();
    book.submit(sell('S1', 100, MAX));
    expect(book.submit(buy('B1', 99, 1)).rejectReason).toBe('CAPACITY_EXCEEDED');
  });

  it('an IOC never rests, so it is not refused: BUY 2^53 − 1 IOC @ 100 takes S1 in full, exactly', () => {
    const book = new OrderBook();
    book.submit(sell('S1', 100, MAX - 5));
    const r = book.submit(buy('B1', 100, MAX, { tif: 'IOC' }));
    expect(r.fills.map((f) => f.qty)).toEqual([MAX - 5]);
    expect(r.remainingQty).toBe(5);
    expect(book.size).toBe(0);
  });

  it('lots freed by fills, cancels and a shrinking modify can be used again', () => {
    const book = new OrderBook();
    book.submit(sell('S1', 100, MAX - 10));
    book.submit(buy('B1', 100, 4, { tif: 'IOC' })); // S1 now MAX − 14
    expect(book.submit(sell('S2', 101, 14)).outcome).toBe('RESTING');
    expect(book.submit(sell('S3', 101, 1)).rejectReason).toBe('CAPACITY_EXCEEDED');
    book.modify('S2', { qty: 10 });
    expect(book.submit(sell('S3', 101, 4)).outcome).toBe('RESTING');
    book.cancel('S1');
    expect(book.submit(sell('S4', 102, MAX - 14)).outcome).toBe('RESTING');
  });

  it('a modify that would grow past the capacity is refused and leaves the order as it was', () => {
    const book = new OrderBook();
    book.submit(sell('S1', 100, MAX - 1));
    book.submit(sell('S2', 101, 1));
    const r = book.modify('S2', { qty: 2 });
    expect(r).toMatchObject({ outcome: 'REJECTED', rejectReason: 'CAPACITY_EXCEEDED', remainingQty: 1 });
    expect(book.get('S2')?.remainingQty).toBe(1);
  });
});
