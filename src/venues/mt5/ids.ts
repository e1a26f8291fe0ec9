import { createHash } from 'node:crypto';

/** MT5 keeps 31 characters of an order comment; the DWX command splits on `;`. */
const COMMENT = /^[A-Za-z0-9_.:@#-]{1,31}$/;

/**
 * Warden's client order id as the MT5 order's comment and magic number. An id MT5 keeps whole is
 * sent as is (the terminal shows it); a longer one, or one with a character the command or the
 * reply's quoting would break on, is sent as `w` + 30 hex of its SHA-256, the same on every run, so
 * the order is found again after a restart. The magic number (an int the EA echoes in its
 * EXECUTION reply) is 28 bits of the same hash: it pairs a late reply with its order, and finds
 * the order where a broker rewrote the comment.
 */
export class Mt5Ids {
  private readonly back = new Map<string, string>();

  comment(wardenId: string): string {
    if (COMMENT.test(wardenId)) return wardenId;
    const c = `w${hash(wardenId).slice(0, 30)}`;
    this.back.set(c, wardenId);
    return c;
  }

  magic(wardenId: string): number {
    return Number.parseInt(hash(wardenId).slice(0, 7), 16);
  }

  /** The Warden id behind a comment, where it is one of ours made known by `comment`. */
  wardenOf(comment: string): string | undefined {
    return this.back.get(comment) ?? comment;
  }
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
