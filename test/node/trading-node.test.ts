import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Strategy, StrategyFactory } from '../../src/backtest/strategy.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { count, paperConfig, replayJournal, stateText, tempDir } from './support.ts';

describe('TradingNode in paper mode on examples/warden.paper.yaml (two strategies, two instruments, full risk stack)', () => {
  it('replays all 30,240 one-minute steps of both files at max speed; the gate sees fresh prices; the journal replays to the same state', async () => {
    const dir = tempDir();
    const node = await TradingNode.start(paperConfig(dir));
    expect(node.registeredNow).toEqual(['BTCUSDT.BINANCEUS', 'BTCUSDC.BINANCEUS']);
    expect(node.openedNow).toEqual(['ACC-1', 'ACC-2']);
    expect(node.strategyIds).toEqual(['sma-btcusdt', 'bb-btcusdc']);
    const { status, completed } = await node.run();
    expect(completed).toBe(true);
    expect(status.steps).toBe(30_240);
    expect(status.items).toBe(60_480);
    // Prices reach the engine at each bar's close, so no order is denied for a stale reference price.
    expect(status.deniedByCode.REFERENCE_PRICE_STALE).toBeUndefined();
    expect(status.orders).toBeGreaterThan(50);
    expect(status.fills).toBeGreaterThan(20);
    const replayed = await replayJournal(join(dir, 'journal.sqlite'));
    expect(replayed.state).toBe(stateText(node.engine));
    expect(count(replayed.events, 'OrderFilled')).toBe(status.fills);
  }, 120_000);

  it('a restart from the same journal continues: nothing registered or opened again, same positions, no client order id reused', async () => {
    const dir = tempDir();
    const first = await TradingNode.start(paperConfig(dir, 1_500));
    const a = await first.run({ maxSteps: 725 });
    expect(a.completed).toBe(false);
    // A position is open at the stop, so the restarted venue must be told of it for reconciliation to agree.
    expect(first.engine.portfolio.openPositions().length).toBeGreaterThan(0);
    const atStop = stateText(first.engine);
    const stoppedAt = a.status.ts;

    const second = await TradingNode.start(paperConfig(dir, 1_500));
    expect(second.registeredNow).toEqual([]);
    expect(second.openedNow).toEqual([]);
    expect(second.engine.recovery?.snapshotSeq).toBeGreaterThan(0);
    // The state carried over is exactly the one at the stop (reconciliation found nothing to change).
    expect(second.reconciled.every((r) => r.positionMismatches.length === 0 && !r.halted)).toBe(true);
    expect(stateText(second.engine)).toBe(atStop);
    // Bars are not journaled: the replay resumes at the last journaled record's time, after the data start, not after the stop.
    expect(second.resumeFrom).toBeGreaterThan(Date.UTC(2023, 2, 1));
    expect(second.resumeFrom).toBeLessThanOrEqual(stoppedAt);
    const b = await second.run();
    expect(b.completed).toBe(true);
    expect(b.status.steps).toBeLessThan(1_500 - 600);

    const { events, state } = await replayJournal(join(dir, 'journal.sqlite'));
    expect(count(events, 'InstrumentRegistered')).toBe(2);
    expect(count(events, 'AccountOpened')).toBe(2);
    const ids = events.flatMap((e) => (e.kind === 'OrderInitialized' ? [e.clientOrderId] : []));
    expect(ids.length).toBeGreaterThan(a.status.orders);
    expect(new Set(ids).size).toBe(ids.length);
    expect(state).toBe(stateText(second.engine));
    expect(atStop).not.toBe(state);
  }, 60_000);

  it('a trailing stop a strategy submits on the simulated venue (no native trailing stops) is held by the emulator without the strategy asking', async () => {
    const dir = tempDir();
    const ids: string[] = [];
    const trailer: Strategy = {
      name: 'trailer',
      async onBar(bar, ctx) {
        if (ids.length > 0) return;
        const r = await ctx.submit({ instrumentId: bar.instrumentId, side: 'SELL', type: 'TRAILING_STOP_MARKET', quantity: '0.01', trailingOffset: '50', trailingOffsetType: 'PRICE' });
        ids.push(...r.clientOrderIds);
      },
    };
    const factory: StrategyFactory = { name: 'trailer', description: 'test', params: [], create: () => trailer };
    const base = paperConfig(dir, 50);
    const config = { ...base, strategies: [{ name: 'trailer', id: 'trail-1', params: {}, instruments: ['BTCUSDT.BINANCEUS'], account: 'ACC-1' }] };
    const node = await TradingNode.start(config, { strategies: { trailer: factory } });
    await node.run({ maxSteps: 3, keepOpen: true });
    expect(ids).toHaveLength(1);
    const held = node.orderEmulator.get(ids[0]!);
    expect(held?.status).toBe('HELD');
    expect(held?.spec.type).toBe('TRAILING_STOP_MARKET');
    // Held engine-side: the venue never saw it.
    expect(node.engine.order(ids[0]!)).toBeUndefined();
    await node.stop();
  }, 30_000);

  it('mode live on a simulated venue is refused with a clear error', async () => {
    const dir = tempDir();
    const base = paperConfig(dir, 10);
    await expect(TradingNode.start({ ...base, node: { ...base.node, mode: 'live' } })).rejects.toThrow(/mode live trades on live venues only, and BINANCEUS is simulated/);
  });
});
