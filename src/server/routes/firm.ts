import { z } from 'zod';
import { docOf, principalOf, routeOf, type App, type ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { reason } from '../schemas.ts';
import type { ClusterLink } from '../../cluster/safety/cluster-link.ts';

const T = 'risk';

/** The node's link to its firm, or 409 when it runs stand-alone. */
function linkOf(ctx: ServerContext): ClusterLink {
  const c = ctx.node.cluster;
  if (!c) throw new ApiError(409, 'NO_CLUSTER', 'this node runs stand-alone (no cluster: section): there is no firm kill switch', {});
  return c;
}

/** The firm kill switch (src/cluster/kill): one key every node of the firm watches; audited like the node's own. */
export function firmRoutes(app: App, ctx: ServerContext): void {
  app.route({
    ...routeOf('GET', '/api/firm/kill-switch'),
    schema: docOf('GET', '/api/firm/kill-switch', T),
    // A stand-alone node answers too (a read never fails for want of a firm): no firm, nothing engaged.
    handler: async () => (ctx.node.cluster ? ((await ctx.node.cluster.readKill()) ?? { engaged: false }) : { engaged: false, standAlone: true }),
  });
  for (const engaged of [true, false]) {
    const url = engaged ? '/api/firm/kill-switch' : '/api/firm/kill-switch/reset';
    app.route({
      ...routeOf('POST', url),
      schema: { ...docOf('POST', url, T), body: z.strictObject({ reason }) },
      handler: async (req) => {
        req.auditTarget = 'firm-kill-switch';
        const who = principalOf(req).operator;
        // Resetting is the RISK role's (the access table says so); engaging only tightens, as for the node's own switch.
        return linkOf(ctx).setKill(engaged, who.identity, req.body.reason);
      },
    });
  }
}
