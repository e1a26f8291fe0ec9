import { resolve } from 'node:path';
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { ServerConfig } from '../node/config/index.ts';
import type { TradingNode } from '../node/trading-node.ts';
import type { AuthService } from './auth/types.ts';
import type { App, ServerContext } from './context.ts';
import { installErrorAnswers, installSecurityHeaders, serveDashboard } from './hardening.ts';
import { FailureLimiter, installGuard } from './guard.ts';
import { ApiMetrics } from './metrics.ts';
import { EquitySampler } from './overview.ts';
import { MarketBook } from './market.ts';
import { authRoutes } from './routes/auth.ts';
import { orderRoutes } from './routes/orders.ts';
import { riskRoutes } from './routes/risk.ts';
import { firmRoutes } from './routes/firm.ts';
import { strategyRoutes } from './routes/strategies.ts';
import { viewRoutes } from './routes/views.ts';
import { backtestRoutes } from './routes/backtests.ts';
import { streamRoute, WS_MAX_PAYLOAD, type StreamOptions } from './stream.ts';
import { WorkerBacktests } from './backtest-runner.ts';
import type { Backtests } from './backtests.ts';
import { advisorRoutes } from './routes/advisor.ts';
import { AdvisorDesk } from '../advisor/tasks/desk.ts';
import type { Consultant } from '../advisor/consult.ts';
import type { AdvisorGateConfig } from '../advisor/tasks/trade-gate.ts';

export interface CreateServerOptions {
  readonly config: ServerConfig;
  readonly auth: AuthService;
  readonly logger: Logger;
  /** The dashboard's built files (default web/dist beside src/). */
  readonly webDist?: string;
  /** WebSocket tuning (tests make it small). */
  readonly stream?: Partial<StreamOptions>;
  /** How many 401/403 answers per source address per rate-limit window before 429 (default 30). */
  readonly failureLimit?: number;
  /** Backtests (default worker threads). */
  readonly backtests?: Backtests;
  /** Equity sampling interval in data time (default 60 s). */
  readonly equityEveryMs?: number;
  /**
   * The AI advisor: its consultant (default the node's `advisor`, else none: every advisor route
   * answers NOT_CONFIGURED) and its trade gate (`advisor.trade_gate`; default off).
   */
  readonly advisor?: { readonly consultant?: Consultant; readonly tradeGate?: AdvisorGateConfig; readonly fetcher?: typeof fetch };
}


const DEFAULT_WEB_DIST = resolve(import.meta.dirname, '../../web/dist');

/**
 * The API over a running node: fastify 5 with zod request schemas (OpenAPI 3 at /docs/json, the
 * UI at /docs), rate limit, CORS closed unless origins are configured, the session cookie,
 * security headers; every route from ROUTE_TABLE behind the guard; the event stream; metrics;
 * the dashboard at / when built. Not listening yet: `startServer` listens.
 */
export async function createServer(node: TradingNode, o: CreateServerOptions): Promise<App> {
  const { config, logger } = o;
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 256 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const metrics = new ApiMetrics(node);
  const equity = new EquitySampler(node, o.equityEveryMs ?? 60_000);
  const market = new MarketBook(node);
  const backtests = o.backtests ?? new WorkerBacktests(node, logger);
  const tradeGate = o.advisor?.tradeGate ?? node.config.advisor?.trade_gate;
  const advisor = await AdvisorDesk.open(node, o.advisor?.consultant ?? node.advisor, {
    ...(tradeGate ? { tradeGate } : {}),
    ...(o.advisor?.fetcher ? { fetcher: o.advisor.fetcher } : {}),
  });
  const ctx: ServerContext = { node, auth: o.auth, config, logger, metrics, equity, market, backtests, advisor };

  installErrorAnswers(app, logger);
  installSecurityHeaders(app);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (route) metrics.http.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyCors, { origin: config.cors_origins.length > 0 ? [...config.cors_origins] : false, credentials: true });
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.rate_limit.max,
    timeWindow: config.rate_limit.window_ms,
    errorResponseBuilder: (_req, c) => Object.assign(new Error(`rate limit: ${c.max} requests per ${c.after}`), { statusCode: 429 }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Warden API', description: 'Operate a Warden trading node: orders, positions, risk, strategies, backtests.', version: '1.0.0' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A session token from /api/auth/login, or an API key' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'warden_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyWebsocket, { options: { maxPayload: WS_MAX_PAYLOAD } });

  installGuard(app, { auth: o.auth, logger, limiter: new FailureLimiter(o.failureLimit ?? 30, config.rate_limit.window_ms), metricsPublic: config.metrics_public });

  authRoutes(app, ctx);
  viewRoutes(app, ctx);
  orderRoutes(app, ctx);
  riskRoutes(app, ctx);
  firmRoutes(app, ctx);
  strategyRoutes(app, ctx);
  backtestRoutes(app, ctx);
  advisorRoutes(app, ctx);
  streamRoute(app, ctx, o.stream ?? {});

  // /docs (Swagger UI) and /metrics are the server's own, not the dashboard's.
  await serveDashboard(app, config, o.webDist ?? DEFAULT_WEB_DIST, ['/api', '/docs', '/metrics']);

  app.addHook('onClose', async () => {
    metrics.close();
    equity.close();
    advisor.close();
    market.close();
    await backtests.close();
  });
  return app;
}
