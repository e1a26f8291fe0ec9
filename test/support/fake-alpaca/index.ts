/**
 * A local server speaking Alpaca's trading REST API, its trade_updates stream and its stock market
 * data stream, for the real @alpacahq/alpaca-trade-api client. One paper account; orders matched
 * by FakeBook against the quotes and prints the test sets. Fault switches for FAULTS 15–24.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeBook } from './book.ts';
import { AlpacaError, ERR } from './errors.ts';
import { assetIdOf, route, type Answer } from './routes.ts';
import { DataSockets, TradingSockets } from './streams.ts';
import { tradeUpdateJson } from './wire.ts';

export interface FakeAlpacaOptions {
  readonly cash?: string;
  /** Listed symbols; `fractionable` and an optional price_increment per symbol. */
  readonly assets?: Readonly<Record<string, { fractionable?: boolean; priceIncrement?: string; minOrderSize?: string; minTradeIncrement?: string; tradable?: boolean }>>;
  readonly positions?: Readonly<Record<string, string>>;
}

export interface FakeAlpacaServer {
  readonly keyId: string;
  readonly secret: string;
  readonly baseUrl: string;
  readonly streamUrl: string;
  readonly dataStreamUrl: string;
  readonly book: FakeBook;
  readonly requests: { method: string; path: string; query: string; body: Record<string, unknown>; userAgent: string }[];
  readonly faults: FakeAlpacaFaults;
  readonly market: FakeMarket;
  close(): Promise<void>;
}

export interface FakeAlpacaFaults {
  /** The next n requests (on a path starting with `path`, of `method`) get 429 and X-RateLimit-Reset `afterSec` ahead. */
  rateLimit(o: { times?: number; path?: string; method?: string; afterSec?: number }): void;
  serverError(o: { status: 500 | 502 | 503; times?: number; path?: string; method?: string }): void;
  /** The next POST /v2/orders gets no answer; `placed` says whether the order was placed anyway. */
  submitTimeout(o: { placed: boolean }): void;
  /** The next DELETE /v2/orders/{id} gets no answer; `placed` says whether the cancel was carried out. */
  cancelTimeout(o: { placed: boolean }): void;
  /** Close every trade_updates socket now (abruptly). */
  dropStream(): void;
  /** While on, trade_updates frames are not sent (lost, as during a disconnect). */
  muteStream(on: boolean): void;
  /** Each trade_updates frame is sent twice. */
  duplicateEvents(on: boolean): void;
}

export interface FakeMarket {
  quote(symbol: string, bid: string, ask: string): void;
  print(symbol: string, price: string, size: string): void;
  bar(symbol: string, bar: { o: number; h: number; l: number; c: number; v: number; t: Date }): void;
  subscribers(channel: 'trades' | 'quotes' | 'bars', symbol: string): number;
}

interface Rule {
  times: number;
  path?: string;
  method?: string;
  answer: () => Answer & { headers?: Record<string, string> };
}

interface FaultState {
  readonly rules: Rule[];
  hold: { method: string; placed: boolean } | undefined;
  muted: boolean;
  duplicate: boolean;
}

export async function startFakeAlpaca(o: FakeAlpacaOptions = {}): Promise<FakeAlpacaServer> {
  const creds = { keyId: 'PKFAKEKEY0000000001', secret: 'fake-secret-do-not-log-0123456789abcdef' };
  const assets = o.assets ?? { AAPL: { fractionable: true } };
  const book = new FakeBook(o.cash ?? '100000', new Set(Object.keys(assets)));
  for (const [s, q] of Object.entries(o.positions ?? {})) book.positions.set(s, q);
  const trading = new TradingSockets(creds);
  const data = new DataSockets(creds);
  const requests: FakeAlpacaServer['requests'] = [];
  const held = new Set<ServerResponse>();
  const state: FaultState = { rules: [], hold: undefined, muted: false, duplicate: false };

  book.onEvent((e) => {
    if (state.muted) return;
    const frame = tradeUpdateJson(e, assetIdOf(e.order.symbol));
    trading.push(frame);
    if (state.duplicate) trading.push(frame);
  });

  const assetJson = (symbol: string) => assetOf(assets, symbol);

  const send = (res: ServerResponse, a: Answer & { headers?: Record<string, string> }) => {
    if (!('body' in a)) return res.writeHead(204).end();
    res.writeHead(a.status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-ID': 'fake-req', ...(a.headers ?? {}) }).end(JSON.stringify(a.body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    requests.push({ method, path: url.pathname, query: url.search, body, userAgent: String(req.headers['user-agent'] ?? '') });
    if (req.headers['apca-api-key-id'] !== creds.keyId || req.headers['apca-api-secret-key'] !== creds.secret) {
      return send(res, { status: 401, body: { code: ERR.unauthorized, message: 'request is not authorized' } });
    }
    const rule = state.rules.find((r) => r.times > 0 && (!r.path || url.pathname.startsWith(r.path)) && (!r.method || r.method === method));
    if (rule) {
      rule.times--;
      return send(res, rule.answer());
    }
    const holding = state.hold && state.hold.method === method && /^\/v2\/orders(\/|$)/.test(url.pathname) ? state.hold : undefined;
    if (holding) state.hold = undefined;
    // The request reached Alpaca and no answer ever comes; whether it acted is `placed`.
    if (holding && !holding.placed) return void held.add(res);
    let answer: Answer;
    try {
      answer = route(book, { method, path: url.pathname, query: url.searchParams, body }, assetJson);
    } catch (e) {
      if (!(e instanceof AlpacaError)) throw e;
      answer = { status: e.status, body: e.body() };
    }
    if (holding) return void held.add(res);
    send(res, answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, { status: 500, body: { code: ERR.internal, message: String(e) } }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (path === '/stream') trading.attach(ws);
      else if (path === '/v2/iex' || path === '/v2/sip') data.attach(ws);
      else ws.close();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  const faults = fakeFaults(state, () => {
    for (const ws of wss.clients) if (trading.listening.has(ws)) ws.terminate();
  });
  const market = fakeMarket(book, data);
  return {
    ...creds,
    baseUrl: `http://127.0.0.1:${port}`,
    streamUrl: `ws://127.0.0.1:${port}/stream`,
    dataStreamUrl: `ws://127.0.0.1:${port}`,
    book,
    requests,
    faults,
    market,
    close: async () => {
      for (const r of held) r.destroy();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** An asset as GET /v2/assets/{symbol} describes it. */
function assetOf(assets: NonNullable<FakeAlpacaOptions['assets']>, symbol: string): Record<string, unknown> | undefined {
  const a = assets[symbol];
  if (!a) return undefined;
  return {
    id: assetIdOf(symbol), class: 'us_equity', exchange: 'NASDAQ', symbol, name: `${symbol} Inc. Common Stock`, status: 'active', tradable: a.tradable ?? true, marginable: true, shortable: true,
    easy_to_borrow: true, fractionable: a.fractionable ?? false, maintenance_margin_requirement: 30, margin_requirement_long: '30', margin_requirement_short: '100', attributes: [],
    ...(a.priceIncrement ? { price_increment: a.priceIncrement } : {}), ...(a.minOrderSize ? { min_order_size: a.minOrderSize } : {}), ...(a.minTradeIncrement ? { min_trade_increment: a.minTradeIncrement } : {}),
  };
}

/** The market the test moves: the book matches, the data stream pushes (doubles, as Alpaca's msgpack carries them). */
function fakeMarket(book: FakeBook, data: DataSockets): FakeMarket {
  return {
    quote: (symbol, bid, ask) => {
      book.quote(symbol, bid, ask);
      data.push('quotes', symbol, { T: 'q', S: symbol, bx: 'V', bp: Number(bid), bs: 3, ax: 'V', ap: Number(ask), as: 2, c: ['R'], z: 'C', t: new Date() });
    },
    print: (symbol, price, size) => {
      book.print(symbol, price, size);
      data.push('trades', symbol, { T: 't', S: symbol, i: 52983525029461, x: 'V', p: Number(price), s: Number(size), c: ['@'], z: 'C', t: new Date() });
    },
    bar: (symbol, b) => data.push('bars', symbol, { T: 'b', S: symbol, ...b, n: 10, vw: b.c }),
    subscribers: (channel, symbol) => data.subscribers(channel, symbol),
  };
}

/** The fault switches, acting on the server's state. */
function fakeFaults(state: FaultState, dropStream: () => void): FakeAlpacaFaults {
  const rules = state.rules;
  return {
    rateLimit: ({ times = 1, path, method, afterSec = 0 }) =>
      rules.push({ times, ...(path ? { path } : {}), ...(method ? { method } : {}), answer: () => ({ status: 429, body: { code: ERR.rateLimited, message: 'rate limit exceeded' }, headers: { 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + afterSec) } }) }),
    serverError: ({ status, times = 1, path, method }) => rules.push({ times, ...(path ? { path } : {}), ...(method ? { method } : {}), answer: () => ({ status, body: { code: ERR.internal, message: 'internal server error occurred' } }) }),
    submitTimeout: ({ placed }) => (state.hold = { method: 'POST', placed }),
    cancelTimeout: ({ placed }) => (state.hold = { method: 'DELETE', placed }),
    dropStream,
    muteStream: (on) => (state.muted = on),
    duplicateEvents: (on) => (state.duplicate = on),
  };
}
