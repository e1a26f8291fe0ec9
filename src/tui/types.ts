/**
 * The shapes the terminal dashboard reads from the API and the stream (src/server/routes/*,
 * src/server/stream.ts). Decimals stay text (exact, shown as they come); times are epoch ms.
 */
export type Role = 'viewer' | 'trader' | 'risk' | 'admin';

export interface Me {
  readonly name: string;
  readonly kind: 'user' | 'key';
  readonly roles: readonly Role[];
}

export interface Health {
  readonly ok: boolean;
  readonly node: string;
  readonly mode: string;
  readonly ts: number;
  readonly lastSeq: number;
}

export interface Balance {
  readonly currency: string;
  readonly total: string;
  readonly locked: string;
  readonly free: string;
}

export interface MarginRow {
  readonly currency: string;
  readonly used: string;
  readonly available: string;
  readonly positions?: string;
  readonly orders?: string;
}

export interface DayTrades {
  readonly count: number;
  readonly max: number;
  readonly windowDays: number;
  readonly windowStart: string;
  readonly applies: boolean;
}

export interface AccountRow {
  readonly accountId: string;
  readonly type: string;
  readonly positionMode?: string;
  readonly balances: readonly Balance[];
  /** Per currency for a MARGIN account; null for a CASH account (it has none). Absent from an older server. */
  readonly margin?: readonly MarginRow[] | null;
  /** Where the account's venue has a calendar; null where nothing counts day trades. */
  readonly dayTrades?: DayTrades | null;
  readonly [k: string]: unknown;
}

export interface Overview {
  readonly currency: string;
  readonly equity: readonly { readonly ts: number; readonly value: string | number }[];
  readonly pnlToday: string;
  readonly exposure: { readonly gross: string; readonly net: string };
  readonly var: string | null;
  /** A ratio (0.05 = 5% under the peak). */
  readonly drawdown: number | string | null;
}

export interface PositionRow {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly strategyId?: string;
  readonly side?: string;
  readonly quantity: string;
  readonly avgEntryPx?: string;
  readonly markPx?: string;
  readonly unrealizedPnl?: string;
  readonly realizedPnl?: string;
  readonly currency?: string;
}

export interface OrderRow {
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly accountId?: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: string;
  readonly quantity: string;
  readonly filledQty?: string;
  readonly price?: string;
  readonly triggerPrice?: string;
  readonly status: string;
  readonly timeInForce?: string;
  readonly expireTime?: number;
  readonly tsInit?: number;
  readonly tsLast?: number;
}

export interface Breaker {
  readonly name: string;
  readonly scope: string;
  readonly state: string;
  readonly value: number | string | null;
  readonly limit: number | string | null;
  readonly ratio: number | null;
}

export interface KillSwitch {
  readonly engaged: boolean;
  readonly by?: string;
  readonly reason?: string;
  readonly since?: number;
}

/** Closed round trips (flat to flat): won when realized PnL net of commissions is above zero. */
export interface TradeCounts {
  readonly closed: number;
  readonly won: number;
  readonly lost: number;
  readonly winRate: number | null;
}

export interface RiskStatus {
  readonly killSwitch: KillSwitch;
  readonly trades?: TradeCounts;
  readonly tradingStates: readonly { readonly scope: string; readonly state: string }[];
  readonly breakers: readonly Breaker[];
}

export interface StrategyRow {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly instruments?: readonly string[];
  readonly account?: string;
  readonly pnl: { readonly realized: string; readonly unrealized: string; readonly currency: string } | null;
}

export interface VenueRow {
  readonly venue: string;
  readonly type?: string;
  readonly connected: boolean;
  readonly latencyMs?: number;
  /** A broker's health probe round trip, where something probes it. */
  readonly probeLatencyMs?: number;
  readonly messages?: number;
  readonly errors?: number;
  readonly lastError?: string;
}

/** GET /api/market: one instrument's latest prices and 24-hour traded volume. */
export type { MarketSnapshot as MarketRow } from '../server/stream-messages.ts';

export interface InstrumentRow {
  readonly id: string;
  readonly lotSize?: string;
  readonly tickSize?: string;
}

export { parseStreamMessage, type StreamMessage, type WireEvent, type WireSystem } from '../server/stream-messages.ts';
export type { WireSystem as SystemInfo } from '../server/stream-messages.ts';
