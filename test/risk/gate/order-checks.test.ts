import { describe, expect, it } from 'vitest';
import { createOrderSpec } from '../../../src/model/orders/factory.ts';
import { ETH_SPEC } from '../../engine/fixtures.ts';
import { BTC, ETH, expectAllowed, expectDenied, gateSetup, limit, marketBuy } from './fixtures.ts';

describe('fail closed: an instrument without configured limits is denied (FAULTS 4)', () => {
  it('ETH has no limits and there is no default: NO_RISK_LIMITS_FOR_INSTRUMENT, never "no limit"', async () => {
    const h = await gateSetup();
    h.ref(ETH, '1500');
    const d = await expectDenied(h, limit('E-1', 'BUY', '0.001', '1500.00', { instrumentId: ETH }), 'NO_RISK_LIMITS_FOR_INSTRUMENT');
    expect(d.context.missing).toBe('max_order_quantity, max_order_notional, max_position_quantity, max_position_notional');
  });

  it('one missing limit is enough to deny: BTC without max_position_notional', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10' } } });
    const d = await expectDenied(h, limit('B-1', 'BUY', '1', '24000.00'), 'NO_RISK_LIMITS_FOR_INSTRUMENT');
    expect(d.context.missing).toBe('max_position_notional');
  });

  it('with a default, ETH trades under the default limits', async () => {
    const h = await gateSetup({ default: { max_order_quantity: '2', max_order_notional: '5000', max_position_quantity: '4', max_position_notional: '10000' } });
    h.ref(ETH, '1500');
    await expectAllowed(h, limit('E-1', 'BUY', '2', '1500.00', { instrumentId: ETH }));
    await expectDenied(h, limit('E-2', 'BUY', '2.001', '1500.00', { instrumentId: ETH }), 'MAX_ORDER_QUANTITY_EXCEEDED');
  });
});

describe('restricted instruments', () => {
  it('BTC on the restricted list is denied with INSTRUMENT_RESTRICTED; ETH (with limits) is not', async () => {
    const lim = { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000' };
    const h = await gateSetup({ restricted_instruments: [BTC], instruments: { [BTC]: lim, [ETH]: lim } });
    h.ref(ETH, '1500');
    await expectDenied(h, limit('B-1', 'BUY', '1', '24000.00'), 'INSTRUMENT_RESTRICTED');
    await expectAllowed(h, limit('E-1', 'BUY', '1', '1500.00', { instrumentId: ETH }));
  });
});

describe('max order quantity and notional', () => {
  it('5 BTC (the maximum) passes, 5.005 BTC is MAX_ORDER_QUANTITY_EXCEEDED with limit 5.000 and actual 5.005', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('B-1', 'BUY', '5', '24000.00'));
    const d = await expectDenied(h, limit('B-2', 'SELL', '5.005', '24000.00'), 'MAX_ORDER_QUANTITY_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '5.000', actual: '5.005' });
  });

  it('a 1,000x fat finger (5,000 BTC instead of 5) is a hard deny; the strategy has no override', async () => {
    const h = await gateSetup();
    const d = await expectDenied(h, marketBuy('FAT', '5000', { tags: ['override'] }), 'MAX_ORDER_QUANTITY_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '5.000', actual: '5000.000' });
  });

  it('notional 99,960 USDT passes a 100,000 maximum, 100,080 is MAX_ORDER_NOTIONAL_EXCEEDED', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '100000', max_position_quantity: '10', max_position_notional: '300000' } } });
    await expectAllowed(h, limit('B-1', 'BUY', '4.165', '24000.00'));
    const d = await expectDenied(h, limit('B-2', 'BUY', '4.17', '24000.00'), 'MAX_ORDER_NOTIONAL_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '100000.00000000 USDT', actual: '100080.00000000 USDT' });
  });

  it('a market order is valued at the reference price: 4.17 BTC at 24,000 is 100,080 > 100,000', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '100000', max_position_quantity: '10', max_position_notional: '300000' } } });
    await expectDenied(h, marketBuy('M-1', '4.17'), 'MAX_ORDER_NOTIONAL_EXCEEDED');
    await expectAllowed(h, marketBuy('M-2', '4.165'));
  });
});

describe('price collar around a fresh reference price (FAULTS 6)', () => {
  it('5% of 24,000: a buy at 25,200.00 passes, at 25,200.05 it is PRICE_OUTSIDE_COLLAR', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('B-1', 'BUY', '0.1', '25200.00'));
    const d = await expectDenied(h, limit('B-2', 'BUY', '0.1', '25200.05'), 'PRICE_OUTSIDE_COLLAR');
    expect(d.context).toMatchObject({ limit: '5%', reference: '24000.000', price: '25200.05' });
  });

  it('a sell at 22,800.00 passes, at 22,799.95 it is denied', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('S-1', 'SELL', '0.1', '22800.00'));
    await expectDenied(h, limit('S-2', 'SELL', '0.1', '22799.95'), 'PRICE_OUTSIDE_COLLAR');
  });

  it('10 ticks (0.50) is tighter than 5%: 24,000.50 passes, 24,000.55 is denied with limit "10 ticks"', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000', price_collar_ticks: 10 } } });
    await expectAllowed(h, limit('B-1', 'BUY', '0.1', '24000.50'));
    const d = await expectDenied(h, limit('B-2', 'BUY', '0.1', '24000.55'), 'PRICE_OUTSIDE_COLLAR');
    expect(d.context.limit).toBe('10 ticks');
  });

  it('a stop trigger is collared too: a stop at 25,200.05 is denied, at 25,200.00 passes', async () => {
    const h = await gateSetup();
    await expectDenied(h, { ...marketBuy('ST-1', '0.1'), type: 'STOP_MARKET', triggerPrice: '25200.05' }, 'PRICE_OUTSIDE_COLLAR');
    await expectAllowed(h, { ...marketBuy('ST-2', '0.1'), type: 'STOP_MARKET', triggerPrice: '25200.00' });
  });

  it('the mid is the reference when there is no last: bid 99.99 / ask 100.01, so 105.00 passes and 105.01 is denied', async () => {
    const lim = { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000' };
    const h = await gateSetup({ instruments: { [BTC]: lim, 'SOLUSDT.BINANCE': lim } });
    await h.engine.registerInstrument({ ...ETH_SPEC, id: 'SOLUSDT.BINANCE' });
    const inst = h.engine.instrument('SOLUSDT.BINANCE');
    h.engine.updateMarket(inst.id, { bid: inst.price('99.99'), ask: inst.price('100.01') });
    await expectAllowed(h, limit('M-1', 'BUY', '1', '105.00', { instrumentId: inst.id }));
    const d = await expectDenied(h, limit('M-2', 'BUY', '1', '105.01', { instrumentId: inst.id }), 'PRICE_OUTSIDE_COLLAR');
    expect(d.context.reference).toBe('100.000');
  });

  it('no reference price at all: REFERENCE_PRICE_MISSING for limit and market orders', async () => {
    const lim = { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000' };
    const h = await gateSetup({ instruments: { [BTC]: lim, [ETH]: lim } });
    await expectDenied(h, limit('E-1', 'BUY', '1', '1500.00', { instrumentId: ETH }), 'REFERENCE_PRICE_MISSING');
    await expectDenied(h, marketBuy('E-2', '1', { instrumentId: ETH }), 'REFERENCE_PRICE_MISSING');
    h.ref(ETH, '1500');
    await expectAllowed(h, limit('E-3', 'BUY', '1', '1500.00', { instrumentId: ETH }));
  });

  it('a reference 5,000 ms old passes, 5,001 ms old is REFERENCE_PRICE_STALE (denied, not skipped)', async () => {
    const h = await gateSetup();
    h.clock.advance(5_000);
    await expectAllowed(h, limit('B-1', 'BUY', '0.1', '24000.00'));
    h.clock.advance(1);
    const d = await expectDenied(h, limit('B-2', 'BUY', '0.1', '24000.00'), 'REFERENCE_PRICE_STALE');
    expect(d.context).toMatchObject({ limit: 5000, actual: 5001 });
  });
});

describe('duplicates', () => {
  it('an identical order within 1,000 ms is DUPLICATE_ORDER; at 1,000 ms, or with another quantity, it passes', async () => {
    const h = await gateSetup({ duplicate_window_ms: 1_000 });
    await expectAllowed(h, limit('D-1', 'BUY', '0.1', '24000.00'));
    h.clock.advance(999);
    const d = await expectDenied(h, limit('D-2', 'BUY', '0.1', '24000.00'), 'DUPLICATE_ORDER');
    expect(d.context).toMatchObject({ limit: 1000, actual: 999 });
    await expectAllowed(h, limit('D-3', 'BUY', '0.105', '24000.00'));
    h.clock.advance(1);
    await expectAllowed(h, limit('D-4', 'BUY', '0.1', '24000.00'));
  });

  it('a client order id already in use is DUPLICATE_ORDER from the gate itself (the engine refuses it earlier too)', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('D-1', 'BUY', '0.1', '24000.00'));
    const inst = h.engine.instrument(BTC);
    const spec = createOrderSpec(limit('D-1', 'BUY', '0.2', '24000.00'), inst, h.clock.now());
    const v = h.gate.check({ kind: 'submit', spec, instrument: inst }, h.engine);
    expect(v).toMatchObject({ ok: false, code: 'DUPLICATE_ORDER' });
  });
});

describe('max open orders per instrument and per account', () => {
  it('2 open BTC orders allowed, the third is MAX_OPEN_ORDERS_EXCEEDED; after a cancel it passes', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000', max_open_orders: 2 } } });
    await expectAllowed(h, limit('O-1', 'BUY', '0.1', '24000.00'));
    await expectAllowed(h, limit('O-2', 'BUY', '0.1', '23990.00'));
    const d = await expectDenied(h, limit('O-3', 'BUY', '0.1', '23980.00'), 'MAX_OPEN_ORDERS_EXCEEDED');
    expect(d.context).toMatchObject({ limit: 2, actual: 3, scope: 'instrument' });
    await h.engine.cancelOrder('O-1');
    await expectAllowed(h, limit('O-4', 'BUY', '0.1', '23980.00'));
  });

  it('an account maximum of 1 open order counts across instruments', async () => {
    const h = await gateSetup({ accounts: { 'ACC-1': { max_open_orders: 1 } } });
    await expectAllowed(h, limit('O-1', 'BUY', '0.1', '24000.00'));
    const d = await expectDenied(h, limit('O-2', 'SELL', '0.1', '24100.00'), 'MAX_OPEN_ORDERS_EXCEEDED');
    expect(d.context).toMatchObject({ limit: 1, actual: 2, scope: 'account' });
  });
});

describe('self-trade prevention', () => {
  it('a buy at our own resting sell price 24,100 is SELF_TRADE; a buy at 24,095 passes; a market buy crosses', async () => {
    const h = await gateSetup({ self_trade_prevention: true });
    h.market.last = undefined; // market orders rest at the scripted venue
    await expectAllowed(h, limit('S-1', 'SELL', '1', '24100.00'));
    const d = await expectDenied(h, limit('B-1', 'BUY', '0.1', '24100.00', { accountId: 'ACC-2', strategyId: 's2' }), 'SELF_TRADE');
    expect(d.context).toMatchObject({ limit: '24100.00', actual: '24100.00' });
    await expectAllowed(h, limit('B-2', 'BUY', '0.1', '24095.00'));
    await expectDenied(h, marketBuy('B-3', '0.1'), 'SELF_TRADE');
    await h.engine.cancelOrder('S-1');
    await expectAllowed(h, limit('B-4', 'BUY', '0.1', '24100.00'));
  });

  it('off by configuration: the same crossing buy passes', async () => {
    const h = await gateSetup({ self_trade_prevention: false });
    await expectAllowed(h, limit('S-1', 'SELL', '1', '24100.00'));
    await expectAllowed(h, limit('B-1', 'BUY', '0.1', '24100.00'));
  });
});
