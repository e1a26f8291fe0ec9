/**
 * The risk gateway: a Binance spot-compatible REST API (/api/v3) and WebSocket API user data
 * stream (/ws-api/v3) on a port of its own, in front of the node. Each key trades as its strategy
 * on its account through the same gate as everything else; fills come back as executionReports.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OrderEvent } from '../../model/orders/events.ts';
import { ValidationError } from '../../model/errors.ts';
import type { GatewayConfig } from '../../node/config/index.ts';
import type { TradingNode } from '../../node/trading-node.ts';
import type { EmulationEvent } from '../../engine/emulation/events.ts';
import type { EngineEvent } from '../../engine/events.ts';
import { GatewayBook } from './book.ts';
import { cancelReplace } from './cancel-replace.ts';
import { KeyOrders } from './key-orders.ts';
import { GatewayMarket } from './market.ts';
import { GatewayHttp, type Route } from './http.ts';
import { GatewayKeys, type GatewayKey } from './keys.ts';
import { GatewaySymbols } from './symbols.ts';
import { GatewayTrading } from './trading.ts';
import { UserStreams } from './user-stream.ts';
import { wallNow } from '../wall.ts';
import { binanceSpotUrls, type BinanceSpotUrls } from './wire/ccxt-urls.ts';
import { exchangeInfo } from './wire/exchange-info.ts';
import type { WireExecution } from './wire/spot-wire.ts';

export interface GatewayOptions {
  readonly logger?: Logger;
  /** The wall clock (epoch ms) for signatures' timestamps; default the system's. */
  readonly now?: () => number;
}

export interface RunningGateway {
  readonly url: string;
  /** ccxt's `urls.api` for binance with every REST and WebSocket key pointed at the gateway. */
  readonly ccxtUrls: BinanceSpotUrls;
  /** User data stream subscriptions open now. */
  readonly subscribedStreams: () => number;
  /** Closes every user stream socket (clients reconnect): for operations and tests. */
  dropUserStreams(): void;
  close(): Promise<void>;
}

/** What each order event is on Binance's user stream; undefined: nothing is pushed. */
function execOf(e: OrderEvent): WireExecution['exec'] | undefined {
  switch (e.kind) {
    case 'OrderAccepted':
      return 'NEW';
    case 'OrderFilled':
      return 'TRADE';
    case 'OrderCanceled':
      return 'CANCELED';
    case 'OrderExpired':
      return 'EXPIRED';
    case 'OrderRejected':
      return 'REJECTED';
    case 'OrderTriggered':
      return 'TRIGGERED';
    default:
      return undefined;
  }
}

export async function startGateway(node: TradingNode, config: GatewayConfig, o: GatewayOptions = {}): Promise<RunningGateway> {
  const now = o.now ?? wallNow;
  const engine = node.engine;
  const keys = new GatewayKeys(config.keys);
  const symbols = new GatewaySymbols(config.symbols);
  symbols.check(engine);
  for (const k of keys.all()) {
    if (!node.config.accounts.some((a) => a.id === k.accountId)) throw new ValidationError('INVALID_FIELD', `gateway.keys: the node has no account ${k.accountId}`, { field: 'gateway.keys.account', input: k.accountId });
  }
  const book = new GatewayBook();
  const orders = new KeyOrders(node, book, symbols);
  const trading = new GatewayTrading(node, book, symbols, orders);
  const streams = new UserStreams(keys, now);
  const balances = (key: GatewayKey) =>
    Object.fromEntries(engine.portfolio.account(key.accountId as never).balances().map((b) => [b.currency.code, { free: b.free.toDecimalString(), locked: b.locked.toDecimalString() }]));

  const offOrders = engine.bus.subscribe('order', (e) => {
    // Ids are given as orders are first journaled, live as in the rebuild, so a restart gives the same ones.
    if (e.kind === 'OrderInitialized' && symbols.has(e.spec.instrumentId)) book.orderIdOf(e.clientOrderId);
    const exec = execOf(e);
    const order = exec ? engine.order(e.clientOrderId) : undefined;
    if (!exec || !order || !symbols.has(order.instrumentId)) return;
    const symbol = symbols.symbolOf(order.instrumentId);
    const trade = e.kind === 'OrderFilled' ? book.recordFill(e, symbol) : undefined;
    // A fill recorded already (the journal's rebuild met it first) was pushed already.
    if (e.kind === 'OrderFilled' && !trade) return;
    const instrument = engine.instrument(order.instrumentId);
    const assets = [instrument.base?.code, instrument.quote.code].filter((a): a is string => a !== undefined);
    streams.publish({ exec, order: book.wireOrder(order, symbol), ...(trade ? { trade } : {}) }, (key) => trading.owns(key, order), balances, assets);
  });

  // Orders Warden holds until their trigger: NEW (not working) when held, CANCELED if canceled
  // before they fire. The journal up to `until` is the rebuild's; later records wait for it, in order.
  const until = node.records.lastSeq();
  const onEmulation = (e: EmulationEvent) => {
    const h = book.recordEmulation(e, (id) => symbols.has(id));
    if (!h) return;
    const symbol = symbols.symbolOf(h.spec.instrumentId);
    streams.publish({ exec: h.state === 'CANCELED' ? 'CANCELED' : 'NEW', order: book.wireHeld(h, symbol) }, (key) => orders.owns(key, h), balances, []);
  };
  let waiting: EmulationEvent[] | undefined = [];
  const offRecords = engine.bus.subscribe('record', (r) => {
    if (r.seq <= until || !isEmulation(r.event)) return;
    if (waiting) waiting.push(r.event);
    else onEmulation(r.event);
  });

  await rebuildBook(node, book, symbols, until);
  for (const e of waiting) onEmulation(e);
  waiting = undefined;
  const market = new GatewayMarket(engine, symbols);
  const offMarket = market.start();

  const base = '/api/v3';
  const pub = (handle: (p: Readonly<Record<string, string>>) => unknown): Route => ({ security: 'NONE', handle });
  const signed = (handle: (p: Readonly<Record<string, string>>, key: GatewayKey) => unknown): Route => ({ security: 'SIGNED', handle });
  const routes = new Map<string, Route>([
    [`GET ${base}/ping`, pub(() => ({}))],
    [`GET ${base}/time`, pub(() => ({ serverTime: now() }))],
    [`GET ${base}/exchangeInfo`, pub(() => exchangeInfo(symbols.markets(engine), now()))],
    ...market.routes(base).map(([path, handle]) => [path, pub(handle)] as const),
    [`POST ${base}/order`, signed((p, k) => trading.place(p, k))],
    [`GET ${base}/order`, signed((p, k) => trading.query(p, k))],
    [`DELETE ${base}/order`, signed((p, k) => trading.cancel(p, k))],
    [`POST ${base}/order/cancelReplace`, signed((p, k) => cancelReplace(trading, orders, p, k))],
    [`GET ${base}/openOrders`, signed((p, k) => trading.openOrders(p, k))],
    [`DELETE ${base}/openOrders`, signed((p, k) => trading.cancelAll(p, k))],
    [`GET ${base}/allOrders`, signed((p, k) => trading.allOrders(p, k))],
    [`GET ${base}/myTrades`, signed((p, k) => trading.myTrades(p, k))],
    [`GET ${base}/account`, signed((_p, k) => trading.account(k))],
  ]);
  const http = new GatewayHttp(routes, keys, now, (e) => o.logger?.error({ err: e instanceof Error ? { name: e.name, message: e.message } : String(e) }, 'gateway request failed'));
  const server: Server = createServer((req, res) => void http.handle(req, res).catch((e: unknown) => res.destroy(e as Error)));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'ws://127.0.0.1').pathname;
    if (path !== '/ws-api/v3') return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => streams.attach(ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  o.logger?.info({ url, keys: keys.all().length, symbols: Object.keys(config.symbols) }, 'gateway listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    ccxtUrls: binanceSpotUrls(`${host}:${port}`),
    subscribedStreams: () => streams.subscribed,
    dropUserStreams: () => streams.dropAll(),
    close: () =>
      (closing ??= (async () => {
        offOrders();
        offRecords();
        offMarket();
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        o.logger?.info({ url }, 'gateway closed');
      })()),
  };
}

/**
 * The book from the journal up to `until`: every order on a mapped instrument in the order it was
 * first journaled (its numeric id), every fill as a trade, every order Warden held. Runs after the
 * live subscriptions are on, so nothing falls between; a fill seen both ways is recorded once.
 */
async function rebuildBook(node: TradingNode, book: GatewayBook, symbols: GatewaySymbols, until: number): Promise<void> {
  for await (const r of node.records.read(1)) {
    if (r.seq > until) break;
    const e = r.event;
    if (e.kind === 'OrderInitialized' && symbols.has(e.spec.instrumentId)) book.orderIdOf(e.clientOrderId);
    else if (e.kind === 'OrderFilled' && symbols.has(e.instrumentId)) book.recordFill(e, symbols.symbolOf(e.instrumentId));
    else if (isEmulation(e)) book.recordEmulation(e, (id) => symbols.has(id));
  }
}

function isEmulation(e: EngineEvent): e is EmulationEvent {
  switch (e.kind) {
    case 'EmulatedOrderHeld':
    case 'EmulatedOrderMoved':
    case 'EmulatedOrderResized':
    case 'EmulatedOrderReleased':
    case 'EmulatedOrderCanceled':
      return true;
    default:
      return false;
  }
}
