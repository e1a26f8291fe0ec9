import { z } from 'zod';
import { encodeEvent } from '../../journal/codec.ts';
import { docOf, routeOf, type App, type ServerContext } from '../context.ts';
import { limitQuery } from '../schemas.ts';
import type { TradingNode } from '../../node/trading-node.ts';
import type { AccountType } from '../../portfolio/account.ts';
import { accountView, instrumentView, systemView, type DayTradesView } from '../views.ts';

/** How far back GET /api/audit looks in the journal for audit records. */
const AUDIT_LOOKBACK = 200_000;

/** Read-only views: health, overview, instruments, accounts, venues, alerts, audit, journal, metrics. */
export function viewRoutes(app: App, ctx: ServerContext): void {
  const { node } = ctx;

  app.route({
    ...routeOf('GET', '/api/health'),
    schema: docOf('GET', '/api/health', 'system'),
    handler: () => ({ ok: !node.isStopped && !node.engine.isStopped, node: node.config.node.id, mode: node.mode, ts: node.engine.now(), lastSeq: node.records.durableSeq() }),
  });

  app.route({ ...routeOf('GET', '/api/overview'), schema: docOf('GET', '/api/overview', 'views'), handler: () => ctx.equity.overview() });
  app.route({ ...routeOf('GET', '/api/instruments'), schema: docOf('GET', '/api/instruments', 'views'), handler: () => [...node.engine.state.instruments.values()].map(instrumentView) });
  app.route({
    ...routeOf('GET', '/api/accounts'),
    schema: docOf('GET', '/api/accounts', 'views'),
    handler: () => {
      const portfolio = node.engine.portfolio;
      return portfolio.allAccounts().map((a) => accountView(a, portfolio, dayTradesOf(node, a.id, a.type)));
    },
  });
  app.route({ ...routeOf('GET', '/api/market'), schema: docOf('GET', '/api/market', 'views'), handler: () => ctx.market.all() });
  app.route({ ...routeOf('GET', '/api/system'), schema: docOf('GET', '/api/system', 'system'), handler: () => systemView(node) });
  app.route({ ...routeOf('GET', '/api/venues'), schema: docOf('GET', '/api/venues', 'views'), handler: () => node.health() });

  app.route({
    ...routeOf('GET', '/api/alerts'),
    schema: { ...docOf('GET', '/api/alerts', 'views'), querystring: z.strictObject({ limit: limitQuery(1_000, 100) }) },
    handler: (req) => node.recentAlerts.recent(req.query.limit),
  });

  app.route({
    ...routeOf('GET', '/api/audit'),
    schema: { ...docOf('GET', '/api/audit', 'views'), querystring: z.strictObject({ limit: limitQuery(1_000, 100) }) },
    handler: async (req) => {
      const out: Record<string, unknown>[] = [];
      const from = Math.max(1, node.records.durableSeq() - AUDIT_LOOKBACK);
      for await (const r of node.records.read(from)) {
        if (r.event.kind !== 'AuditRecorded') continue;
        out.push({ seq: r.seq, ...(JSON.parse(encodeEvent(r.event)) as Record<string, unknown>) });
        if (out.length > req.query.limit) out.shift();
      }
      return out.reverse();
    },
  });

  app.route({
    ...routeOf('GET', '/api/journal'),
    schema: { ...docOf('GET', '/api/journal', 'views'), querystring: z.strictObject({ from: z.coerce.number().int().min(1).default(1), limit: limitQuery(10_000, 500) }) },
    handler: async (req) => {
      const out: { seq: number; event: unknown }[] = [];
      const last = node.records.durableSeq();
      for await (const r of node.records.read(req.query.from)) {
        if (r.seq > last || out.length >= req.query.limit) break;
        out.push({ seq: r.seq, event: JSON.parse(encodeEvent(r.event)) });
      }
      return { records: out, lastSeq: last };
    },
  });

  app.route({
    ...routeOf('GET', '/metrics'),
    schema: { ...docOf('GET', '/metrics', 'system'), hide: false },
    handler: async (_req, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    },
  });
}

/** The account's day-trade count on its venue's calendar (null when its venue has none, or the node counts none). */
function dayTradesOf(node: TradingNode, accountId: string, type: AccountType): DayTradesView | null {
  const venue = node.config.accounts.find((c) => c.id === accountId)?.venue;
  const c = venue === undefined ? undefined : node.compliance?.dayTradeCount(accountId, venue, node.engine.now());
  if (!c) return null;
  return { count: c.count, max: c.rule.maxDayTrades, windowDays: c.rule.windowDays, windowStart: c.windowStart, applies: c.rule.enabled && type === 'MARGIN' };
}
