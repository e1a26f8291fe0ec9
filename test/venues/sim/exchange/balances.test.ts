import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../src/data/bar.ts';
import { TestClock } from '../../../../src/engine/clock.ts';
import { ManualTimer } from '../../../../src/execution/timer.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { instrumentId, type AccountId } from '../../../../src/model/identifiers.ts';
import type { OrderRequest } from '../../../../src/model/orders/factory.ts';
import { BTC, BTC_FILE, fixedCross, START, startPaperNode } from '../../../node/paper-venue.ts';

const P = 'P' as AccountId;

/**
 * A paper node (engine → PAPER executor → simulated exchange as the TradingNode wires them, no
 * pre-trade gate), started without data and driven by hand: each bar walked by the exchange and
 * taken by the engine at its close, as the node's replay does.
 */
async function session(balance = '100000') {
  const node = await startPaperNode({ balance }, { timer: new ManualTimer(new TestClock(0)) });
  const { engine, clock } = node;
  const { exchange: simulated, executor } = node.venues.get('BINANCE');
  const exchange = simulated!;
  const instrument = engine.instrument(instrumentId(BTC));
  clock.set(START);
  const rejects: string[] = [];
  const expired: string[] = [];
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderRejected') rejects.push(`${e.clientOrderId} ${e.reason}`);
    if (e.kind === 'OrderExpired') expired.push(e.clientOrderId);
  });
  let n = 0;
  const bar = async (open: string, high: string, low: string, close: string): Promise<void> => {
    const b: Bar = { instrumentId: instrument.id, ts: clock.now(), durationMs: 60_000, open, high, low, close, volume: '1000' };
    clock.set(clock.now() + 60_000);
    exchange.onBar(b, instrument);
    engine.updateBar(b);
    await executor!.idle();
  };
  const order = async (o: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'type' | 'quantity'>) => {
    await engine.submitOrder({ clientOrderId: `O-${++n}`, accountId: 'P', instrumentId: instrument.id, ...o });
    await executor!.idle();
    return `O-${n}`;
  };
  const total = (c: 'USDT' | 'BTC') => engine.portfolio.account(P).balance(Currencies[c]).total.toDecimalString();
  return { engine, exchange, executor: executor!, instrument, clock, bar, order, rejects, expired, total };
}

describe('simulated exchange: a CASH account cannot spend what it does not have (Binance -2010)', () => {
  it('`paper --quantity 5000` on 100,000 USDT: every buy of 5,000 BTC is rejected by the venue with -2010, equity stays 100,000', async () => {
    // 300 bars of the bundled file replayed by the node, a strategy buying 5,000 BTC on each golden cross.
    const node = await startPaperNode({ balance: '100000', file: BTC_FILE, strategy: 'fixed-cross' }, { strategies: fixedCross(5, 20, '5000') });
    const engine = node.engine;
    const rejects: string[] = [];
    const lowest = { USDT: 0n, BTC: 0n };
    engine.bus.subscribe('order', (e) => {
      if (e.kind === 'OrderRejected') rejects.push(e.reason);
    });
    engine.bus.subscribe('account', (a) => {
      for (const b of a.balances) if (b.currency.code === 'USDT' || b.currency.code === 'BTC') lowest[b.currency.code] = b.total.raw < lowest[b.currency.code] ? b.total.raw : lowest[b.currency.code];
    });
    const { status } = await node.run({ maxSteps: 300 });
    expect(status.steps).toBe(300);
    const buys = [...engine.state.orders.values()].filter((o) => o.side === 'BUY');
    expect(buys.length).toBeGreaterThan(0);
    expect(buys.every((o) => o.status === 'REJECTED')).toBe(true);
    expect(rejects.length).toBeGreaterThanOrEqual(buys.length);
    for (const r of rejects) expect(r).toMatch(/^INSUFFICIENT_BALANCE: -2010 Account has insufficient balance for requested action\./);
    expect(lowest).toEqual({ USDT: 0n, BTC: 0n });
    expect(engine.portfolio.equity(P, Currencies.USDT).toDecimalString()).toBe('100000.00000000');
  });

  it('a limit buy locks 1 BTC × 25,000 + 0.1% fee = 25,025 USDT: a second one on 40,000 USDT is rejected, the first fills', async () => {
    const h = await session('40000');
    await h.bar('25000.00', '25010.00', '24990.00', '25000.00');
    const first = await h.order({ side: 'BUY', type: 'LIMIT', price: '25000.00', quantity: '1' });
    const second = await h.order({ side: 'BUY', type: 'LIMIT', price: '25000.00', quantity: '1' });
    expect(h.engine.order(first)?.status).toBe('ACCEPTED');
    expect(h.engine.order(second)?.status).toBe('REJECTED');
    expect(h.rejects).toEqual([`${second} INSUFFICIENT_BALANCE: -2010 Account has insufficient balance for requested action. (needs 25025.00000000 USDT, free 14975.00000000 USDT)`]);
    await h.bar('25000.00', '25000.00', '24900.00', '24950.00');
    expect(h.engine.order(first)?.status).toBe('FILLED');
    expect(h.total('USDT')).toBe('14975.00000000'); // 40,000 − 25,000 − 25 fee
    expect(h.exchange.accounts.balance('P', Currencies.USDT)?.total.toDecimalString()).toBe('14975.00000000');
  });

  it('a market buy of 1.5 BTC valued at 25,000 passes on 40,000 USDT; the open gaps to 27,000 (40,540.50 with fee): it expires unfilled', async () => {
    const h = await session('40000');
    await h.bar('25000.00', '25010.00', '24990.00', '25000.00');
    const id = await h.order({ side: 'BUY', type: 'MARKET', quantity: '1.5' });
    expect(h.engine.order(id)?.status).toBe('ACCEPTED');
    await h.bar('27000.00', '27010.00', '26990.00', '27000.00');
    expect(h.engine.order(id)?.status).toBe('EXPIRED');
    expect(h.engine.order(id)?.filledQty.toString()).toBe('0.00000');
    expect(h.total('USDT')).toBe('40000.00000000');
  });

  it('a spot sell of 0.5 BTC with no BTC is rejected with -2010; after buying 1 BTC a sell of 1 BTC rests and a second is rejected', async () => {
    const h = await session('100000');
    await h.bar('25000.00', '25010.00', '24990.00', '25000.00');
    const naked = await h.order({ side: 'SELL', type: 'MARKET', quantity: '0.5' });
    expect(h.engine.order(naked)?.status).toBe('REJECTED');
    await h.order({ side: 'BUY', type: 'MARKET', quantity: '1' });
    await h.bar('25000.00', '25010.00', '24990.00', '25000.00');
    expect(h.total('BTC')).toBe('1.00000000');
    const sell = await h.order({ side: 'SELL', type: 'LIMIT', price: '26000.00', quantity: '1' });
    const again = await h.order({ side: 'SELL', type: 'LIMIT', price: '26000.00', quantity: '0.00001' });
    expect(h.engine.order(sell)?.status).toBe('ACCEPTED');
    expect(h.engine.order(again)?.status).toBe('REJECTED');
    expect(h.rejects.map((r) => r.split(' ').slice(0, 3).join(' '))).toEqual([`${naked} INSUFFICIENT_BALANCE: -2010`, `${again} INSUFFICIENT_BALANCE: -2010`]);
  });

  it('with the gate off, random orders on a CASH account never take any balance below zero (engine and venue agree)', async () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('order' as const),
        side: fc.constantFrom('BUY' as const, 'SELL' as const),
        type: fc.constantFrom('MARKET' as const, 'LIMIT' as const, 'STOP_MARKET' as const),
        lots: fc.integer({ min: 1, max: 600_000 }), // up to 6 BTC on 100,000 USDT at ~25,000
        offsetBps: fc.integer({ min: -300, max: 300 }),
      }),
      fc.record({ kind: fc.constant('bar' as const), moveBps: fc.integer({ min: -800, max: 800 }) }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
        const h = await session('100000');
        let px = 2_500_000; // cents
        const cents = (c: number) => (c / 100).toFixed(2);
        await h.bar(cents(px), cents(px + 500), cents(px - 500), cents(px));
        for (const s of steps) {
          if (s.kind === 'bar') {
            const next = Math.max(100_000, Math.round((px * (10_000 + s.moveBps)) / 10_000));
            await h.bar(cents(next), cents(Math.max(px, next) + 1_000), cents(Math.min(px, next) - 1_000), cents(next));
            px = next;
          } else if (s.kind === 'order') {
            const at = cents(Math.round((px * (10_000 + s.offsetBps)) / 10_000));
            const quantity = (s.lots / 100_000).toFixed(5);
            if (s.type === 'MARKET') await h.order({ side: s.side, type: 'MARKET', quantity });
            else if (s.type === 'LIMIT') await h.order({ side: s.side, type: 'LIMIT', price: at, quantity });
            else await h.order({ side: s.side, type: 'STOP_MARKET', triggerPrice: at, quantity });
          } else {
            const open = [...h.engine.openOrders()];
            const o = open[s.pick % Math.max(1, open.length)];
            if (o && o.status === 'ACCEPTED') await h.engine.cancelOrder(o.clientOrderId);
            await h.executor.idle();
          }
          for (const c of [Currencies.USDT, Currencies.BTC]) {
            const engineTotal = h.engine.portfolio.account(P).balance(c).total;
            expect(engineTotal.raw >= 0n, `${c.code} ${engineTotal.toString()} after ${JSON.stringify(s)}`).toBe(true);
            const venue = h.exchange.accounts.balance('P', c)!;
            expect(venue.total.raw).toBe(engineTotal.raw);
            expect(venue.free.raw >= 0n).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
