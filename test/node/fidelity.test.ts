import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNodeConfig, type NodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { EXAMPLES, paperConfig, tempDir } from './support.ts';

/** A fill as fidelity compares it: what traded, when and at what price (client order ids aside). */
type Fill = string;

/** Runs the config's node to the end of its data; every fill as `strategy instrument side qty@price time`. */
async function fillsOf(config: NodeConfig): Promise<{ fills: Fill[]; denied: number }> {
  const node = await TradingNode.start(config);
  const fills: Fill[] = [];
  node.engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') fills.push(`${e.strategyId} ${e.instrumentId} ${e.side} ${e.lastQty.toString()}@${e.lastPx.toString()} ${new Date(e.tsEvent).toISOString()}`);
  });
  const r = await node.run();
  expect(r.completed).toBe(true);
  return { fills, denied: r.status.denied };
}

const as = (config: NodeConfig, mode: 'backtest' | 'paper', dir: string): NodeConfig => ({
  ...config,
  node: { ...config.node, mode, journal: { sqlite: join(dir, `${mode}.sqlite`) } },
  data: { ...config.data, speed: 'max' },
});

/** examples/warden.backtest.yaml (sma-cross on NVDA, macd on ORCL, daily bars), in a paper run at maximum speed. */
function equitiesConfig(): NodeConfig {
  return loadNodeConfig(join(EXAMPLES, 'warden.backtest.yaml'), {}).config;
}

describe('fidelity: a backtest and a paper run of the node on the same data trade the same', () => {
  it('sma-cross on BTCUSDT and bollinger-reversion on BTCUSDC, 8,000 one-minute bars each, 50 ms venue latency: without risk control both trade; with the full risk stack the same orders are denied in both', async () => {
    const dir = tempDir();
    const config = paperConfig(dir, 8000);
    const free = { ...config, risk: undefined };
    const backtest = await fillsOf(as(free, 'backtest', dir));
    const paper = await fillsOf(as(free, 'paper', tempDir()));
    expect(backtest.fills.length).toBeGreaterThan(20);
    expect(new Set(backtest.fills.map((f) => f.split(' ')[0]))).toEqual(new Set(['sma-btcusdt', 'bb-btcusdc']));
    expect(paper.fills).toEqual(backtest.fills);

    // risk.example.yaml denies sma-btcusdt (concentration, then a halt): the same denials, the same fills.
    const guardedBacktest = await fillsOf(as(config, 'backtest', tempDir()));
    const guardedPaper = await fillsOf(as(config, 'paper', tempDir()));
    expect(guardedBacktest.denied).toBeGreaterThan(0);
    expect(guardedPaper.denied).toBe(guardedBacktest.denied);
    expect(guardedBacktest.fills.length).toBeGreaterThan(20);
    expect(guardedPaper.fills).toEqual(guardedBacktest.fills);
  });

  it('sma-cross on NVDA and macd on ORCL, 20 years of daily bars, risk gate and drawdown breaker', async () => {
    const dir = tempDir();
    const config = equitiesConfig();
    const backtest = await fillsOf(as(config, 'backtest', dir));
    const paper = await fillsOf(as(config, 'paper', dir));
    expect(backtest.fills.length).toBeGreaterThan(20);
    expect(new Set(backtest.fills.map((f) => f.split(' ')[0]))).toEqual(new Set(['sma-nvda', 'macd-orcl']));
    expect(paper.fills).toEqual(backtest.fills);
    expect(paper.denied).toBe(backtest.denied);
  });
});
