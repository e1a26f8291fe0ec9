/**
 * The firm view's API and dashboard: a server with no engine of its own, over a FirmView folded
 * from the firm's event stream. The same guard, auth service and error answers as a node's server
 * (src/server/); its routes are the login routes and the read-only firm routes below, each
 * needing an authenticated caller of any role. Audit events (logins, user admin) have no journal
 * here: they go to the log.
 */
import { resolve } from 'node:path';
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { ServerConfig } from '../../node/config/index.ts';
import type { RouteAccess } from '../../server/access.ts';
import type { AuthService } from '../../server/auth/types.ts';
import type { App } from '../../server/context.ts';
import { installErrorAnswers, installSecurityHeaders, serveDashboard } from '../../server/hardening.ts';
import { FailureLimiter, installGuard } from '../../server/guard.ts';
import { authRoutes } from '../../server/routes/auth.ts';
import type { FirmView } from './firm-view.ts';

/** The firm view's own routes and who may call them (the login routes are ROUTE_TABLE's). */
export const FIRM_ROUTE_TABLE: readonly RouteAccess[] = [
  { method: 'GET', url: '/api/health', need: 'public', audited: false, summary: 'Liveness: this is a firm view, its firm, NATS link and nodes seen' },
  { method: 'GET', url: '/api/firm/nodes', need: 'authenticated', audited: false, summary: 'Every node seen on the stream: seq applied, gaps, orders, positions, kill switch' },
  { method: 'GET', url: '/api/firm/orders', need: 'authenticated', audited: false, summary: "Every node's orders (open, or all kept)" },
  { method: 'GET', url: '/api/firm/positions', need: 'authenticated', audited: false, summary: "Every node's open positions, marked at their last fill" },
  { method: 'GET', url: '/api/firm/risk', need: 'authenticated', audited: false, summary: 'Exposure, PnL, kill switch and trading states per node, and the firm total' },
];

const firmRoute = (url: string): { method: 'GET'; url: string; config: { access: RouteAccess } } => {
  const access = FIRM_ROUTE_TABLE.find((r) => r.url === url);
  if (!access) throw new Error(`route GET ${url} is not in FIRM_ROUTE_TABLE`);
  return { method: 'GET', url, config: { access } };
};

export interface FirmServerOptions {
  readonly view: FirmView;
  readonly auth: AuthService;
  readonly config: ServerConfig;
  readonly logger: Logger;
  /** Whether the NATS link is up now (health). */
  readonly connected: () => boolean;
  /** The dashboard's built files (default web/dist). */
  readonly webDist?: string;
}

const DEFAULT_WEB_DIST = resolve(import.meta.dirname, '../../../web/dist');
const nodeQuery = z.strictObject({ node: z.string().min(1).max(64).optional() });

export async function createFirmServer(o: FirmServerOptions): Promise<App> {
  const { config, logger, view } = o;
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 64 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorAnswers(app, logger);
  installSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: true, max: config.rate_limit.max, timeWindow: config.rate_limit.window_ms });
  installGuard(app, { auth: o.auth, logger, limiter: new FailureLimiter(30, config.rate_limit.window_ms), metricsPublic: false });
  authRoutes(app, { auth: o.auth });

  app.route({ ...firmRoute('/api/health'), handler: () => ({ ok: true, mode: 'firm', firm: view.firm, connected: o.connected(), nodes: view.summaries().length, streamSeq: view.streamSeq }) });
  app.route({ ...firmRoute('/api/firm/nodes'), handler: () => view.summaries() });
  app.route({
    ...firmRoute('/api/firm/orders'),
    schema: { querystring: nodeQuery.extend({ status: z.enum(['open', 'all']).default('all') }) },
    handler: (req) => view.orders(req.query.status, req.query.node),
  });
  app.route({ ...firmRoute('/api/firm/positions'), schema: { querystring: nodeQuery }, handler: (req) => view.positions(req.query.node) });
  app.route({ ...firmRoute('/api/firm/risk'), handler: () => view.risk() });

  await serveDashboard(app, config, o.webDist ?? DEFAULT_WEB_DIST, ['/api']);
  return app;
}
