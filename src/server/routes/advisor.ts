import { z } from 'zod';
import { NotConfigured } from '../../advisor/tasks/desk.ts';
import type { TaskResult } from '../../advisor/tasks/common.ts';
import { ticketOfRequest } from '../../advisor/tasks/trade.ts';
import { checkOrder, orderRequestOf, submit } from '../commands.ts';
import { docOf, principalOf, routeOf, type App, type ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { idParams, orderBody, reason } from '../schemas.ts';
import { operatorOrigin } from '../../engine/origin.ts';
import type { AdvisorTask } from '../../advisor/consult.ts';

const ADVISOR_TASKS: readonly AdvisorTask[] = ['market', 'strategies', 'trade', 'portfolio', 'news', 'explain'];

const T = 'advisor';
const id = z.string().min(1).max(96).regex(/^\S+$/, { error: 'must be an identifier without white space' });
const bars = z.number().int().min(60).max(5_000).optional();

export const advisorBodies = {
  market: z.strictObject({ instrumentId: id, bars }),
  strategies: z.strictObject({ strategies: z.array(id).min(1).max(20).optional(), bars }),
  portfolio: z.strictObject({ bars }),
  /** A feed by URL (fetched by the node) or its XML text (the CLI reads a local file and sends it). */
  news: z.union([z.strictObject({ url: z.url({ protocol: /^https?$/ }), instruments: z.array(id).max(50).optional() }), z.strictObject({ xml: z.string().min(1).max(2_000_000), instruments: z.array(id).max(50).optional() })]),
  explain: z.union([z.strictObject({ clientOrderId: id }), z.strictObject({ breaker: id })]),
};

/**
 * A task's answer: 200 with the advice, its facts and its consultation; no model configured, 503
 * NOT_CONFIGURED (nothing computed, nothing changed); a failed consultation, 502 with its reason
 * (TIMEOUT, INVALID, REFUSED, ...) and the facts in the context.
 */
async function answer<T, F>(run: () => Promise<TaskResult<T, F>>): Promise<TaskResult<T, F>> {
  let r: TaskResult<T, F>;
  try {
    r = await run();
  } catch (e) {
    if (e instanceof NotConfigured) throw new ApiError(503, 'NOT_CONFIGURED', e.message, { task: e.task });
    throw e;
  }
  if (!r.ok) throw new ApiError(r.reason === 'NOT_CONFIGURED' ? 503 : 502, r.reason, r.message, { task: r.task, facts: r.facts, ...(r.consultation ? { consultation: r.consultation.id } : {}) });
  return r;
}

/** The AI advisor: one route per task, the proposals and a trader's decision on each. */
export function advisorRoutes(app: App, ctx: ServerContext): void {
  const { node, advisor } = ctx;

  app.route({
    ...routeOf('GET', '/api/advisor/status'),
    schema: docOf('GET', '/api/advisor/status', T),
    // What the surfaces show before anyone asks: "No model configured", or which tasks have one.
    handler: () => {
      const tasks = Object.fromEntries(ADVISOR_TASKS.map((t) => [t, advisor.configured(t)])) as Record<AdvisorTask, boolean>;
      return { configured: Object.values(tasks).some(Boolean), tasks };
    },
  });

  app.route({
    ...routeOf('POST', '/api/advisor/market'),
    schema: { ...docOf('POST', '/api/advisor/market', T), body: advisorBodies.market },
    handler: (req) => answer(() => advisor.market(req.body.instrumentId, req.body.bars)),
  });

  app.route({
    ...routeOf('POST', '/api/advisor/strategies'),
    schema: { ...docOf('POST', '/api/advisor/strategies', T), body: advisorBodies.strategies },
    handler: (req) => answer(() => advisor.strategies(req.body.strategies, req.body.bars)),
  });

  app.route({
    ...routeOf('POST', '/api/advisor/trade'),
    schema: { ...docOf('POST', '/api/advisor/trade', T), body: orderBody },
    handler: (req) =>
      answer(async () => {
        if (!advisor.configured('trade')) throw new NotConfigured('trade');
        const order = orderRequestOf(node, req.body);
        const v = checkOrder(node, order, operatorOrigin(principalOf(req).operator));
        const ticket = ticketOfRequest(order);
        return advisor.trade(ticket, v.allowed ? { allowed: true } : { allowed: false, code: v.code, message: v.message });
      }),
  });

  app.route({
    ...routeOf('POST', '/api/advisor/portfolio'),
    schema: { ...docOf('POST', '/api/advisor/portfolio', T), body: advisorBodies.portfolio },
    handler: (req) => answer(() => advisor.portfolio(req.body.bars)),
  });

  app.route({
    ...routeOf('POST', '/api/advisor/news'),
    schema: { ...docOf('POST', '/api/advisor/news', T), body: advisorBodies.news },
    handler: (req) => answer(() => advisor.news('url' in req.body ? { url: req.body.url } : { xml: req.body.xml }, req.body.instruments)),
  });

  app.route({
    ...routeOf('POST', '/api/advisor/explain'),
    schema: { ...docOf('POST', '/api/advisor/explain', T), body: advisorBodies.explain },
    handler: (req) => answer(() => advisor.explain('clientOrderId' in req.body ? { kind: 'order', clientOrderId: req.body.clientOrderId } : { kind: 'breaker', breaker: req.body.breaker })),
  });

  app.route({
    ...routeOf('GET', '/api/advisor/proposals'),
    schema: { ...docOf('GET', '/api/advisor/proposals', T), querystring: z.strictObject({ all: z.enum(['true', 'false']).default('false') }) },
    handler: (req) => advisor.proposals.list(req.query.all === 'true'),
  });

  app.route({
    ...routeOf('POST', '/api/advisor/proposals/:id/confirm'),
    schema: { ...docOf('POST', '/api/advisor/proposals/:id/confirm', T), params: idParams },
    handler: async (req, reply) => {
      req.auditTarget = req.params.id;
      const r = await advisor.confirm(req.params.id, principalOf(req).operator, (ticket, origin) => submit(node, orderRequestOf(node, ticket), origin, advisor));
      return reply.code(201).send({ proposalId: req.params.id, ...r });
    },
  });

  app.route({
    ...routeOf('POST', '/api/advisor/proposals/:id/reject'),
    schema: { ...docOf('POST', '/api/advisor/proposals/:id/reject', T), params: idParams, body: z.strictObject({ reason }) },
    handler: async (req) => {
      req.auditTarget = req.params.id;
      return advisor.reject(req.params.id, principalOf(req).operator, req.body.reason);
    },
  });
}
