import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/engine/commands.ts';
import { WardenError } from '../../src/model/errors.ts';
import type { OrderRequest } from '../../src/model/orders/factory.ts';
import { MaxNotionalGate, T0, XRP_KRAKEN, limit, marketBuy, observe, settle, setup, type Harness } from './fixtures.ts';

/** Runs a command that must be refused with `code`, and checks that nothing at all changed. */
async function expectRefused(h: Harness, run: () => Promise<unknown>, code: string, field?: string): Promise<void> {
  const before = observe(h);
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WardenError);
  expect(err).toMatchObject({ code });
  if (field !== undefined) expect((err as WardenError).context.field).toBe(field);
  expect((err as WardenError).message.length).toBeGreaterThan(10);
  await settle();
  expect(observe(h)).toEqual(before);
  expect(h.alerts).toEqual([]);
  expect(h.engine.isStopped).toBe(false);
}

const L = (over: Record<string, unknown>): OrderRequest => ({ ...limit('BAD-1', 'BUY', '0.1', '24000.00'), ...over });

describe('bad order input is refused with a typed code before risk, and changes nothing', () => {
  const cases: [string, Record<string, unknown>, string, string | undefined][] = [
    ['quantity 0', { quantity: '0' }, 'NON_POSITIVE_QUANTITY', 'quantity'],
    ['quantity 0 as a number', { quantity: 0 }, 'NON_POSITIVE_QUANTITY', 'quantity'],
    ['quantity -0.5', { quantity: '-0.5' }, 'NEGATIVE_QUANTITY', 'quantity'],
    ['quantity NaN', { quantity: Number.NaN }, 'INVALID_NUMBER', 'quantity'],
    ['quantity Infinity', { quantity: Number.POSITIVE_INFINITY }, 'INVALID_NUMBER', 'quantity'],
    ["quantity 'abc'", { quantity: 'abc' }, 'INVALID_NUMBER', 'quantity'],
    ['quantity an object', { quantity: { amount: 1 } }, 'INVALID_NUMBER', 'quantity'],
    ['quantity 0.003, off the 0.005 lot grid', { quantity: '0.003' }, 'OFF_LOT_GRID', 'quantity'],
    ['quantity 0.1001, finer than the lot grid', { quantity: '0.1001' }, 'OFF_LOT_GRID', 'quantity'],
    ['price 0', { price: '0' }, 'NON_POSITIVE_PRICE', 'price'],
    ['price -100.00', { price: '-100.00' }, 'NON_POSITIVE_PRICE', 'price'],
    ['price NaN', { price: Number.NaN }, 'INVALID_NUMBER', 'price'],
    ['price 24000.03, off the 0.05 tick grid', { price: '24000.03' }, 'OFF_TICK_GRID', 'price'],
    ['price 24000.001, finer than the tick grid', { price: '24000.001' }, 'OFF_TICK_GRID', 'price'],
    ['a limit order without a price', { price: undefined }, 'MISSING_PRICE', 'price'],
    ['a market order with a price', { type: 'MARKET' }, 'UNEXPECTED_PRICE', 'price'],
    ["side 'HOLD'", { side: 'HOLD' }, 'INVALID_FIELD', 'side'],
    ["type 'ICEBERG_PLUS'", { type: 'ICEBERG_PLUS' }, 'INVALID_FIELD', 'type'],
    ["timeInForce 'FOREVER'", { timeInForce: 'FOREVER' }, 'INVALID_FIELD', 'timeInForce'],
    ["postOnly 'yes'", { postOnly: 'yes' }, 'INVALID_FIELD', 'postOnly'],
    ['GTD expiring 1 ms in the past', { timeInForce: 'GTD', expireTime: T0 - 1 }, 'EXPIRE_TIME_IN_PAST', 'expireTime'],
    ['GTD expiring exactly now', { timeInForce: 'GTD', expireTime: T0 }, 'EXPIRE_TIME_IN_PAST', 'expireTime'],
    ['GTD without expireTime', { timeInForce: 'GTD' }, 'MISSING_EXPIRE_TIME', 'expireTime'],
    ['unknown instrument DOGEUSDT.BINANCE', { instrumentId: 'DOGEUSDT.BINANCE' }, 'UNKNOWN_INSTRUMENT', undefined],
    ['unknown account ACC-404', { accountId: 'ACC-404' }, 'UNKNOWN_ACCOUNT', undefined],
    ['an instrument whose venue KRAKEN has no adapter', { instrumentId: XRP_KRAKEN, quantity: '100', price: '0.5000' }, 'UNKNOWN_VENUE', undefined],
    ['a client order id with a space', { clientOrderId: 'BAD 1' }, 'INVALID_IDENTIFIER', undefined],
  ];

  it.each(cases)('%s → %s', async (_name, over, code, field) => {
    const gate = new MaxNotionalGate(1_000_000_000);
    const h = await setup({ gate });
    await expectRefused(h, () => h.engine.submitOrder(L(over)), code, field);
    expect(gate.seen).toEqual([]); // refused before the risk gate
  });

  it('GTD expiring 1 ms after now is accepted (the boundary of the case above)', async () => {
    const h = await setup();
    const r = await h.engine.submitOrder(L({ timeInForce: 'GTD', expireTime: T0 + 1 }));
    expect(r.orders[0]?.status).toBe('ACCEPTED');
  });

  it('a null order is INVALID_FIELD naming the order', async () => {
    const h = await setup();
    await expectRefused(h, () => h.engine.submitOrder(null as unknown as OrderRequest), 'INVALID_FIELD', 'order');
  });

  it('a duplicate client order id is DUPLICATE_CLIENT_ORDER_ID, while the first is open and after it filled', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    await h.engine.submitOrder(marketBuy('O-1', '0.1'));
    await expectRefused(h, () => h.engine.submitOrder(limit('L-1', 'SELL', '0.2', '25000.00')), 'DUPLICATE_CLIENT_ORDER_ID');
    await expectRefused(h, () => h.engine.submitOrder(marketBuy('O-1', '0.1')), 'DUPLICATE_CLIENT_ORDER_ID');
    expect(h.engine.order('L-1')?.side).toBe('BUY');
  });

  it('a denied order id cannot be reused either', async () => {
    const h = await setup({ gate: new MaxNotionalGate(1_000) });
    const r = await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    expect(r.denied.map((d) => d.code)).toEqual(['MAX_ORDER_NOTIONAL_EXCEEDED']);
    await expectRefused(h, () => h.engine.submitOrder(limit('L-1', 'BUY', '0.01', '24000.00')), 'DUPLICATE_CLIENT_ORDER_ID');
  });
});

describe('bad cancels and modifies are refused and change nothing', () => {
  async function withOrders() {
    const h = await setup();
    await h.engine.submitOrder(marketBuy('FILLED-1', '0.5'));
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    h.venue.fill('L-1', '0.1', '24000.00');
    await settle();
    return h;
  }

  it('cancel of a FILLED order is ORDER_NOT_OPEN and reaches no venue', async () => {
    const h = await withOrders();
    await expectRefused(h, () => h.engine.cancelOrder('FILLED-1'), 'ORDER_NOT_OPEN');
  });

  it('cancel of a CANCELED order is ORDER_NOT_OPEN', async () => {
    const h = await withOrders();
    await h.engine.cancelOrder('L-1');
    await expectRefused(h, () => h.engine.cancelOrder('L-1'), 'ORDER_NOT_OPEN');
  });

  it('modify of a FILLED order is ORDER_NOT_OPEN', async () => {
    const h = await withOrders();
    await expectRefused(h, () => h.engine.modifyOrder('FILLED-1', { quantity: '1' }), 'ORDER_NOT_OPEN');
  });

  it('cancel and modify of an unknown order are UNKNOWN_ORDER', async () => {
    const h = await withOrders();
    await expectRefused(h, () => h.engine.cancelOrder('NOPE'), 'UNKNOWN_ORDER');
    await expectRefused(h, () => h.engine.modifyOrder('NOPE', { price: '1.00' }), 'UNKNOWN_ORDER');
  });

  it('modify to 0.05, below the 0.1 filled, is QUANTITY_BELOW_FILLED', async () => {
    const h = await withOrders();
    await expectRefused(h, () => h.engine.modifyOrder('L-1', { quantity: '0.05' }), 'QUANTITY_BELOW_FILLED', 'quantity');
  });

  it('modify to exactly the 0.1 filled is QUANTITY_BELOW_FILLED too (it would leave nothing to work)', async () => {
    const h = await withOrders();
    await expectRefused(h, () => h.engine.modifyOrder('L-1', { quantity: '0.1' }), 'QUANTITY_BELOW_FILLED', 'quantity');
  });

  const modifyCases: [string, Record<string, unknown>, string, string][] = [
    ['quantity off the lot grid (0.123)', { quantity: '0.123' }, 'OFF_LOT_GRID', 'quantity'],
    ['quantity NaN', { quantity: Number.NaN }, 'INVALID_NUMBER', 'quantity'],
    ['quantity -1', { quantity: '-1' }, 'NEGATIVE_QUANTITY', 'quantity'],
    ['price off the tick grid (24000.02)', { price: '24000.02' }, 'OFF_TICK_GRID', 'price'],
    ['price 0', { price: 0 }, 'NON_POSITIVE_PRICE', 'price'],
    ['a trigger price on a limit order', { triggerPrice: '23000.00' }, 'UNEXPECTED_PRICE', 'triggerPrice'],
    ['no change at all', {}, 'INVALID_FIELD', 'quantity'],
  ];
  it.each(modifyCases)('modify with %s → %s', async (_name, changes, code, field) => {
    const h = await withOrders();
    await expectRefused(h, () => h.engine.modifyOrder('L-1', changes), code, field);
  });

  it('modify of the price of a resting market order is UNEXPECTED_PRICE', async () => {
    const h = await setup();
    h.market.last = undefined; // market orders rest until filled by hand
    await h.engine.submitOrder(marketBuy('M-1', '0.1'));
    expect(h.engine.order('M-1')?.status).toBe('ACCEPTED');
    await expectRefused(h, () => h.engine.modifyOrder('M-1', { price: '24000.00' }), 'UNEXPECTED_PRICE', 'price');
  });

  it('CancelAllOrders with side HOLD is INVALID_FIELD naming side, not a silent no-op', async () => {
    const h = await withOrders();
    const cmd = { kind: 'CancelAllOrders', side: 'HOLD' } as unknown as Command;
    await expectRefused(h, () => h.engine.execute(cmd), 'INVALID_FIELD', 'side');
    expect(h.engine.order('L-1')?.status).toBe('PARTIALLY_FILLED');
  });

  it('a command of unknown kind is INVALID_FIELD naming kind', async () => {
    const h = await withOrders();
    const cmd = { kind: 'CancelEverythingNow' } as unknown as Command;
    await expectRefused(h, () => h.engine.execute(cmd), 'INVALID_FIELD', 'kind');
  });
});
