import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, parseNodeConfig } from '../../src/node/config/index.ts';
import { loopedReplay, type MarketItem } from '../../src/node/market-data.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { tempDir } from './support.ts';

const T0 = Date.UTC(2023, 2, 1);
const MIN = 60_000;

/** A CSV of `n` one-minute bars from T0 whose close is 20000 + i. */
function barsFile(dir: string, n: number): string {
  const lines = ['open_time,open,high,low,close,volume'];
  for (let i = 0; i < n; i++) lines.push(`${new Date(T0 + i * MIN).toISOString()},${20_000 + i}.00,${20_005 + i}.00,${19_995 + i}.00,${20_000 + i}.00,1.5`);
  writeFileSync(join(dir, 'bars.csv'), lines.join('\n'));
  return 'bars.csv';
}

function configText(dir: string, mode: 'paper' | 'backtest', loop: boolean): string {
  return stringify({
    node: { id: 'loop-test', mode, journal: { sqlite: join(dir, 'journal.sqlite') } },
    venues: { SIM: { type: 'sim' } },
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USDT: '100000' } }],
    instruments: [{ id: 'BTCUSDT.SIM', kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' }],
    data: { speed: 'max', loop, replay: [{ instrument: 'BTCUSDT.SIM', file: barsFile(dir, 5) }] },
    strategies: [{ name: 'sma-cross', id: 'sma', params: { fast: 1, slow: 2, fraction: 0.5 }, instruments: ['BTCUSDT.SIM'], account: 'ACC-1' }],
    logging: { level: 'silent' },
  });
}

async function take(items: AsyncIterable<MarketItem>, n: number): Promise<MarketItem[]> {
  const out: MarketItem[] = [];
  for await (const m of items) {
    out.push(m);
    if (out.length === n) break;
  }
  return out;
}

describe('data.loop: the replay runs over and over, time always moving on', () => {
  it('each pass is the file again, shifted by one pass (first open to last close): 5 bars → times T0 … T0+14 min in 15 bars', async () => {
    const dir = tempDir();
    const { config } = parseNodeConfig(configText(dir, 'paper', true), { env: {}, baseDir: dir });
    const items = await take(loopedReplay(config.data.replay), 15);
    expect(items.map((b) => b.ts)).toEqual(Array.from({ length: 15 }, (_, i) => T0 + i * MIN));
    // The prices repeat: bar 7 is bar 2 of the second pass.
    expect(items.map((b) => ('close' in b ? b.close : ''))).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4].map((i) => `${20_000 + i}.00`));
  });

  it('from a restart time it starts at that pass without reading the ones before as data', async () => {
    const dir = tempDir();
    const { config } = parseNodeConfig(configText(dir, 'paper', true), { env: {}, baseDir: dir });
    const from = T0 + 1_000 * 5 * MIN + 3 * MIN;
    const items = await take(loopedReplay(config.data.replay, from), 5);
    expect(items[0]!.ts).toBe(T0 + 1_000 * 5 * MIN);
    expect(items.filter((b) => b.ts >= from).map((b) => b.ts)).toEqual([from, from + MIN]);
  });

  it('a paper node loops past the end of its data and a restart resumes after the journal', async () => {
    const dir = tempDir();
    const { config } = parseNodeConfig(configText(dir, 'paper', true), { env: {}, baseDir: dir });
    const first = await TradingNode.start(config, {});
    const r1 = await first.run({ maxSteps: 12 });
    expect(r1.completed).toBe(false);
    expect(r1.status.steps).toBe(12);
    expect(r1.status.ts).toBe(T0 + 12 * MIN);
    // The strategy traded in the second and third passes (prices fall back at each pass's start).
    expect(r1.status.orders).toBeGreaterThan(0);
    const second = await TradingNode.start(config, {});
    expect(second.resumeFrom).toBeGreaterThan(T0 + 5 * MIN);
    const r2 = await second.run({ maxSteps: 4 });
    // Resumed at the journal's last record in a later pass, not back at the file's first bar.
    expect(r2.status.ts).toBe(second.resumeFrom + 4 * MIN);
  });

  it('is refused outside paper mode, naming data.loop', () => {
    const dir = tempDir();
    let problem = '';
    try {
      parseNodeConfig(configText(dir, 'backtest', true), { file: 'warden.yaml', env: {}, baseDir: dir });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      problem = (e as Error).message;
    }
    expect(problem).toMatch(/data\.loop.*paper mode/);
  });
});
