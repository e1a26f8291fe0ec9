import type { DenialCode } from '../model/denial-codes.ts';
import type { ErrorContext } from '../model/errors.ts';
import type { ClientOrderId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import type { PriorDenial } from './commands.ts';
import type { EngineEvent } from './events.ts';
import type { Verdict } from './gate.ts';
import type { CancelRequest, ModifyRequest, OrderListShape, SubmitRequest, Venue } from './venue.ts';

export interface Denial {
  readonly clientOrderId: ClientOrderId;
  readonly code: DenialCode;
  readonly reason: string;
}

/** A venue call to make once the command's events are durable; data, not a closure, to keep the hot path lean. */
export type PlannedCall =
  | { readonly kind: 'submit'; readonly venue: Venue; readonly orderId: ClientOrderId; readonly request: SubmitRequest }
  | { readonly kind: 'modify'; readonly venue: Venue; readonly orderId: ClientOrderId; readonly request: ModifyRequest }
  | { readonly kind: 'cancel'; readonly venue: Venue; readonly orderId: ClientOrderId; readonly request: CancelRequest };

export interface Plan {
  readonly events: readonly EngineEvent[];
  readonly calls: readonly PlannedCall[];
  readonly orderIds: readonly ClientOrderId[];
  readonly denied: readonly Denial[];
}

/** One order of a submit command, validated, with where it goes. */
export interface PreparedSubmit {
  readonly spec: OrderSpec;
  readonly instrument: Instrument;
  readonly venue: Venue;
}

interface SubmitDenial {
  readonly clientOrderId: ClientOrderId;
  readonly code: DenialCode;
  readonly reason: string;
  readonly context: ErrorContext;
}

const NO_DENIALS: readonly Denial[] = Object.freeze([]);

/**
 * The events, venue calls and outcome of a submit command whose orders the gate has judged
 * (`verdicts`, one per order). A list is all or nothing: one denial denies every order of it. A
 * prior denial only tightens: it stands when the gate accepted, and the gate's own denial wins
 * otherwise. Loops without closures: this runs once per order on the engine's hot path.
 */
export function submitPlan(
  prepared: readonly PreparedSubmit[],
  verdicts: readonly Verdict[],
  prior: PriorDenial | undefined,
  heldAtVenue: OrderListShape | undefined,
  from: string,
  now: number,
): Plan {
  const denials = denialsOf(prepared, verdicts, prior);
  const first = denials[0];
  const events: EngineEvent[] = [];
  const calls: PlannedCall[] = [];
  const orderIds: ClientOrderId[] = [];
  // A list the venue holds goes as one call, with its first order; the venue reports the others under their own ids.
  const list = heldAtVenue === undefined ? undefined : { shape: heldAtVenue, children: prepared.slice(1).map((p) => p.spec) };
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i]!;
    const id = p.spec.clientOrderId;
    orderIds.push(id);
    events.push({ kind: 'OrderInitialized', clientOrderId: id, spec: p.spec, origin: from, tsEvent: now, tsInit: now });
    if (first) {
      const d = ownDenial(denials, id) ?? { ...first, reason: `order list denied: ${first.clientOrderId} ${first.reason}` };
      events.push({ kind: 'OrderDenied', clientOrderId: id, code: d.code, reason: d.reason, context: d.context, tsEvent: now, tsInit: now });
    } else {
      events.push({ kind: 'OrderSubmitted', clientOrderId: id, tsEvent: now, tsInit: now });
      if (!list) calls.push({ kind: 'submit', venue: p.venue, orderId: id, request: { spec: p.spec, instrument: p.instrument } });
      else if (i === 0) calls.push({ kind: 'submit', venue: p.venue, orderId: id, request: { spec: p.spec, instrument: p.instrument, list } });
    }
  }
  return { events, calls, orderIds, denied: first ? deniedOf(prepared, denials, first) : NO_DENIALS };
}

function denialsOf(prepared: readonly PreparedSubmit[], verdicts: readonly Verdict[], prior: PriorDenial | undefined): SubmitDenial[] {
  const denials: SubmitDenial[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const v = verdicts[i];
    if (v === undefined) throw new RangeError(`the gate gave ${verdicts.length} verdicts for ${prepared.length} orders`);
    if (!v.ok) denials.push({ clientOrderId: prepared[i]!.spec.clientOrderId, code: v.code, reason: v.reason, context: v.context });
  }
  const only = prepared[0];
  if (prior && only && denials.length === 0) denials.push({ clientOrderId: only.spec.clientOrderId, ...prior });
  return denials;
}

function ownDenial(denials: readonly SubmitDenial[], id: ClientOrderId): SubmitDenial | undefined {
  for (const d of denials) if (d.clientOrderId === id) return d;
  return undefined;
}

function deniedOf(prepared: readonly PreparedSubmit[], denials: readonly SubmitDenial[], first: SubmitDenial): Denial[] {
  const denied: Denial[] = [];
  for (const p of prepared) {
    const id = p.spec.clientOrderId;
    const d = ownDenial(denials, id) ?? first;
    denied.push({ clientOrderId: id, code: d.code, reason: d.reason });
  }
  return denied;
}
