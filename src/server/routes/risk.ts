import { z } from 'zod';
import { operatorOrigin } from '../../engine/origin.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import { closeOrReverse } from '../commands.ts';
import { docOf, principalOf, routeOf, type App, type ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { positionBody, reason, scope } from '../schemas.ts';
import { positionView } from '../views.ts';

const T = 'risk';

/** The node's risk control, or 409 when the node runs without a risk config. */
function controlOf(ctx: ServerContext) {
  const c = ctx.node.risk?.control;
  if (!c) throw new ApiError(409, 'NO_RISK_CONTROL', 'this node runs without a risk config: there is no kill switch, breaker or trading state to act on', {});
  return c;
}

/** Risk status, the kill switch, breakers, trading states; positions close and reverse. */
export function riskRoutes(app: App, ctx: ServerContext): void {
  const { node } = ctx;

  app.route({
    ...routeOf('GET', '/api/positions'),
    schema: docOf('GET', '/api/positions', 'positions'),
    handler: () => node.engine.portfolio.openPositions().map((p) => positionView(p, node.engine)),
  });

  for (const how of ['close', 'reverse'] as const) {
    const url = `/api/positions/${how}`;
    app.route({
      ...routeOf('POST', url),
      schema: { ...docOf('POST', url, 'positions'), body: positionBody },
      handler: async (req, reply) => {
        req.auditTarget = `${req.body.accountId}/${req.body.instrumentId}`;
        const r = await closeOrReverse(node, req.body.accountId, req.body.instrumentId, how, operatorOrigin(principalOf(req).operator));
        return reply.code(201).send(r);
      },
    });
  }

  app.route({
    ...routeOf('GET', '/api/risk'),
    schema: docOf('GET', '/api/risk', T),
    handler: () => {
      const risk = node.engine.risk;
      const ks = risk.killSwitch;
      const board = node.risk?.control.board().breakers ?? [];
      const stats = node.engine.portfolio.statistics();
      return {
        // Round trips (flat to flat) closed so far: won when realized PnL net of commissions is above zero.
        trades: { closed: stats.closedTrades, won: stats.winners, lost: stats.losers, winRate: stats.winRate ?? null },
        killSwitch: ks ? { engaged: true, by: ks.operator, reason: ks.reason, since: ks.since } : { engaged: false },
        tradingStates: risk.scopedStates().map(([s, state]) => ({ scope: s, state })),
        // Every scope a breaker measured (its latest figure against its limit) or tripped, then configured ones that measured nothing yet.
        breakers: [
          ...board.map((b) => ({
            name: b.breaker,
            scope: b.scope,
            state: b.state,
            value: b.value,
            limit: b.threshold,
            ratio: ratioOf(b.value, b.threshold),
            msToReset: b.msToReset,
          })),
          ...untripped(ctx, board.map((b) => b.breaker)),
        ],
      };
    },
  });

  app.route({
    ...routeOf('POST', '/api/risk/kill-switch'),
    schema: { ...docOf('POST', '/api/risk/kill-switch', T), body: z.strictObject({ reason, flatten: z.boolean().optional() }) },
    handler: async (req) => {
      req.auditTarget = 'kill-switch';
      await controlOf(ctx).engageKillSwitch({ operator: principalOf(req).operator, reason: req.body.reason, ...(req.body.flatten ? { flatten: true } : {}) });
      return { engaged: true };
    },
  });

  app.route({
    ...routeOf('POST', '/api/risk/kill-switch/reset'),
    schema: { ...docOf('POST', '/api/risk/kill-switch/reset', T), body: z.strictObject({ reason }) },
    handler: async (req) => {
      req.auditTarget = 'kill-switch';
      await controlOf(ctx).resetKillSwitch({ operator: principalOf(req).operator, reason: req.body.reason });
      return { engaged: node.engine.risk.killSwitch !== undefined };
    },
  });

  app.route({
    ...routeOf('POST', '/api/risk/breakers/:name/reset'),
    schema: { ...docOf('POST', '/api/risk/breakers/:name/reset', T), params: z.strictObject({ name: z.string().min(1).max(128) }), body: z.strictObject({ scope: scope.optional() }).default({}) },
    handler: async (req) => {
      const name = req.params.name;
      const s = (req.body.scope ?? 'FIRM') as RiskScope;
      req.auditTarget = `${name}@${s}`;
      const b = node.engine.risk.breaker(name, s);
      if (!b) throw new ApiError(404, 'NOT_FOUND', `no breaker ${name} on ${s}`, { breaker: name, scope: s });
      await controlOf(ctx).resetBreaker(name, s, principalOf(req).operator);
      return { name, scope: s, state: node.engine.risk.breaker(name, s)?.state };
    },
  });

  app.route({
    ...routeOf('PUT', '/api/risk/trading-state'),
    schema: { ...docOf('PUT', '/api/risk/trading-state', T), body: z.strictObject({ scope, state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']), reason }) },
    handler: async (req) => {
      const s = req.body.scope as RiskScope;
      req.auditTarget = s;
      await controlOf(ctx).setTradingState(s, req.body.state, { operator: principalOf(req).operator, reason: req.body.reason });
      return { scope: s, state: node.engine.risk.stateOf(s) };
    },
  });
}

/**
 * Configured breakers that never tripped (the risk state knows a breaker from its first trip on):
 * listed CLOSED with their configured limit, their running figure unknown here (null).
 */
function untripped(ctx: ServerContext, known: readonly string[]): { name: string; scope: string; state: 'CLOSED'; value: null; limit: number | string | null; ratio: null; msToReset: undefined }[] {
  const configured = ctx.node.config.risk?.breakers ?? {};
  return Object.entries(configured)
    .filter(([name, c]) => c !== undefined && (c as { enabled?: boolean }).enabled !== false && !known.includes(name))
    .map(([name, c]) => {
      const limit = Object.entries(c as Record<string, unknown>).find(([k, v]) => k.startsWith('max_') && (typeof v === 'number' || typeof v === 'string'))?.[1] as number | string | undefined;
      return { name, scope: (c as { scope?: string }).scope ?? 'FIRM', state: 'CLOSED' as const, value: null, limit: limit ?? null, ratio: null, msToReset: undefined };
    });
}

/** How far a breaker's figure is toward its limit (0..1+), when both are numbers. */
function ratioOf(value: unknown, limit: unknown): number | null {
  const v = Number(value);
  const l = Number(limit);
  if (!Number.isFinite(v) || !Number.isFinite(l) || l === 0) return null;
  return Math.abs(v / l);
}
