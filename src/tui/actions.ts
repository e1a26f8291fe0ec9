/**
 * What the dashboard asks the server to do. Every action is one or more API calls with the
 * user's credential: the server's role check decides, and a refusal comes back with its code.
 */
import type { OrderType, TimeInForce, TrailingOffsetType } from '../model/orders/types.ts';
import type { ApiClient, ApiResult } from './api.ts';

/** An order as POST /api/orders takes it (src/server/schemas.ts orderBody): decimals as text. */
export interface OrderTicket {
  readonly instrumentId: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  /** Absent: LIMIT when a price is given, else MARKET. */
  readonly type?: OrderType;
  readonly price?: string;
  readonly triggerPrice?: string;
  readonly trailingOffset?: string;
  readonly trailingOffsetType?: TrailingOffsetType;
  readonly limitOffset?: string;
  readonly activationPrice?: string;
  readonly timeInForce?: TimeInForce;
  /** GTD: epoch ms on the node's clock. */
  readonly expireTime?: number;
  readonly reduceOnly?: boolean;
  readonly postOnly?: boolean;
  readonly accountId?: string;
}

export type Action =
  | { readonly do: 'submitOrder'; readonly ticket: OrderTicket }
  | { readonly do: 'cancelOrder'; readonly clientOrderId: string }
  | { readonly do: 'modifyOrder'; readonly clientOrderId: string; readonly quantity?: string; readonly price?: string }
  | { readonly do: 'cancelAll' }
  | { readonly do: 'closePosition'; readonly accountId: string; readonly instrumentId: string }
  | { readonly do: 'reversePosition'; readonly accountId: string; readonly instrumentId: string }
  | { readonly do: 'closeAll'; readonly positions: readonly { readonly accountId: string; readonly instrumentId: string }[] }
  | { readonly do: 'pauseStrategy'; readonly id: string }
  | { readonly do: 'resumeStrategy'; readonly id: string }
  | { readonly do: 'engageKillSwitch'; readonly reason: string }
  | { readonly do: 'resetKillSwitch'; readonly reason: string }
  | { readonly do: 'runBacktest'; readonly strategy: string }
  | { readonly do: 'confirmProposal'; readonly proposalId: string }
  | { readonly do: 'rejectProposal'; readonly proposalId: string; readonly reason: string };

export type Outcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: string; readonly message: string };

const refused = (r: Extract<ApiResult, { ok: false }>): Outcome => ({ ok: false, code: r.code, message: r.message });

function done(r: ApiResult, text: (body: Record<string, unknown>) => string): Outcome {
  return r.ok ? { ok: true, text: text((r.body ?? {}) as Record<string, unknown>) } : refused(r);
}

const s = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export async function perform(api: ApiClient, a: Action): Promise<Outcome> {
  switch (a.do) {
    case 'submitOrder': {
      const t = a.ticket;
      const body = { ...t, type: t.type ?? (t.price === undefined ? 'MARKET' : 'LIMIT') };
      return done(await api.call('POST', '/api/orders', body), (b) => `order ${s(b.clientOrderId)} ${s(b.status)}`);
    }
    case 'cancelOrder':
      return done(await api.call('DELETE', `/api/orders/${encodeURIComponent(a.clientOrderId)}`), () => `cancel of ${a.clientOrderId} requested`);
    case 'modifyOrder':
      return done(await api.call('PATCH', `/api/orders/${encodeURIComponent(a.clientOrderId)}`, { ...(a.quantity !== undefined && { quantity: a.quantity }), ...(a.price !== undefined && { price: a.price }) }), () => `modify of ${a.clientOrderId} requested`);
    case 'cancelAll':
      return done(await api.call('DELETE', '/api/orders'), (b) => `cancel requested for ${s(b.requested)} open order(s)`);
    case 'closePosition':
      return done(await api.call('POST', '/api/positions/close', { accountId: a.accountId, instrumentId: a.instrumentId }), () => `closing ${a.instrumentId} (${a.accountId})`);
    case 'reversePosition':
      return done(await api.call('POST', '/api/positions/reverse', { accountId: a.accountId, instrumentId: a.instrumentId }), () => `reversing ${a.instrumentId} (${a.accountId})`);
    case 'closeAll':
      return closeAll(api, a.positions);
    case 'pauseStrategy':
      return done(await api.call('POST', `/api/strategies/${encodeURIComponent(a.id)}/pause`), () => `${a.id} paused`);
    case 'resumeStrategy':
      return done(await api.call('POST', `/api/strategies/${encodeURIComponent(a.id)}/resume`), () => `${a.id} resumed`);
    case 'engageKillSwitch':
      return done(await api.call('POST', '/api/risk/kill-switch', { reason: a.reason }), () => 'KILL SWITCH ENGAGED: every order canceled, trading halted');
    case 'resetKillSwitch':
      return done(await api.call('POST', '/api/risk/kill-switch/reset', { reason: a.reason }), () => 'kill switch reset');
    case 'runBacktest':
      return done(await api.call('POST', '/api/backtests', { strategy: a.strategy }), (b) => `backtest ${s(b.id)} started (${a.strategy})`);
    case 'confirmProposal':
      return done(await api.call('POST', `/api/advisor/proposals/${encodeURIComponent(a.proposalId)}/confirm`), (b) => `proposal ${a.proposalId} confirmed: order ${s(b.clientOrderId)} ${s(b.status)}`);
    case 'rejectProposal':
      return done(await api.call('POST', `/api/advisor/proposals/${encodeURIComponent(a.proposalId)}/reject`, { reason: a.reason }), () => `proposal ${a.proposalId} rejected`);
    default:
      return a satisfies never;
  }
}

/** Closes each position in turn; the first refusal stops the rest and is what is shown. */
async function closeAll(api: ApiClient, positions: readonly { accountId: string; instrumentId: string }[]): Promise<Outcome> {
  let closed = 0;
  for (const p of positions) {
    const r = await api.call('POST', '/api/positions/close', { accountId: p.accountId, instrumentId: p.instrumentId });
    if (!r.ok) return { ok: false, code: r.code, message: `${r.message} (${closed} of ${positions.length} closed)` };
    closed++;
  }
  return { ok: true, text: `closing ${closed} position(s)` };
}
