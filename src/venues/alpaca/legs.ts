/**
 * The legs of Alpaca's bracket, oco and oto orders as Warden's child orders. Alpaca answers a list
 * with its parent order and a `legs` array, and gives each leg an id and a client id of its own
 * choosing; a leg is known by its role (take_profit: the limit leg, stop_loss: the stop leg), and
 * a list has at most one leg of each. Warden's child is found by its parent's Warden id and the
 * role; once seen, the leg's Alpaca id maps to the child (the tracker keeps that), so its
 * trade_updates, fills and queries are the child's.
 */
import type { trading } from '@alpacahq/alpaca-trade-api';
import type { OrderSpec } from '../../model/orders/types.ts';

export type LegRole = 'take_profit' | 'stop_loss';

/** A leg's role by its type: the limit leg takes profit, a stop (or stop-limit) leg stops the loss. */
export function roleOfLeg(o: Pick<trading.Order, 'type' | 'orderType'>): LegRole | undefined {
  const type = String(o.type ?? o.orderType ?? '');
  if (type === 'limit') return 'take_profit';
  if (type === 'stop' || type === 'stop_limit') return 'stop_loss';
  return undefined;
}

/** The role Warden's child plays at Alpaca, by its type. */
export function roleOfSpec(spec: Pick<OrderSpec, 'type'>): LegRole | undefined {
  if (spec.type === 'LIMIT') return 'take_profit';
  if (spec.type === 'STOP_MARKET' || spec.type === 'STOP_LIMIT') return 'stop_loss';
  return undefined;
}

/**
 * The Alpaca parent a child would be a leg of: a bracket's or OTO's entry (its parentOrderId), or
 * for an OCO's stop the take-profit it is linked to (Alpaca's OCO order is the limit leg).
 */
export function parentOfChild(spec: Pick<OrderSpec, 'parentOrderId' | 'linkedOrderIds' | 'contingency' | 'type'>): string | undefined {
  if (spec.parentOrderId !== undefined) return spec.parentOrderId;
  if (spec.contingency === 'OCO' && roleOfSpec(spec) === 'stop_loss') return spec.linkedOrderIds[0];
  return undefined;
}

/** Which Warden child each leg of a list is: by the parent's Warden id and the leg's role. */
export class ListLegs {
  private readonly byParent = new Map<string, Map<LegRole, string>>();
  private readonly parentOf = new Map<string, string>();

  add(parentId: string, child: Pick<OrderSpec, 'clientOrderId' | 'type'>): void {
    const role = roleOfSpec(child);
    if (role === undefined) return;
    let m = this.byParent.get(parentId);
    if (!m) this.byParent.set(parentId, (m = new Map<LegRole, string>()));
    m.set(role, child.clientOrderId);
    this.parentOf.set(child.clientOrderId, parentId);
  }

  /** The Warden child that a leg of `parentId`'s list is. */
  childFor(parentId: string, leg: Pick<trading.Order, 'type' | 'orderType'>): string | undefined {
    const role = roleOfLeg(leg);
    return role === undefined ? undefined : this.byParent.get(parentId)?.get(role);
  }

  /** The parent (Warden id) of a child, when it is a leg of a list. */
  parent(childId: string): string | undefined {
    return this.parentOf.get(childId);
  }

  /** The children of one list (Warden ids). */
  childrenOf(parentId: string): string[] {
    return [...(this.byParent.get(parentId)?.values() ?? [])];
  }

  /** Forgets a child (the tracker no longer keeps its order). */
  forget(childId: string): void {
    const parentId = this.parentOf.get(childId);
    if (parentId === undefined) return;
    this.parentOf.delete(childId);
    const m = this.byParent.get(parentId);
    for (const [role, id] of m ?? []) if (id === childId) m!.delete(role);
    if (m?.size === 0) this.byParent.delete(parentId);
  }

  /** Every child of every list (to find the legs not seen yet after a restart). */
  children(): string[] {
    return [...this.parentOf.keys()];
  }
}
