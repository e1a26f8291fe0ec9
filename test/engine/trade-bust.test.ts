/**
 * FAULTS 19: a trade busted (or corrected) by the venue after the fact, even after the order is
 * closed, is reversed exactly: the order's filled quantity, the position, the balances and the
 * commission; the engine agrees with the venue's own books, and a replay gives the same state.
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { Bar } from '../../src/model/bar.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId, type TradeId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderFilled } from '../../src/model/orders/events.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { encodeSnapshot } from '../../src/journal/snapshot.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'BTCUSDT.SIM';

async function setup() {
  const clock = new TestClock(T0);
  const journal = new MemoryJournal();
  const engine = new Engine({ clock, journal });
  const ex = new SimulatedExchange({ id: 'SIM', clock });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument({
    id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0.001', takerFee: '0.001',
  });
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  const fills: OrderFilled[] = [];
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') fills.push(e);
  });
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  let minute = 0;
  const bar = (o: string, h = o, l = o, c = o): void => {
    const b: Bar = { instrumentId: instrumentId(ID), ts: T0 + minute * 60_000, durationMs: 60_000, open: o, high: h, low: l, close: c, volume: '1000' };
    minute++;
    clock.set(T0 + minute * 60_000);
    ex.onBar(b, inst);
    engine.updateBar(b);
  };
  const market = (id: string, side: 'BUY' | 'SELL', quantity = '1') =>
    engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: ID, side, type: 'MARKET', quantity });
  const total = (code: 'USDT' | 'BTC'): string => engine.portfolio.account('A' as never).balance(Currencies[code]).total.toString();
  /** Engine and venue agree on the position. */
  const agree = async (): Promise<string> => {
    const p = engine.portfolio.openPositions().find((x) => x.instrumentId === ID);
    const mine = p ? `${p.side} ${p.quantity.toString()}` : 'FLAT';
    const v = (await ex.queries.positions()).find((x) => x.instrumentId === ID);
    const theirs = !v || v.side === 'FLAT' ? 'FLAT' : `${v.side} ${v.quantity.toString()}`;
    expect(mine).toBe(theirs);
    return mine;
  };
  return { clock, journal, engine, ex, inst, fills, alerts, bar, market, total, agree };
}

describe('trade busts and corrections (FAULTS 19)', () => {
  it('a bust of a filled buy takes back the position, the cash, the coin and the commission to the unit', async () => {
    const h = await setup();
    await h.market('B-1', 'BUY');
    h.bar('100.00');
    expect(await h.agree()).toBe('LONG 1.000');
    expect(h.total('USDT')).toBe('999899.90000000 USDT'); // 100 and 0.1 commission
    const trade = h.fills[0]!.tradeId;
    expect(h.ex.bustTrade(trade, 'erroneous trade')).toBe(true);
    expect(await h.agree()).toBe('FLAT');
    expect(h.total('USDT')).toBe('1000000.00000000 USDT');
    expect(h.total('BTC')).toBe('0.00000000 BTC');
    const o = h.engine.order('B-1')!;
    expect(o.status).toBe('FILLED'); // closed at the venue, stays closed
    expect(o.filledQty.isZero()).toBe(true);
    expect(h.alerts).toEqual([]);
  });

  it('a bust after the position was closed reopens it; equity is what the buy alone would give', async () => {
    const h = await setup();
    await h.market('B-1', 'BUY');
    h.bar('100.00');
    await h.market('S-1', 'SELL');
    h.bar('110.00');
    expect(await h.agree()).toBe('FLAT');
    const sell = h.fills.find((f) => f.clientOrderId === 'S-1')!.tradeId;
    h.ex.bustTrade(sell, 'price out of range');
    expect(await h.agree()).toBe('LONG 1.000');
    expect(h.total('BTC')).toBe('1.00000000 BTC');
    // Cash: the buy's 100 and 0.1 commission, nothing of the busted sell.
    expect(h.total('USDT')).toBe('999899.90000000 USDT');
    const usdt = Currencies.USDT;
    // Marked at 110: 999,899.90 + 110 of coin.
    expect(h.engine.portfolio.equity('A' as never, usdt).toString()).toBe('1000009.90000000 USDT');
  });

  it('a correction (bust, then the fill at the right price) books the right price; duplicates count once', async () => {
    const h = await setup();
    await h.market('B-1', 'BUY');
    h.bar('100.00');
    const f = h.fills[0]!;
    const bust = { kind: 'FillBusted' as const, clientOrderId: f.clientOrderId, tradeId: f.tradeId, lastQty: '1.000', lastPx: '100.00', liquidity: 'TAKER' as const, reason: 'price corrected', ts: h.clock.now() };
    const fixed = { kind: 'OrderFilled' as const, clientOrderId: f.clientOrderId, tradeId: `${f.tradeId}-C` as TradeId, lastQty: '1.000', lastPx: '99.50', liquidity: 'TAKER' as const, ts: h.clock.now() };
    h.engine.applyVenueReport('SIM', bust);
    h.engine.applyVenueReport('SIM', bust); // delivered twice: applied once
    h.engine.applyVenueReport('SIM', fixed);
    h.engine.applyVenueReport('SIM', fixed);
    const p = h.engine.portfolio.openPositions()[0]!;
    expect(p.quantity.toString()).toBe('1.000');
    expect(p.avgEntryPxText(0)).toBe('99.50');
    expect(h.total('USDT')).toBe('999900.40050000 USDT'); // 99.50 and 0.0995 commission
    expect(h.engine.order('B-1')!.filledQty.toString()).toBe('1.000');
    expect(h.alerts).toEqual([]);
  });

  it('a bust naming a trade the order never had is alerted and changes nothing', async () => {
    const h = await setup();
    await h.market('B-1', 'BUY');
    h.bar('100.00');
    const before = encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq));
    h.engine.applyVenueReport('SIM', { kind: 'FillBusted', clientOrderId: 'B-1' as never, tradeId: 'NOPE' as TradeId, lastQty: '1.000', lastPx: '100.00', liquidity: 'TAKER', reason: 'x', ts: h.clock.now() });
    expect(h.alerts.map((a) => a.code)).toEqual(['FILL_MISMATCH']);
    expect(encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq))).toBe(before);
  });

  it('a replay of the journal (busts included) rebuilds exactly the same state', async () => {
    const h = await setup();
    await h.market('B-1', 'BUY', '2');
    h.bar('100.00');
    await h.market('S-1', 'SELL', '1');
    h.bar('105.00');
    h.ex.bustTrade(h.fills[0]!.tradeId, 'erroneous');
    expect(await h.agree()).toBe('SHORT 1.000');
    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock });
    expect(encodeSnapshot(replayed.state.toSnapshot(replayed.lastSeq))).toBe(encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq)));
  });
});
