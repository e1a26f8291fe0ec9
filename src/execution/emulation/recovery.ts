/**
 * What the OrderEmulator needs to come back after a restart, as pure functions: contingent
 * requests as canonical text (for ContingencyRegistered), held records back into held orders, and
 * which of the actions a replayed ContingencyManager decides are still to be carried out (the
 * process may have stopped between a decision and its command).
 */
import { ValidationError } from '../../model/errors.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import { Price, Quantity } from '../../model/values.ts';
import type { Journal } from '../../engine/journal.ts';
import { originFromText, SYSTEM, type Origin } from '../../engine/origin.ts';
import { ORDER_EVENT_KINDS, type OrderEvent } from '../../model/orders/events.ts';
import type { BracketRequest, ContingencyManager, ContingentAction, OtoRequest, SizedOrderRequest } from './contingent.ts';
import type { HeldOrderRecord } from '../../engine/emulation/emulation-state.ts';
import type { ContingencyKind } from '../../engine/emulation/events.ts';
import { holdSpec, isEmulatedType, type HeldOrder } from './held.ts';

/** A request as JSON with every Price and Quantity as its decimal text, so it parses back exactly. */
export function requestText(request: unknown): string {
  return JSON.stringify(request, (_k, v: unknown) => (v instanceof Price || v instanceof Quantity ? v.toString() : typeof v === 'bigint' ? v.toString() : v));
}

export function parseRequest<T>(text: string, groupId: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ValidationError('INVALID_FIELD', `contingent group ${groupId} has a request that is not JSON`, { field: 'request', groupId });
  }
}

/** A journaled held order back as the emulator holds it, trailing state included. */
export function heldFromRecord(r: HeldOrderRecord, tickSize: Price): HeldOrder {
  const spec = r.spec;
  if (!isEmulatedType(spec.type)) throw new ValidationError('INVALID_FIELD', `held order ${spec.clientOrderId} is a ${spec.type}, not an emulated type`, { field: 'type' });
  const h = holdSpec(spec as HeldOrder['spec'], tickSize, r.heldAt);
  if (h.trigger.kind !== 'TRAILING') return h;
  return { ...h, trigger: { kind: 'TRAILING', state: { ...h.trigger.state, activated: r.activated || h.trigger.state.activated, extreme: r.extreme, stop: r.stop } } };
}

/** What the engine knows now, for deciding whether a replayed action was carried out. */
export interface PlacedOrders {
  /** The id was used (an engine order, or an order held here) at any time, from the journal. */
  existed(id: string): boolean;
  /** Still working: open at the venue, or held here. */
  working(id: string): boolean;
  /** Its quantity now (engine order or held), if working. */
  quantity(id: string): Quantity | undefined;
}

/**
 * The replayed decisions still to carry out: submits whose ids were never used (a list goes as a
 * whole or not at all, as it was placed), cancels of what still works, modifies to a quantity it
 * does not have yet. Alerts were raised before the restart and are not repeated.
 */
export function stillToDo(actions: readonly ContingentAction[], placed: PlacedOrders): ContingentAction[] {
  const out: ContingentAction[] = [];
  for (const a of actions) {
    switch (a.do) {
      case 'submit':
        if (!placed.existed(idOf(a.order))) out.push(a);
        break;
      case 'submitList':
        if (!a.orders.some((o) => placed.existed(idOf(o)))) out.push(a);
        break;
      case 'cancel':
        if (placed.working(a.clientOrderId)) out.push(a);
        break;
      case 'modify': {
        const q = placed.quantity(a.clientOrderId);
        if (q !== undefined && !q.eq(a.quantity)) out.push(a);
        break;
      }
      case 'alert':
        break;
    }
  }
  return out;
}

function idOf(o: OrderRequest): string {
  return o.clientOrderId ?? '';
}

const ORDER_KINDS: ReadonlySet<string> = new Set(ORDER_EVENT_KINDS);

/**
 * Replays the journal for the live contingent groups: each group's registration, then every order
 * event, through `register` and `onEvent` (a ContingencyManager's), in journal order. Returns what
 * was decided along the way and every client order id ever used (engine orders and held ones).
 */
export async function replayGroups(
  journal: Journal,
  live: ReadonlySet<string>,
  register: (kind: ContingencyKind, request: unknown, origin: string | undefined) => ContingentAction[],
  onEvent: (e: OrderEvent) => ContingentAction[],
): Promise<{ decided: ContingentAction[]; existed: Set<string> }> {
  const existed = new Set<string>();
  const decided: ContingentAction[] = [];
  for await (const { event: e } of journal.read(1)) {
    if (e.kind === 'ContingencyRegistered') {
      if (live.has(e.groupId)) decided.push(...register(e.contingency, parseRequest(e.request, e.groupId), e.origin));
    } else if (e.kind === 'EmulatedOrderHeld') existed.add(e.clientOrderId);
    // A held order canceled (or expired) never was an engine order: the manager learned of it as a cancel.
    else if (e.kind === 'EmulatedOrderCanceled') decided.push(...onEvent({ kind: 'OrderCanceled', clientOrderId: e.clientOrderId, tsEvent: e.tsEvent, tsInit: e.tsInit }));
    else if (ORDER_KINDS.has(e.kind)) {
      const o = e as OrderEvent;
      if (o.kind === 'OrderInitialized') existed.add(o.clientOrderId);
      decided.push(...onEvent(o));
    }
  }
  return { decided, existed };
}

/**
 * Re-registers a journaled group with the manager under the origin it was placed by (see
 * recoveredOrigin); returns what placing it decides.
 */
export function registerWith(
  manager: ContingencyManager,
  kind: ContingencyKind,
  request: unknown,
  sized: (o: OrderRequest) => SizedOrderRequest,
  origin: Origin = SYSTEM,
): ContingentAction[] {
  switch (kind) {
    case 'BRACKET':
      return manager.bracket(request as BracketRequest, origin);
    case 'OTO':
      return manager.oto(request as OtoRequest, origin);
    case 'OCO': {
      const [a, b] = request as [OrderRequest, OrderRequest];
      return manager.oco(a, b, origin);
    }
    case 'OUO': {
      const [a, b] = request as [OrderRequest, OrderRequest];
      return manager.ouo(sized(a), sized(b), origin);
    }
  }
}

/**
 * Who a held order or group is acted for after a restart: its journaled origin, parsed back. An
 * operator's credential does not outlive the process, so an operator's (and an older journal's,
 * which has none) goes out as SYSTEM; the journal still names the operator on the held order or
 * group it comes from.
 */
export function recoveredOrigin(text: string | undefined): Origin {
  return originFromText(text) ?? SYSTEM;
}
