import { StateError } from '../../model/errors.ts';
import type { ClientOrderId } from '../../model/identifiers.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { Price } from '../../model/values.ts';
import type { ContingencyKind, EmulationEvent } from './events.ts';

/** A held order as journaled: its spec and, for a trailing stop, where it stands. */
export interface HeldOrderRecord {
  readonly spec: OrderSpec;
  /** When it was held (the event's time): a DAY order expires at the next UTC midnight after it. */
  readonly heldAt: number;
  readonly activated: boolean;
  readonly extreme: Price | undefined;
  readonly stop: Price | undefined;
  /** Who placed it (originText); its release is sent as them. Absent in older journals. */
  readonly origin?: string;
}

export interface ContingencyRecord {
  readonly groupId: string;
  readonly contingency: ContingencyKind;
  readonly request: string;
  /** Who placed the group (originText). Absent in older journals. */
  readonly origin?: string;
}

export interface EmulationSnapshot {
  /** Held orders, in the order they were held. */
  readonly held: readonly HeldOrderRecord[];
  /** Live contingent groups, in the order they were placed. */
  readonly contingencies: readonly ContingencyRecord[];
}

/**
 * The fold of emulation events: the orders held engine-side and the contingent groups still
 * live. The emulator starts from it after a restart. An event that does not fit (a second hold of
 * one id, a move of an order not held) throws a StateError and changes nothing.
 */
export class EmulationState {
  private readonly heldOrders = new Map<ClientOrderId, HeldOrderRecord>();
  private readonly groups = new Map<string, ContingencyRecord>();

  apply(e: EmulationEvent): void {
    switch (e.kind) {
      case 'EmulatedOrderHeld':
        if (this.heldOrders.has(e.clientOrderId)) throw this.refused(`order ${e.clientOrderId} is already held`, e.clientOrderId);
        this.heldOrders.set(e.clientOrderId, { spec: e.spec, heldAt: e.tsEvent, activated: false, extreme: undefined, stop: undefined, ...(e.origin !== undefined ? { origin: e.origin } : {}) });
        return;
      case 'EmulatedOrderMoved': {
        const h = this.get(e.clientOrderId);
        this.heldOrders.set(e.clientOrderId, { ...h, activated: e.activated, extreme: e.extreme, stop: e.stop });
        return;
      }
      case 'EmulatedOrderResized': {
        const h = this.get(e.clientOrderId);
        this.heldOrders.set(e.clientOrderId, { ...h, spec: { ...h.spec, quantity: e.quantity } });
        return;
      }
      case 'EmulatedOrderReleased':
      case 'EmulatedOrderCanceled':
        this.get(e.clientOrderId);
        this.heldOrders.delete(e.clientOrderId);
        return;
      case 'ContingencyRegistered':
        if (this.groups.has(e.groupId)) throw this.refused(`contingent group ${e.groupId} is already registered`, e.groupId);
        this.groups.set(e.groupId, { groupId: e.groupId, contingency: e.contingency, request: e.request, ...(e.origin !== undefined ? { origin: e.origin } : {}) });
        return;
      case 'ContingencyCompleted':
        if (!this.groups.delete(e.groupId)) throw this.refused(`contingent group ${e.groupId} is not registered`, e.groupId);
        return;
    }
  }

  held(): HeldOrderRecord[] {
    return [...this.heldOrders.values()];
  }

  isHeld(id: string): boolean {
    return this.heldOrders.has(id as ClientOrderId);
  }

  hasGroup(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  contingencies(): ContingencyRecord[] {
    return [...this.groups.values()];
  }

  toSnapshot(): EmulationSnapshot {
    return { held: this.held(), contingencies: this.contingencies() };
  }

  restore(s: EmulationSnapshot): void {
    if (this.heldOrders.size > 0 || this.groups.size > 0) throw new RangeError('an emulation snapshot loads into a new state only');
    for (const h of s.held) {
      if (this.heldOrders.has(h.spec.clientOrderId)) throw new RangeError(`snapshot repeats held order ${h.spec.clientOrderId}`);
      this.heldOrders.set(h.spec.clientOrderId, h);
    }
    for (const g of s.contingencies) {
      if (this.groups.has(g.groupId)) throw new RangeError(`snapshot repeats contingent group ${g.groupId}`);
      this.groups.set(g.groupId, g);
    }
  }

  private get(id: ClientOrderId): HeldOrderRecord {
    const h = this.heldOrders.get(id);
    if (!h) throw this.refused(`order ${id} is not held`, id);
    return h;
  }

  private refused(message: string, id: string): StateError {
    return new StateError('ILLEGAL_TRANSITION', message, { clientOrderId: id });
  }
}
