import { join } from 'node:path';
import { SMA } from 'trading-signals';
import type { Strategy, StrategyFactory } from '../../src/backtest/strategy.ts';
import { parseNodeConfig, type NodeConfig } from '../../src/node/config/index.ts';
import { TradingNode, type TradingNodeDeps } from '../../src/node/trading-node.ts';
import { tempDir } from './support.ts';
import { yaml } from './small-node.ts';

export const BTC_FILE = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
export const START = Date.parse('2023-03-01T00:00:00Z');
export const BTC = 'BTCUSDT.BINANCE';

export interface PaperVenueConfig {
  /** Starting USDT of account P. */
  readonly balance: string;
  /** Replayed as BTCUSDT.BINANCE; none: the node is driven by hand. */
  readonly file?: string;
  readonly speed?: number | 'max';
  readonly risk?: Record<string, unknown>;
  /** One strategy of this name on BTCUSDT.BINANCE trading P (its factory given to the node). */
  readonly strategy?: string;
}

/**
 * A paper node's config as `warden paper` would build it for BTCUSDT on one simulated venue
 * BINANCE (tick 0.01, lot 0.00001, 0.1% maker and taker fees) with one CASH account P holding
 * `balance` USDT, journaled in a new temp folder.
 */
export function paperVenueConfig(o: PaperVenueConfig): NodeConfig {
  const dir = tempDir();
  const text = yaml({
    node: { id: 'paper', mode: 'paper', journal: { sqlite: join(dir, 'journal.sqlite') } },
    venues: { BINANCE: { type: 'sim' } },
    accounts: [{ id: 'P', type: 'CASH', venue: 'BINANCE', balances: { USDT: o.balance } }],
    instruments: [{ id: BTC, kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001', maker_fee: '0.001', taker_fee: '0.001' }],
    data: { speed: o.speed ?? 'max', replay: o.file ? [{ file: o.file, instrument: BTC }] : [] },
    ...(o.risk ? { risk: o.risk } : {}),
    logging: { level: 'silent' },
  });
  const { config } = parseNodeConfig(text, { env: {}, baseDir: dir });
  // The config check knows only the built-in strategies: a test's own is added after it.
  return o.strategy ? { ...config, strategies: [{ name: o.strategy, id: o.strategy, params: {}, instruments: [BTC], account: 'P' }] } : config;
}

/** The paper node of `paperVenueConfig`, started (instruments listed, account opened at the engine and the venue). */
export async function startPaperNode(o: PaperVenueConfig, deps: TradingNodeDeps = {}): Promise<TradingNode> {
  return TradingNode.start(paperVenueConfig(o), deps);
}

/**
 * `fixed-cross`: long when SMA(fast) is above SMA(slow), flat otherwise, trading a fixed quantity
 * with market orders whatever the account holds (what the removed paper demo strategy did, so a
 * quantity far beyond the cash reaches the venue).
 */
export function fixedCross(fast: number, slow: number, quantity: string): Record<string, StrategyFactory> {
  const create = (): Strategy => {
    const f = new SMA(fast);
    const s = new SMA(slow);
    let long = false;
    return {
      name: 'fixed-cross',
      async onBar(bar, ctx) {
        const close = Number(bar.close);
        f.add(close);
        s.add(close);
        if (!f.isStable || !s.isStable) return;
        const up = Number(f.getResult()) > Number(s.getResult());
        if (up === long) return;
        long = up;
        await ctx.submit({ instrumentId: bar.instrumentId, side: up ? 'BUY' : 'SELL', type: 'MARKET', quantity });
      },
    };
  };
  return { 'fixed-cross': { name: 'fixed-cross', description: 'test: fixed-quantity SMA cross', params: [], create } };
}
