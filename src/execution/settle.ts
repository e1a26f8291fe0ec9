import { reportsForVenueStatus } from '../engine/reconcile.ts';
import type { ModifyRequest, VenueOrderStatus, VenueReport } from '../engine/venue.ts';
import type { ClientOrderId } from '../model/identifiers.ts';
import { limitPriceOf, triggerPriceOf } from '../model/orders/types.ts';

type FillReport = Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>;

/**
 * Turning the venue's answers to our queries into the reports the engine needs. Pure: the same
 * answers give the same reports; the executor performs the queries and emits what comes back.
 */

/**
 * The order's fills from the venue's fill history, oldest first; those already seen are left out
 * (the engine would drop them by trade id anyway). A bust (a corrected trade, FAULTS 19) is kept:
 * it names a trade seen already, and the engine drops one it has applied.
 */
export function fillsOf(id: ClientOrderId, fills: readonly FillReport[], seenTradeIds: ReadonlySet<string>): FillReport[] {
  return fills.filter((f) => f.clientOrderId === id && (f.kind === 'FillBusted' || !seenTradeIds.has(f.tradeId)));
}

/** Whether the venue's order is closed. */
export function isTerminalAtVenue(status: VenueOrderStatus): boolean {
  return status.status !== 'OPEN';
}

/**
 * A submit whose outcome was not known, settled by what the venue has: the accept, the fills,
 * then the terminal report if any (in that order, so the engine leaves UNKNOWN on the accept).
 */
export function settleSubmit(status: VenueOrderStatus, fills: readonly FillReport[], seenTradeIds: ReadonlySet<string>, ts: number): VenueReport[] {
  const [accept, ...terminal] = reportsForVenueStatus(status, true, 'found by query after an unknown submit', ts);
  const own = fillsOf(status.clientOrderId, fills, seenTradeIds);
  return accept?.kind === 'OrderAccepted' ? [accept, ...own, ...terminal] : [...own, ...(accept ? [accept] : []), ...terminal];
}

/** Whether the venue's order stands as the modify asked (fields absent from VenueOrderStatus fall back to the spec). */
export function modifyApplied(req: ModifyRequest, status: VenueOrderStatus): boolean {
  const qty = status.quantity ?? status.spec.quantity;
  const price = status.price ?? limitPriceOf(status.spec);
  const trigger = status.triggerPrice ?? triggerPriceOf(status.spec);
  if (req.quantity && !qty.eq(req.quantity)) return false;
  if (req.price && (!price || !price.eq(req.price))) return false;
  if (req.triggerPrice && (!trigger || !trigger.eq(req.triggerPrice))) return false;
  return true;
}

/**
 * A modify whose outcome was not known: its fills first; then, on an open order, the update (it
 * stands as asked) or a modify reject (it does not); on a closed one, its terminal report.
 */
export function settleModify(req: ModifyRequest, status: VenueOrderStatus, fills: readonly FillReport[], seenTradeIds: ReadonlySet<string>, ts: number): VenueReport[] {
  const id = req.clientOrderId;
  const out: VenueReport[] = fillsOf(id, fills, seenTradeIds);
  if (isTerminalAtVenue(status)) return [...out, ...reportsForVenueStatus(status, false, 'found by query after an unknown modify', ts)];
  if (modifyApplied(req, status)) {
    out.push({
      kind: 'OrderUpdated',
      clientOrderId: id,
      ts,
      venueOrderId: status.venueOrderId,
      ...(req.quantity ? { quantity: req.quantity } : {}),
      ...(req.price ? { price: req.price } : {}),
      ...(req.triggerPrice ? { triggerPrice: req.triggerPrice } : {}),
    });
  } else {
    out.push({ kind: 'OrderModifyRejected', clientOrderId: id, reason: 'modify not applied (resolved by query)', ts });
  }
  return out;
}

/**
 * A cancel that failed or was refused, settled by the venue's answer: a closed order's fills and
 * terminal report (with the refusal after them when it had filled: "too late", FAULTS 17); an
 * order still open gets the refusal, so the engine goes back to where it was.
 */
export function settleCancel(
  id: ClientOrderId,
  status: VenueOrderStatus | undefined,
  fills: readonly FillReport[],
  seenTradeIds: ReadonlySet<string>,
  refusal: string,
  ts: number,
): VenueReport[] {
  const rejected: VenueReport = { kind: 'OrderCancelRejected', clientOrderId: id, reason: refusal, ts };
  if (!status) return [rejected];
  const out: VenueReport[] = fillsOf(id, fills, seenTradeIds);
  if (!isTerminalAtVenue(status)) return [...out, rejected];
  out.push(...reportsForVenueStatus(status, false, 'found by query after a cancel', ts));
  if (status.status === 'FILLED') out.push({ ...rejected, reason: `${refusal} (filled before the cancel)` });
  return out;
}
