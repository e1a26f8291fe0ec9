import type { FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { ServerConfig } from '../node/config/index.ts';
import type { TradingNode } from '../node/trading-node.ts';
import { accessOf, type Method } from './access.ts';
import type { AuthService, Principal } from './auth/types.ts';
import { ApiError } from './errors.ts';
import type { ApiMetrics } from './metrics.ts';
import type { EquitySampler } from './overview.ts';
import type { MarketBook } from './market.ts';
import type { Backtests } from './backtests.ts';
import type { AdvisorDesk } from '../advisor/tasks/desk.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** What the routes work with. */
export interface ServerContext {
  readonly node: TradingNode;
  readonly auth: AuthService;
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly metrics: ApiMetrics;
  readonly equity: EquitySampler;
  readonly market: MarketBook;
  readonly backtests: Backtests;
  /** The AI advisor's tasks and proposals (NOT_CONFIGURED everywhere without a model). */
  readonly advisor: AdvisorDesk;
}

/** The route's entry in ROUTE_TABLE (its access), and its OpenAPI summary, tag and security. */
export function routeOf(method: Method, url: string): { method: Method; url: string; config: { access: ReturnType<typeof accessOf> } } {
  return { method, url, config: { access: accessOf(method, url) } };
}

export function docOf(method: Method, url: string, tag: string): { summary: string; tags: string[]; security?: { [k: string]: string[] }[] } {
  const a = accessOf(method, url);
  return { summary: a.summary, tags: [tag], ...(a.need === 'public' ? {} : { security: [{ bearer: [] }, { cookie: [] }] }) };
}

/** The principal of an authenticated route (the guard has run). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError(401, 'UNAUTHENTICATED', 'this call needs credentials');
  return req.principal;
}
