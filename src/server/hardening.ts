/**
 * What every Warden HTTP server answers the same way, the node's (app.ts) and the firm view's
 * (src/cluster/firm-view/server.ts): errors as `{ error: { code, message, context } }`, the
 * security headers, and the dashboard as a single-page app beside the API.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import type { ServerConfig } from '../node/config/index.ts';
import type { App } from './context.ts';
import { errorBody, toErrorAnswer } from './errors.ts';

/** Every failure answered in the API's error shape; a 5xx is logged (never its body's secrets: toErrorAnswer scrubs). */
export function installErrorAnswers(app: App, logger: Logger): void {
  app.setErrorHandler((err, req, reply) => {
    const a = toErrorAnswer(err);
    if (a.status >= 500) logger.error({ method: req.method, route: req.routeOptions.url, err: (err as Error).message }, 'request failed');
    req.outcomeCode = a.body.error.code;
    return reply.code(a.status).send(a.body);
  });
}

/** No sniffing, no framing, no referrer, no opener; a same-origin CSP and no caching unless a route says otherwise. */
export function installSecurityHeaders(app: App): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
}

/**
 * The dashboard at / from `dist` (when built and enabled): any GET outside `serverPrefixes` that
 * is no file is its index.html; anything else unknown is 404 NOT_FOUND.
 */
export async function serveDashboard(app: App, config: ServerConfig, dist: string, serverPrefixes: readonly string[]): Promise<void> {
  const spa = config.dashboard && existsSync(resolve(dist, 'index.html'));
  if (spa) await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (spa && req.method === 'GET' && !serverPrefixes.some((p) => req.url.startsWith(p))) {
      return reply.header('Cache-Control', 'no-cache').type('text/html').sendFile('index.html');
    }
    return reply.code(404).send(errorBody('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`, {}));
  });
}
