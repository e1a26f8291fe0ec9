import { randomBytes } from 'node:crypto';
import type { Engine } from '../engine/engine.ts';
import type { Origin } from '../engine/origin.ts';
import type { ErrorContext } from '../model/errors.ts';
import { createOrderSpec, type OrderRequest } from '../model/orders/factory.ts';
import type { DenialCode } from '../model/denial-codes.ts';
import { requireSubmitter } from '../engine/order-authority.ts';
import type { TradingNode } from '../node/trading-node.ts';
import type { Position } from '../portfolio/position.ts';
import { ApiError } from './errors.ts';
import type { OrderBody } from './schemas.ts';
import { wallNow } from './wall.ts';
import type { CarriedAudit } from './guard.ts';
import type { PriorDenial } from '../engine/commands.ts';
import type { AdvisorDesk } from '../advisor/tasks/desk.ts';
import { ticketOfRequest } from '../advisor/tasks/trade.ts';

/** A denial as the API answers it (409): the gate's code, reason and context. */
export interface DenialAnswer {
  readonly clientOrderId: string;
  readonly code: DenialCode;
  readonly message: string;
  readonly context: ErrorContext;
}

/** An id for an operator's order when the caller gives none: unique across restarts (random), never reused. */
export function newOrderId(prefix = 'op'): string {
  return `${prefix}-${wallNow().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** The account an order goes to when the caller names none: the configured account on the instrument's venue. */
function defaultAccount(node: TradingNode, instrumentId: string): string {
  const venue = instrumentId.slice(instrumentId.lastIndexOf('.') + 1);
  const a = node.config.accounts.find((x) => x.venue === venue);
  if (!a) throw new ApiError(400, 'UNKNOWN_ACCOUNT', `no account is configured on venue ${venue}: give accountId`, { field: 'body.accountId' });
  return a.id;
}

/** An API order body as the engine's OrderRequest (defaults filled: account, client order id). */
export function orderRequestOf(node: TradingNode, b: Omit<OrderBody, 'quantity'> & { quantity?: OrderBody['quantity'] }): OrderRequest {
  const { accountId, clientOrderId, tags, extendedHours, ...rest } = b;
  return {
    ...(rest as Omit<OrderRequest, 'clientOrderId' | 'accountId'>),
    ...(extendedHours ? { extendedHours: true as const } : {}),
    clientOrderId: clientOrderId ?? newOrderId(),
    accountId: accountId ?? defaultAccount(node, b.instrumentId),
    ...(tags ? { tags: [...tags] } : {}),
  };
}

/**
 * Runs a command and collects the OrderDenied events of the named orders it journals (with the
 * gate's context, which CommandResult does not carry). Subscribing is synchronous and O(1).
 */
export async function watchDenials<T>(engine: Engine, ids: readonly string[], run: () => Promise<T>): Promise<{ result: T; denied: DenialAnswer[] }> {
  const denied: DenialAnswer[] = [];
  const off = engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderDenied' && ids.includes(e.clientOrderId)) denied.push({ clientOrderId: e.clientOrderId, code: e.code, message: e.reason, context: e.context });
  });
  try {
    return { result: await run(), denied };
  } finally {
    off();
  }
}

/** Throws the first denial as a 409 answer. */
export function throwDenied(denied: readonly DenialAnswer[]): void {
  const d = denied[0];
  if (d) throw new ApiError(409, d.code, d.message, { ...d.context, clientOrderId: d.clientOrderId });
}

/**
 * The advisor's trade gate on an operator's order (src/advisor/tasks/trade-gate.ts): asked only
 * when configured and only for an order the risk gate accepts; its denial is handed to the engine,
 * which journals it as OrderDenied (ADVISOR_DENIED) only if its own gate still accepts the order.
 * An order the engine would refuse as bad input is left to the engine's own error.
 */
async function advisorDenial(node: TradingNode, req: OrderRequest, origin: Origin, desk: AdvisorDesk | undefined): Promise<PriorDenial | undefined> {
  if (!desk || desk.tradeGate.deny_on === 'never') return undefined;
  let accepts: boolean;
  try {
    accepts = checkOrder(node, req, origin).allowed;
  } catch {
    return undefined;
  }
  const ticket = ticketOfRequest(req);
  const d = await desk.reviewOrder(ticket, accepts);
  return d.do === 'deny' ? { code: d.code, reason: d.reason, context: d.context } : undefined;
}

/**
 * Submits one order as the operator, through the node's router (emulated types via the order
 * emulator), after the advisor's trade gate when `desk` is given and configured so.
 */
export async function submit(node: TradingNode, req: OrderRequest, origin: Origin, desk?: AdvisorDesk, audit?: CarriedAudit): Promise<{ clientOrderId: string; status: string }> {
  const denial = await advisorDenial(node, req, origin, desk);
  // An order the engine takes at once carries the call's audit record into its own commit; one the emulator holds is audited by the guard after.
  const direct = denial !== undefined || !node.emulates(req);
  const carried = direct ? audit : undefined;
  const send = (): Promise<unknown> =>
    direct ? node.engine.execute({ kind: 'SubmitOrder', order: req, ...(denial ? { denial } : {}), ...(carried ? { audit: carried.entry } : {}) }, origin) : node.route(req, origin);
  const { denied } = await watchDenials(node.engine, [req.clientOrderId], send);
  carried?.carried();
  throwDenied(denied);
  const order = node.engine.order(req.clientOrderId);
  const held = node.orderEmulator.get(req.clientOrderId);
  return { clientOrderId: req.clientOrderId, status: order?.status ?? (held ? 'EMULATED' : 'UNKNOWN') };
}

/**
 * The gate's verdict on an order without sending it: the order built and checked as the engine
 * would (instrument, account, submitter, then the gate's pure check). Nothing is journaled.
 */
export function checkOrder(node: TradingNode, req: OrderRequest, origin: Origin): { allowed: true } | { allowed: false; code: string; message: string; context: Record<string, unknown> } {
  const engine = node.engine;
  const instrument = engine.instrument(req.instrumentId);
  engine.portfolio.account(req.accountId as never);
  const spec = createOrderSpec(req, instrument, engine.now());
  requireSubmitter(spec, origin, engine.authority);
  if (engine.order(spec.clientOrderId)) throw new ApiError(400, 'DUPLICATE_CLIENT_ORDER_ID', `client order id ${spec.clientOrderId} is already in use`, { field: 'body.clientOrderId' });
  const gate = node.gate;
  if (!gate) return { allowed: true };
  const v = gate.check({ kind: 'submit', spec, instrument, origin }, engine);
  return v.ok ? { allowed: true } : { allowed: false, code: v.code, message: v.reason, context: { ...v.context } };
}

/** The open position of an account in an instrument (404 when there is none). */
export function openPosition(engine: Engine, accountId: string, instrumentId: string): Position {
  const p = engine.portfolio.openPositions().find((x) => x.accountId === accountId && x.instrumentId === instrumentId);
  if (!p) throw new ApiError(404, 'NOT_FOUND', `no open position of ${accountId} in ${instrumentId}`, { accountId, instrumentId });
  return p;
}

/** Closes (reduce-only, the whole quantity) or reverses (twice the quantity, the other way) a position at market. */
export async function closeOrReverse(node: TradingNode, accountId: string, instrumentId: string, how: 'close' | 'reverse', origin: Origin): Promise<{ clientOrderId: string; status: string }> {
  const p = openPosition(node.engine, accountId, instrumentId);
  const qty = how === 'close' ? p.quantity : p.quantity.add(p.quantity);
  const req: OrderRequest = {
    clientOrderId: newOrderId(how),
    accountId,
    strategyId: p.strategyId,
    instrumentId,
    side: p.side === 'LONG' ? 'SELL' : 'BUY',
    type: 'MARKET',
    quantity: qty,
    ...(how === 'close' ? { reduceOnly: true } : {}),
  };
  return submit(node, req, origin);
}
