import { describe, expect, it } from 'vitest';
import { ValidationError, type ErrorCode } from '../../../../src/model/errors.ts';
import { OrderBook, type BookOrderRequest, type StpMode } from '../../../../src/venues/sim/book/index.ts';
import { buy, market } from './fixtures.ts';

function expectInvalid(act: () => unknown, code: ErrorCode, field: string): void {
  try {
    act();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).code).toBe(code);
    expect((e as ValidationError).context.field).toBe(field);
    return;
  }
  expect.fail(`expected ValidationError ${code} on ${field}`);
}

const bad = (patch: Record<string, unknown>, base: BookOrderRequest = buy('B', 100, 10)): BookOrderRequest =>
  ({ ...base, ...patch });

describe('input validation: ticks and lots are safe positive integers', () => {
  it.each([
    ['qty 1.5', { qty: 1.5 }, 'qty'],
    ['qty 0', { qty: 0 }, 'qty'],
    ['qty -3', { qty: -3 }, 'qty'],
    ['qty 2^53', { qty: 2 ** 53 }, 'qty'],
    ['qty "10"', { qty: '10' }, 'qty'],
    ['price NaN', { price: NaN }, 'price'],
    ['price Infinity', { price: Infinity }, 'price'],
    ['price 0', { price: 0 }, 'price'],
    ['price 99.5', { price: 99.5 }, 'price'],
    ['displayQty 0', { displayQty: 0 }, 'displayQty'],
    ['side "buy"', { side: 'buy' }, 'side'],
    ['type STOP', { type: 'STOP' }, 'type'],
    ['tif GTX', { tif: 'GTX' }, 'tif'],
    ['id ""', { id: '' }, 'id'],
    ['id 7', { id: 7 }, 'id'],
    ['owner 1', { owner: 1 }, 'owner'],
    ['postOnly "yes"', { postOnly: 'yes' }, 'postOnly'],
    ['GTD expireAt 1.5', { tif: 'GTD', expireAt: 1.5 }, 'expireAt'],
    ['GTD expireAt -1', { tif: 'GTD', expireAt: -1 }, 'expireAt'],
  ])('a submit with %s throws INVALID_FIELD naming the field and leaves the book empty', (_name, patch, field) => {
    const book = new OrderBook();
    expectInvalid(() => book.submit(bad(patch)), 'INVALID_FIELD', field);
    expect(book.size).toBe(0);
  });

  it('a LIMIT without price throws MISSING_PRICE; a MARKET with a price throws UNEXPECTED_PRICE', () => {
    const book = new OrderBook();
    expectInvalid(() => book.submit(bad({ price: undefined })), 'MISSING_PRICE', 'price');
    expectInvalid(() => book.submit(bad({ price: 100 }, market('M', 'BUY', 1))), 'UNEXPECTED_PRICE', 'price');
  });

  it('DAY and GTD without expireAt throw MISSING_EXPIRE_TIME; GTC with expireAt 5 throws INCOMPATIBLE_ORDER_OPTIONS', () => {
    const book = new OrderBook();
    expectInvalid(() => book.submit(bad({ tif: 'DAY' })), 'MISSING_EXPIRE_TIME', 'expireAt');
    expectInvalid(() => book.submit(bad({ tif: 'GTD' })), 'MISSING_EXPIRE_TIME', 'expireAt');
    expectInvalid(() => book.submit(bad({ expireAt: 5 })), 'INCOMPATIBLE_ORDER_OPTIONS', 'expireAt');
  });

  it('post-only and display quantity need a resting LIMIT: IOC, FOK and MARKET refuse them', () => {
    const book = new OrderBook();
    for (const tif of ['IOC', 'FOK'] as const) {
      expectInvalid(() => book.submit(bad({ tif, postOnly: true })), 'INCOMPATIBLE_ORDER_OPTIONS', 'postOnly');
      expectInvalid(() => book.submit(bad({ tif, displayQty: 2 })), 'INCOMPATIBLE_ORDER_OPTIONS', 'displayQty');
    }
    expectInvalid(() => book.submit(bad({ postOnly: true }, market('M', 'BUY', 1))), 'INCOMPATIBLE_ORDER_OPTIONS', 'postOnly');
    expectInvalid(() => book.submit(bad({ tif: 'DAY', expireAt: 5 }, market('M', 'BUY', 1))), 'INCOMPATIBLE_ORDER_OPTIONS', 'tif');
  });

  it('displayQty 11 over qty 10 is accepted: the order shows all 10 lots', () => {
    const book = new OrderBook();
    book.submit(bad({ displayQty: 11 }));
    expect(book.get('B')).toMatchObject({ remainingQty: 10, visibleQty: 10, displayQty: 11 });
  });

  it('modify with qty 0, price 1.5 or no change throws INVALID_FIELD and leaves the order as it was', () => {
    const book = new OrderBook();
    book.submit(buy('B', 100, 10));
    expectInvalid(() => book.modify('B', { qty: 0 }), 'INVALID_FIELD', 'qty');
    expectInvalid(() => book.modify('B', { price: 1.5 }), 'INVALID_FIELD', 'price');
    expectInvalid(() => book.modify('B', {}), 'INVALID_FIELD', 'change');
    expect(book.get('B')).toMatchObject({ price: 100, remainingQty: 10 });
  });

  it('expire(NaN), depth(-1) and an unknown STP mode throw INVALID_FIELD', () => {
    const book = new OrderBook();
    expectInvalid(() => book.expire(NaN), 'INVALID_FIELD', 'now');
    expectInvalid(() => book.depth(-1), 'INVALID_FIELD', 'levels');
    expectInvalid(() => new OrderBook({ stp: 'EXPIRE_MAKER' as StpMode }), 'INVALID_FIELD', 'stp');
  });
});
