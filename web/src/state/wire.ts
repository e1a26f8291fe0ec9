/**
 * What the WebSocket /api/stream sends. `event` is a journal record in the journal codec's JSON
 * (src/journal/codec.ts): `kind`, decimals as text, money as { amount, currency }.
 */
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
  | { readonly type: 'alert'; readonly [field: string]: unknown }
  | { readonly type: 'status'; readonly [field: string]: unknown }
  | { readonly type: 'venue'; readonly venue: Record<string, unknown> };

/** Parses one frame; anything that is not a message the dashboard knows is `undefined` (ignored, not fatal). */
export function parseMessage(text: string): StreamMessage | undefined {
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
      const e = m.event;
      const ok = typeof m.seq === 'number' && typeof e === 'object' && e !== null && typeof (e as WireEvent).kind === 'string';
      return ok ? { type: 'event', seq: m.seq as number, event: e as WireEvent } : undefined;
    }
    case 'market':
      return typeof m.instrumentId === 'string' ? (m as StreamMessage) : undefined;
    case 'alert':
    case 'status':
      return m as StreamMessage;
    case 'venue':
      return typeof m.venue === 'object' && m.venue !== null ? { type: 'venue', venue: m.venue as Record<string, unknown> } : undefined;
    default:
      return undefined;
  }
}

export function str(e: WireEvent, field: string): string | undefined {
  const v = e[field];
  return typeof v === 'string' ? v : undefined;
}
