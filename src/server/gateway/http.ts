/**
 * The gateway's HTTP side: reads a request as Binance does (query string and form body, the body
 * winning on a clash), checks its key, signature and timestamp window, runs the route and writes
 * Binance's answer (`{code, msg}` errors with Binance's statuses). Nothing it logs or answers holds
 * a secret or a signature.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayKey, GatewayKeys } from './keys.ts';
import { BinanceError } from './wire/errors.ts';
import { checkSignature, checkTimestamp, splitSignature } from './wire/signing.ts';
import { decodeParams, headerOf, readBody } from './wire/http-request.ts';

/** The largest body taken (Binance's parameters are short; a bigger one is refused, not buffered). */
const MAX_BODY = 64 * 1024;

export type Params = Readonly<Record<string, string>>;

/** NONE: public; SIGNED: key + signature + timestamp. */
export type Route =
  | { readonly security: 'NONE'; readonly handle: (params: Params) => unknown }
  | { readonly security: 'SIGNED'; readonly handle: (params: Params, key: GatewayKey) => unknown };

export type Routes = ReadonlyMap<string, Route>;

export class GatewayHttp {
  constructor(
    private readonly routes: Routes,
    private readonly keys: GatewayKeys,
    private readonly now: () => number,
    /** What failed unexpectedly (not a Binance answer): logged by the caller without request data. */
    private readonly onInternalError: (e: unknown) => void,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
    try {
      const rawBody = await readBody(req, { maxBytes: MAX_BODY, tooLarge: () => new BinanceError(400, -1100, 'Illegal characters found in a parameter.') });
      const params = { ...decodeParams(rawQuery), ...decodeParams(rawBody) };
      const route = this.routes.get(`${req.method ?? 'GET'} ${url.pathname}`);
      if (!route) throw new BinanceError(404, -1000, 'Not Found');
      let body: unknown;
      if (route.security === 'NONE') body = await route.handle(params);
      else {
        const key = this.keys.find(headerOf(req, 'x-mbx-apikey'));
        // Binance signs totalParams: the query string followed directly by the body.
        const { payload, signature } = splitSignature(rawQuery && rawBody ? `${rawQuery}${rawBody}` : rawQuery || rawBody);
        checkSignature(payload, signature, key.secret);
        checkTimestamp(params, this.now());
        body = await route.handle(params, key);
      }
      write(res, 200, body);
    } catch (e) {
      if (e instanceof BinanceError) return write(res, e.status, e.body());
      this.onInternalError(e);
      write(res, 500, { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
    }
  }
}

function write(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}
