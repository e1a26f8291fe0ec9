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

export interface AccountRow {
  readonly accountId: string;
  readonly type: string;
  readonly positionMode?: string;
  readonly balances: readonly Balance[];
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

export interface RiskStatus {
  readonly killSwitch: KillSwitch;
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
  readonly messages?: number;
  readonly errors?: number;
  readonly lastError?: string;
}

export interface InstrumentRow {
  readonly id: string;
  readonly lotSize?: string;
  readonly tickSize?: string;
}

/** One journal record as the stream sends it (the journal codec's JSON). */
export interface WireEvent {
  readonly kind: string;
  readonly clientOrderId?: string;
  readonly tsEvent?: number;
  readonly [field: string]: unknown;
}

export type StreamMessage =
  | { readonly type: 'hello'; readonly lastSeq: number }
  | { readonly type: 'event'; readonly seq: number; readonly event: WireEvent }
  | { readonly type: 'market'; readonly instrumentId: string; readonly bid?: string; readonly ask?: string; readonly last?: string; readonly ts: number }
  | { readonly type: 'alert'; readonly code?: string; readonly message?: string }
  | { readonly type: 'status' }
  | { readonly type: 'venue'; readonly venue: VenueRow };

/** Parses one frame; what the dashboard does not know is `undefined` (ignored, not fatal). */
export function parseStreamMessage(text: string): StreamMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  switch (m.type) {
    case 'hello':
      return typeof m.lastSeq === 'number' ? { type: 'hello', lastSeq: m.lastSeq } : undefined;
    case 'event': {
      const e = m.event as WireEvent | null | undefined;
      return typeof m.seq === 'number' && typeof e === 'object' && e !== null && typeof e.kind === 'string' ? { type: 'event', seq: m.seq, event: e } : undefined;
    }
    case 'market':
      return typeof m.instrumentId === 'string' && typeof m.ts === 'number' ? (m as StreamMessage) : undefined;
    case 'alert':
      return { type: 'alert', ...(typeof m.code === 'string' && { code: m.code }), ...(typeof m.message === 'string' && { message: m.message }) };
    case 'status':
      return { type: 'status' };
    case 'venue': {
      const venue = m.venue as VenueRow | null | undefined;
      return typeof venue === 'object' && venue !== null && typeof venue.venue === 'string' ? { type: 'venue', venue } : undefined;
    }
    default:
      return undefined;
  }
}
