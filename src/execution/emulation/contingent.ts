/**
 * Contingent orders (bracket, OCO, OTO, OUO) as a pure decision: order events in, actions out. No bus,
 * no engine, no I/O; it keeps only the bookkeeping it needs (each order's quantity and fills, from
 * the events themselves). The OrderEmulator performs the actions through engine commands, so every
 * order it submits passes the pre-trade gate.
 *
 * - OCO: when one leg fills (even partly), the other is canceled. If the venue fills the other
 *   anyway (both legs in one bar, a cancel that arrives late), each such fill is reported (an
 *   alert) and reversed by a market order, so the position is what one leg alone would give.
 * - OTO: the child is submitted when the parent has filled; with trigger PARTIAL, a child per parent
 *   fill. The child's quantity defaults to what the parent filled. A parent that ends partly filled
 *   (canceled, expired) still releases a child for what it filled; one that ends unfilled, none.
 * - OUO (ouo.ts): a fill of one leg takes the same quantity off the other (a modify, or a cancel
 *   when nothing would be left); a leg done cancels the other. A fill the venue made before the
 *   shrink or cancel arrived is reported (OUO_OVERFILL) and reversed by a market order, as for OCO.
 * - Bracket: an entry, then a take-profit LIMIT and a stop-loss STOP_MARKET, reduce-only, opposite
 *   side, OUO between the two (a partial take-profit shrinks the stop-loss, which keeps protecting
 *   the rest), sized to what the entry filled. Trigger PARTIAL (default): a pair per
 *   entry fill, sized to that fill (children are added, not resized: a modify can race a child's
 *   fill, an added pair never does). Trigger FULL: one pair when the entry is done, sized to its
 *   whole filled quantity.
 */
import type { OrderEvent } from '../../model/orders/events.ts';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import type { OrderSide } from '../../model/orders/types.ts';
import type { Price, Quantity } from '../../model/values.ts';
import type { NumericInput } from '../../model/decimal.ts';
import { RISK_CONTROL, SYSTEM, type Origin } from '../../engine/origin.ts';
import { legOf, newOuoGroup, ouoLegEnded, ouoOnFill, type OuoGroup } from './ouo.ts';
import type { ContingencyKind } from '../../engine/emulation/events.ts';

export type ContingentAction =
  /** `correction`: a market order reversing an unwanted fill, sent as risk control's (senderOf). */
  | { readonly do: 'submit'; readonly order: OrderRequest; readonly correction?: true }
  /** All or nothing (one gate verdict for the list): the two legs of an OCO. */
  | { readonly do: 'submitList'; readonly orderListId: string; readonly orders: readonly OrderRequest[] }
  | { readonly do: 'cancel'; readonly clientOrderId: string }
  /** A new total quantity (an OUO leg shrunk by the other's fill); it stays above what has filled. */
  | { readonly do: 'modify'; readonly clientOrderId: string; readonly quantity: Quantity }
  | { readonly do: 'alert'; readonly code: AlertCode; readonly message: string; readonly context: Record<string, string> };

export type ContingentTrigger = 'PARTIAL' | 'FULL';

/** Tags on the orders the manager makes. */
export const CONTINGENT_TAGS = { child: 'contingent', correction: 'contingent-correction' } as const;

export interface BracketRequest {
  /** The entry (any type the venue takes); its id names the children: `<id>-TP-<n>`, `<id>-SL-<n>`. */
  readonly entry: OrderRequest;
  readonly takeProfitPrice: NumericInput | Price;
  readonly stopLossTriggerPrice: NumericInput | Price;
  /** When children are placed; default PARTIAL. */
  readonly trigger?: ContingentTrigger;
}

export interface OtoRequest {
  readonly parent: OrderRequest;
  /** The child; quantity defaults to what the parent filled. */
  readonly child: Omit<OrderRequest, 'quantity'> & { readonly quantity?: OrderRequest['quantity'] };
  /** FULL (default): one child when the parent is done; PARTIAL: a child per parent fill (sized to it). */
  readonly trigger?: ContingentTrigger;
}

interface Tracked {
  /** Order quantity and filled so far, from OrderInitialized / OrderUpdated / OrderFilled. */
  quantity: Quantity | undefined;
  filled: Quantity | undefined;
  done: boolean;
}

interface OcoGroup {
  readonly legs: readonly [string, string];
  /** The leg that filled first; any fill of the other is unwanted. */
  winner: string | undefined;
}

/** An order request whose quantity is already on the instrument's lot grid. */
export type SizedOrderRequest = OrderRequest & { readonly quantity: Quantity };

interface Parent {
  readonly kind: 'BRACKET' | 'OTO';
  readonly id: string;
  readonly trigger: ContingentTrigger;
  readonly bracket: BracketRequest | undefined;
  readonly oto: OtoRequest | undefined;
  /** Children released so far (pairs for a bracket). */
  released: number;
  /** Quantity already covered by children. */
  covered: Quantity | undefined;
}


/** A group's id: a bracket's or OTO's parent id, an OCO's or OUO's first leg id with `-OCO`/`-OUO`. */
export function contingentGroupId(kind: ContingencyKind, firstId: string): string {
  return kind === 'BRACKET' || kind === 'OTO' ? firstId : `${firstId}-${kind}`;
}

/** Decides what contingent orders need on each order event. */
export class ContingencyManager {
  private readonly orders = new Map<string, Tracked>();
  /** Which group each tracked order belongs to, for settling and forgetting whole groups. */
  private readonly groupOf = new Map<string, string>();
  private readonly members = new Map<string, Set<string>>();
  private readonly ocoOf = new Map<string, OcoGroup>();
  /** Both legs of an OUO map to one box, so a decision replaces the group for both. */
  private readonly ouoOf = new Map<string, { group: OuoGroup }>();
  private readonly parents = new Map<string, Parent>();
  /** Who placed each group: its orders, cancels and modifies are sent as them. */
  private readonly origins = new Map<string, Origin>();
  private corrections = 0;

  /**
   * Who an action is sent as: the origin of the group it acts in (whoever placed the bracket, OTO,
   * OCO or OUO, so a strategy's children are the strategy's), or risk control for a correction,
   * which undoes a fill nobody asked for. Ask when the action is decided: a settled group is
   * forgotten later. SYSTEM when the group is unknown.
   */
  senderOf(a: ContingentAction): Origin {
    if (a.do === 'submit' && a.correction === true) return RISK_CONTROL;
    const id = a.do === 'submit' ? a.order.clientOrderId : a.do === 'submitList' ? a.orders[0]?.clientOrderId : a.do === 'alert' ? undefined : a.clientOrderId;
    const group = id === undefined ? undefined : this.groupOf.get(id);
    return (group === undefined ? undefined : this.origins.get(group)) ?? SYSTEM;
  }

  /** Places a bracket: the entry now, the children on its fills. */
  bracket(req: BracketRequest, origin: Origin = SYSTEM): ContingentAction[] {
    const id = req.entry.clientOrderId;
    this.origins.set(contingentGroupId('BRACKET', id), origin);
    this.parents.set(id, { kind: 'BRACKET', id, trigger: req.trigger ?? 'PARTIAL', bracket: req, oto: undefined, released: 0, covered: undefined });
    this.track(id, contingentGroupId('BRACKET', id));
    return [{ do: 'submit', order: { ...req.entry, contingency: 'OTO' } }];
  }

  /** Places both legs of an OCO. */
  oco(a: OrderRequest, b: OrderRequest, origin: Origin = SYSTEM): ContingentAction[] {
    this.origins.set(contingentGroupId('OCO', a.clientOrderId), origin);
    this.link(a.clientOrderId, b.clientOrderId, contingentGroupId('OCO', a.clientOrderId));
    return [
      {
        do: 'submitList',
        orderListId: `${a.clientOrderId}-OCO`,
        orders: [
          { ...a, contingency: 'OCO', linkedOrderIds: [b.clientOrderId] },
          { ...b, contingency: 'OCO', linkedOrderIds: [a.clientOrderId] },
        ],
      },
    ];
  }

  /** Places both legs of an OUO (quantities on the lot grid: the manager has no instruments). */
  ouo(a: SizedOrderRequest, b: SizedOrderRequest, origin: Origin = SYSTEM): ContingentAction[] {
    this.origins.set(contingentGroupId('OUO', a.clientOrderId), origin);
    this.linkOuo(a.clientOrderId, b.clientOrderId, a.quantity, b.quantity, contingentGroupId('OUO', a.clientOrderId));
    return [
      {
        do: 'submitList',
        orderListId: `${a.clientOrderId}-OUO`,
        orders: [
          { ...a, contingency: 'OUO', linkedOrderIds: [b.clientOrderId] },
          { ...b, contingency: 'OUO', linkedOrderIds: [a.clientOrderId] },
        ],
      },
    ];
  }

  /** Places the parent of an OTO; the child waits for its fills. */
  oto(req: OtoRequest, origin: Origin = SYSTEM): ContingentAction[] {
    const id = req.parent.clientOrderId;
    this.origins.set(contingentGroupId('OTO', id), origin);
    this.parents.set(id, { kind: 'OTO', id, trigger: req.trigger ?? 'FULL', bracket: undefined, oto: req, released: 0, covered: undefined });
    this.track(id, contingentGroupId('OTO', id));
    return [{ do: 'submit', order: { ...req.parent, contingency: 'OTO', linkedOrderIds: [childId(req)] } }];
  }

  /** The decision: what to do now that `e` happened. Events of orders it does not know are ignored. */
  onEvent(e: OrderEvent): ContingentAction[] {
    const t = this.orders.get(e.clientOrderId);
    if (!t) return [];
    switch (e.kind) {
      case 'OrderInitialized':
        t.quantity = e.spec.quantity;
        return [];
      case 'OrderUpdated':
        if (e.quantity) t.quantity = e.quantity;
        return [];
      case 'OrderFilled': {
        t.filled = t.filled ? t.filled.add(e.lastQty) : e.lastQty;
        if (t.quantity && t.filled.cmp(t.quantity) >= 0) t.done = true;
        return [
          ...this.ocoOnFill(e.clientOrderId, e.side, e.lastQty, e.accountId, e.strategyId, e.instrumentId),
          ...this.ouoFill(e.clientOrderId, e.side, e.lastQty, e.accountId, e.strategyId, e.instrumentId),
          ...this.parentOnFill(e.clientOrderId, e.lastQty, t),
        ];
      }
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderRejected':
      case 'OrderDenied':
        t.done = true;
        this.ouoEnded(e.clientOrderId);
        return this.parentOnDone(e.clientOrderId, t);
      case 'OrderSubmitted':
      case 'OrderAccepted':
      case 'OrderTriggered':
      case 'OrderPendingUpdate':
      case 'OrderModifyRejected':
      case 'OrderPendingCancel':
      case 'OrderCancelRejected':
      case 'OrderStatusUnknown':
      case 'OrderFillBusted':
        return [];
    }
  }

  /** Orders it still watches (not done), for inspection. */
  watching(): string[] {
    return [...this.orders.entries()].filter(([, t]) => !t.done).map(([id]) => id);
  }

  /** The group an order belongs to, if any. */
  groupOfOrder(id: string): string | undefined {
    return this.groupOf.get(id);
  }

  /** Whether every order of the group is done: nothing more will be released or canceled in it. */
  isSettled(groupId: string): boolean {
    const ids = this.members.get(groupId);
    if (!ids) return false;
    for (const id of ids) if (!this.orders.get(id)?.done) return false;
    return true;
  }

  /** Drops a settled group's bookkeeping (a fill on its orders after this is not looked at). */
  forget(groupId: string): void {
    for (const id of this.members.get(groupId) ?? []) {
      this.orders.delete(id);
      this.ocoOf.delete(id);
      this.ouoOf.delete(id);
      this.parents.delete(id);
      this.groupOf.delete(id);
    }
    this.members.delete(groupId);
    this.origins.delete(groupId);
  }

  // ---- internals ----

  private track(id: string, group: string): void {
    if (!this.orders.has(id)) this.orders.set(id, { quantity: undefined, filled: undefined, done: false });
    if (!this.groupOf.has(id)) {
      this.groupOf.set(id, group);
      let m = this.members.get(group);
      if (!m) this.members.set(group, (m = new Set()));
      m.add(id);
    }
  }

  private link(a: string, b: string, group: string): void {
    const g: OcoGroup = { legs: [a, b], winner: undefined };
    this.ocoOf.set(a, g);
    this.ocoOf.set(b, g);
    this.track(a, group);
    this.track(b, group);
  }

  private linkOuo(a: string, b: string, qa: Quantity, qb: Quantity, group: string): void {
    const box = { group: newOuoGroup(a, b, qa, qb) };
    this.ouoOf.set(a, box);
    this.ouoOf.set(b, box);
    this.track(a, group);
    this.track(b, group);
  }

  private ouoFill(id: string, side: OrderSide, qty: Quantity, accountId: string, strategyId: string, instrumentId: string): ContingentAction[] {
    const box = this.ouoOf.get(id);
    const leg = box && legOf(box.group, id);
    if (!box || leg === undefined) return [];
    const d = ouoOnFill(box.group, leg, qty);
    box.group = d.group;
    const out: ContingentAction[] = d.other ? [d.other] : [];
    if (d.excess.isZero()) return out;
    const other = box.group.legs[leg === 0 ? 1 : 0];
    const fixId = `${id}-FIX-${++this.corrections}`;
    out.push(
      {
        do: 'alert',
        code: 'OUO_OVERFILL',
        message: `OUO leg ${id} filled ${d.excess.toString()} more than is left to close (with ${other}); reversing it with ${fixId}`,
        context: { clientOrderId: id, other, quantity: d.excess.toString(), correction: fixId },
      },
      {
        do: 'submit',
        order: { clientOrderId: fixId, accountId, strategyId, instrumentId, side: side === 'BUY' ? 'SELL' : 'BUY', type: 'MARKET', quantity: d.excess, tags: [CONTINGENT_TAGS.correction] },
        correction: true,
      },
    );
    return out;
  }

  private ouoEnded(id: string): void {
    const box = this.ouoOf.get(id);
    const leg = box && legOf(box.group, id);
    if (box && leg !== undefined) box.group = ouoLegEnded(box.group, leg);
  }

  private ocoOnFill(id: string, side: OrderSide, qty: Quantity, accountId: string, strategyId: string, instrumentId: string): ContingentAction[] {
    const g = this.ocoOf.get(id);
    if (!g) return [];
    const other = g.legs[0] === id ? g.legs[1] : g.legs[0];
    if (g.winner === undefined) {
      g.winner = id;
      return this.orders.get(other)?.done ? [] : [{ do: 'cancel', clientOrderId: other }];
    }
    if (g.winner === id) return [];
    // The losing leg filled anyway: report it and reverse exactly that fill.
    const fixId = `${id}-FIX-${++this.corrections}`;
    return [
      {
        do: 'alert',
        code: 'OCO_BOTH_FILLED',
        message: `OCO leg ${id} filled ${qty.toString()} after ${g.winner} had filled; reversing it with ${fixId}`,
        context: { clientOrderId: id, winner: g.winner, quantity: qty.toString(), correction: fixId },
      },
      {
        do: 'submit',
        order: { clientOrderId: fixId, accountId, strategyId, instrumentId, side: side === 'BUY' ? 'SELL' : 'BUY', type: 'MARKET', quantity: qty, tags: [CONTINGENT_TAGS.correction] },
        correction: true,
      },
    ];
  }

  private parentOnFill(id: string, qty: Quantity, t: Tracked): ContingentAction[] {
    const p = this.parents.get(id);
    if (!p) return [];
    if (p.trigger === 'PARTIAL') return this.release(p, qty);
    return t.done ? this.releaseRest(p, t) : [];
  }

  private parentOnDone(id: string, t: Tracked): ContingentAction[] {
    const p = this.parents.get(id);
    return p ? this.releaseRest(p, t) : [];
  }

  /** Children for whatever the parent filled that no child covers yet. */
  private releaseRest(p: Parent, t: Tracked): ContingentAction[] {
    if (!t.filled || t.filled.isZero()) return [];
    const rest = p.covered ? t.filled.sub(p.covered) : t.filled;
    return rest.isZero() ? [] : this.release(p, rest);
  }

  private release(p: Parent, qty: Quantity): ContingentAction[] {
    p.covered = p.covered ? p.covered.add(qty) : qty;
    const n = ++p.released;
    if (p.kind === 'OTO') {
      const c = p.oto!.child;
      const id = n === 1 ? c.clientOrderId : `${c.clientOrderId}-${n}`;
      this.track(id, p.id);
      const quantity = p.trigger === 'FULL' && c.quantity !== undefined ? c.quantity : qty;
      return [{ do: 'submit', order: { ...c, clientOrderId: id, quantity, parentOrderId: p.id, tags: [...(c.tags ?? []), CONTINGENT_TAGS.child] } }];
    }
    const b = p.bracket!;
    const e = b.entry;
    const side = e.side === 'BUY' ? 'SELL' : 'BUY';
    const tp = `${p.id}-TP-${n}`;
    const sl = `${p.id}-SL-${n}`;
    this.linkOuo(tp, sl, qty, qty, p.id);
    const common = {
      accountId: e.accountId,
      ...(e.strategyId !== undefined ? { strategyId: e.strategyId } : {}),
      instrumentId: e.instrumentId,
      side,
      quantity: qty,
      reduceOnly: true,
      contingency: 'OUO',
      parentOrderId: p.id,
      tags: [...(e.tags ?? []), CONTINGENT_TAGS.child],
    };
    return [
      {
        do: 'submitList',
        orderListId: `${p.id}-OUO-${n}`,
        orders: [
          { ...common, clientOrderId: tp, type: 'LIMIT', price: b.takeProfitPrice, linkedOrderIds: [sl] },
          { ...common, clientOrderId: sl, type: 'STOP_MARKET', triggerPrice: b.stopLossTriggerPrice, linkedOrderIds: [tp] },
        ],
      },
    ];
  }
}

function childId(req: OtoRequest): string {
  return req.child.clientOrderId;
}
