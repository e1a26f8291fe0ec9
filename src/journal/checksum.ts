import { crc32 } from 'node:zlib';
import { EngineError } from '../model/errors.ts';

/**
 * A stored row's checksum: CRC-32 over its sequence number, kind, codec version and payload, the
 * fields a replay reads. It catches a row edited on disk or in the database (a fill price changed
 * by hand replays as a different ledger) and a row moved to another seq; it is not a signature:
 * whoever can write the store can also recompute it. Native and two calls per row, so the append
 * and replay paths barely notice it.
 */
export function rowChecksum(seq: number, kind: string, codec: number, payload: string): number {
  return crc32(payload, crc32(`${seq}\u0000${kind}\u0000${codec}\u0000`));
}

/** Throws JOURNAL_CORRUPT naming the seq unless `stored` is the row's checksum (a missing one included). */
export function verifyRow(seq: number, kind: string, codec: number, payload: string, stored: number | string | null): void {
  if (stored !== null && Number(stored) === rowChecksum(seq, kind, codec, payload)) return;
  throw new EngineError(
    'JOURNAL_CORRUPT',
    stored === null ? `journal record ${seq} has no checksum` : `journal record ${seq} (${kind}) fails its checksum: it was changed after it was written`,
    { seq, kind },
  );
}
