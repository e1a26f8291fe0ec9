/**
 * A node in mode live on a ccxt venue: the real ccxt client against the local fake Binance
 * (test/support/fake-binance), configured from one warden.yaml. Instruments come from the
 * exchange's markets, the account from its balances, prices from its book ticker stream; a
 * strategy's order goes through the gate to the exchange and its fill comes back by the user
 * stream. A restart resumes from the journal and reconciles with the exchange.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Strategy, StrategyFactory } from '../../src/backtest/strategy.ts';
import { Currencies } from '../../src/model/currency.ts';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { startFakeBinance, type FakeBinanceServer } from '../support/fake-binance/index.ts';
import { yaml } from './small-node.ts';
import { replayJournal, stateText, tempDir } from './support.ts';

let server: FakeBinanceServer;
let pusher: ReturnType<typeof setInterval> | undefined;

beforeEach(async () => {
  server = await startFakeBinance({ kind: 'spot', balances: { USDT: '50000', BTC: '0.5' } });
  server.matching.quote('BTCUSDT', '30000.00', '30001.00');
  let i = 0;
  // The market moves: a new best bid/offer every 20 ms.
  pusher = setInterval(() => {
    i++;
    server.matching.quote('BTCUSDT', `${30000 + (i % 3)}.00`, `${30001 + (i % 3)}.00`);
  }, 20);
});

afterEach(async () => {
  clearInterval(pusher);
  await server.close();
});

function config(dir: string) {
  return parseNodeConfig(
    yaml({
      node: { id: 'live-1', mode: 'live', journal: { sqlite: join(dir, 'journal.sqlite') } },
      venues: {
        BINANCE: { type: 'ccxt', exchange: 'binance', api_key: server.apiKey, secret: server.secret, urls: server.urls, timeout_ms: 2000, heartbeat_ms: 1000, reconnect: { base_ms: 50, max_ms: 200 } },
      },
      accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'BINANCE' }],
      instruments: [{ id: 'BTCUSDT.BINANCE', from_venue: true }],
      data: { subscriptions: [{ instrument: 'BTCUSDT.BINANCE', quotes: true }] },
      risk: { version: 1, limits: { default: { max_order_quantity: '1', max_order_notional: '100000', max_position_quantity: '2', max_position_notional: '200000' } } },
      logging: { level: 'silent' },
    }),
  );
}

/** Buys 0.01 BTC at market on the first quote it sees, once per run. */
function quoteBuyer(sent: string[]): Record<string, StrategyFactory> {
  const create = (): Strategy => ({
    name: 'quote-buyer',
    onBar() {},
    async onQuote(q, ctx) {
      if (sent.length > 0) return;
      sent.push('pending');
      const r = await ctx.submit({ instrumentId: q.instrumentId, side: 'BUY', type: 'MARKET', quantity: '0.01' });
      sent.splice(0, 1, ...r.clientOrderIds);
    },
  });
  return { 'quote-buyer': { name: 'quote-buyer', description: 'test: buys at market on the first quote', params: [], create } };
}

async function until(cond: () => boolean, what: string, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a live node on Binance spot through ccxt', () => {
  it('registers the exchange market, opens the account from its balances, trades on streamed quotes, and restarts reconciled', async () => {
    const dir = tempDir();
    const loaded = config(dir);
    const withStrategy = { ...loaded.config, strategies: [{ name: 'quote-buyer', id: 'qb-1', params: {}, instruments: ['BTCUSDT.BINANCE'], account: 'ACC-1' }] };
    const sent: string[] = [];
    const node = await TradingNode.start(withStrategy, { secrets: loaded.secrets, strategies: quoteBuyer(sent) });
    expect(node.registeredNow).toEqual(['BTCUSDT.BINANCE']);
    expect(node.openedNow).toEqual(['ACC-1']);
    const inst = node.engine.instrument('BTCUSDT.BINANCE');
    expect([inst.tickSize.toString(), inst.lotSize.toString()]).toEqual(['0.01', '0.00001']);
    const acct = () => node.engine.portfolio.account('ACC-1' as never);
    expect(acct().balance(Currencies.USDT).total.toDecimalString()).toBe('50000.00000000');
    const running = node.run();
    await until(() => sent.length > 0 && sent[0] !== 'pending' && node.engine.order(sent[0]!)?.status === 'FILLED', 'the strategy order filled');
    node.requestStop();
    await running;
    const atStop = stateText(node.engine);
    expect(server.matching.allOrders('main').map((o) => [o.clientOrderId, o.status])).toEqual([[sent[0], 'FILLED']]);
    expect(acct().balance(Currencies.BTC).total.toDecimalString()).toBe('0.51000000');
    const again = await TradingNode.start(withStrategy, { secrets: loaded.secrets, strategies: quoteBuyer(['done']) });
    expect([again.registeredNow, again.openedNow]).toEqual([[], []]);
    expect(again.reconciled.map((r) => [r.halted, r.positionMismatches.length])).toEqual([[false, 0]]);
    expect(stateText(again.engine)).toBe(atStop);
    await again.stop();
    // Read last: reading a journal records a run of its own.
    const replayed = await replayJournal(join(dir, 'journal.sqlite'));
    expect(replayed.state).toBe(atStop);
    // Nothing of the credentials reaches the journal.
    expect(JSON.stringify(replayed.events)).not.toContain(server.secret);
  }, 30_000);
});
