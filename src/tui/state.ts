/**
 * The dashboard's data: REST answers (read once at start, on R, and again only when a stream record
 * says a part changed) and what the stream carries itself (kill switch, market, venue health,
 * event rate). Pure: `reduce` takes the wall time it needs, does no I/O.
 */
import { adviceAfter, proposalsAfter, type AdviceRow, type AdvisorStatus, type ProposalRow } from './advisor.ts';
import type { AccountRow, Health, InstrumentRow, MarketRow, Me, OrderRow, Overview, PositionRow, RiskStatus, StrategyRow, StreamMessage, SystemInfo, VenueRow, WireEvent } from './types.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** The REST parts, each re-read as a whole when it goes stale. */
export const PARTS = ['me', 'health', 'accounts', 'overview', 'positions', 'orders', 'risk', 'strategies', 'venues', 'instruments', 'market', 'system', 'advisor', 'proposals'] as const;
export type Part = (typeof PARTS)[number];

export interface PartData {
  me: Me;
  health: Health;
  accounts: readonly AccountRow[];
  overview: Overview;
  positions: readonly PositionRow[];
  orders: readonly OrderRow[];
  risk: RiskStatus;
  strategies: readonly StrategyRow[];
  venues: readonly VenueRow[];
  instruments: readonly InstrumentRow[];
  market: readonly MarketRow[];
  system: SystemInfo;
  advisor: AdvisorStatus;
  proposals: readonly ProposalRow[];
}

export interface MarketView {
  readonly instrumentId: string;
  readonly last?: string;
  /** The first last price this session saw: the change is measured from it. */
  readonly first?: string;
  readonly bid?: string;
  readonly ask?: string;
  /** Traded volume over the node's last 24 hours (exact text, as the server sums it). */
  readonly volume24h?: string;
  /** Recent last prices (as numbers: for the sparkline only, never for money). */
  readonly history: readonly number[];
  readonly updates: number;
  readonly ts: number;
}

export interface Activity {
  readonly tone: 'good' | 'bad' | 'info';
  readonly text: string;
  /** Wall time it arrived (the message line shows the newer of this and the last action's answer). */
  readonly at: number;
}

export interface DashState {
  readonly connection: Connection;
  readonly lastSeq: number;
  readonly parts: Partial<PartData>;
  readonly venues: ReadonlyMap<string, VenueRow>;
  readonly market: ReadonlyMap<string, MarketView>;
  /** Wall times of the stream records of the last RATE_WINDOW_MS. */
  readonly recent: readonly number[];
  readonly records: number;
  /** The latest notable record (a fill, a denial, an alert), for the status line. */
  readonly activity?: Activity;
  /** The node process's figures and the wall time they arrived (uptime runs on from there). */
  readonly system?: { readonly info: SystemInfo; readonly at: number };
  /** The advisor's advice as the stream brings it, newest first (src/tui/advisor.ts). */
  readonly advice?: readonly AdviceRow[];
}

export const RATE_WINDOW_MS = 10_000;
export const HISTORY = 60;

export const EMPTY_DASH: DashState = { connection: 'connecting', lastSeq: 0, parts: {}, venues: new Map(), market: new Map(), recent: [], records: 0 };

export type DashMsg =
  | { readonly kind: 'loaded'; readonly part: Part; readonly data: unknown }
  | { readonly kind: 'stream'; readonly message: StreamMessage }
  | { readonly kind: 'connection'; readonly connection: Connection };

export function reduce(s: DashState, m: DashMsg, now: number): DashState {
  switch (m.kind) {
    case 'loaded':
      return m.part === 'system' ? { ...loaded(s, m.part, m.data), system: { info: m.data as SystemInfo, at: now } } : loaded(s, m.part, m.data);
    case 'connection':
      return { ...s, connection: m.connection };
    case 'stream':
      return onMessage(s, m.message, now);
    default:
      return s;
  }
}

function loaded(s: DashState, part: Part, data: unknown): DashState {
  const parts = { ...s.parts, [part]: data };
  if (part === 'market') {
    // The snapshot read at start: the stream's messages move it on (a newer one is kept).
    const market = new Map(s.market);
    for (const r of data as readonly MarketRow[]) {
      const prev = market.get(r.instrumentId);
      if (!prev || prev.ts <= r.ts) market.set(r.instrumentId, marketAfter(prev, { type: 'market', ...r }));
    }
    return { ...s, parts, market };
  }
  if (part !== 'venues') return { ...s, parts };
  const venues = new Map(s.venues);
  for (const v of data as readonly VenueRow[]) venues.set(v.venue, v);
  return { ...s, parts, venues };
}

function onMessage(s: DashState, m: StreamMessage, now: number): DashState {
  switch (m.type) {
    case 'hello':
      // Live only (nothing applied yet): the REST parts read next stand for everything up to lastSeq.
      return { ...s, connection: 'live', lastSeq: s.lastSeq === 0 ? m.lastSeq : s.lastSeq };
    case 'event': {
      if (m.seq <= s.lastSeq) return s;
      const recent = [...s.recent.filter((t) => t > now - RATE_WINDOW_MS), now];
      return applyEvent({ ...s, lastSeq: m.seq, recent, records: s.records + 1 }, m.event, now);
    }
    case 'market':
      return { ...s, market: new Map(s.market).set(m.instrumentId, marketAfter(s.market.get(m.instrumentId), m)) };
    case 'venue':
      // The health as published (src/node/venues.ts VenueHealth): `connected` is a boolean there.
      return { ...s, venues: new Map(s.venues).set(m.venue.venue, { ...m.venue, connected: m.venue.connected === true }) };
    case 'alert':
      return { ...s, activity: { tone: 'bad', text: `ALERT ${m.code ?? ''} ${m.message ?? ''}`.trim(), at: now } };
    case 'status':
      return s;
    case 'system':
      return { ...s, system: { info: m.system, at: now } };
    case 'advice':
      return { ...s, advice: adviceAfter(s.advice, m, now) };
    case 'proposal':
      return { ...s, parts: { ...s.parts, proposals: proposalsAfter(s.parts.proposals, m.proposal) } };
    default:
      return s;
  }
}

function marketAfter(prev: MarketView | undefined, m: Extract<StreamMessage, { type: 'market' }>): MarketView {
  const last = m.last ?? prev?.last;
  const n = last === undefined ? NaN : Number(last);
  const history = Number.isFinite(n) && m.last !== undefined ? [...(prev?.history ?? []), n].slice(-HISTORY) : (prev?.history ?? []);
  return {
    instrumentId: m.instrumentId,
    ...(last !== undefined && { last }),
    ...((prev?.first ?? m.last) !== undefined && { first: prev?.first ?? m.last }),
    ...((m.bid ?? prev?.bid) !== undefined && { bid: m.bid ?? prev?.bid }),
    ...((m.ask ?? prev?.ask) !== undefined && { ask: m.ask ?? prev?.ask }),
    ...((m.volume24h ?? prev?.volume24h) !== undefined && { volume24h: m.volume24h ?? prev?.volume24h }),
    history,
    updates: (prev?.updates ?? 0) + 1,
    ts: m.ts,
  };
}

const text = (e: WireEvent, k: string): string => (typeof e[k] === 'string' ? e[k] : '');

/** What the stream says at once (the kill switch, fills, denials); the REST parts it makes stale are re-read by the controller. */
function applyEvent(s: DashState, e: WireEvent, at: number): DashState {
  const risk = s.parts.risk;
  switch (e.kind) {
    case 'KillSwitchEngaged':
      return {
        ...s,
        parts: { ...s.parts, risk: { ...(risk ?? { tradingStates: [], breakers: [] }), killSwitch: { engaged: true, by: text(e, 'operator'), reason: text(e, 'reason'), ...(e.tsEvent !== undefined && { since: e.tsEvent }) } } },
        activity: { tone: 'bad', text: `KILL SWITCH engaged by ${text(e, 'operator')}: ${text(e, 'reason')}` , at },
      };
    case 'KillSwitchReset':
      return { ...s, parts: { ...s.parts, risk: { ...(risk ?? { tradingStates: [], breakers: [] }), killSwitch: { engaged: false } } }, activity: { tone: 'info', text: `kill switch reset by ${text(e, 'operator')}` , at } };
    case 'OrderFilled':
      return { ...s, activity: { tone: 'good', text: `FILLED ${text(e, 'side')} ${text(e, 'lastQty')} ${text(e, 'instrumentId')} @ ${text(e, 'lastPx')} (${e.clientOrderId ?? ''})` , at } };
    case 'OrderDenied':
      return { ...s, activity: { tone: 'bad', text: `DENIED ${text(e, 'code')}: ${text(e, 'reason')}` , at } };
    case 'OrderRejected':
      return { ...s, activity: { tone: 'bad', text: `REJECTED ${e.clientOrderId ?? ''}: ${text(e, 'reason')}` , at } };
    default:
      return s;
  }
}

/** The REST parts a journal record makes stale (re-read once per burst by the controller, never on a timer). */
export function staleAfter(e: WireEvent): readonly Part[] {
  const kind = e.kind;
  if (kind === 'OrderFilled' || kind === 'FillBusted') return ['orders', 'positions', 'accounts', 'overview', 'risk'];
  if (kind.startsWith('Order') || kind.startsWith('EmulatedOrder')) return ['orders'];
  if (kind.startsWith('KillSwitch') || kind.startsWith('Breaker') || kind === 'TradingStateChanged') return ['risk', 'orders'];
  if (kind.startsWith('Strategy')) return ['strategies'];
  if (kind.startsWith('Account') || kind === 'BalanceAdjusted') return ['accounts'];
  if (kind.startsWith('Instrument')) return ['instruments'];
  // An operator's change the engine does not journal as its own event (pausing a strategy) is in its audit record.
  if (kind === 'AuditRecorded' && e.outcome === 'OK' && typeof e.action === 'string' && e.action.includes('/api/strategies/')) return ['strategies'];
  return [];
}

/** Stream records per second over the last window. */
export function eventRate(s: DashState, now: number): number {
  const n = s.recent.filter((t) => t > now - RATE_WINDOW_MS).length;
  return n / (RATE_WINDOW_MS / 1000);
}

/** HALTED when the kill switch is engaged or the global trading state is HALTED. */
export function tradingState(s: DashState): string {
  const risk = s.parts.risk;
  if (!risk) return 'UNKNOWN';
  if (risk.killSwitch.engaged) return 'HALTED';
  return risk.tradingStates.find((t) => t.scope === 'GLOBAL' || t.scope === 'FIRM')?.state ?? 'ACTIVE';
}

/** The rows a panel lists (its selection indexes into these). */
export function openOrders(s: DashState): readonly OrderRow[] {
  return s.parts.orders ?? [];
}

/** The node's clock (data time in a replay): the latest time the stream or the API reported (0 before any). */
export function nodeNow(dash: DashState): number {
  let t = dash.parts.health?.ts ?? 0;
  for (const m of dash.market.values()) t = Math.max(t, m.ts);
  return t;
}
