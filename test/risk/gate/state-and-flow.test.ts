import { describe, expect, it } from 'vitest';
import { FLATTEN_TAG as ENGINE_FLATTEN_TAG, RiskControl } from '../../../src/risk/control/risk-control.ts';
import type { OrderModifyRejected } from '../../../src/model/orders/events.ts';
import { FLATTEN_TAG } from '../../../src/risk/gate/index.ts';
import { expectAllowed, expectDenied, gateSetup, limit, marketBuy } from './fixtures.ts';

import type { Engine } from '../../../src/engine/engine.ts';
import { RISK_CONTROL } from '../../../src/engine/origin.ts';

const operator = (engine: Engine) => ({ operator: engine.authority.issue('ops', ['RISK']), reason: 'test' });

describe('trading state', () => {
  it('STRATEGY:s1 HALTED denies s1 (TRADING_HALTED), s2 still trades', async () => {
    const h = await gateSetup();
    await new RiskControl(h.engine).setTradingState('STRATEGY:s1', 'HALTED', operator(h.engine));
    const d = await expectDenied(h, limit('H-1', 'BUY', '0.1', '24000.00'), 'TRADING_HALTED');
    expect(d.context).toMatchObject({ limit: 'HALTED', actual: 'submit' });
    await expectAllowed(h, limit('H-2', 'BUY', '0.1', '24000.00', { strategyId: 's2' }));
  });

  it('HALTED denies even a reduce-only sell that is not a flatten order', async () => {
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '2'));
    await new RiskControl(h.engine).setTradingState('ACCOUNT:ACC-1', 'HALTED', operator(h.engine));
    await expectDenied(h, limit('S-1', 'SELL', '2', '24000.00', { reduceOnly: true }), 'TRADING_HALTED');
  });

  it('ACCOUNT REDUCING: a buy is TRADING_REDUCING, a sell of the 2 BTC long passes, a sell beyond it is denied', async () => {
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '2'));
    await new RiskControl(h.engine).setTradingState('ACCOUNT:ACC-1', 'REDUCING', operator(h.engine));
    await expectDenied(h, limit('B-1', 'BUY', '0.1', '24000.00'), 'TRADING_REDUCING');
    await expectAllowed(h, limit('S-1', 'SELL', '1.5', '24000.00'));
    // 1.5 working + 0.5 = 2: still within; 0.505 would flip.
    await expectDenied(h, limit('S-2', 'SELL', '0.505', '24000.00'), 'TRADING_REDUCING');
    await expectAllowed(h, limit('S-3', 'SELL', '0.5', '24000.00'));
  });

  it('kill switch: KILL_SWITCH_ENGAGED for new orders, its flatten order (tagged, reduce-only, within the position) reaches the venue', async () => {
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '2'));
    await new RiskControl(h.engine).engageKillSwitch({ operator: h.engine.authority.issue('ops', ['RISK']), reason: 'test', flatten: true });
    const flatten = h.venue.calls.filter((c) => c.clientOrderId.startsWith('FLAT-'));
    expect(flatten).toHaveLength(1);
    expect(h.engine.portfolio.openPositions()).toHaveLength(0);
    const d = await expectDenied(h, marketBuy('M-2', '0.1'), 'KILL_SWITCH_ENGAGED');
    expect(d.context.operator).toBe('ops');
  });

  it("risk control's flatten order (origin RISK_CONTROL) passes a halt only reduce-only and within the position of 2", async () => {
    expect(FLATTEN_TAG).toBe(ENGINE_FLATTEN_TAG);
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '2'));
    await new RiskControl(h.engine).setTradingState('FIRM', 'HALTED', operator(h.engine));
    const flat = (id: string, qty: string, side: 'BUY' | 'SELL', reduceOnly: boolean) => h.engine.submitOrder({ ...marketBuy(id, qty), side, reduceOnly, tags: [FLATTEN_TAG] }, RISK_CONTROL);
    expect((await flat('F-1', '2.005', 'SELL', true)).denied.map((d) => d.code)).toEqual(['TRADING_HALTED']);
    expect((await flat('F-2', '0.1', 'BUY', false)).denied.map((d) => d.code)).toEqual(['TRADING_HALTED']);
    expect((await flat('F-3', '2', 'SELL', true)).denied).toEqual([]);
    expect(h.venue.calls.filter((c) => c.clientOrderId === 'F-3' && c.kind === 'submit')).toHaveLength(1);
  });

  it('the flatten tag from anyone but risk control is refused (RESERVED_TAG) and journals nothing (issue 11 item 9)', async () => {
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '2'));
    await new RiskControl(h.engine).setTradingState('FIRM', 'HALTED', operator(h.engine));
    const before = h.journal.all().length;
    // Reduce-only and within the position, so before the fix the tag alone let it through the halt.
    await expect(h.engine.submitOrder({ ...marketBuy('F-4', '2'), side: 'SELL', reduceOnly: true, tags: [FLATTEN_TAG] })).rejects.toMatchObject({ code: 'RESERVED_TAG' });
    await expect(h.engine.submitOrder({ ...marketBuy('F-5', '2'), side: 'SELL', reduceOnly: true, tags: ['warden:anything'] })).rejects.toMatchObject({ code: 'RESERVED_TAG' });
    expect(h.journal.all()).toHaveLength(before);
    expect(h.venue.calls.filter((c) => c.kind === 'submit').map((c) => c.clientOrderId)).toEqual(['M-1']);
  });
});

describe('reduce-only', () => {
  it('flat: a reduce-only sell is REDUCE_ONLY_WOULD_INCREASE', async () => {
    const h = await gateSetup();
    await expectDenied(h, limit('R-1', 'SELL', '0.1', '24000.00', { reduceOnly: true }), 'REDUCE_ONLY_WOULD_INCREASE');
  });

  it('long 3: a reduce-only sell of 3 passes; with 1 already working, 2.005 would flip and is denied', async () => {
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '3'));
    await expectAllowed(h, limit('S-1', 'SELL', '1', '24100.00'));
    await expectDenied(h, limit('R-1', 'SELL', '2.005', '24000.00', { reduceOnly: true }), 'REDUCE_ONLY_WOULD_INCREASE');
    await expectAllowed(h, limit('R-2', 'SELL', '2', '24000.00', { reduceOnly: true }));
    await expectDenied(h, limit('R-3', 'BUY', '0.1', '24000.00', { reduceOnly: true }), 'REDUCE_ONLY_WOULD_INCREASE');
  });
});

describe('throttles (FAULTS 10)', () => {
  it('5 submits per second pass, the 6th is RATE_LIMIT_EXCEEDED; above 2x the strategy is flagged for a halt; the next second passes', async () => {
    const h = await gateSetup({ throttles: { submit: { per_second: 5 }, hard_limit_multiple: 2 } });
    for (let i = 1; i <= 5; i++) await expectAllowed(h, limit(`T-${i}`, 'BUY', '0.01', '24000.00'));
    const d6 = await expectDenied(h, limit('T-6', 'BUY', '0.01', '24000.00'), 'RATE_LIMIT_EXCEEDED');
    expect(d6.context).toMatchObject({ limit: 5, actual: 6, window: 'second', halt: false, scope: 'strategy' });
    expect(h.gate.hardLimitBreached('s1')).toBe(false);
    for (let i = 7; i <= 10; i++) await expectDenied(h, limit(`T-${i}`, 'BUY', '0.01', '24000.00'), 'RATE_LIMIT_EXCEEDED');
    const d11 = await expectDenied(h, limit('T-11', 'BUY', '0.01', '24000.00'), 'RATE_LIMIT_EXCEEDED');
    expect(d11.context).toMatchObject({ limit: 5, actual: 11, halt: true });
    expect(h.gate.hardLimitBreached('s1')).toBe(true);
    h.clock.advance(1_000);
    expect(h.gate.hardLimitBreached('s1', h.clock.now())).toBe(false);
    await expectAllowed(h, limit('T-12', 'BUY', '0.01', '24000.00'));
  });

  it('the account throttle covers all its strategies: s2 is denied after s1 used the account rate', async () => {
    const h = await gateSetup({ throttles: { submit: { per_minute: 3 } } });
    for (let i = 1; i <= 3; i++) await expectAllowed(h, limit(`T-${i}`, 'BUY', '0.01', '24000.00'));
    const d = await expectDenied(h, limit('U-1', 'BUY', '0.01', '24000.00', { strategyId: 's2' }), 'RATE_LIMIT_EXCEEDED');
    expect(d.context).toMatchObject({ window: 'minute', scope: 'account' });
    h.clock.advance(59_000); // the attempts of second 0 are still in the minute
    h.ref('BTCUSDT.BINANCE', '24000');
    await expectDenied(h, limit('U-2', 'BUY', '0.01', '24000.00', { strategyId: 's2' }), 'RATE_LIMIT_EXCEEDED');
    h.clock.advance(1_000); // second 0 has left the minute; U-2 (denied, but an attempt) is the one message in it
    h.ref('BTCUSDT.BINANCE', '24000');
    await expectAllowed(h, limit('U-3', 'BUY', '0.01', '24000.00', { strategyId: 's2' }));
  });

  it('modifies have their own throttle: 2 per second, the 3rd is rejected with RATE_LIMIT_EXCEEDED and never reaches the venue', async () => {
    const h = await gateSetup({ throttles: { modify: { per_second: 2 } } });
    await expectAllowed(h, limit('L-1', 'BUY', '1', '24000.00'));
    await h.engine.modifyOrder('L-1', { quantity: '0.9' });
    await h.engine.modifyOrder('L-1', { quantity: '0.8' });
    const r = await h.engine.modifyOrder('L-1', { quantity: '0.7' });
    expect(r.denied.map((d) => d.code)).toEqual(['RATE_LIMIT_EXCEEDED']);
    expect((h.journal.all().at(-1)?.event as OrderModifyRejected).reason).toMatch(/^RATE_LIMIT_EXCEEDED: /);
    expect(h.venue.calls.filter((c) => c.kind === 'modify')).toHaveLength(2);
    expect(h.gate.rate('modify', 's1')).toEqual({ second: 3, minute: 3, hour: 3 });
  });

  it('cancels are never denied, even far above the cancel throttle; they are counted', async () => {
    const h = await gateSetup({ throttles: { cancel: { per_second: 1 }, hard_limit_multiple: 2 } });
    for (let i = 1; i <= 4; i++) await expectAllowed(h, limit(`L-${i}`, 'BUY', '0.1', '24000.00'));
    for (let i = 1; i <= 4; i++) await h.engine.cancelOrder(`L-${i}`);
    expect(h.venue.calls.filter((c) => c.kind === 'cancel')).toHaveLength(4);
    expect(h.engine.state.openOrders.size).toBe(0);
    expect(h.gate.rate('cancel', 's1').second).toBe(4);
    expect(h.gate.hardLimitBreached('s1')).toBe(true);
  });
});

describe('modify', () => {
  it('a modify is held to the order size (4 → 5.005 denied, 4 → 5 passes) and its new size counts as working (5 + 5 = 10, then a new lot is denied)', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('L-1', 'BUY', '4', '24000.00'));
    await expectAllowed(h, limit('L-2', 'BUY', '5', '24000.00'));
    const r = await h.engine.modifyOrder('L-1', { quantity: '5.005' });
    expect(r.denied.map((d) => d.code)).toEqual(['MAX_ORDER_QUANTITY_EXCEEDED']);
    const r2 = await h.engine.modifyOrder('L-1', { quantity: '5' });
    expect(r2.denied).toEqual([]);
    await h.engine.modifyOrder('L-2', { quantity: '4.995' });
    expect(h.venue.calls.filter((c) => c.kind === 'modify')).toHaveLength(2);
    const r3 = await h.engine.modifyOrder('L-2', { quantity: '5.000' });
    expect(r3.denied).toEqual([]);
    await expectDenied(h, limit('L-3', 'BUY', '0.005', '24000.00'), 'MAX_POSITION_QUANTITY_EXCEEDED');
  });

  it('a modify that raises the worst case past the limit is rejected and the venue never sees it', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('L-1', 'BUY', '5', '24000.00'));
    await expectAllowed(h, limit('L-2', 'BUY', '4', '24000.00'));
    const r = await h.engine.modifyOrder('L-2', { quantity: '5.005' });
    expect(r.denied.map((d) => d.code)).toEqual(['MAX_ORDER_QUANTITY_EXCEEDED']);
    const r2 = await h.engine.modifyOrder('L-2', { quantity: '5' });
    expect(r2.denied).toEqual([]);
    await h.engine.modifyOrder('L-1', { quantity: '4' });
    const r3 = await h.engine.modifyOrder('L-1', { quantity: '5.000', price: '25300.00' });
    expect(r3.denied.map((d) => d.code)).toEqual(['PRICE_OUTSIDE_COLLAR']);
    expect(h.venue.calls.filter((c) => c.kind === 'modify')).toHaveLength(2);
  });

  it('while HALTED, lowering a working order quantity passes (it only lowers risk); raising it does not', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('L-1', 'BUY', '2', '24000.00'));
    await new RiskControl(h.engine).setTradingState('STRATEGY:s1', 'HALTED', operator(h.engine));
    expect((await h.engine.modifyOrder('L-1', { quantity: '1' })).denied).toEqual([]);
    expect((await h.engine.modifyOrder('L-1', { quantity: '3' })).denied.map((d) => d.code)).toEqual(['TRADING_HALTED']);
    expect((await h.engine.modifyOrder('L-1', { price: '24010.00' })).denied.map((d) => d.code)).toEqual(['TRADING_HALTED']);
  });
});
