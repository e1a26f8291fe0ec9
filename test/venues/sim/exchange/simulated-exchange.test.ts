import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../src/data/bar.ts';
import { TestClock } from '../../../../src/engine/clock.ts';
import { Engine } from '../../../../src/engine/engine.ts';
import type { OrderFilled } from '../../../../src/model/orders/events.ts';
import { MemoryJournal } from '../../../../src/engine/journal.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { instrumentId } from '../../../../src/model/identifiers.ts';
import { Money } from '../../../../src/model/money.ts';
import type { OrderRequest } from '../../../../src/model/orders/factory.ts';
import { barPath } from '../../../../src/model/intrabar.ts';
import { FILL_ON_TRADE_THROUGH, type ExchangeLatency } from '../../../../src/venues/sim/exchange/ports.ts';
import { SimulatedExchange, type SimulatedExchangeOptions } from '../../../../src/venues/sim/exchange/simulated-exchange.ts';

const T0 = Date.parse('2023-03-13T00:00:00Z');
const ID = 'BTCUSDT.BINANCE';

async function setup(opts: Partial<SimulatedExchangeOptions> = {}) {
  const clock = new TestClock(T0);
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const ex = new SimulatedExchange({ id: 'BINANCE', clock, ...opts });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument({
    id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0.0002', takerFee: '0.001',
  });
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  const fills: OrderFilled[] = [];
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') fills.push(e);
  });
  let minute = 0;
  /** Next 1-minute bar; the clock moves to its close. */
  const bar = (open: string, high: string, low: string, close: string, volume = '100'): void => {
    const b: Bar = { instrumentId: instrumentId(ID), ts: T0 + minute * 60_000, durationMs: 60_000, open, high, low, close, volume };
    minute++;
    clock.set(T0 + minute * 60_000);
    ex.onBar(b, inst);
  };
  const order = (o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId' | 'side' | 'type'>) =>
    engine.submitOrder({ accountId: 'A', instrumentId: ID, quantity: '1', ...o });
  const px = (id: string) => fills.filter((f) => f.clientOrderId === id).map((f) => `${f.lastQty.toString()}@${f.lastPx.toString()} ${f.liquidity}`);
  return { clock, engine, ex, inst, fills, bar, order, px };
}

describe('intrabar path', () => {
  it('goes to the nearer extreme first: open 100, high 104, low 99 → 100, 99, 104, close', () => {
    expect(barPath({ open: 100, high: 104, low: 99, close: 102 })).toEqual([100, 99, 104, 102]);
    expect(barPath({ open: 100, high: 101, low: 95, close: 97 })).toEqual([100, 101, 95, 97]);
    expect(barPath({ open: 100, high: 104, low: 99, close: 102 }, 'HIGH_FIRST')).toEqual([100, 104, 99, 102]);
    expect(barPath({ open: 100, high: 100, low: 90, close: 95 })).toEqual([100, 90, 95]);
  });
});

describe('simulated exchange on bars', () => {
  it('a market order sent at a bar close fills at the next bar open, as taker', async () => {
    const h = await setup();
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'M-1', side: 'BUY', type: 'MARKET' });
    expect(h.fills).toHaveLength(0);
    h.bar('25020.00', '25030.00', '25000.00', '25010.00');
    expect(h.px('M-1')).toEqual(['1.000@25020.00 TAKER']);
    expect(h.engine.order('M-1')?.status).toBe('FILLED');
  });

  it('a buy limit at 24,980 rests, then fills at 24,980 as maker when the bar trades through it', async () => {
    const h = await setup();
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'L-1', side: 'BUY', type: 'LIMIT', price: '24980.00' });
    h.bar('25005.00', '25010.00', '24985.00', '25000.00');
    expect(h.fills).toHaveLength(0);
    h.bar('25000.00', '25002.00', '24970.00', '24990.00');
    expect(h.px('L-1')).toEqual(['1.000@24980.00 MAKER']);
  });

  it('touch: a low exactly at the limit fills at touch by default, not with FILL_ON_TRADE_THROUGH', async () => {
    for (const [limitFill, expected] of [[undefined, 1], [FILL_ON_TRADE_THROUGH, 0]] as const) {
      const h = await setup(limitFill ? { limitFill } : {});
      h.bar('25000.00', '25010.00', '24990.00', '25005.00');
      await h.order({ clientOrderId: 'L-1', side: 'BUY', type: 'LIMIT', price: '24980.00' });
      h.bar('25005.00', '25010.00', '24980.00', '25000.00');
      expect(h.fills).toHaveLength(expected);
    }
  });

  it('a sell stop at 24,900 gapped through fills at the open 24,800, not at the stop', async () => {
    const h = await setup();
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'S-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '24900.00' });
    h.bar('24800.00', '24850.00', '24700.00', '24750.00');
    expect(h.px('S-1')).toEqual(['1.000@24800.00 TAKER']);
    expect(h.engine.order('S-1')?.isTriggered).toBe(true);
  });

  it('a sell stop inside a bar fills where the path reaches it: open 25,000 → high 25,020 → low 24,880', async () => {
    const h = await setup();
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'S-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '24900.00' });
    h.bar('25000.00', '25020.00', '24880.00', '24950.00');
    // The path point that triggers is the low, 24,880: the stop fills there (no finer path exists).
    expect(h.px('S-1')).toEqual(['1.000@24880.00 TAKER']);
  });

  it('a buy limit above the next open (gap down) fills at the open, the better price', async () => {
    const h = await setup();
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'L-1', side: 'BUY', type: 'LIMIT', price: '25100.00' });
    h.bar('25050.00', '25060.00', '25040.00', '25055.00');
    expect(h.px('L-1')).toEqual(['1.000@25050.00 TAKER']);
  });

  it('a post-only buy at or above the last price is rejected: POST_ONLY_WOULD_CROSS', async () => {
    const h = await setup();
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'P-1', side: 'BUY', type: 'LIMIT', price: '25005.00', postOnly: true });
    expect(h.engine.order('P-1')?.status).toBe('REJECTED');
    await h.order({ clientOrderId: 'P-2', side: 'BUY', type: 'LIMIT', price: '25004.99', postOnly: true });
    expect(h.engine.order('P-2')?.status).toBe('ACCEPTED');
  });

  it('FOK for 5 BTC with a 10% cap on a 20 BTC bar (2 available) is canceled unfilled; IOC takes 2', async () => {
    const h = await setup({ maxBarVolumeShare: 0.1 });
    h.bar('25000.00', '25010.00', '24990.00', '25005.00', '20');
    await h.order({ clientOrderId: 'F-1', side: 'BUY', type: 'LIMIT', price: '25100.00', quantity: '5', timeInForce: 'FOK' });
    await h.order({ clientOrderId: 'I-1', side: 'BUY', type: 'LIMIT', price: '25100.00', quantity: '5', timeInForce: 'IOC' });
    h.bar('25010.00', '25020.00', '25000.00', '25010.00', '20');
    expect(h.engine.order('F-1')?.status).toBe('CANCELED');
    expect(h.px('F-1')).toEqual([]);
    expect(h.px('I-1')).toEqual(['2.000@25010.00 TAKER']);
    expect(h.engine.order('I-1')?.status).toBe('CANCELED');
  });

  it('a market order larger than the bar cap fills 2 per bar and carries the rest', async () => {
    const h = await setup({ maxBarVolumeShare: 0.1 });
    h.bar('25000.00', '25010.00', '24990.00', '25005.00', '20');
    await h.order({ clientOrderId: 'M-1', side: 'BUY', type: 'MARKET', quantity: '3' });
    h.bar('25010.00', '25020.00', '25000.00', '25010.00', '20');
    h.bar('25030.00', '25040.00', '25020.00', '25030.00', '20');
    expect(h.px('M-1')).toEqual(['2.000@25010.00 TAKER', '1.000@25030.00 TAKER']);
    expect(h.engine.order('M-1')?.status).toBe('FILLED');
  });

  it('our own orders trade with each other only when self-trade prevention is off', async () => {
    for (const [stp, fills] of [['CANCEL_TAKER', 0], ['NONE', 2]] as const) {
      const h = await setup({ stp });
      h.bar('25000.00', '25010.00', '24990.00', '25005.00');
      await h.order({ clientOrderId: 'B-1', side: 'BUY', type: 'LIMIT', price: '24990.00' });
      await h.order({ clientOrderId: 'S-1', side: 'SELL', type: 'LIMIT', price: '24990.00' });
      expect(h.fills).toHaveLength(fills);
    }
  });

  it('DAY expires at the next UTC midnight, GTD at its time', async () => {
    const h = await setup();
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'D-1', side: 'BUY', type: 'LIMIT', price: '24000.00', timeInForce: 'DAY' });
    await h.order({ clientOrderId: 'G-1', side: 'BUY', type: 'LIMIT', price: '24000.00', timeInForce: 'GTD', expireTime: T0 + 5 * 60_000 });
    for (let i = 0; i < 5; i++) h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    expect(h.engine.order('G-1')?.status).toBe('EXPIRED');
    expect(h.engine.order('D-1')?.status).toBe('ACCEPTED');
    h.clock.set(T0 + 86_400_000);
    h.ex.advance();
    expect(h.engine.order('D-1')?.status).toBe('EXPIRED');
  });

  it('cancel and modify reach the exchange after their latency; a cancel of a filled order is rejected', async () => {
    const latency: ExchangeLatency = { submitMs: () => 100, modifyMs: () => 50, cancelMs: () => 30 };
    const h = await setup({ latency });
    h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    await h.order({ clientOrderId: 'L-1', side: 'BUY', type: 'LIMIT', price: '24000.00' });
    expect(h.engine.order('L-1')?.status).toBe('SUBMITTED');
    h.clock.advance(100);
    h.ex.advance();
    expect(h.engine.order('L-1')?.status).toBe('ACCEPTED');
    await h.engine.modifyOrder('L-1', { price: '24100.00' });
    h.clock.advance(50);
    h.ex.advance();
    expect(h.engine.order('L-1')?.price?.toString()).toBe('24100.00');
    await h.engine.cancelOrder('L-1');
    h.clock.advance(30);
    h.ex.advance();
    expect(h.engine.order('L-1')?.status).toBe('CANCELED');
  });

  it('is deterministic: the same bars and orders give the same fills', async () => {
    const run = async () => {
      const h = await setup({ maxBarVolumeShare: 0.5 });
      h.bar('25000.00', '25010.00', '24990.00', '25005.00', '4');
      await h.order({ clientOrderId: 'M-1', side: 'BUY', type: 'MARKET', quantity: '3' });
      await h.order({ clientOrderId: 'L-1', side: 'SELL', type: 'LIMIT', price: '25015.00', quantity: '2' });
      h.bar('25000.00', '25020.00', '24990.00', '25010.00', '4');
      h.bar('25010.00', '25030.00', '25000.00', '25020.00', '4');
      return h.fills.map((f) => `${f.clientOrderId} ${f.lastQty.toString()}@${f.lastPx.toString()} ${f.tradeId}`);
    };
    expect(await run()).toEqual(await run());
  });
});

describe('simulated exchange on quotes and L2 depth', () => {
  it('a market buy of 1.5 walks the asks: 1 @ 25,000.10 and 0.5 @ 25,000.20; the data is not changed', async () => {
    const h = await setup();
    const P = (s: string) => h.inst.price(s);
    const Q = (s: string) => h.inst.quantity(s);
    const asks = [[P('25000.10'), Q('1')], [P('25000.20'), Q('2')]] as const;
    h.ex.onDepth(h.inst, [[P('25000.00'), Q('1')]], asks);
    await h.order({ clientOrderId: 'M-1', side: 'BUY', type: 'MARKET', quantity: '1.5' });
    expect(h.px('M-1')).toEqual(['1.000@25000.10 TAKER', '0.500@25000.20 TAKER']);
    expect(asks[0][1].toString()).toBe('1.000');
  });

  it('within one snapshot a second market buy takes what is left: 1.5 more @ 25,000.20', async () => {
    const h = await setup();
    const P = (s: string) => h.inst.price(s);
    const Q = (s: string) => h.inst.quantity(s);
    h.ex.onDepth(h.inst, [[P('25000.00'), Q('1')]], [[P('25000.10'), Q('1')], [P('25000.20'), Q('2')]]);
    await h.order({ clientOrderId: 'M-1', side: 'BUY', type: 'MARKET', quantity: '1.5' });
    await h.order({ clientOrderId: 'M-2', side: 'BUY', type: 'MARKET', quantity: '1.5' });
    expect(h.px('M-2')).toEqual(['1.500@25000.20 TAKER']);
  });

  it('a FOK buy of 5 against 3 on the book is canceled unfilled', async () => {
    const h = await setup();
    const P = (s: string) => h.inst.price(s);
    const Q = (s: string) => h.inst.quantity(s);
    h.ex.onDepth(h.inst, [[P('25000.00'), Q('1')]], [[P('25000.10'), Q('1')], [P('25000.20'), Q('2')]]);
    await h.order({ clientOrderId: 'F-1', side: 'BUY', type: 'LIMIT', price: '25001.00', quantity: '5', timeInForce: 'FOK' });
    expect(h.px('F-1')).toEqual([]);
    expect(h.engine.order('F-1')?.status).toBe('CANCELED');
  });

  it('a resting sell at 25,000.05 fills when the bid rises to 25,000.10, at its own price, as maker', async () => {
    const h = await setup();
    h.ex.onQuote(h.inst, h.inst.price('24999.90'), h.inst.price('25000.00'));
    await h.order({ clientOrderId: 'L-1', side: 'SELL', type: 'LIMIT', price: '25000.05' });
    expect(h.fills).toHaveLength(0);
    h.ex.onQuote(h.inst, h.inst.price('25000.10'), h.inst.price('25000.20'));
    expect(h.px('L-1')).toEqual(['1.000@25000.05 MAKER']);
  });

  it('a market sell at the quote fills at the bid', async () => {
    const h = await setup();
    h.ex.onQuote(h.inst, h.inst.price('24999.90'), h.inst.price('25000.00'));
    await h.order({ clientOrderId: 'M-1', side: 'SELL', type: 'MARKET' });
    expect(h.px('M-1')).toEqual(['1.000@24999.90 TAKER']);
  });
});

describe('simulated exchange on trades', () => {
  it('a resting buy of 1 at 25,000 fills only the 0.4 a trade through it printed, then the rest on the next trade', async () => {
    const h = await setup();
    h.ex.onTrade(h.inst, h.inst.price('25010.00'), '2');
    await h.order({ clientOrderId: 'L-1', side: 'BUY', type: 'LIMIT', price: '25000.00' });
    h.ex.onTrade(h.inst, h.inst.price('24999.99'), '0.4');
    expect(h.px('L-1')).toEqual(['0.400@25000.00 MAKER']);
    h.ex.onTrade(h.inst, h.inst.price('24999.50'), '3');
    expect(h.px('L-1')).toEqual(['0.400@25000.00 MAKER', '0.600@25000.00 MAKER']);
    expect(h.engine.order('L-1')?.status).toBe('FILLED');
  });
});
