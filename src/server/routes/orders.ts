import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Command } from '../../engine/commands.ts';
import type { CommandResult } from '../../engine/engine.ts';
import { operatorOrigin } from '../../engine/origin.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import { checkOrder, newOrderId, orderRequestOf, submit, throwDenied, watchDenials } from '../commands.ts';
import { docOf, principalOf, routeOf, type App, type ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { carriedAudit } from '../guard.ts';
import { algoBody, idParams, limitQuery, modifyBody, orderBody, orderListBody } from '../schemas.ts';
import { heldView, orderView } from '../views.ts';
import type { AlgoRequest } from '../../algos/types.ts';

const T = 'orders';

/** Orders: list, read, check, submit (every type, lists, algorithms), modify, cancel, cancel all. */
export function orderRoutes(app: App, ctx: ServerContext): void {
  const { node } = ctx;
  const engine = () => node.engine;
  /** Runs the operator's command with the call's audit record in the command's own commit (carriedAudit). */
  const executeAudited = async (req: FastifyRequest, cmd: Extract<Command, { kind: 'ModifyOrder' | 'CancelOrder' | 'CancelAllOrders' }>): Promise<CommandResult> => {
    const audit = carriedAudit(req, ctx.auth);
    const result = await engine().execute({ ...cmd, audit: audit.entry }, operatorOrigin(principalOf(req).operator));
    audit.carried();
    return result;
  };

  app.route({
    ...routeOf('GET', '/api/orders'),
    schema: { ...docOf('GET', '/api/orders', T), querystring: z.strictObject({ status: z.enum(['open', 'closed', 'all']).default('open'), limit: limitQuery(10_000, 500) }) },
    handler: (req) => {
      const { status, limit } = req.query;
      const all = status === 'open' ? [...engine().openOrders()] : [...engine().state.orders.values()].filter((o) => status === 'all' || o.isClosed);
      const held = status === 'closed' ? [] : node.orderEmulator.heldOrders().map(heldView);
      const orders = all.sort((a, b) => b.tsLast - a.tsLast).slice(0, limit).map(orderView);
      return [...held, ...orders].slice(0, limit);
    },
  });

  app.route({
    ...routeOf('GET', '/api/orders/:id'),
    schema: { ...docOf('GET', '/api/orders/:id', T), params: idParams },
    handler: (req) => {
      const o = engine().order(req.params.id);
      if (o) return orderView(o);
      const h = node.orderEmulator.get(req.params.id);
      if (h) return heldView(h);
      throw new ApiError(404, 'NOT_FOUND', `no order ${req.params.id}`, { clientOrderId: req.params.id });
    },
  });

  app.route({
    ...routeOf('POST', '/api/orders/check'),
    schema: { ...docOf('POST', '/api/orders/check', T), body: orderBody },
    handler: (req) => checkOrder(node, orderRequestOf(node, req.body), operatorOrigin(principalOf(req).operator)),
  });

  app.route({
    ...routeOf('POST', '/api/orders'),
    schema: { ...docOf('POST', '/api/orders', T), body: orderBody },
    handler: async (req, reply) => {
      const order = orderRequestOf(node, req.body);
      req.auditTarget = order.clientOrderId;
      const r = await submit(node, order, operatorOrigin(principalOf(req).operator), ctx.advisor, carriedAudit(req, ctx.auth));
      return reply.code(201).send(r);
    },
  });

  app.route({
    ...routeOf('PATCH', '/api/orders/:id'),
    schema: { ...docOf('PATCH', '/api/orders/:id', T), params: idParams, body: modifyBody },
    handler: async (req) => {
      const id = req.params.id;
      req.auditTarget = id;
      const { result, denied } = await watchDenials(engine(), [id], () => executeAudited(req, { kind: 'ModifyOrder', clientOrderId: id, ...req.body }));
      // A modify the gate denies is journaled as OrderModifyRejected, not OrderDenied: its denial comes back in the result.
      throwDenied(denied.length > 0 ? denied : result.denied.map((d) => ({ clientOrderId: d.clientOrderId, code: d.code, message: d.reason, context: {} })));
      return { clientOrderId: id, status: engine().order(id)?.status };
    },
  });

  app.route({
    ...routeOf('DELETE', '/api/orders/:id'),
    schema: { ...docOf('DELETE', '/api/orders/:id', T), params: idParams },
    handler: async (req) => {
      const id = req.params.id;
      req.auditTarget = id;
      if (!engine().order(id) && node.orderEmulator.get(id)) {
        node.orderEmulator.cancel(id, `canceled by ${principalOf(req).name}`);
        return { clientOrderId: id, status: 'CANCELED' };
      }
      await executeAudited(req, { kind: 'CancelOrder', clientOrderId: id });
      return { clientOrderId: id, status: engine().order(id)?.status };
    },
  });

  app.route({
    ...routeOf('DELETE', '/api/orders'),
    schema: { ...docOf('DELETE', '/api/orders', T), querystring: z.strictObject({ instrumentId: z.string().min(1).optional(), side: z.enum(['BUY', 'SELL']).optional(), accountId: z.string().min(1).optional() }) },
    handler: async (req) => {
      const q = req.query;
      req.auditTarget = [q.instrumentId, q.side, q.accountId].filter(Boolean).join(' ') || 'all';
      const before = new Set([...engine().openOrders()].map((o) => o.clientOrderId as string));
      await executeAudited(req, { kind: 'CancelAllOrders', ...q });
      const canceled = [...before].filter((id) => engine().order(id)?.status !== undefined && !engine().order(id)!.isOpen || engine().order(id)?.status === 'PENDING_CANCEL');
      return { requested: before.size, canceled };
    },
  });

  app.route({
    ...routeOf('POST', '/api/order-lists'),
    schema: { ...docOf('POST', '/api/order-lists', T), body: orderListBody },
    handler: async (req, reply) => {
      const origin = operatorOrigin(principalOf(req).operator);
      const em = node.orderEmulator;
      const b = req.body;
      let ids: string[];
      let run: () => Promise<unknown>;
      switch (b.kind) {
        case 'bracket': {
          const entry = orderRequestOf(node, b.entry);
          ids = [entry.clientOrderId];
          run = () => em.submitBracket({ entry, takeProfitPrice: b.takeProfitPrice, stopLossTriggerPrice: b.stopLossTriggerPrice, ...(b.trigger ? { trigger: b.trigger } : {}) }, origin);
          break;
        }
        case 'oco':
        case 'ouo': {
          const [x, y] = [orderRequestOf(node, b.orders[0]), orderRequestOf(node, b.orders[1])];
          ids = [x.clientOrderId, y.clientOrderId];
          run = () => (b.kind === 'oco' ? em.submitOco(x, y, origin) : em.submitOuo(x, y, origin));
          break;
        }
        case 'oto': {
          const parent = orderRequestOf(node, b.parent);
          const child = orderRequestOf(node, b.child) as Omit<OrderRequest, 'quantity'> & { quantity?: OrderRequest['quantity'] };
          ids = [parent.clientOrderId];
          run = () => em.submitOto({ parent, child, ...(b.trigger ? { trigger: b.trigger } : {}) }, origin);
          break;
        }
      }
      req.auditTarget = ids.join(',');
      const { denied } = await watchDenials(engine(), ids, run);
      throwDenied(denied);
      return reply.code(201).send({ kind: b.kind, clientOrderIds: ids });
    },
  });

  app.route({
    ...routeOf('POST', '/api/algos'),
    schema: { ...docOf('POST', '/api/algos', T), body: algoBody },
    handler: async (req, reply) => {
      const b = req.body;
      const base = { parentId: b.parentId ?? newOrderId('algo'), accountId: orderRequestOf(node, { ...b, type: 'MARKET' } as never).accountId, instrumentId: b.instrumentId, side: b.side, quantity: b.quantity };
      const algo: AlgoRequest =
        b.kind === 'iceberg'
          ? { ...base, kind: 'ICEBERG', displayQuantity: b.displayQuantity, price: b.price }
          : b.kind === 'twap'
            ? { ...base, kind: 'TWAP', slices: b.slices, endTime: b.endTime, ...(b.startTime !== undefined ? { startTime: b.startTime } : {}), ...(b.order ? { order: b.order } : {}), ...(b.atEnd ? { atEnd: b.atEnd } : {}) }
            : { ...base, kind: 'VWAP', volume: { kind: 'WEIGHTS', weights: b.weights }, endTime: b.endTime, ...(b.startTime !== undefined ? { startTime: b.startTime } : {}), ...(b.order ? { order: b.order } : {}), ...(b.atEnd ? { atEnd: b.atEnd } : {}) };
      req.auditTarget = base.parentId;
      const parentId = await node.algorithms.start(algo, operatorOrigin(principalOf(req).operator));
      return reply.code(201).send({ parentId, progress: node.algorithms.progress(parentId) });
    },
  });

  app.route({
    ...routeOf('GET', '/api/algos'),
    schema: docOf('GET', '/api/algos', T),
    handler: () => node.algorithms.running().map((id) => ({ parentId: id, progress: node.algorithms.progress(id) })),
  });

  app.route({
    ...routeOf('DELETE', '/api/algos/:id'),
    schema: { ...docOf('DELETE', '/api/algos/:id', T), params: idParams },
    handler: async (req) => {
      req.auditTarget = req.params.id;
      const canceled = await node.algorithms.cancel(req.params.id);
      if (!canceled) throw new ApiError(404, 'NOT_FOUND', `no running execution algorithm ${req.params.id}`, { parentId: req.params.id });
      return { parentId: req.params.id, canceled };
    },
  });
}
