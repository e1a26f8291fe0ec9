/**
 * The shapes the dashboard reads from the API (/work/wt/API-CONTRACT.md is the authority). Decimals
 * are strings (exact, shown as they come), times epoch ms. Nothing here holds a secret except the
 * session token the login answer carries, which the dashboard never stores (the cookie does).
 */
export type Role = 'viewer' | 'trader' | 'risk' | 'admin';

export interface Me {
  readonly name: string;
  readonly kind: 'user' | 'key';
  readonly roles: readonly Role[];
}

/** `{ error: { code, message, context } }` from any failed call. */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly context?: Record<string, unknown> };
}

export type Side = 'BUY' | 'SELL';
export type OrderType =
  | 'MARKET'
  | 'LIMIT'
  | 'STOP_MARKET'
  | 'STOP_LIMIT'
  | 'MARKET_IF_TOUCHED'
  | 'LIMIT_IF_TOUCHED'
  | 'TRAILING_STOP_MARKET'
  | 'TRAILING_STOP_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'DAY' | 'GTD';

/** One order as the blotter shows it (GET /api/orders). */
export interface OrderRow {
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly accountId?: string;
  readonly strategyId?: string;
  readonly side: Side;
  readonly type: string;
  readonly quantity: string;
  readonly filledQty?: string;
  readonly price?: string;
  readonly triggerPrice?: string;
  readonly avgPx?: string;
  readonly status: string;
  readonly timeInForce?: string;
  readonly tsLast?: number;
  /** Why it ended, when denied or rejected: the code and message. */
  readonly code?: string;
  readonly reason?: string;
}

export interface PositionRow {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly positionId?: string;
  readonly quantity: string;
  readonly side?: string;
  readonly avgPx?: string;
  readonly avgEntryPx?: string;
  readonly markPx?: string;
  readonly unrealizedPnl?: string;
  readonly realizedPnl?: string;
}

export interface Overview {
  readonly equity: readonly { readonly ts: number; readonly value: string | number }[];
  readonly pnlToday: string;
  readonly exposure: { readonly gross: string; readonly net: string };
  readonly var: string | null;
  /** A ratio (0.05 = 5% under the peak). */
  readonly drawdown: number | string | null;
  readonly currency: string;
}

export interface Breaker {
  readonly name: string;
  readonly scope: string;
  readonly state: string;
  readonly value: number | string | null;
  readonly limit: number | string | null;
  readonly ratio: number | null;
}

export interface RiskStatus {
  readonly killSwitch: { readonly engaged: boolean; readonly by?: string; readonly reason?: string; readonly since?: number };
  readonly tradingStates: readonly { readonly scope: string; readonly state: string }[];
  readonly breakers: readonly Breaker[];
}

export interface Strategy {
  readonly id: string;
  readonly name: string;
  readonly state: 'running' | 'paused' | 'stopped';
  readonly parameters: Record<string, unknown>;
  readonly instruments?: readonly string[];
  readonly account?: string;
  readonly pnl: { readonly realized: string; readonly unrealized: string; readonly commissions: string; readonly currency: string } | null;
}

export interface Venue {
  readonly name?: string;
  readonly venue?: string;
  readonly state?: string;
  readonly status?: string;
  readonly connected?: boolean;
  readonly [k: string]: unknown;
}

export interface AlertRow {
  readonly [k: string]: unknown;
}

export interface Backtest {
  readonly id: string;
  readonly state: string;
  readonly progress: number;
  readonly strategy?: string;
  readonly error?: string;
  readonly result?: Record<string, unknown>;
}

export type CheckVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: string; readonly message: string; readonly context?: Record<string, unknown> };

export interface Instrument {
  readonly id: string;
  readonly kind?: string;
  readonly tickSize?: string | number;
  readonly lotSize?: string | number;
  readonly [k: string]: unknown;
}

/** The advisor's status and proposals: one definition with the server's stream messages. */
export type { AdvisorStatus, ProposalRow } from '../../../src/server/stream-messages.ts';

/** A stream `advice` message as the dashboard keeps it, with the time it arrived. */
export interface AdviceItem {
  readonly task: string;
  readonly ok: boolean;
  readonly consultation?: string;
  readonly reason?: string;
  readonly summary?: string;
  readonly receivedAt: number;
}
