import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/engine/engine.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { BTC, gateSetup, limit, marketBuy, type GateHarness } from './fixtures.ts';

/** BTC limits wide enough that only the limit under test can deny: order ≤ 5, position ≤ 1,000 BTC. */
const wide = { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '1000', max_position_notional: '100000000' };

const buys = (n: number, qty: string, extra: Partial<OrderRequest> = {}): OrderRequest[] =>
  Array.from({ length: n }, (_, i) => limit(`L-${i + 1}`, 'BUY', qty, '24000.00', extra));

async function submitList(h: GateHarness, orders: readonly OrderRequest[]): Promise<CommandResult> {
  return h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'LIST-1', orders });
}

/** The orders denied by their own check, as journaled (the others carry "order list denied: <first> ..."). */
function ownDenials(r: CommandResult): [string, string][] {
  return r.records.flatMap((x) => (x.event.kind === 'OrderDenied' && !x.event.reason.startsWith('order list denied') ? [[x.event.clientOrderId, x.event.code] as [string, string]] : []));
}

/** The whole list was denied, nothing reached the venue and nothing is left working or locked. */
function expectAllDenied(h: GateHarness, r: CommandResult, n: number, first: string, code: string): void {
  expect(r.orders.map((o) => o.status)).toEqual(Array.from({ length: n }, () => 'DENIED'));
  expect(r.denied).toHaveLength(n);
  expect(ownDenials(r)[0]).toEqual([first, code]);
  const passed = r.records.flatMap((x) => (x.event.kind === 'OrderDenied' && x.event.reason.startsWith('order list denied') ? [x.event] : []));
  for (const d of passed) expect([d.code, d.reason.slice(0, `order list denied: ${first} `.length)]).toEqual([code, `order list denied: ${first} `]);
  expect(h.venue.calls).toEqual([]);
  expect(h.gate.openOrderCount).toBe(0);
  expect(h.gate.aggregates().every((a) => a.workingBuy === '0.000' && a.openOrders === 0)).toBe(true);
}

describe('an order list is checked order by order, each counting the orders before it (issue 11 item 2)', () => {
  it('the issue: 40 × BUY 5 with a position max of 10, 3 open orders and 5 submits/s: L-3..L-5 over the position, L-6.. over the throttle, nothing sent', async () => {
    const over = { instruments: { [BTC]: { ...wide, max_position_quantity: '10', max_open_orders: 3 } }, throttles: { submit: { per_second: 5 } } };
    const h = await gateSetup(over);
    const r = await submitList(h, buys(40, '5'));
    const expected = [3, 4, 5].map((i) => [`L-${i}`, 'MAX_POSITION_QUANTITY_EXCEEDED']);
    for (let i = 6; i <= 40; i++) expected.push([`L-${i}`, 'RATE_LIMIT_EXCEEDED']);
    expect(ownDenials(r)).toEqual(expected);
    expectAllDenied(h, r, 40, 'L-3', 'MAX_POSITION_QUANTITY_EXCEEDED');
    // And with ACC-2's 50,000 USDT the first BUY 5 (120,120 USDT) is already short of cash.
    const h2 = await gateSetup(over);
    const r2 = await submitList(h2, buys(40, '5', { accountId: 'ACC-2' }));
    expectAllDenied(h2, r2, 40, 'L-1', 'INSUFFICIENT_BUYING_POWER');
  });

  it('max position 10: 5 + 5 pass, the third BUY 5 (worst case 15) is MAX_POSITION_QUANTITY_EXCEEDED', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { ...wide, max_position_quantity: '10' } } });
    const r = await submitList(h, buys(40, '5'));
    expect(ownDenials(r)[0]).toEqual(['L-3', 'MAX_POSITION_QUANTITY_EXCEEDED']);
    expect(r.denied.find((d) => d.clientOrderId === 'L-3')?.reason).toContain('worst-case position 15.000');
    expectAllDenied(h, r, 40, 'L-3', 'MAX_POSITION_QUANTITY_EXCEEDED');
  });

  it('max 3 open orders: the fourth order of the list is MAX_OPEN_ORDERS_EXCEEDED (3 + 1 > 3)', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { ...wide, max_open_orders: 3 } } });
    const r = await submitList(h, buys(40, '0.1'));
    expect(ownDenials(r)[0]).toEqual(['L-4', 'MAX_OPEN_ORDERS_EXCEEDED']);
    expectAllDenied(h, r, 40, 'L-4', 'MAX_OPEN_ORDERS_EXCEEDED');
  });

  it('an account maximum of 2 open orders with one already working: the second order of the list is denied', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide }, accounts: { 'ACC-1': { max_open_orders: 2 } } });
    await h.engine.submitOrder(limit('W-1', 'BUY', '0.1', '23000.00'));
    const r = await submitList(h, buys(3, '0.1'));
    expect(ownDenials(r)[0]).toEqual(['L-2', 'MAX_OPEN_ORDERS_EXCEEDED']);
    expect(r.denied.find((d) => d.clientOrderId === 'L-2')?.reason).toContain('has 2 open orders');
  });

  it('5 submits per second: the sixth order of the list is RATE_LIMIT_EXCEEDED, and all 40 attempts count afterwards', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide }, throttles: { submit: { per_second: 5 } } });
    const r = await submitList(h, buys(40, '0.1'));
    expect(ownDenials(r)[0]).toEqual(['L-6', 'RATE_LIMIT_EXCEEDED']);
    expect(r.denied.find((d) => d.clientOrderId === 'L-6')?.reason).toContain('6 per second exceeds 5');
    expectAllDenied(h, r, 40, 'L-6', 'RATE_LIMIT_EXCEEDED');
    expect(h.gate.rate('submit', 's1').second).toBe(40);
  });

  it('5 per second with 3 sent singly this second: a list of 3 is denied at its third order', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide }, throttles: { submit: { per_second: 5 } } });
    for (const o of buys(3, '0.1', { price: '23000.00' }).map((o, i) => ({ ...o, clientOrderId: `S-${i}` }))) await h.engine.submitOrder(o);
    const r = await submitList(h, buys(3, '0.2'));
    expect(ownDenials(r)[0]).toEqual(['L-3', 'RATE_LIMIT_EXCEEDED']);
  });

  it('cash: ACC-2 holds 50,000 USDT; BUY 0.5 @ 24,000 needs 12,012 each; the fifth (60,060) is INSUFFICIENT_BUYING_POWER', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide } });
    const r = await submitList(h, buys(40, '0.5', { accountId: 'ACC-2' }));
    expect(ownDenials(r)[0]).toEqual(['L-5', 'INSUFFICIENT_BUYING_POWER']);
    // 50,000 − 4 × 12,012 = 1,952 free for the fifth.
    expect(r.denied.find((d) => d.clientOrderId === 'L-5')?.reason).toContain('has 1952.00000000 USDT free');
    expectAllDenied(h, r, 40, 'L-5', 'INSUFFICIENT_BUYING_POWER');
    expect(h.engine.portfolio.account('ACC-2' as never).balance(Currencies.USDT).locked.raw).toBe(0n);
  });

  it('cash: market buys lock nothing at the venue, yet in a list each counts at the reference price (fifth BUY 0.5 denied)', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide } });
    h.market.last = undefined;
    const orders = Array.from({ length: 5 }, (_, i) => marketBuy(`M-${i + 1}`, '0.5', { accountId: 'ACC-2' }));
    const r = await submitList(h, orders);
    expect(ownDenials(r)).toEqual([['M-5', 'INSUFFICIENT_BUYING_POWER']]);
  });

  it('four BUY 0.5 of ACC-2 (48,048 USDT) pass as one list, and lock what they need', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide } });
    const r = await submitList(h, buys(4, '0.5', { accountId: 'ACC-2' }));
    expect(r.denied).toEqual([]);
    expect(h.venue.calls.map((c) => c.clientOrderId)).toEqual(['L-1', 'L-2', 'L-3', 'L-4']);
    expect(h.gate.aggregates()).toContainEqual({ account: 'ACC-2', instrument: BTC, position: '0.000', workingBuy: '2.000', workingSell: '0.000', openOrders: 4 });
  });

  it('duplicate window 10 s: the second of two identical orders in one list is DUPLICATE_ORDER', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide }, duplicate_window_ms: 10_000 });
    const r = await submitList(h, buys(2, '0.1'));
    expect(ownDenials(r)).toEqual([['L-2', 'DUPLICATE_ORDER']]);
    // With no window, the same list passes.
    const h2 = await gateSetup({ instruments: { [BTC]: wide } });
    expect((await submitList(h2, buys(2, '0.1'))).denied).toEqual([]);
  });

  it('reduce-only: two SELL 6 reduce-only over a long 10 BTC: the second would flip the position', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { ...wide, max_order_quantity: '10', max_order_notional: '1000000' } } });
    h.market.last = '24000.00';
    await h.engine.submitOrder(marketBuy('B-1', '10'));
    const orders = [limit('R-1', 'SELL', '6', '24100.00', { reduceOnly: true }), limit('R-2', 'SELL', '6', '24200.00', { reduceOnly: true })];
    const r = await submitList(h, orders);
    expect(ownDenials(r)).toEqual([['R-2', 'REDUCE_ONLY_WOULD_INCREASE']]);
  });

  it('self-trade prevention: a BUY @ 24,010 after a SELL @ 24,000 in the same list would cross it', async () => {
    const h = await gateSetup({ instruments: { [BTC]: wide }, self_trade_prevention: true });
    const r = await submitList(h, [limit('S-1', 'SELL', '0.1', '24000.00'), limit('B-1', 'BUY', '0.1', '24010.00')]);
    expect(ownDenials(r)).toEqual([['B-1', 'SELF_TRADE']]);
  });

  it('OCO legs are alternatives: a reduce-only take-profit and stop over the whole position both pass', async () => {
    const big = { ...wide, max_order_quantity: '10', max_order_notional: '1000000' };
    const h = await gateSetup({ instruments: { [BTC]: big } });
    h.market.last = '24000.00';
    await h.engine.submitOrder(marketBuy('B-1', '10'));
    const common = { reduceOnly: true, contingency: 'OCO' as const };
    const tp: OrderRequest = { ...limit('TP', 'SELL', '10', '25000.00'), ...common, linkedOrderIds: ['SL'] };
    const sl: OrderRequest = { clientOrderId: 'SL', accountId: 'ACC-1', strategyId: 's1', instrumentId: BTC, side: 'SELL', type: 'STOP_MARKET', quantity: '10', triggerPrice: '23000.00', ...common, linkedOrderIds: ['TP'] };
    const r = await submitList(h, [tp, sl]);
    expect(r.denied).toEqual([]);
    // Without the link the same two are a flip: the second is denied.
    const h2 = await gateSetup({ instruments: { [BTC]: big } });
    h2.market.last = '24000.00';
    await h2.engine.submitOrder(marketBuy('B-1', '10'));
    const r2 = await submitList(h2, [limit('TP', 'SELL', '10', '25000.00', { reduceOnly: true }), limit('SL', 'SELL', '10', '25100.00', { reduceOnly: true })]);
    expect(ownDenials(r2)).toEqual([['SL', 'REDUCE_ONLY_WOULD_INCREASE']]);
  });

  it('a denied list leaves the gate figures exactly as before it; a passed list counts once, from its events', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { ...wide, max_position_quantity: '10' } } });
    await h.engine.submitOrder(limit('W-1', 'BUY', '1', '23000.00'));
    const before = h.gate.aggregates();
    await submitList(h, buys(3, '5'));
    expect(h.gate.aggregates()).toEqual(before);
    const r = await submitList(h, buys(3, '3', { price: '23900.00' }).map((o, i) => ({ ...o, clientOrderId: `P-${i}` })));
    expect(r.denied).toEqual([]);
    expect(h.gate.aggregates()).toContainEqual({ account: 'ACC-1', instrument: BTC, position: '0.000', workingBuy: '10.000', workingSell: '0.000', openOrders: 4 });
  });
});
