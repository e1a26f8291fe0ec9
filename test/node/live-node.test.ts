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
    // FAULTS 35 while the node was down: Binance moves BTCUSDT to a 0.10 tick.
    server.matching.setFilters('BTCUSDT', { tickSize: '0.10' });
    const again = await TradingNode.start(withStrategy, { secrets: loaded.secrets, strategies: quoteBuyer(['done']) });
    expect([again.registeredNow, again.openedNow]).toEqual([[], []]);
    expect(again.reconciled.map((r) => [r.halted, r.positionMismatches.length])).toEqual([[false, 0]]);
    expect(again.engine.instrument('BTCUSDT.BINANCE').tickSize.toString()).toBe('0.10');
    expect(again.engine.order(sent[0]!)?.status).toBe('FILLED');
    await again.stop();
    // Read last: reading a journal records a run of its own.
    const replayed = await replayJournal(join(dir, 'journal.sqlite'));
    expect(replayed.events.filter((e) => e.kind === 'InstrumentUpdated')).toHaveLength(1);
    expect(replayed.state).toBe(stateText(again.engine));
    expect(replayed.state).not.toBe(atStop);
    // Nothing of the credentials reaches the journal.
    expect(JSON.stringify(replayed.events)).not.toContain(server.secret);
  }, 30_000);

  it('paper trades on live prices: a simulated venue fed by the order book stream of a ccxt venue without credentials (public data only)', async () => {
    const dir = tempDir();
    const loaded = parseNodeConfig(
      yaml({
        node: { id: 'paper-live', mode: 'paper', journal: { sqlite: join(dir, 'journal.sqlite') } },
        venues: { PAPER: { type: 'sim' }, BINANCE: { type: 'ccxt', exchange: 'binance', urls: server.urls, timeout_ms: 2000, heartbeat_ms: 1000 } },
        accounts: [{ id: 'P-1', type: 'CASH', venue: 'PAPER', balances: { USDT: '10000' } }],
        instruments: [{ id: 'BTCUSDT.PAPER', kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' }],
        data: { subscriptions: [{ instrument: 'BTCUSDT.PAPER', venue: 'BINANCE', book: true }] },
        logging: { level: 'silent' },
      }),
    );
    const sent: string[] = [];
    const config = { ...loaded.config, strategies: [{ name: 'quote-buyer', id: 'qb-1', params: {}, instruments: ['BTCUSDT.PAPER'], account: 'P-1' }] };
    const node = await TradingNode.start(config, { strategies: quoteBuyer(sent) });
    expect(node.venues.tradingNames).toEqual(['PAPER']);
    const running = node.run();
    await until(() => sent.length > 0 && sent[0] !== 'pending' && node.engine.order(sent[0]!)?.status === 'FILLED', 'the paper order filled');
    node.requestStop();
    await running;
    // Filled by the simulated venue at the exchange's streamed ask; nothing sent to the exchange.
    const fill = node.engine.order(sent[0]!)!;
    expect(['30001', '30002', '30003']).toContain(fill.avgPx?.toString());
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(server.matching.allOrders('main')).toEqual([]);
  }, 30_000);

  it('FAULTS 34 and 35: a halted market is denied MARKET_CLOSED until the exchange trades it again; a changed tick is taken and off-grid prices denied', async () => {
    const dir = tempDir();
    const loaded = config(dir);
    const node = await TradingNode.start(loaded.config, { secrets: loaded.secrets });
    const running = node.run();
    try {
      const adapter = node.venues.live('BINANCE')!.adapter!;
      const order = (id: string, price: string) => node.engine.submitOrder({ clientOrderId: id, accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCE', side: 'BUY', type: 'LIMIT', quantity: '0.01', price });
      await until(() => node.engine.portfolio.quote('BTCUSDT.BINANCE' as never) !== undefined, 'a quote');
      server.halt('BTCUSDT', true);
      await order('h-1', '29990.00');
      await until(() => node.engine.order('h-1')?.status === 'REJECTED', 'the exchange refusing h-1');
      // The refusal told the engine: the next order is denied before it reaches the exchange.
      const denied = await order('h-2', '29990.00');
      expect(denied.denied.map((d) => d.code)).toEqual(['MARKET_CLOSED']);
      server.halt('BTCUSDT', false);
      await adapter.reloadMarkets();
      await until(() => node.engine.markets.statusOf('BINANCE', 'BTCUSDT.BINANCE') === 'OPEN', 'the market open again');
      const again = await order('h-3', '29980.00');
      expect(again.denied).toEqual([]);
      await until(() => node.engine.order('h-3')?.status === 'ACCEPTED', 'h-3 at the exchange');
      // FAULTS 35: the exchange moves BTCUSDT to a 0.10 tick.
      server.matching.setFilters('BTCUSDT', { tickSize: '0.10' });
      await adapter.reloadMarkets();
      await until(() => node.engine.instrument('BTCUSDT.BINANCE').tickSize.toString() === '0.10', 'the new tick');
      const offGrid = await order('g-1', '29990.05').catch((e: unknown) => e as Error);
      expect(offGrid instanceof Error ? offGrid.message : offGrid.denied.map((d) => d.code).join()).toMatch(/OFF_TICK_GRID|tick/);
      expect(server.matching.allOrders('main').map((o) => o.clientOrderId)).toEqual(['h-3']);
    } finally {
      node.requestStop();
      await running;
    }
  }, 30_000);
});
