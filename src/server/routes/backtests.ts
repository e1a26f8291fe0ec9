import { z } from 'zod';
import { docOf, principalOf, routeOf, type App, type ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { idParams } from '../schemas.ts';

const T = 'backtests';

/** Backtests: start one in a worker thread, list, progress and result, HTML report. */
export function backtestRoutes(app: App, ctx: ServerContext): void {
  const bt = ctx.backtests;
  app.route({
    ...routeOf('POST', '/api/backtests'),
    schema: {
      ...docOf('POST', '/api/backtests', T),
      body: z.strictObject({ strategy: z.string().min(1).max(64), params: z.record(z.string().min(1).max(64), z.union([z.string().max(256), z.number(), z.boolean()])).default({}), data: z.string().min(1).max(256).optional() }),
    },
    handler: async (req, reply) => {
      const params = Object.fromEntries(Object.entries(req.body.params).map(([k, v]) => [k, String(v)]));
      const info = bt.start({ strategy: req.body.strategy, params, ...(req.body.data ? { data: req.body.data } : {}) }, principalOf(req).name);
      req.auditTarget = info.id;
      return reply.code(201).send({ id: info.id });
    },
  });
  app.route({ ...routeOf('GET', '/api/backtests'), schema: docOf('GET', '/api/backtests', T), handler: () => bt.list() });
  app.route({
    ...routeOf('GET', '/api/backtests/:id'),
    schema: { ...docOf('GET', '/api/backtests/:id', T), params: idParams },
    handler: (req) => {
      const b = bt.get(req.params.id);
      if (!b) throw new ApiError(404, 'NOT_FOUND', `no backtest ${req.params.id}`, { id: req.params.id });
      return b;
    },
  });
  app.route({
    ...routeOf('GET', '/api/backtests/:id/report'),
    schema: { ...docOf('GET', '/api/backtests/:id/report', T), params: idParams },
    handler: async (req, reply) => {
      const b = bt.get(req.params.id);
      if (!b) throw new ApiError(404, 'NOT_FOUND', `no backtest ${req.params.id}`, { id: req.params.id });
      const html = bt.report(req.params.id);
      if (html === undefined) throw new ApiError(409, 'NOT_READY', `backtest ${req.params.id} is ${b.state}: no report yet`, { id: req.params.id, state: b.state });
      // The report is self-contained HTML with inline scripts and styles.
      return reply.type('text/html; charset=utf-8').header('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:").send(html);
    },
  });
}
