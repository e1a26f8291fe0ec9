/**
 * How a firm's journaled events are named on NATS JetStream. One stream per firm holds every
 * node's events:
 *
 *   stream   `<firm>_EVENTS`, subjects `<firm>.events.>`
 *   subject  `<firm>.events.<node_id>.<account>.<EventKind>` (account: the one the event itself
 *            names, percent-escaped to a subject token; `_` when it names none)
 *   msg id   `<node_id>:<journal seq>` (Nats-Msg-Id), so a republish inside the stream's
 *            duplicate window is dropped by the server
 *   headers  Warden-Node, Warden-Seq, Warden-Codec (the journal codec's version)
 *   payload  the journal's own encoding of the event (src/journal/codec.ts), UTF-8 JSON
 */
import type { EngineEvent } from '../../engine/events.ts';

export const HEADER_NODE = 'Warden-Node';
export const HEADER_SEQ = 'Warden-Seq';
export const HEADER_CODEC = 'Warden-Codec';

/** The firm's event stream. */
export function eventStreamName(firm: string): string {
  return `${firm}_EVENTS`;
}

/** Every subject of the firm's events (the stream's one subject filter). */
export function firmEventsFilter(firm: string): string {
  return `${firm}.events.>`;
}

/** Every subject of one node's events: the last message on it carries the node's highest published seq. */
export function nodeEventsFilter(firm: string, nodeId: string): string {
  return `${firm}.events.${nodeId}.>`;
}

export function messageId(nodeId: string, seq: number): string {
  return `${nodeId}:${seq}`;
}

/** The account an event names itself, if any (order events after the first name only the order). */
export function accountOfEvent(event: EngineEvent): string | undefined {
  switch (event.kind) {
    case 'AccountOpened':
    case 'BalanceAdjusted':
    case 'OrderFilled':
    case 'OrderFillBusted':
      return event.accountId;
    case 'OrderInitialized':
    case 'EmulatedOrderHeld':
      return event.spec.accountId;
    default:
      return undefined;
  }
}

/** An account id as one subject token: `.`, `*`, `>`, `%`, spaces and the like percent-escaped. */
export function subjectToken(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function eventSubject(firm: string, nodeId: string, event: EngineEvent): string {
  const account = accountOfEvent(event);
  return `${firm}.events.${nodeId}.${account === undefined ? '_' : subjectToken(account)}.${event.kind}`;
}
