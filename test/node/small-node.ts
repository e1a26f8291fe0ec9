import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Strategy, StrategyFactory } from '../../src/backtest/strategy.ts';
import type { NodeConfig } from '../../src/node/config/index.ts';

export const T0 = Date.UTC(2023, 2, 1);

/** `n` one-minute BTCUSDT bars from 2023-03-01T00:00Z as a CSV file in `dir`; returns its path. */
export function barsFile(dir: string, n: number, name = 'bars.csv'): string {
  const lines = Array.from({ length: n }, (_, i) => {
    const p = 20_000 + (i % 7) * 3;
    return [new Date(T0 + i * 60_000).toISOString(), `${p}.00`, `${p + 5}.00`, `${p - 5}.00`, `${p + 1}.00`, '15'].join(',');
  });
  const file = join(dir, name);
  writeFileSync(file, ['time,open,high,low,close,volume', ...lines].join('\n'));
  return file;
}

/** A paper node's config on one simulated venue SIM, one account ACC-1, BTCUSDT.SIM replayed from `file`; `extra` merged at the top. */
export function smallConfig(dir: string, file: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    node: { id: 'small', mode: 'paper', journal: { sqlite: join(dir, 'journal.sqlite') } },
    venues: { SIM: { type: 'sim' } },
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USDT: '100000' } }],
    instruments: [{ id: 'BTCUSDT.SIM', kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' }],
    data: { speed: 'max', replay: [{ file, instrument: 'BTCUSDT.SIM' }] },
    logging: { level: 'silent' },
    ...extra,
  };
}

export const yaml = (c: Record<string, unknown>): string => stringify(c);

/** The test strategy `buyer` on BTCUSDT.SIM (the config check knows only built-in strategies, so it is added after loading). */
export function withBuyer(config: NodeConfig): NodeConfig {
  return { ...config, strategies: [{ name: 'buyer', id: 'buy-1', params: {}, instruments: ['BTCUSDT.SIM'], account: 'ACC-1' }] };
}

/** A strategy that buys 0.01 at market on each of its first `orders` bars. */
export function buyer(orders: number): Record<string, StrategyFactory> {
  const create = (): Strategy => {
    let sent = 0;
    return {
      name: 'buyer',
      async onBar(bar, ctx) {
        if (sent >= orders) return;
        sent++;
        await ctx.submit({ instrumentId: bar.instrumentId, side: 'BUY', type: 'MARKET', quantity: '0.01' });
      },
    };
  };
  return { buyer: { name: 'buyer', description: 'test: buys at market', params: [], create } };
}

export interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An HTTP server on 127.0.0.1 that answers 200 and keeps every request. */
export async function hookServer(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
