/**
 * The HTTP side of the fake Binance: parses a request as Binance reads it (query string and
 * form body), records it without secrets, applies the faults that hit before the endpoint runs
 * (rate limit, 5xx, authentication, recvWindow, maintenance, held placements), and writes the
 * answer with Binance's headers and error body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BinanceError, MSG } from './errors.ts';
import { checkApiKey, checkSignature, checkTimestamp, splitSignature } from '../../../src/server/gateway/wire/signing.ts';
import { decodeParams, headerOf, readBody } from '../../../src/server/gateway/wire/http-request.ts';
import type { BinanceVenue } from './venue.ts';

export interface BinanceRequest {
  readonly method: string;
  readonly path: string;
  /** Query and body parameters, decoded (the body wins on a clash, as Binance documents). */
  readonly params: Readonly<Record<string, string>>;
  readonly apiKey: string | undefined;
}

/** NONE: public; KEY: X-MBX-APIKEY only (listenKey); SIGNED: key + signature + timestamp. */
export type Security = 'NONE' | 'KEY' | 'SIGNED';

export interface Route {
  readonly security: Security;
  /** An order placement: refused in maintenance, subject to submitTimeout. */
  readonly placement?: boolean;
  readonly weight?: number;
  readonly handle: (req: BinanceRequest) => unknown;
}

export type Routes = ReadonlyMap<string, Route>;

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
}

const HIDDEN = new Set(['signature', 'apiKey']);

export class HttpLayer {
  readonly requests: RecordedRequest[] = [];
  /** Responses held by a submitTimeout fault; destroyed on close. */
  private readonly held = new Set<ServerResponse>();
  private usedWeight = 0;

  constructor(
    private readonly venue: BinanceVenue,
    private readonly routes: Routes,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
    const rawBody = await readBody(req);
    const params = { ...decodeParams(rawQuery), ...decodeParams(rawBody) };
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, params: Object.fromEntries(Object.entries(params).filter(([k]) => !HIDDEN.has(k))) });
    try {
      const route = this.preflight(url.pathname, this.routes.get(`${method} ${url.pathname}`));
      const apiKey = headerOf(req, 'x-mbx-apikey');
      if (route.security !== 'NONE') checkApiKey(apiKey, this.venue.o);
      if (route.security === 'SIGNED') this.checkSigned(rawQuery, rawBody, params);
      this.usedWeight += route.weight ?? 1;
      if (route.placement) {
        if (this.venue.faults.inMaintenance) throw new BinanceError(400, -1013, MSG.marketClosed);
        const timeout = this.venue.faults.takeSubmitTimeout();
        if (timeout) return this.hold(res, timeout.placed ? () => route.handle({ method, path: url.pathname, params, apiKey }) : undefined);
      }
      const body = await route.handle({ method, path: url.pathname, params, apiKey });
      this.write(res, 200, body, {});
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      this.write(res, e.status, e.body(), e.headers);
    }
  }

  close(): void {
    for (const r of this.held) r.destroy();
    this.held.clear();
  }

  /** The faults that answer before any endpoint runs; then the route, or Binance's 404. */
  private preflight(path: string, route: Route | undefined): Route {
    const retryAfter = this.venue.faults.takeRateLimit(path);
    if (retryAfter !== undefined) throw new BinanceError(429, -1003, MSG.tooManyRequests, { 'Retry-After': String(retryAfter) });
    const status = this.venue.faults.takeServerError();
    if (status !== undefined) throw serverError(status);
    if (!route) throw new BinanceError(404, -1000, 'Not Found');
    return route;
  }

  private checkSigned(rawQuery: string, rawBody: string, params: Record<string, string>): void {
    // Binance signs totalParams: the query string followed directly by the body.
    const { payload, signature } = splitSignature(rawQuery && rawBody ? `${rawQuery}${rawBody}` : rawQuery || rawBody);
    checkSignature(payload, signature, this.venue.o.secret);
    checkTimestamp(params, this.venue.now());
  }

  /** The answer never comes; the order is booked first when the fault says so. */
  private hold(res: ServerResponse, place: (() => unknown) | undefined): void {
    try {
      place?.();
    } catch (e) {
      // A refused placement stays unanswered too: the client only ever sees its timeout.
      if (!(e instanceof BinanceError)) throw e;
    }
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  private write(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>>): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/html' : 'application/json;charset=UTF-8',
      'X-MBX-USED-WEIGHT-1M': String(this.usedWeight),
      ...headers,
    });
    res.end(text);
  }
}

/** Binance's 5xx answers: -1001 JSON for an internal error, plain gateway pages otherwise. */
function serverError(status: 500 | 502 | 503): BinanceError {
  if (status === 500) return new BinanceError(500, -1001, MSG.internal);
  const page = status === 502 ? '<html><body><h1>502 Bad Gateway</h1></body></html>' : 'Service Unavailable.';
  return new BinanceError(status, 0, page, {}, page);
}
