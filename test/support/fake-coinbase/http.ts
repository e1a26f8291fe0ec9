/**
 * The HTTP front of the fake: one route table (method + path template + whether a JWT is
 * required), the faults every request meets first, CDP JWT verification, and the reply helpers in
 * Coinbase's shapes. Route handlers only decide what to answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CdpKey } from './jwt.ts';
import { verifyJwt } from './jwt.ts';
import type { CoinbaseFaults } from './faults.ts';

export interface CbRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Every value of a repeated query key (`order_status=OPEN&order_status=PENDING`). */
  readonly queryAll: (key: string) => string[];
  readonly body: Readonly<Record<string, unknown>>;
  /** Path template parameters (`{order_id}` → value). */
  readonly params: Readonly<Record<string, string>>;
}

/** What a handler answers: a JSON or text body, or `hold` (never answer: a submit that times out). */
export type Reply = { status: number; json: unknown; headers?: Record<string, string> } | { status: number; text: string; headers?: Record<string, string> } | { hold: true };

export interface Route {
  readonly method: 'GET' | 'POST';
  /** e.g. `/api/v3/brokerage/orders/historical/{order_id}`; earlier routes win. */
  readonly path: string;
  readonly auth: 'public' | 'private';
  /** Trading routes are what maintenance shuts (answered 503). */
  readonly trading?: boolean;
  readonly handle: (req: CbRequest) => Reply;
}

export const ok = (json: unknown): Reply => ({ status: 200, json });

/** Coinbase's v3 error body: `{error, error_details, message}`. */
export const cbError = (status: number, error: string, message: string): Reply => ({ status, json: { error, error_details: message, message } });

export interface HttpFront {
  readonly server: Server;
  readonly requests: { method: string; path: string; params: Record<string, string> }[];
  /** Ends held responses and open connections, then stops listening. */
  close(): Promise<void>;
}

export function startHttp(routes: readonly Route[], key: CdpKey, faults: CoinbaseFaults): HttpFront {
  const requests: HttpFront['requests'] = [];
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const reply = answer(req, raw);
      if ('hold' in reply) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      send(res, reply);
    });
  });

  function answer(req: IncomingMessage, raw: string): Reply {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams.entries());
    let body: Record<string, unknown> = {};
    if (raw !== '') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return cbError(400, 'INVALID_ARGUMENT', 'invalid JSON body');
      }
    }
    requests.push({ method, path: url.pathname, params: { ...query, ...flatten(body) } });
    const fault = faults.takeHttpFault(url.pathname);
    if (fault?.kind === 'rateLimit') {
      // Coinbase's rate-limit id (ccxt maps `rate_limit_exceeded` to RateLimitExceeded).
      return { status: 429, json: { errors: [{ id: 'rate_limit_exceeded', message: 'Too many requests' }] }, headers: { 'Retry-After': String(fault.retryAfterSec) } };
    }
    if (fault?.kind === 'serverError') return serverError(fault.status);
    const found = match(routes, method, url.pathname);
    if (!found) return { status: 404, text: '404 page not found\n' };
    const { route, params } = found;
    if (route.auth === 'private') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const uri = `${method} ${req.headers.host ?? ''}${url.pathname}`;
      // Coinbase's gateway answers any JWT failure with a bare 401 "Unauthorized" (no JSON).
      if (token === undefined || !verifyJwt(token, key, Math.floor(faults.now() / 1000), uri).ok) return { status: 401, text: 'Unauthorized\n' };
    }
    if (faults.inMaintenance && route.trading) return serverError(503);
    return route.handle({ method, path: url.pathname, query, queryAll: (k) => url.searchParams.getAll(k), body, params });
  }

  return {
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** 500 comes from the API (JSON); 502/503 from the gateway in front of it (plain text). */
function serverError(status: 500 | 502 | 503): Reply {
  if (status === 500) return cbError(500, 'INTERNAL', 'Internal server error');
  return { status, text: status === 502 ? 'Bad Gateway\n' : 'Service Unavailable\n' };
}

function match(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const want = route.path.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    const hit = want.every((seg, i) => {
      const g = decodeURIComponent(got[i]!);
      if (seg.startsWith('{')) return (params[seg.slice(1, -1)] = g) !== '';
      return seg === g;
    });
    if (hit) return { route, params };
  }
  return undefined;
}

function send(res: ServerResponse, reply: Exclude<Reply, { hold: true }>): void {
  const isJson = 'json' in reply;
  const body = isJson ? JSON.stringify(reply.json) : reply.text;
  res.writeHead(reply.status, { 'Content-Type': isJson ? 'application/json' : 'text/plain; charset=utf-8', ...reply.headers });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function flatten(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
