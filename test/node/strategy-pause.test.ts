/**
 * A paused strategy sends nothing new, by any path: plain orders, order lists, trailing stops and
 * algorithms are all refused (STRATEGY_NOT_RUNNING) before the engine or the emulator see them,
 * while its cancels still go. Resumed, it may send again.
 */
import { describe, expect, it } from 'vitest';
import type { Strategy, StrategyContext, StrategyFactory } from '../../src/backtest/strategy.ts';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { barsFile, smallConfig, yaml } from './small-node.ts';
import { tempDir } from './support.ts';

/** A strategy that only keeps its context, so the test can act as it. */
function holder(): { factories: Record<string, StrategyFactory>; ctx: () => StrategyContext } {
  let ctx: StrategyContext | undefined;
  const create = (): Strategy => ({
    name: 'holder',
    onStart(c) {
      ctx = c;
    },
    onBar() {},
  });
  return { factories: { holder: { name: 'holder', description: 'test: keeps its context', params: [], create } }, ctx: () => ctx! };
}

describe('a paused strategy', () => {
  it('is refused every kind of new order, keeps its cancels, and sends again once resumed', async () => {
    const dir = tempDir();
    const { config } = parseNodeConfig(yaml(smallConfig(dir, barsFile(dir, 30))), { env: {}, baseDir: dir });
    const h = holder();
    const node = await TradingNode.start({ ...config, strategies: [{ name: 'holder', id: 'h-1', params: {}, instruments: ['BTCUSDT.SIM'], account: 'ACC-1' }] }, { strategies: h.factories });
    await node.run({ maxSteps: 5, keepOpen: true });
    const ctx = h.ctx();
    const trailing = { instrumentId: 'BTCUSDT.SIM', side: 'SELL' as const, quantity: '0.01', trailingOffset: '500', trailingOffsetType: 'PRICE' as const };
    const held = await ctx.trailingStop(trailing);
    expect(held.denied).toEqual([]);
    node.strategies.pause('h-1');
    const refused = [
      ctx.submit({ instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'MARKET', quantity: '0.01' }),
      ctx.trailingStop(trailing),
      ctx.oco({ instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '19000' }, { instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'STOP_MARKET', quantity: '0.01', triggerPrice: '21000' }),
      ctx.twap({ instrumentId: 'BTCUSDT.SIM', side: 'BUY', quantity: '0.02', slices: 2, endTime: node.clock.now() + 600_000 }),
    ];
    for (const r of refused) await expect(r).rejects.toMatchObject({ code: 'STRATEGY_NOT_RUNNING' });
    // Nothing of them reached the engine or the emulator: only the trailing stop from before is held.
    expect([...node.engine.openOrders()]).toHaveLength(0);
    expect(node.orderEmulator.heldOrders().map((o) => o.clientOrderId)).toEqual(held.clientOrderIds);
    expect(node.engine.state.algos.running()).toHaveLength(0);
    // A cancel reduces risk: it still goes.
    await ctx.cancel(held.clientOrderIds[0]!);
    expect(node.orderEmulator.get(held.clientOrderIds[0]!)?.status).toBe('CANCELED');
    node.strategies.resume('h-1');
    const again = await ctx.trailingStop(trailing);
    expect(again.denied).toEqual([]);
    expect(node.orderEmulator.heldOrders().map((o) => o.clientOrderId)).toEqual([again.clientOrderIds[0]]);
    await node.stop();
  });
});
