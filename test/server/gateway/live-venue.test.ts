/**
 * The gateway in front of a live ccxt venue: a node in mode live on Binance spot through ccxt (the
 * real client against the local fake Binance, test/support/fake-binance), the gateway mapping
 * BTCUSDT to that venue's instrument, and a second real ccxt.pro binance client (the bot) talking
 * to the gateway. The bot's order goes through Warden's gate, Warden places it at the exchange
 * through ccxt, the exchange's fill comes back to Warden by its user stream and on to the bot as
 * an executionReport; the bot's cancel reaches the exchange.
 */
import { join } from 'node:path';
import { Agent } from 'node:http';
import ccxt, { type Order } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { TradingNode, type RunSummary } from '../../../src/node/trading-node.ts';
import { startGateway, type RunningGateway } from '../../../src/server/gateway/gateway.ts';
import { startFakeBinance, type FakeBinanceServer } from '../../support/fake-binance/index.ts';
import { yaml } from '../../node/small-node.ts';
import { tempDir } from '../../node/support.ts';
import { KEY, SECRET, STRATEGY, until, type BinanceClient } from './support.ts';

const INST = 'BTCUSDT.BINANCE';
let exchange: FakeBinanceServer;
let node: TradingNode;
let running: Promise<RunSummary>;
let gateway: RunningGateway;
let bot: BinanceClient;
let pusher: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  exchange = await startFakeBinance({ kind: 'spot', balances: { USDT: '50000', BTC: '0.5' } });
  exchange.matching.quote('BTCUSDT', '30000.00', '30001.00');
  let i = 0;
  pusher = setInterval(() => exchange.matching.quote('BTCUSDT', `${30000 + (++i % 3)}.00`, `${30001 + (i % 3)}.00`), 50);
  const loaded = parseNodeConfig(
    yaml({
      node: { id: 'gw-live', mode: 'live', journal: { sqlite: join(tempDir(), 'journal.sqlite') } },
      venues: { BINANCE: { type: 'ccxt', exchange: 'binance', api_key: exchange.apiKey, secret: exchange.secret, urls: exchange.urls, timeout_ms: 2000, heartbeat_ms: 1000, reconnect: { base_ms: 50, max_ms: 200 } } },
      accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'BINANCE' }],
      instruments: [{ id: INST, from_venue: true }],
      data: { subscriptions: [{ instrument: INST, quotes: true }] },
      risk: { version: 1, limits: { default: { max_order_quantity: '1', max_order_notional: '100000', max_position_quantity: '2', max_position_notional: '200000' } } },
      logging: { level: 'silent' },
    }),
  );
  node = await TradingNode.start(loaded.config, { secrets: loaded.secrets });
  running = node.run();
  await until(() => node.engine.portfolio.quote(INST as never)?.bid !== undefined, 'a quote from the exchange', 8_000);
  gateway = await startGateway(node, { host: '127.0.0.1', port: 0, keys: [{ api_key: KEY, secret: SECRET, account: 'ACC-1', strategy: STRATEGY, role: 'trade' }], symbols: { BTCUSDT: INST } });
  bot = new ccxt.pro.binance({ apiKey: KEY, secret: SECRET, timeout: 5_000, httpAgent: new Agent(), options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ['spot'] } } });
  bot.urls['api'] = gateway.ccxtUrls;
  await bot.loadMarkets();
}, 60_000);

afterAll(async () => {
  clearInterval(pusher);
  await bot?.close();
  await gateway?.close();
  node?.requestStop();
  await running;
  await exchange?.close();
}, 30_000);

const raw = (x: { info?: unknown }) => x.info as Record<string, unknown>;
/** The exchange's own record of an order placed by Warden under this client order id. */
const atExchange = (clientOrderId: string) => exchange.matching.allOrders('main').find((o) => o.clientOrderId === clientOrderId);

async function watchUntil(pred: (o: Order) => boolean, first: Promise<Order[]>): Promise<Order> {
  for (let batch = await first; ; batch = await bot.watchOrders('BTC/USDT')) {
    const hit = batch.find(pred);
    if (hit) return hit;
  }
}

describe('the gateway routing to a live ccxt venue (Binance through ccxt, the fake exchange)', () => {
  it('the bot sees the venue market through the gateway: the exchange grid, the streamed quote', async () => {
    expect(bot.market('BTC/USDT').precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    const t = await bot.fetchTicker('BTC/USDT');
    expect(['30000', '30001', '30002']).toContain(String(t.bid));
  });

  it('place: a limit buy goes through Warden to the exchange; fill: a print through it comes back as a TRADE executionReport; Warden and the exchange agree', async () => {
    const updates = bot.watchOrders('BTC/USDT');
    await until(() => gateway.subscribedStreams() > 0, 'the bot user stream');
    const placed = await bot.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 29900, { clientOrderId: 'gwl-buy-1' });
    expect(placed.status).toBe('open');
    await until(() => node.engine.order('gwl-buy-1')?.status === 'ACCEPTED', 'the exchange accepting it');
    expect([atExchange('gwl-buy-1')?.status, Number(atExchange('gwl-buy-1')?.price)]).toEqual(['NEW', 29900]);
    expect(node.engine.order('gwl-buy-1')?.spec.strategyId).toBe(STRATEGY);

    exchange.matching.trade('BTCUSDT', '29900.00', '1');
    const filled = await watchUntil((o) => o.id === placed.id && o.status === 'closed', updates);
    expect(filled).toMatchObject({ clientOrderId: 'gwl-buy-1', filled: 0.01, price: 29900 });
    expect(raw(filled)).toMatchObject({ e: 'executionReport', x: 'TRADE', X: 'FILLED', L: '29900.00000000', l: '0.01000000' });
    expect(atExchange('gwl-buy-1')?.status).toBe('FILLED');
    expect(node.engine.order('gwl-buy-1')?.status).toBe('FILLED');
    const trades = await bot.fetchMyTrades('BTC/USDT');
    expect(trades.filter((t) => t.order === placed.id).map((t) => [t.price, t.amount])).toEqual([[29900, 0.01]]);
  }, 20_000);

  it('cancel: the bot cancel reaches the exchange and comes back CANCELED', async () => {
    const placed = await bot.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 29800, { clientOrderId: 'gwl-buy-2' });
    await until(() => atExchange('gwl-buy-2')?.status === 'NEW', 'the order at the exchange');
    const next = bot.watchOrders('BTC/USDT');
    const canceled = await bot.cancelOrder(placed.id!, 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect(atExchange('gwl-buy-2')?.status).toBe('CANCELED');
    const report = await watchUntil((o) => o.id === placed.id && o.status === 'canceled', next);
    expect(raw(report)['x']).toBe('CANCELED');
  }, 20_000);

  it('a market sell fills at the exchange bid and shows in the bot balance', async () => {
    const before = (await bot.fetchBalance())['BTC']?.total ?? 0;
    const placed = await bot.createOrder('BTC/USDT', 'market', 'sell', 0.02, undefined, { clientOrderId: 'gwl-sell-1' });
    await until(() => node.engine.order('gwl-sell-1')?.status === 'FILLED', 'the market sell filled');
    expect(atExchange('gwl-sell-1')?.status).toBe('FILLED');
    expect((await bot.fetchOrder(placed.id!, 'BTC/USDT')).status).toBe('closed');
    const after = (await bot.fetchBalance())['BTC']?.total ?? 0;
    expect(before - after).toBeCloseTo(0.02, 8);
  }, 20_000);
});
