import { describe, expect, it } from 'vitest';
import type { VenueReport } from '../../src/engine/venue.ts';
import { Currencies } from '../../src/model/currency.ts';
import { accountId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import { BTC, limit, marketBuy, settle, setup, type Harness } from './fixtures.ts';

/**
 * Fill reports are input (issue 11.3). Each bad report is refused with its code as an alert,
 * nothing is journaled, and the order, position and balances stay as they were.
 */
type FillReport = Extract<VenueReport, { kind: 'OrderFilled' }>;

const usdt = (h: Harness, acct = 'ACC-1'): string => h.engine.portfolio.account(accountId(acct)).balance(Currencies.USDT).total.toString();

function state(h: Harness) {
  return {
    seq: h.engine.lastSeq,
    usdt: usdt(h),
    btc: h.engine.portfolio.account(accountId('ACC-1')).balance(Currencies.BTC).total.toString(),
    orders: [...h.engine.state.orders.values()].map((o) => [o.clientOrderId, o.status, o.filledQty.toString(), o.price?.toString()]),
    positions: h.engine.portfolio.allPositions().map((p) => [p.id, p.signedQtyRaw]),
  };
}

/** An engine with a resting order `id` (default: BUY LIMIT 1 BTC at 24,000.00) and no market fills. */
async function resting(req = limit('L-1', 'BUY', '1', '24000.00')): Promise<Harness> {
  const h = await setup();
  h.market.last = undefined;
  await h.engine.submitOrder(req);
  await settle();
  return h;
}

function fill(h: Harness, over: Partial<Record<keyof FillReport, unknown>> = {}, id = 'L-1'): void {
  h.venue.emit({ kind: 'OrderFilled', clientOrderId: id, tradeId: 'T-1', lastQty: '1', lastPx: '24000.00', liquidity: 'MAKER', ts: h.clock.now(), ...over } as FillReport);
}

/** Emits the report and expects it refused with `code`, alerted, and nothing changed. */
async function expectRefused(h: Harness, over: Partial<Record<keyof FillReport, unknown>>, code: string, id = 'L-1'): Promise<void> {
  const before = state(h);
  fill(h, over, id);
  await settle();
  expect(h.alerts.map((a) => a.code)).toEqual([code]);
  expect(h.alerts[0]?.message).toMatch(new RegExp(`OrderFilled from BINANCE for ${id}: .{10,}`));
  expect(state(h)).toEqual(before);
}

async function expectBooked(h: Harness, over: Partial<Record<keyof FillReport, unknown>>, id = 'L-1'): Promise<void> {
  const seq = h.engine.lastSeq;
  fill(h, over, id);
  await settle();
  expect(h.alerts).toEqual([]);
  expect(h.engine.lastSeq).toBe(seq + 1);
  expect(h.journal.all().at(-1)?.event.kind).toBe('OrderFilled');
}

describe('fill price: > 0 unless the instrument allows it', () => {
  it('a BUY filled at −5.00 is refused with FILL_PRICE_INVALID: no cash is credited', async () => {
    const h = await resting(marketBuy('M-1', '1'));
    await expectRefused(h, { lastPx: '-5.00' }, 'FILL_PRICE_INVALID', 'M-1');
  });

  it('a BUY filled at 0.00 is refused with FILL_PRICE_INVALID', async () => {
    const h = await resting(marketBuy('M-1', '1'));
    await expectRefused(h, { lastPx: '0' }, 'FILL_PRICE_INVALID', 'M-1');
  });

  it('on an instrument that allows non-positive prices, a BUY 1 filled at −5.00 is booked: +5.00 USDT (no fee schedule)', async () => {
    const h = await setup();
    await h.engine.registerInstrument({ id: 'SPREAD.BINANCE', kind: 'SPOT', base: Currencies.ETH, quote: Currencies.USDT, tickSize: '0.01', lotSize: '1', allowNonPositivePrice: true });
    h.market.last = undefined;
    await h.engine.submitOrder(marketBuy('M-1', '1', { instrumentId: 'SPREAD.BINANCE' }));
    await expectBooked(h, { lastPx: '-5.00', lastQty: '1' }, 'M-1');
    expect(usdt(h)).toBe('1000005.00000000 USDT');
  });

  it('a price off the tick grid (24,000.03 on a 0.05 tick) is still refused with OFF_TICK_GRID', async () => {
    const h = await resting();
    await expectRefused(h, { lastPx: '24000.03' }, 'OFF_TICK_GRID');
  });
});

describe('fill price against the order’s limit', () => {
  it('a BUY LIMIT at 24,000.00 reported filled at 24,100.00 is refused with FILL_PRICE_THROUGH_LIMIT', async () => {
    const h = await resting();
    await expectRefused(h, { lastPx: '24100.00' }, 'FILL_PRICE_THROUGH_LIMIT');
    expect(h.alerts[0]?.context).toMatchObject({ kind: 'OrderFilled' });
  });

  it('a BUY LIMIT at 24,000.00 filled at 23,990.00 (better) or at 24,000.00 is booked', async () => {
    const h = await resting(limit('L-1', 'BUY', '2', '24000.00'));
    await expectBooked(h, { lastPx: '23990.00', tradeId: 'T-1' });
    await expectBooked(h, { lastPx: '24000.00', tradeId: 'T-2' });
    expect(h.engine.order('L-1')?.status).toBe('FILLED');
  });

  it('a SELL LIMIT at 24,000.00 filled at 23,999.95 is refused; at 24,000.05 it is booked', async () => {
    const h = await resting(limit('L-1', 'SELL', '1', '24000.00'));
    await expectRefused(h, { lastPx: '23999.95' }, 'FILL_PRICE_THROUGH_LIMIT');
    h.alerts.length = 0;
    await expectBooked(h, { lastPx: '24000.05' });
  });

  it('a BUY STOP_LIMIT limited at 24,200.00 filled at 24,250.00 is refused with FILL_PRICE_THROUGH_LIMIT', async () => {
    const h = await resting({ ...limit('S-1', 'BUY', '1', '24200.00'), type: 'STOP_LIMIT', triggerPrice: '24150.00' });
    await expectRefused(h, { lastPx: '24250.00' }, 'FILL_PRICE_THROUGH_LIMIT', 'S-1');
  });

  it('after a modify to 23,900.00 a fill at 23,950.00 is refused: the limit in force is the modified one', async () => {
    const h = await resting();
    await h.engine.modifyOrder('L-1', { price: '23900.00' });
    await settle();
    await expectRefused(h, { lastPx: '23950.00' }, 'FILL_PRICE_THROUGH_LIMIT');
  });

  it('a market order has no limit: filled at 30,000.00 it is booked', async () => {
    const h = await resting(marketBuy('M-1', '1'));
    await expectBooked(h, { lastPx: '30000.00' }, 'M-1');
  });
});

describe('fill quantity: > 0 on the lot grid', () => {
  it.each([['0'], ['-1']])('a fill of %s BTC is refused with FILL_QUANTITY_INVALID', async (q) => {
    const h = await resting();
    await expectRefused(h, { lastQty: q }, 'FILL_QUANTITY_INVALID');
  });

  it('a fill of 0.003 BTC on a 0.005 lot is refused with OFF_LOT_GRID', async () => {
    const h = await resting();
    await expectRefused(h, { lastQty: '0.003' }, 'OFF_LOT_GRID');
  });
});

describe('fill commission', () => {
  it('a commission in ETH, none of BTCUSDT’s currencies and not held by ACC-1, is refused with FILL_FEE_INVALID', async () => {
    const h = await resting();
    await expectRefused(h, { commission: Money.of('0.01', Currencies.ETH) }, 'FILL_FEE_INVALID');
  });

  it('a commission in BNB is booked once ACC-1 holds BNB (a fee-discount token); 0.001 BTC (base) is booked too', async () => {
    const h = await resting(limit('L-1', 'BUY', '2', '24000.00'));
    await expectRefused(h, { commission: Money.of('0.01', Currencies.BNB) }, 'FILL_FEE_INVALID');
    h.alerts.length = 0;
    await h.engine.adjustBalance('ACC-1', Money.of('1', Currencies.BNB), 'deposit', h.engine.authority.issue('treasury', ['TREASURY']));
    await expectBooked(h, { commission: Money.of('0.01', Currencies.BNB), tradeId: 'T-1', lastQty: '1' });
    await expectBooked(h, { commission: Money.of('0.001', Currencies.BTC), tradeId: 'T-2', lastQty: '1' });
    expect(h.engine.portfolio.account(accountId('ACC-1')).balance(Currencies.BNB).total.toString()).toBe('0.99000000 BNB');
  });

  it('a rebate of 4.80 USDT (2 bps of 24,000) is booked; one of 240.01 USDT (beyond 100 bps) is refused', async () => {
    const h = await resting(limit('L-1', 'BUY', '2', '24000.00'));
    await expectRefused(h, { commission: Money.of('-240.01', Currencies.USDT) }, 'FILL_FEE_INVALID');
    h.alerts.length = 0;
    await expectBooked(h, { commission: Money.of('-4.80', Currencies.USDT), lastQty: '1' });
    expect(usdt(h)).toBe('976004.80000000 USDT');
  });

  it('a rebate paid in BTC is refused with FILL_FEE_INVALID; so is a commission that is not money', async () => {
    const h = await resting();
    await expectRefused(h, { commission: Money.of('-0.00001', Currencies.BTC) }, 'FILL_FEE_INVALID');
    h.alerts.length = 0;
    await expectRefused(h, { commission: { raw: 1n, currency: Currencies.USDT } }, 'FILL_FEE_INVALID');
  });
});

describe('the rest of a fill report', () => {
  it.each([
    ['an empty trade id', { tradeId: '' }],
    ['a trade id with a space', { tradeId: 'T 1' }],
    ['liquidity "BOTH"', { liquidity: 'BOTH' }],
    ['time NaN', { ts: Number.NaN }],
    ['time 1.5 ms', { ts: 1.5 }],
    ['a negative time', { ts: -1 }],
    ['an empty venue order id', { venueOrderId: '' }],
  ])('%s is refused with REPORT_INVALID', async (_what, over) => {
    const h = await resting();
    await expectRefused(h, over, 'REPORT_INVALID');
  });

  it('an OrderAccepted with an empty venue order id, and an OrderRejected whose reason is not text, are refused with REPORT_INVALID', async () => {
    const h = await resting(marketBuy('M-1', '1'));
    const seq = h.engine.lastSeq;
    h.venue.emit({ kind: 'OrderAccepted', clientOrderId: 'M-1', venueOrderId: '', ts: h.clock.now() } as never);
    h.venue.emit({ kind: 'OrderRejected', clientOrderId: 'M-1', reason: { no: 1 }, ts: h.clock.now() } as never);
    await settle();
    expect(h.alerts.map((a) => a.code)).toEqual(['REPORT_INVALID', 'REPORT_INVALID']);
    expect(h.engine.lastSeq).toBe(seq);
  });

  it('an OrderUpdated to price −5.00 is refused with NON_POSITIVE_PRICE: the order keeps 24,000.00', async () => {
    const h = await resting();
    h.venue.emit({ kind: 'OrderUpdated', clientOrderId: 'L-1', price: '-5.00', ts: h.clock.now() } as VenueReport);
    await settle();
    expect(h.alerts.map((a) => a.code)).toEqual(['NON_POSITIVE_PRICE']);
    expect(h.engine.order('L-1')?.price?.toString()).toBe('24000.00');
  });

  it('a well-formed fill of the same order after refused ones is booked: BUY 1 @ 24,000.00 costs 24,000 + 4.80 maker fee', async () => {
    const h = await resting();
    fill(h, { lastPx: '-5.00' });
    fill(h, { lastPx: '24100.00' });
    await settle();
    h.alerts.length = 0;
    await expectBooked(h, {});
    expect(usdt(h)).toBe('975995.20000000 USDT');
    expect(h.engine.portfolio.openPositions().map((p) => [p.instrumentId, p.quantity.toString()])).toEqual([[BTC, '1.000']]);
  });
});
