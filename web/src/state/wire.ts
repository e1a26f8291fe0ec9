/** The stream's messages and their parser, shared with the terminal dashboard (src/server/stream-messages.ts). */
export { parseStreamMessage as parseMessage, type StreamMessage, type WireEvent } from '../../../src/server/stream-messages.ts';
import type { WireEvent } from '../../../src/server/stream-messages.ts';

export function str(e: WireEvent, field: string): string | undefined {
  const v = e[field];
  return typeof v === 'string' ? v : undefined;
}
