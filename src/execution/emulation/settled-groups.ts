import { FifoRing } from '../../model/retention-window.ts';
import type { ContingencyManager } from './contingent.ts';

/**
 * Contingent groups that are done: each is reported complete once (the emulator journals it),
 * and kept in the manager a while after, so a late fill on one of its orders is still corrected;
 * past `capacity` settled groups the oldest is forgotten.
 */
export class SettledGroups {
  private readonly ring: FifoRing<string>;
  private readonly completed = new Set<string>();

  constructor(
    private readonly manager: ContingencyManager,
    private readonly onComplete: (groupId: string) => void,
    capacity = 10_000,
  ) {
    this.ring = new FifoRing(capacity);
  }

  /** After an event of `orderId`: its group, if now done, is completed. */
  check(orderId: string): void {
    const g = this.manager.groupOfOrder(orderId);
    if (g !== undefined) this.checkGroup(g);
  }

  checkGroup(g: string): void {
    if (this.completed.has(g) || !this.manager.isSettled(g)) return;
    this.completed.add(g);
    this.onComplete(g);
    const old = this.ring.push(g);
    if (old !== undefined) {
      this.manager.forget(old);
      this.completed.delete(old);
    }
  }
}
