/**
 * What a client of the WebSocket /api/stream reads (the web dashboard, the terminal dashboard):
 * its messages and one parser for them. `event` is a journal record in the journal codec's JSON
 * (src/journal/codec.ts): `kind`, decimals as text, money as { amount, currency }. The server's
 * side is src/server/stream.ts.
 */
export interface WireEvent {
  readonly kind: string;
  readonly clientOrderId?: string;
  readonly tsEvent?: number;
  readonly [field: string]: unknown;
}

/** A venue's health as the registry publishes it (src/node/venues.ts VenueHealth), named by `venue`. */
export interface WireVenue {
  readonly venue: string;
  readonly [field: string]: unknown;
}

/** The node process's figures (src/server/views.ts SystemView), also at GET /api/system. */
export interface WireSystem {
  readonly node: string;
  readonly startedAt: number;
  readonly uptimeMs: number;
  readonly memory: { readonly rssBytes: number; readonly heapUsedBytes: number; readonly heapTotalBytes: number; readonly externalBytes: number };
}

/** The latest market figures of one instrument, as GET /api/market and the stream's `market` messages give them. */
export interface MarketSnapshot {
  readonly instrumentId: string;
  readonly bid?: string;
  readonly ask?: string;
  readonly last?: string;
  /** Node clock (epoch ms) of the latest update. */
  readonly ts: number;
  /** Traded volume over the last 24 hours of the node's clock (whole minutes), exact decimal text in the instrument's base units. */
  readonly volume24h?: string;
  /** What the volume sums: the prints the node saw, else (none in the window) the bars' volume. */
  readonly volumeSource?: 'trades' | 'bars';
  /** Start of the volume's window (epoch ms). */
  readonly volumeSince?: number;
}

/** GET /api/advisor/status: whether a model is configured and which tasks it runs. */
export interface AdvisorStatus {
  readonly configured: boolean;
  readonly tasks: Readonly<Record<string, boolean>>;
}

/** An advisor proposal (GET /api/advisor/proposals, the stream's `proposal` message): a ticket waiting for a trader. */
export interface ProposalRow {
  readonly proposalId: string;
  readonly consultation: string;
  readonly action: string;
  readonly status: 'PENDING' | 'CONFIRMED' | 'REJECTED';
  readonly ticket: { readonly instrumentId: string; readonly accountId: string; readonly side: 'BUY' | 'SELL'; readonly type: string; readonly quantity: string; readonly price?: string; readonly reduceOnly?: boolean };
  readonly rationale: string;
  readonly proposedAt: number;
  readonly decidedBy?: string;
  readonly reason?: string;
}

export type StreamMessage =
  | { readonly type: 'hello'; readonly lastSeq: number }
  | { readonly type: 'event'; readonly seq: number; readonly event: WireEvent }
  | ({ readonly type: 'market' } & MarketSnapshot)
  | { readonly type: 'system'; readonly system: WireSystem }
  | { readonly type: 'alert'; readonly code?: string; readonly message?: string; readonly [field: string]: unknown }
  | { readonly type: 'status'; readonly [field: string]: unknown }
  | { readonly type: 'venue'; readonly venue: WireVenue }
  /** The advisor answered (or could not): the task, the consultation to trace it by, a summary. */
  | { readonly type: 'advice'; readonly task: string; readonly ok: boolean; readonly consultation?: string; readonly reason?: string; readonly summary?: string }
  /** An advisor proposal was made, confirmed or rejected (src/advisor/tasks/proposals.ts Proposal). */
  | { readonly type: 'proposal'; readonly proposal: { readonly proposalId: string; readonly status: string; readonly [field: string]: unknown } };

/** Parses one frame; anything that is not a message a client knows is `undefined` (ignored, not fatal). */
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
    case 'alert': {
      // Its code and message are text or absent; the rest (context, severity, ts) is kept as sent.
      const { code, message, ...rest } = m;
      return { ...rest, type: 'alert', ...(typeof code === 'string' && { code }), ...(typeof message === 'string' && { message }) };
    }
    case 'status':
      return { ...m, type: 'status' };
    case 'system': {
      const system = (m.system ?? {}) as Record<string, unknown>;
      const mem = system.memory as Record<string, unknown> | null | undefined;
      return typeof system.uptimeMs === 'number' && typeof system.startedAt === 'number' && typeof mem === 'object' && mem !== null && typeof mem.rssBytes === 'number'
        ? { type: 'system', system: system as unknown as WireSystem }
        : undefined;
    }
    case 'venue': {
      const venue = m.venue as WireVenue | null | undefined;
      return typeof venue === 'object' && venue !== null && typeof venue.venue === 'string' ? { type: 'venue', venue } : undefined;
    }
    case 'advice':
      return typeof m.task === 'string' && typeof m.ok === 'boolean' ? (m as StreamMessage) : undefined;
    case 'proposal': {
      const p = m.proposal as { proposalId?: unknown; status?: unknown } | null | undefined;
      return typeof p === 'object' && p !== null && typeof p.proposalId === 'string' && typeof p.status === 'string' ? (m as StreamMessage) : undefined;
    }
    default:
      return undefined;
  }
}
