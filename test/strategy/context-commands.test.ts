/**
 * Issue 12 section 2: the StrategyContext's list, trailing, algorithm and close commands, from a
 * strategy in a backtest. Each goes through the order emulator or the execution algorithms with
 * the strategy's STRATEGY origin, and what it brings (children, released stops, slices) is the
 * strategy's own and journaled.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/runner.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import { Currencies } from '../../src/model/currency.ts';
import type { OrderInitialized } from '../../src/model/orders/events.ts';
import type { Strategy, StrategyContext } from '../../src/strategy/strategy.ts';

const BTC = 'BTCUSDT.BINANCE';
const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const INSTRUMENT = { id: BTC, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' } as const;

/** One-minute bars from [open, high, low, close] rows. */
function bars(rows: readonly (readonly [number, number, number, number])[]) {
  return rows.map(([open, high, low, close], i) => ({ instrumentId: BTC, ts: T0 + i * MIN, durationMs: MIN, open: open.toFixed(2), high: high.toFixed(2), low: low.toFixed(2), close: close.toFixed(2), volume: '100' }));
}

async function backtest(strategy: Strategy, rows: readonly (readonly [number, number, number, number])[], cash = '100000') {
  const journal = new MemoryJournal();
  const result = await runBacktest({ sources: [{ instrument: INSTRUMENT, bars: bars(rows) as never }], strategy, cash, journal });
  const events: EngineEvent[] = journal.all().map((r) => r.event);
  const inits = events.filter((e): e is OrderInitialized => e.kind === 'OrderInitialized');
  const status = (id: string) => {
    const last = events.filter((e) => 'clientOrderId' in e && e.clientOrderId === id && e.kind.startsWith('Order') && e.kind !== 'OrderInitialized').at(-1);
    return last?.kind;
  };
  return { result, events, inits, status };
}

describe('ctx.bracket in a backtest', () => {
  it('an entry of 0.1 BTC at market, take-profit 110 and stop-loss 90: both children are the strategy\'s (STRATEGY:brk), journaled; the take-profit fills at 110', async () => {
    let entry = '';
    const s: Strategy = {
      name: 'brk',
      async onBar(_b, ctx) {
        if (entry) return;
        const r = await ctx.bracket({ entry: { instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '90.00' });
        entry = r.clientOrderIds[0]!;
        expect(r.denied).toEqual([]);
      },
    };
    const { inits, status, result } = await backtest(s, [
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [100, 105, 98, 104],
      [104, 112, 103, 111],
      [111, 111, 111, 111],
    ]);
    const children = inits.filter((e) => e.clientOrderId !== entry);
    expect(children.map((e) => e.clientOrderId).sort()).toEqual([`${entry}-SL-1`, `${entry}-TP-1`]);
    for (const c of children) {
      expect(c.origin).toBe('STRATEGY:brk');
      expect(c.spec.strategyId).toBe('brk');
    }
    expect(status(`${entry}-TP-1`)).toBe('OrderFilled');
    // (The stop-loss rests on the venue beside the take-profit; on this cash account both would lock
    // the same 0.1 BTC, so the simulated venue refuses it: a venue without native OCO lists cannot
    // hold both on a spot account. Its fate is the emulator's and the venue's, not the context's.)
    expect(result.fills.map((f) => `${f.side} ${f.quantity} @ ${f.price}`)).toEqual(['BUY 0.100 @ 100.00', 'SELL 0.100 @ 110.00']);
  });
});

describe('ctx.trailingStop in a backtest', () => {
  it('a sell trailing 5.00 under a 1 BTC long is held by the emulator (the simulated venue has no trailing stops), follows the high to 112 and fires at 107, released as STRATEGY:trail', async () => {
    let stop = '';
    let bought = false;
    const heldAfterPlacing: boolean[] = [];
    const s: Strategy = {
      name: 'trail',
      async onBar(_b, ctx) {
        if (!bought) {
          bought = true;
          await ctx.market(BTC, 'BUY', '1');
        } else if (!stop && ctx.netQuantity(BTC) > 0) {
          const r = await ctx.trailingStop({ instrumentId: BTC, side: 'SELL', quantity: '1', trailingOffset: '5.00', trailingOffsetType: 'PRICE' });
          stop = r.clientOrderIds[0]!;
          heldAfterPlacing.push(ctx.order(stop) === undefined);
        }
      },
    };
    const { events, inits, result } = await backtest(s, [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 112, 100, 110],
      [110, 110, 106, 106],
      [105, 105, 105, 105],
    ]);
    // Held engine-side, not an engine order, until it fired.
    expect(heldAfterPlacing).toEqual([true]);
    expect(events.some((e) => e.kind === 'EmulatedOrderHeld' && e.clientOrderId === stop)).toBe(true);
    const released = events.find((e) => e.kind === 'EmulatedOrderReleased' && e.clientOrderId === stop);
    expect(released && 'triggerPrice' in released ? released.triggerPrice?.toString() : undefined).toBe('107.00');
    expect(inits.find((e) => e.clientOrderId === stop)?.origin).toBe('STRATEGY:trail');
    expect(result.fills.map((f) => `${f.side} ${f.quantity} @ ${f.price}`)).toEqual(['BUY 1.000 @ 100.00', 'SELL 1.000 @ 105.00']);
    expect(result.openPositions).toEqual([]);
  });
});

describe('ctx.twap in a backtest', () => {
  it('a TWAP buying 0.4 BTC in 4 slices over 4 minutes completes (AlgoEnded DONE): 4 children of 0.1, each STRATEGY:twap, position 0.4', async () => {
    let parent = '';
    const s: Strategy = {
      name: 'twap',
      async onStart(ctx) {
        parent = await ctx.twap({ instrumentId: BTC, side: 'BUY', quantity: '0.4', endTime: T0 + 4 * MIN, slices: 4 });
      },
      onBar() {},
    };
    const { events, inits, result } = await backtest(s, Array.from({ length: 8 }, () => [100, 100, 100, 100] as const));
    const children = inits.filter((e) => e.spec.parentOrderId === parent);
    expect(children.map((c) => [c.spec.quantity.toString(), c.origin])).toEqual(Array.from({ length: 4 }, () => ['0.100', 'STRATEGY:twap']));
    const ended = events.find((e) => e.kind === 'AlgoEnded' && e.parentId === parent);
    expect(ended && ended.kind === 'AlgoEnded' ? ended.status : undefined).toBe('DONE');
    expect(result.openPositions).toEqual([{ instrumentId: BTC, quantity: '0.400' }]);
  });
});

describe('ctx.closePosition in a backtest', () => {
  it('closes a 0.5 BTC long by selling exactly what the account can deliver; flat, it sends nothing', async () => {
    const seen: { sellable: string; sent: string[]; again: string[] }[] = [];
    let step = 0;
    const s: Strategy = {
      name: 'closer',
      async onBar(_b, ctx: StrategyContext) {
        step++;
        if (step === 1) await ctx.market(BTC, 'BUY', '0.5');
        if (step === 3) {
          const sellable = ctx.sellable(BTC).toString();
          const r = await ctx.closePosition(BTC);
          seen.push({ sellable, sent: r.clientOrderIds.map((id) => `${String(ctx.order(id)?.side)} ${String(ctx.order(id)?.quantity.toString())}`), again: [] });
        }
        if (step === 5) seen[0]!.again = [...(await ctx.closePosition(BTC)).clientOrderIds];
      },
    };
    const { result } = await backtest(s, Array.from({ length: 6 }, () => [100, 100, 100, 100] as const));
    expect(seen).toEqual([{ sellable: '0.500', sent: ['SELL 0.500'], again: [] }]);
    expect(result.openPositions).toEqual([]);
  });
});

describe('ctx.cancel of a held order', () => {
  it('cancels the strategy\'s own trailing stop held by the emulator (EmulatedOrderCanceled), nothing sent to the venue', async () => {
    let stop = '';
    const results: string[] = [];
    let step = 0;
    const s: Strategy = {
      name: 'canceler',
      async onBar(_b, ctx) {
        step++;
        if (step === 1) await ctx.market(BTC, 'BUY', '1');
        if (step === 3) stop = (await ctx.trailingStop({ instrumentId: BTC, side: 'SELL', quantity: '1', trailingOffset: '5.00', trailingOffsetType: 'PRICE' })).clientOrderIds[0]!;
        if (step === 4) results.push(...(await ctx.cancel(stop)).clientOrderIds);
      },
    };
    const { events, inits } = await backtest(s, [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 90, 90],
    ]);
    expect(results).toEqual([stop]);
    expect(events.some((e) => e.kind === 'EmulatedOrderCanceled' && e.clientOrderId === stop)).toBe(true);
    expect(inits.map((e) => e.clientOrderId)).not.toContain(stop);
  });
});
