import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageBus } from '../../src/engine/bus.ts';
import { TestClock, WallClock } from '../../src/engine/clock.ts';
import type { AccountStateChanged, PositionEvent } from '../../src/engine/topics.ts';
import { Currencies } from '../../src/model/currency.ts';
import { BTC, limit, marketBuy, settle, setup } from './fixtures.ts';

interface Topics {
  price: number;
  note: string;
}

describe('MessageBus', () => {
  it('delivers each message to every subscriber of its topic, in publish order', () => {
    const bus = new MessageBus<Topics>();
    const a: number[] = [];
    const b: number[] = [];
    const notes: string[] = [];
    bus.subscribe('price', (p) => a.push(p));
    bus.subscribe('price', (p) => b.push(p * 10));
    bus.subscribe('note', (n) => notes.push(n));
    bus.publish('price', 1);
    bus.publish('price', 2);
    bus.publish('note', 'hi');
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([10, 20]);
    expect(notes).toEqual(['hi']);
  });

  it('stops delivering after unsubscribe, and has() tells whether anyone listens', () => {
    const bus = new MessageBus<Topics>();
    const got: number[] = [];
    expect(bus.has('price')).toBe(false);
    const off = bus.subscribe('price', (p) => got.push(p));
    expect(bus.has('price')).toBe(true);
    bus.publish('price', 1);
    off();
    bus.publish('price', 2);
    expect(got).toEqual([1]);
    expect(bus.has('price')).toBe(false);
  });

  it('a throwing subscriber neither breaks the publisher nor starves the next subscriber; its error is counted and reported', () => {
    const errors: [unknown, string][] = [];
    const bus = new MessageBus<Topics>((e, topic) => errors.push([e, topic]));
    const got: number[] = [];
    bus.subscribe('price', () => {
      throw new Error('boom');
    });
    bus.subscribe('price', (p) => got.push(p));
    expect(() => bus.publish('price', 7)).not.toThrow();
    bus.publish('price', 8);
    expect(got).toEqual([7, 8]);
    expect(bus.handlerErrors).toBe(2);
    expect(errors.map(([e, t]) => [(e as Error).message, t])).toEqual([
      ['boom', 'price'],
      ['boom', 'price'],
    ]);
  });
});

describe('engine topics', () => {
  it('publishes order events in journal order, a position opening and the account change of a market buy', async () => {
    const h = await setup();
    const orders: string[] = [];
    const positions: PositionEvent[] = [];
    const accounts: AccountStateChanged[] = [];
    const records: number[] = [];
    h.engine.bus.subscribe('order', (e) => orders.push(e.kind));
    h.engine.bus.subscribe('position', (p) => positions.push(p));
    h.engine.bus.subscribe('account', (a) => accounts.push(a));
    h.engine.bus.subscribe('record', (r) => records.push(r.seq));

    await h.engine.submitOrder(marketBuy('O-1', '0.5'));

    expect(orders).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    expect(records).toEqual([6, 7, 8, 9]);
    expect(positions.map((p) => [p.kind, p.positionId, p.side, p.quantity])).toEqual([['PositionOpened', `ACC-1/${BTC}/s1`, 'LONG', '0.500']]);
    expect(accounts).toHaveLength(1);
    const usdt = accounts[0]?.balances.find((b) => b.currency.code === Currencies.USDT.code);
    expect(usdt?.total.toDecimalString()).toBe('987937.95000000');
  });

  it('reports a close of the whole position as PositionClosed', async () => {
    const h = await setup();
    const kinds: string[] = [];
    h.engine.bus.subscribe('position', (p) => kinds.push(p.kind));
    await h.engine.submitOrder(marketBuy('O-1', '0.5'));
    await h.engine.submitOrder(marketBuy('O-2', '0.2', { side: 'SELL' }));
    await h.engine.submitOrder(marketBuy('O-3', '0.3', { side: 'SELL' }));
    await h.engine.submitOrder(marketBuy('O-4', '0.1', { side: 'SELL' }));
    expect(kinds).toEqual(['PositionOpened', 'PositionChanged', 'PositionClosed', 'PositionOpened']);
  });

  it('a subscriber that throws on every order event does not stop fills from being journaled', async () => {
    const h = await setup();
    h.engine.bus.subscribe('order', () => {
      throw new Error('dashboard down');
    });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.2', '24000.00'));
    h.venue.fill('L-1', '0.2', '24000.00');
    await settle();
    expect(h.engine.order('L-1')?.status).toBe('FILLED');
    expect(h.engine.bus.handlerErrors).toBe(4);
    expect(h.engine.isStopped).toBe(false);
  });
});

describe('clocks', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('TestClock moves only forward: advance(1500) from 1000 gives 2500, set(2000) then throws', () => {
    const c = new TestClock(1_000);
    c.advance(1_500);
    expect(c.now()).toBe(2_500);
    expect(() => c.set(2_000)).toThrow(RangeError);
    expect(c.now()).toBe(2_500);
  });

  it('WallClock never goes backwards when the system clock does (5000, 4000, 6000 → 5000, 5000, 6000)', () => {
    const spy = vi.spyOn(Date, 'now');
    spy.mockReturnValueOnce(5_000).mockReturnValueOnce(4_000).mockReturnValueOnce(6_000);
    const c = new WallClock();
    expect([c.now(), c.now(), c.now()]).toEqual([5_000, 5_000, 6_000]);
  });
});
