import { createHash } from 'node:crypto';
import type { ClientIdRule } from './profiles.ts';

/**
 * Warden's client order ids as the exchange's client ids. An id the exchange accepts is sent as
 * is (so the exchange's own screens show it); one it would refuse (too long, a character it does
 * not take) is sent as `w` + a hash of it, the same on every run, so an order can be found again
 * by its id after a restart. The table maps hashed ids back; `remember` fills it for orders
 * journaled before a restart.
 */
export class ClientIds {
  private readonly back = new Map<string, string>();

  constructor(private readonly rule: ClientIdRule) {}

  /** The exchange's client id for a Warden id. */
  toVenue(wardenId: string): string {
    if (this.rule.pattern.test(wardenId)) return wardenId;
    const hashed = `w${createHash('sha256').update(wardenId).digest('hex').slice(0, this.rule.maxLength - 1)}`;
    this.back.set(hashed, wardenId);
    return hashed;
  }

  /** The Warden id behind an exchange client id; the id itself when it is not one of ours (an external order). */
  toWarden(venueId: string | undefined): string | undefined {
    if (venueId === undefined) return undefined;
    return this.back.get(venueId) ?? venueId;
  }

  /** Makes the ids of orders journaled before a restart known, so their reports map back. */
  remember(wardenIds: Iterable<string>): void {
    for (const id of wardenIds) this.toVenue(id);
  }
}
