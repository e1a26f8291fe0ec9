import { z } from 'zod';
import { docOf, routeOf, type App, type ServerContext } from '../context.ts';

const T = 'strategies';
const params = z.strictObject({ id: z.string().min(1).max(64) });

/** Strategies: list (state, parameters, PnL), start, stop, pause, resume, parameters. */
export function strategyRoutes(app: App, ctx: ServerContext): void {
  const { node } = ctx;
  const host = () => node.strategies;

  app.route({
    ...routeOf('GET', '/api/strategies'),
    schema: docOf('GET', '/api/strategies', T),
    handler: () => {
      const pnlOf = (id: string, account: string) => {
        const acct = node.engine.portfolio.allAccounts().find((a) => a.id === account);
        const c = acct?.balances()[0]?.currency;
        const pnl = c ? node.engine.portfolio.pnlByStrategy(c).get(id as never) : undefined;
        return pnl ? { realized: pnl.realized.toDecimalString(), unrealized: pnl.unrealized.toDecimalString(), commissions: pnl.commissions.toDecimalString(), currency: c!.code } : null;
      };
      return host().list().map((s) => ({ ...s, pnl: pnlOf(s.id, s.account) }));
    },
  });

  const actions = {
    start: (id: string) => host().startOne(id),
    stop: (id: string) => host().stopOne(id),
    pause: (id: string) => host().pause(id),
    resume: (id: string) => host().resume(id),
  } as const;
  for (const [action, run] of Object.entries(actions)) {
    const url = `/api/strategies/:id/${action}`;
    app.route({
      ...routeOf('POST', url),
      schema: { ...docOf('POST', url, T), params },
      handler: async (req) => {
        req.auditTarget = req.params.id;
        return run(req.params.id);
      },
    });
  }

  app.route({
    ...routeOf('PATCH', '/api/strategies/:id/parameters'),
    schema: { ...docOf('PATCH', '/api/strategies/:id/parameters', T), params, body: z.record(z.string().min(1).max(64), z.union([z.string().max(256), z.number(), z.boolean()])) },
    handler: (req) => {
      req.auditTarget = req.params.id;
      return host().setParameters(req.params.id, Object.fromEntries(Object.entries(req.body).map(([k, v]) => [k, String(v)])));
    },
  });
}
