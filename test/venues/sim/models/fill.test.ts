import { describe, expect, it } from 'vitest';
import { LookupError } from '../../../../src/model/errors.ts';
import { FillAtTouch, FillOnTradeThrough, QueuePositionFill, type RestingLimit } from '../../../../src/venues/sim/models/fill.ts';
import { expectError, px, qty } from './fixtures.ts';

/** A resting BUY 2 BTC @ 30,000.00 (or as overridden). */
const order = (o: Partial<{ id: string; side: 'BUY' | 'SELL'; price: string; leaves: string }> = {}): RestingLimit => ({
  id: o.id ?? 'O-1',
  side: o.side ?? 'BUY',
  price: px(o.price ?? '30000.00'),
  leavesQty: qty(o.leaves ?? '2'),
});
const print = (price: string, size?: string) => ({ price: px(price), ...(size !== undefined && { qty: qty(size) }) });

describe('FillAtTouch(probability)', () => {
  it('probability 1: a buy @ 30,000.00 fills its 2 BTC on a print at 30,000.00, not at 30,000.01', () => {
    const m = new FillAtTouch(1, 1);
    expect(m.onPrint(order(), print('30000.00')).toString()).toBe('2.00000');
    expect(m.onPrint(order(), print('30000.01')).isZero()).toBe(true);
  });

  it('probability 0: never fills on a touch, always fills through (buy on 29,999.99, sell on 30,000.01)', () => {
    const m = new FillAtTouch(0, 1);
    expect(m.onPrint(order(), print('30000.00')).isZero()).toBe(true);
    expect(m.onPrint(order(), print('29999.99')).toString()).toBe('2.00000');
    expect(m.onPrint(order({ side: 'SELL' }), print('30000.01')).toString()).toBe('2.00000');
    expect(m.onPrint(order({ side: 'SELL' }), print('29999.99')).isZero()).toBe(true);
  });

  it('probability 0.3, seed 5: the same 200 touches fill the same way twice, about 30 % of them (60 ± 20)', () => {
    const run = (seed: number) => {
      const m = FillAtTouch.fromConfig({ probability: 0.3, seed });
      return Array.from({ length: 200 }, () => !m.onPrint(order(), print('30000.00')).isZero());
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    const fills = run(5).filter(Boolean).length;
    expect(Math.abs(fills - 60)).toBeLessThanOrEqual(20);
  });

  it('refuses probability 1.5 and a missing seed (INVALID_FIELD naming each)', () => {
    expectError(() => FillAtTouch.fromConfig({ probability: 1.5, seed: 1 }), 'INVALID_FIELD', { field: 'probability' });
    expectError(() => FillAtTouch.fromConfig({ probability: 0.5 }), 'INVALID_FIELD', { field: 'seed' });
  });
});

describe('FillOnTradeThrough', () => {
  const m = new FillOnTradeThrough();
  it('a buy @ 30,000.00 does not fill at 30,000.00, fills at 29,999.99', () => {
    expect(m.onPrint(order(), print('30000.00')).isZero()).toBe(true);
    expect(m.onPrint(order(), print('29999.99')).toString()).toBe('2.00000');
  });
  it('a sell @ 30,000.00 does not fill at 30,000.00 nor below, fills at 30,000.01', () => {
    expect(m.onPrint(order({ side: 'SELL' }), print('30000.00')).isZero()).toBe(true);
    expect(m.onPrint(order({ side: 'SELL' }), print('29000.00')).isZero()).toBe(true);
    expect(m.onPrint(order({ side: 'SELL' }), print('30000.01')).toString()).toBe('2.00000');
  });
});

describe('queue position', () => {
  it('joins behind 5 BTC: 3 BTC at the price → nothing (2 ahead); 3 more → 1 BTC of ours fills; then 4 more → the last 1', () => {
    const m = new QueuePositionFill();
    m.join(order(), qty('5'));
    expect(m.onPrint(order(), print('30000.00', '3')).isZero()).toBe(true);
    expect(m.queueAhead('O-1').toString()).toBe('2.00000');
    expect(m.onPrint(order(), print('30000.00', '3')).toString()).toBe('1.00000');
    expect(m.onPrint(order({ leaves: '1' }), print('30000.00', '4')).toString()).toBe('1.00000');
  });

  it('volume exactly equal to the queue ahead (5 of 5) fills nothing: it must exceed it', () => {
    const m = new QueuePositionFill();
    m.join(order(), qty('5'));
    expect(m.onPrint(order(), print('30000.00', '5')).isZero()).toBe(true);
    expect(m.onPrint(order(), print('30000.00', '0.5')).toString()).toBe('0.50000');
  });

  it('a print through the price fills all leaves whatever the queue; prints away or without size move nothing', () => {
    const m = new QueuePositionFill();
    m.join(order(), qty('100'));
    expect(m.onPrint(order(), print('30000.01', '50')).isZero()).toBe(true);
    expect(m.onPrint(order(), print('30000.00')).isZero()).toBe(true);
    expect(m.queueAhead('O-1').toString()).toBe('100.00000');
    expect(m.onPrint(order(), print('29999.99', '0.1')).toString()).toBe('2.00000');
  });

  it('cancellations ahead shrink the queue: 5 ahead, 4 canceled, a 1.5 BTC print fills 0.5 of ours', () => {
    const m = new QueuePositionFill();
    m.join(order(), qty('5'));
    m.reduceAhead('O-1', qty('4'));
    expect(m.onPrint(order(), print('30000.00', '1.5')).toString()).toBe('0.50000');
  });

  it('an order that never joined, or has left, is UNKNOWN_ORDER', () => {
    const m = new QueuePositionFill();
    expectError(() => m.onPrint(order(), print('30000.00', '1')), 'UNKNOWN_ORDER', { orderId: 'O-1' });
    m.join(order());
    m.leave('O-1');
    const e = expectError(() => m.queueAhead('O-1'), 'UNKNOWN_ORDER');
    expect(e).toBeInstanceOf(LookupError);
  });
});
