/**
 * HTTP routing of the fake Kraken: `/0/public/<Method>` (GET query) and `/0/private/<Method>`
 * (POST form body, signed), answered in Kraken's envelope `{"error":[...],"result":{...}}` with
 * HTTP 200 even for refusals, and the faults (Cloudflare 5xx pages, held responses) on the way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KrakenError, type KrakenContext } from './context.ts';
import { PRIVATE_ROUTES } from './private-routes.ts';
import { PUBLIC_ROUTES } from './public-routes.ts';
import type { KrakenAuth } from './signing.ts';

export interface LoggedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
}

export interface RouterDeps {
  readonly ctx: KrakenContext;
  readonly auth: KrakenAuth;
  readonly requests: LoggedRequest[];
  /** Responses held by a submit timeout; destroyed on close. */
  readonly held: Set<ServerResponse>;
}

const CLOUDFLARE: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  502: 'Bad gateway',
  503: 'Service Temporarily Unavailable',
  520: 'Web server is returning an unknown error',
};

export async function route(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const m = /^\/0\/(public|private)\/([A-Za-z/]+)$/.exec(url.pathname);
  const api = m?.[1];
  const name = m?.[2] ?? '';
  const handler = api === 'public' ? PUBLIC_ROUTES[name] : api === 'private' ? PRIVATE_ROUTES[name] : undefined;
  if (!handler) return sendJson(res, 404, { error: ['EGeneral:Unknown method'] });
  const params = api === 'public' ? Object.fromEntries(url.searchParams) : parseBody(body, req.headers['content-type']);
  deps.requests.push({ method: req.method ?? 'GET', path: url.pathname, params: { ...params } });

  const fault = deps.ctx.faults.takeHttpFault(name);
  if (fault?.kind === 'status') return sendCloudflare(res, fault.status);
  if (fault?.kind === 'envelope-error') return sendJson(res, 200, { error: [fault.error] });

  if (api === 'private') {
    const verdict = deps.auth.verify({
      apiKey: header(req, 'api-key'),
      apiSign: header(req, 'api-sign'),
      uriPath: url.pathname,
      nonce: params['nonce'],
      postData: body,
    });
    if (!verdict.ok) return sendJson(res, 200, { error: [verdict.error] });
    if (name === 'AddOrder') {
      const timeout = deps.ctx.faults.takeSubmitTimeout();
      if (timeout) return hold(deps, res, timeout.placed ? () => handler(deps.ctx, params) : undefined);
    }
  }
  try {
    sendJson(res, 200, { error: [], result: handler(deps.ctx, params) });
  } catch (e) {
    if (e instanceof KrakenError) return sendJson(res, 200, { error: [e.error] });
    sendJson(res, 500, { error: ['EGeneral:Internal error'] });
  }
}

/** The order may reach the engine, but the answer never comes back: the client times out. */
function hold(deps: RouterDeps, res: ServerResponse, placeAnyway: (() => unknown) | undefined): void {
  try {
    placeAnyway?.();
  } catch {
    // refused by the engine: the client never learns either way
  }
  deps.held.add(res);
  res.on('close', () => deps.held.delete(res));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseBody(body: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes('application/json')) {
    const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(payload));
}

/** Kraken sits behind Cloudflare: outages come back as its HTML error pages. */
function sendCloudflare(res: ServerResponse, status: number): void {
  const title = CLOUDFLARE[status] ?? 'Error';
  res.writeHead(status, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare' });
  res.end(`<!DOCTYPE html><html><head><title>api.kraken.com | ${status}: ${title}</title></head><body><h1>Error ${status}</h1><p>${title}</p><p>Cloudflare Ray ID: 8f1c2a3b4c5d6e7f</p></body></html>`);
}
