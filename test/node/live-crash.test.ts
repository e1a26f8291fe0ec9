/**
 * FAULTS 25 through the real protocol: `warden run` of a live node on the fake Binance, killed
 * with SIGKILL while it trades, started again. The second start reconciles with the exchange
 * before any strategy runs: no order is sent twice, and the journal's books end equal to the
 * exchange's to the unit.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import { startFakeBinance, type FakeBinanceServer } from '../support/fake-binance/index.ts';
import { yaml } from './small-node.ts';
import { tempDir } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let server: FakeBinanceServer;
let market: ReturnType<typeof setInterval> | undefined;

beforeEach(async () => {
  server = await startFakeBinance({ kind: 'spot', balances: { USDT: '50000', BTC: '0' } });
  let i = 0;
  // A market that swings (a triangle of 4 s around 30,000) so sma-cross on 1 s bars crosses every few bars.
  market = setInterval(() => {
    i++;
    const p = 30_000 + Math.abs((i % 100) - 50) * 2;
    server.matching.quote('BTCUSDT', `${p}.00`, `${p + 1}.00`);
    server.matching.trade('BTCUSDT', `${p}.00`, '0.001');
  }, 40);
});

afterEach(async () => {
  clearInterval(market);
  await server.close();
});

function writeConfig(dir: string): string {
  const file = join(dir, 'warden.yaml');
  writeFileSync(
    file,
    yaml({
      node: { id: 'live-crash', mode: 'live', journal: { sqlite: join(dir, 'journal.sqlite') } },
      venues: { BINANCE: { type: 'ccxt', exchange: 'binance', api_key: '${BINANCE_API_KEY}', secret: '${BINANCE_SECRET}', urls: server.urls, timeout_ms: 2000, heartbeat_ms: 2000 } },
      accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'BINANCE' }],
      instruments: [{ id: 'BTCUSDT.BINANCE', from_venue: true }],
      data: { subscriptions: [{ instrument: 'BTCUSDT.BINANCE', quotes: true, bars: '1s' }] },
      strategies: [{ name: 'sma-cross', id: 'sma-1', instruments: ['BTCUSDT.BINANCE'], account: 'ACC-1', params: { fast: 2, slow: 3, fraction: 0.05 } }],
      logging: { level: 'silent' },
    }),
  );
  return file;
}

function run(config: string): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>; child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--config', config, '--status-every', '1'], {
    cwd: ROOT,
    env: { ...process.env, BINANCE_API_KEY: server.apiKey, BINANCE_SECRET: server.secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((res) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timeout);
      res({ code, signal, out });
    }),
  );
  return { done, child };
}

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('crash test of a live node: warden run on the fake Binance, SIGKILL while trading, start again', () => {
  it('no order is sent twice and the books end equal to the exchange', async () => {
    const dir = tempDir();
    const config = writeConfig(dir);
    const first = run(config);
    await until(() => server.matching.allOrders('main').length >= 2, 'two orders at the exchange').catch(async (e: unknown) => {
      first.child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}: ${(await first.done).out.slice(-1500)}`);
    });
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const placedBefore = server.matching.allOrders('main').length;

    const second = run(config);
    await until(() => server.matching.allOrders('main').length >= placedBefore + 2, 'the restarted node trading again');
    second.child.kill('SIGTERM');
    const stopped = await second.done;
    expect(stopped.code, stopped.out).toBe(0);

    const ids = server.matching.allOrders('main').map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    const journal = SqliteJournal.open({ path: join(dir, 'journal.sqlite'), identity: { allowMismatch: true } });
    try {
      const engine = await Engine.fromJournal(journal, { clock: new TestClock(0) });
      const acct = engine.portfolio.account('ACC-1' as never);
      const venue = server.matching.balances('main');
      const total = (code: 'BTC' | 'USDT') => Money.of(venue[code]!.free, Currencies[code]).add(Money.of(venue[code]!.locked, Currencies[code])).toDecimalString();
      expect(acct.balance(Currencies.BTC).total.toDecimalString()).toBe(total('BTC'));
      expect(acct.balance(Currencies.USDT).total.toDecimalString()).toBe(total('USDT'));
      expect(engine.order(ids[0]!)).toBeDefined();
      // Every order the exchange has is in the journal.
      for (const id of ids) expect(engine.order(id)?.clientOrderId).toBe(id);
    } finally {
      await journal.close();
    }
  }, 90_000);
});
