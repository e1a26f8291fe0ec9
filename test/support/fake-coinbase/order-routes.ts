/**
 * The private trading routes: `POST orders`, `orders/batch_cancel`, `orders/historical/*`,
 * `accounts` (and v2 `accounts`, ccxt's default balance source). Order refusals answer HTTP 200 with `success: false` and an `error_response`, as
 * Coinbase does; an unknown order id answers 404 NOT_FOUND.
 */
import { createHash } from 'node:crypto';
import { Precise } from 'ccxt';
import { FakeReject, type FakeMatching } from '../fake-venue/matching.ts';
import type { CoinbaseFaults } from './faults.ts';
import { cbError, ok, type Reply, type Route } from './http.ts';
import { uuidFrom } from './jwt.ts';
import { parseOrderBody, refusalFor, type Refusal } from './order-config.ts';
import type { OrderRegistry } from './registry.ts';
import { accountWire, fillWire, isFiat, iso, orderStatus, orderWire } from './wire.ts';

export interface OrderRouteDeps {
  readonly matching: FakeMatching;
  readonly registry: OrderRegistry;
  readonly faults: CoinbaseFaults;
  readonly account: string;
}

const V3 = '/api/v3/brokerage';

export function orderRoutes(d: OrderRouteDeps): Route[] {
  return [
    { method: 'POST', path: `${V3}/orders/batch_cancel`, auth: 'private', trading: true, handle: (r) => batchCancel(d, r.body) },
    { method: 'POST', path: `${V3}/orders`, auth: 'private', trading: true, handle: (r) => createOrder(d, r.body) },
    { method: 'GET', path: `${V3}/orders/historical/batch`, auth: 'private', handle: (r) => listOrders(d, r.queryAll('order_status'), r.query) },
    // List Fills filters by `order_ids` (the documented array, repeated in the query) and the older singular `order_id`.
    { method: 'GET', path: `${V3}/orders/historical/fills`, auth: 'private', handle: (r) => listFills(d, [...r.queryAll('order_ids'), ...r.queryAll('order_id')], r.query) },
    { method: 'GET', path: `${V3}/orders/historical/{order_id}`, auth: 'private', handle: (r) => getOrder(d, r.params['order_id']!) },
    { method: 'GET', path: `${V3}/accounts`, auth: 'private', handle: () => listAccounts(d) },
    { method: 'GET', path: '/v2/accounts', auth: 'private', handle: () => listAccountsV2(d) },
  ];
}

function createOrder(d: OrderRouteDeps, body: Readonly<Record<string, unknown>>): Reply {
  const parsed = parseOrderBody(body, d.account, d.matching);
  if (!parsed.ok) return failure(parsed.refusal, parsed.config);
  const { request, configKey, config } = parsed;
  // Coinbase is idempotent on client_order_id: a repeat returns the first order, creates nothing.
  const existing = request.clientOrderId !== undefined ? d.matching.find(d.account, { clientOrderId: request.clientOrderId }) : undefined;
  if (existing && d.registry.metaOf(existing.orderId)) return success(d, existing.orderId, body, { [configKey]: config });
  const timeout = d.faults.takeSubmitTimeout();
  if (timeout && !timeout.placed) return { hold: true };
  let orderId: number;
  try {
    const placed = d.matching.place(request);
    orderId = placed.orderId;
  } catch (e) {
    if (e instanceof FakeReject) return failure(refusalFor(e), { [configKey]: config });
    throw e;
  }
  d.registry.remember(orderId, { configKey, config, productType: 'SPOT' });
  if (timeout) return { hold: true };
  return success(d, orderId, body, { [configKey]: config });
}

function success(d: OrderRouteDeps, orderId: number, body: Readonly<Record<string, unknown>>, configuration: Record<string, unknown>): Reply {
  const uuid = d.registry.uuidOf(orderId);
  const o = d.matching.find(d.account, { orderId })!;
  return ok({
    success: true,
    failure_reason: 'UNKNOWN_FAILURE_REASON',
    order_id: uuid,
    success_response: { order_id: uuid, product_id: o.symbol, side: body['side'], client_order_id: o.clientOrderId },
    order_configuration: configuration,
  });
}

function failure(r: Refusal, configuration: Record<string, unknown>): Reply {
  return ok({
    success: false,
    failure_reason: 'UNKNOWN_FAILURE_REASON',
    order_id: '',
    error_response: { error: r.error, message: r.message, error_details: '', preview_failure_reason: r.preview },
    order_configuration: configuration,
  });
}

function batchCancel(d: OrderRouteDeps, body: Readonly<Record<string, unknown>>): Reply {
  const ids = Array.isArray(body['order_ids']) ? (body['order_ids'] as unknown[]).map(String) : [];
  if (ids.length === 0) return cbError(400, 'INVALID_ARGUMENT', 'order_ids is required');
  const results = ids.map((id) => {
    const o = d.registry.findByUuid(id);
    if (!o || orderStatus(o) !== 'OPEN') return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
    try {
      d.matching.cancel(d.account, { orderId: o.orderId });
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
    } catch (e) {
      if (e instanceof FakeReject) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
      throw e;
    }
  });
  return ok({ results });
}

function getOrder(d: OrderRouteDeps, uuid: string): Reply {
  const o = d.registry.findByUuid(uuid);
  const meta = o && d.registry.metaOf(o.orderId);
  if (!o || !meta) return cbError(404, 'NOT_FOUND', 'order with this orderID was not found');
  return ok({ order: orderWire(o, meta) });
}

function listOrders(d: OrderRouteDeps, statuses: string[], q: Readonly<Record<string, string>>): Reply {
  const limit = Number(q['limit'] ?? 100);
  const since = q['start_date'] !== undefined ? Date.parse(q['start_date']) : 0;
  const orders = d.registry
    .all()
    .filter(({ order }) => (q['product_id'] === undefined || order.symbol === q['product_id']) && order.createdAt >= since)
    .filter(({ order }) => statuses.length === 0 || statuses.includes(orderStatus(order)))
    .slice(0, limit)
    .map(({ order, meta }) => orderWire(order, meta));
  return ok({ orders, sequence: '0', has_next: false, cursor: '' });
}

function listFills(d: OrderRouteDeps, orderIds: string[], q: Readonly<Record<string, string>>): Reply {
  const limit = Number(q['limit'] ?? 100);
  const since = q['start_sequence_timestamp'] !== undefined ? Date.parse(q['start_sequence_timestamp']) : 0;
  const fills = d.matching
    .trades(d.account, q['product_id'], since)
    .map((t) => ({ t, uuid: d.registry.uuidOf(t.orderId) }))
    .filter(({ uuid }) => orderIds.length === 0 || orderIds.includes(uuid))
    .reverse()
    .slice(0, limit)
    .map(({ t, uuid }) => fillWire(t, uuid));
  return ok({ fills, cursor: '' });
}

function listAccounts(d: OrderRouteDeps): Reply {
  const accounts = Object.entries(d.matching.balances(d.account)).map(([asset, b]) => accountWire(asset, b.free, b.locked, accountUuid(asset), 0));
  return ok({ accounts, has_next: false, cursor: '', size: accounts.length });
}

/** The Coinbase App (v2) view ccxt's default fetchBalance reads: one wallet per asset, total only (no holds). */
function listAccountsV2(d: OrderRouteDeps): Reply {
  const data = Object.entries(d.matching.balances(d.account)).map(([asset, b]) => ({
    id: accountUuid(asset),
    name: `${asset} Wallet`,
    primary: asset === 'BTC',
    type: isFiat(asset) ? 'fiat' : 'wallet',
    currency: { code: asset, name: asset, type: isFiat(asset) ? 'fiat' : 'crypto' },
    balance: { amount: Precise.stringAdd(b.free, b.locked), currency: asset },
    created_at: iso(0),
    updated_at: iso(0),
    resource: 'account',
    resource_path: `/v2/accounts/${accountUuid(asset)}`,
  }));
  return ok({ pagination: { ending_before: null, starting_after: null, limit: 250, order: 'desc', previous_uri: null, next_uri: null }, data });
}

function accountUuid(asset: string): string {
  return uuidFrom(createHash('sha256').update(`account-${asset}`).digest().subarray(0, 16));
}
