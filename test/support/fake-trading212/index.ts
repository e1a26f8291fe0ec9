/**
 * A local Trading 212 public API v0 (test/support): the documented paths under /api/v0, HTTP
 * Basic auth (key id : secret), the x-ratelimit-* headers on every answer and a 429 past an
 * endpoint's limit, `{code, clarification}` error bodies, cursor paging of the order history by
 * nextPagePath, and a matching model (book.ts). Faults are switched on by tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeBook, type BookOptions } from './book.ts';
import { FakeLimits, type FakeLimit } from './limits.ts';
import { answer, PLACE } from './routes.ts';

export interface FakeTrading212Options extends BookOptions {
  readonly apiKey: string;
  readonly secret: string;
  /** Per endpoint (names as the adapter's T212Endpoint). */
  readonly limits: Readonly<Record<string, FakeLimit>>;
  readonly instruments: readonly Record<string, unknown>[];
}

export interface FakeTrading212 {
  readonly baseUrl: string;
  readonly book: FakeBook;
  readonly limits: FakeLimits;
  readonly requests: { method: string; path: string; status: number; at: number }[];
  readonly faults: Faults;
  close(): Promise<void>;
}

export class Faults {
  /** The next order placement is held unanswered (placed or not) until the client gives up. */
  hang: { placed: boolean } | undefined;
  /** The next `times` requests whose path contains `path` answer `status`. */
  errors: { status: number; times: number; path: string }[] = [];
  /** Every request answers 503 (the broker down for us). */
  down = false;
  /** The order history gives every row twice (as a replay would). */
  duplicateHistory = false;
}


function endpointOf(method: string, path: string): string | undefined {
  const p = path.replace(/^\/api\/v0/, '');
  const placed = /^\/equity\/orders\/(market|limit|stop|stop_limit)$/.exec(p);
  if (method === 'POST' && placed) return PLACE[placed[1]!]!.endpoint;
  if (method === 'DELETE' && /^\/equity\/orders\/\d+$/.test(p)) return 'ORDER_CANCEL';
  if (method !== 'GET') return undefined;
  if (p === '/equity/orders') return 'ORDERS';
  if (/^\/equity\/orders\/\d+$/.test(p)) return 'ORDER_BY_ID';
  if (p === '/equity/history/orders') return 'HISTORY_ORDERS';
  if (p === '/equity/positions') return 'POSITIONS';
  if (p === '/equity/account/summary') return 'ACCOUNT_SUMMARY';
  if (p === '/equity/metadata/instruments') return 'INSTRUMENTS';
  return undefined;
}

export async function startFakeTrading212(o: FakeTrading212Options): Promise<FakeTrading212> {
  const book = new FakeBook(o, () => Date.now());
  const limits = new FakeLimits(o.limits);
  const faults = new Faults();
  const requests: FakeTrading212['requests'] = [];
  const sockets = new Set<Socket>();
  const auth = `Basic ${Buffer.from(`${o.apiKey}:${o.secret}`).toString('base64')}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    // Logged on arrival: a request held unanswered (a fault) shows with status 0.
    const logged = { method, path: url.pathname, status: 0, at: Date.now() };
    requests.push(logged);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      logged.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers.authorization !== auth) return send(401, { code: 'Unauthorized', clarification: 'Bad API key' });
    const endpoint = endpointOf(method, url.pathname);
    if (!endpoint) return send(404, { code: 'NotFound', clarification: `${method} ${url.pathname}` });
    const { headers, over } = limits.take(endpoint, Date.now());
    if (over) return send(429, { code: 'TooManyRequests', clarification: 'rate limit exceeded' }, headers);
    if (faults.down) return send(503, { code: 'ServiceUnavailable', clarification: 'down' }, headers);
    const err = faults.errors.find((e) => e.times > 0 && url.pathname.includes(e.path));
    if (err) {
      err.times--;
      return send(err.status, err.status === 429 ? { code: 'TooManyRequests', clarification: 'forced' } : { code: 'InternalError', clarification: 'forced' }, headers);
    }
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    answer({ book, faults, instruments: o.instruments }, url, endpoint, body, headers, send, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'InternalError', clarification: String(e) }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v0`,
    book,
    limits,
    requests,
    faults,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
