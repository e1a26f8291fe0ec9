import type { ErrorContext } from '../model/errors.ts';
import type { AlertCode } from './alert-codes.ts';
import type { ClientOrderId } from '../model/identifiers.ts';
import type { Order } from '../model/orders/order.ts';
import { isDeadStatus } from './dead-orders.ts';
import type { Engine } from './engine.ts';
import { RECONCILIATION } from './origin.ts';
import { resolvePending } from './pending-requests.ts';
import { compareHoldings } from './reconcile-holdings.ts';
import type { Venue, VenueOrderStatus, VenueQueries, VenueReport } from './venue.ts';

export interface ReconcileReport {
  readonly venue: string;
  readonly supported: boolean;
  readonly fillsSeen: number;
  readonly ordersAdopted: readonly ClientOrderId[];
  readonly statusesUpdated: readonly { clientOrderId: ClientOrderId; to: VenueOrderStatus['status'] }[];
  /** Journaled as submitted, unknown to the venue: never reached it (a crash between journal and call). */
  readonly neverReachedVenue: readonly ClientOrderId[];
  /** Left PENDING_CANCEL (the cancel journaled, its call or answer lost) and still working at the venue: the cancel was sent again. */
  readonly cancelsResent: readonly ClientOrderId[];
  /** Left PENDING_UPDATE and still working: settled by the venue's terms (see pending-requests.ts), never resent. */
  readonly modifiesSettled: readonly { clientOrderId: ClientOrderId; outcome: 'APPLIED' | 'ROLLED_BACK' }[];
  readonly positionMismatches: readonly { accountId: string; instrumentId: string; ours: string; venue: string }[];
  /** True when a mismatch halted trading (FAULTS 24: never assume flat). */
  readonly halted: boolean;
}

/**
 * The reports that bring an order to what the venue says of it, fills excepted (they come from
 * the venue's fill history, applied by the caller). `accept`: the order has no ack yet (SUBMITTED,
 * or UNKNOWN after a submit that timed out), so one comes first. Pure; shared by reconciliation
 * after a restart and the executor settling an unknown order (src/execution/settle.ts).
 */
export function reportsForVenueStatus(status: VenueOrderStatus, accept: boolean, why: string, ts: number): VenueReport[] {
  const id = status.clientOrderId;
  const out: VenueReport[] = [];
  if (accept && status.status !== 'REJECTED') out.push({ kind: 'OrderAccepted', clientOrderId: id, venueOrderId: status.venueOrderId, ts });
  switch (status.status) {
    case 'OPEN':
    case 'FILLED': // fills come from the venue's fill history
      break;
    case 'CANCELED':
      out.push({ kind: 'OrderCanceled', clientOrderId: id, ts });
      break;
    case 'EXPIRED':
      out.push({ kind: 'OrderExpired', clientOrderId: id, ts });
      break;
    case 'REJECTED':
      out.push({ kind: 'OrderRejected', clientOrderId: id, reason: `rejected at the venue (${why})`, ts });
      break;
  }
  return out;
}

/**
 * What the venue's answers mean for our orders: the reports to apply. Pure: the same answers give
 * the same reports. A journaled order the venue does not know was never sent (every id is
 * journaled before the call): it is reported rejected, and never sent again.
 */
export function reconcileOrder(order: Order, status: VenueOrderStatus | undefined, ts: number): VenueReport[] {
  const id = order.clientOrderId;
  if (!status) return [{ kind: 'OrderRejected', clientOrderId: id, reason: 'NOT_AT_VENUE: never reached the venue (reconciled after restart)', ts }];
  // UNKNOWN: a submit (or modify) the executor could not settle before the restart; an accept settles either.
  const accept = order.status === 'SUBMITTED' || order.status === 'UNKNOWN';
  return reportsForVenueStatus({ ...status, clientOrderId: id }, accept, 'reconciled after restart', ts);
}

export interface ReconcileOptions {
  /**
   * This process may still have requests in flight to the venue (a reconnect, not a restart): a
   * pending modify is left to the executor settling it. After a restart nothing is in flight, so
   * every pending request is orphaned and is resent (a cancel) or settled (a modify). Default false.
   */
  readonly requestsInFlight?: boolean;
}

type Alert = (code: AlertCode, message: string, context: ErrorContext) => void;

/** Step 3 of reconcile: each open order brought to the venue's status; then a cancel or modify left pending is resent or settled. */
async function reconcileOpenOrders(engine: Engine, venue: string, q: VenueQueries, ours: readonly Order[], now: number, opts: ReconcileOptions) {
  const updated: { clientOrderId: ClientOrderId; to: VenueOrderStatus['status'] }[] = [];
  const never: ClientOrderId[] = [];
  const resent: ClientOrderId[] = [];
  const modifies: { clientOrderId: ClientOrderId; outcome: 'APPLIED' | 'ROLLED_BACK' }[] = [];
  for (const o of ours) {
    if (!o.isOpen) continue;
    const status = await q.orderStatus(o.clientOrderId);
    const reports = reconcileOrder(o, status, now);
    if (!status) never.push(o.clientOrderId);
    else if (reports.length > 0) updated.push({ clientOrderId: o.clientOrderId, to: status.status });
    for (const r of reports) engine.applyVenueReport(venue, r);
    // Never left pending while the order works at the venue (issue 11 item 13).
    const pending = status && o.isOpen ? resolvePending(o, status, now) : undefined;
    if (pending?.do === 'RESEND_CANCEL') {
      await engine.cancelOrder(o.clientOrderId, RECONCILIATION);
      resent.push(o.clientOrderId);
    } else if (pending?.do === 'SETTLE_MODIFY' && !opts.requestsInFlight) {
      engine.applyVenueReport(venue, pending.report);
      modifies.push({ clientOrderId: o.clientOrderId, outcome: pending.outcome });
      if (pending.outcome === 'ROLLED_BACK') alertOn(engine)('MODIFY_ROLLED_BACK', `modify of ${o.clientOrderId} was not confirmed and the venue has the old terms: rolled back, not resent`, { venue, clientOrderId: o.clientOrderId });
    }
  }
  return { updated, never, resent, modifies };
}

function alertOn(engine: Engine): Alert {
  return (code, message, context) => engine.bus.publish('alert', { code, message, context, ts: engine.now() });
}

/**
 * Brings the engine in line with a venue after a restart, before any strategy runs: fills we
 * missed (a fill already applied is dropped by its trade id), orders the venue has that we do not
 * know (adopted as external, with an alert), the status of each of our open orders (a cancel or
 * modify left pending by the restart is resent or settled: pending-requests.ts), and positions.
 * A position that still disagrees after all that cannot be explained: trading halts and an alert
 * goes out; the engine never assumes flat.
 */
export async function reconcile(engine: Engine, venue: Venue, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const alert = alertOn(engine);
  const q = venue.queries;
  const ours = [...engine.openOrders()].filter((o) => engine.instrument(o.instrumentId).venue === venue.id);
  if (!q) {
    alert('RECONCILIATION_UNSUPPORTED', `venue ${venue.id} cannot be queried: ${ours.length} open orders trusted as journaled`, { venue: venue.id });
    // A cancel is idempotent: a pending one goes out again even unseen (a pending modify cannot be settled blind).
    const resent: ClientOrderId[] = [];
    for (const o of ours) {
      if (o.status !== 'PENDING_CANCEL') continue;
      await engine.cancelOrder(o.clientOrderId, RECONCILIATION);
      resent.push(o.clientOrderId);
    }
    return { venue: venue.id, supported: false, fillsSeen: 0, ordersAdopted: [], statusesUpdated: [], neverReachedVenue: [], cancelsResent: resent, modifiesSettled: [], positionMismatches: [], halted: false };
  }
  const now = engine.now();
  // 1. Orders the venue has that we do not know: adopt them first, so their fills have an order.
  const adopted: ClientOrderId[] = [];
  for (const s of await q.openOrders()) {
    const known = engine.order(s.clientOrderId);
    // Working there, closed unfilled here: reported as such, so that it is alerted and killed at the venue (dead-orders.ts).
    if (known && isDeadStatus(known.status)) engine.applyVenueReport(venue.id, { kind: 'OrderAccepted', clientOrderId: s.clientOrderId, venueOrderId: s.venueOrderId, ts: now });
    if (known) continue;
    await engine.adoptExternalOrder(s.spec, s.venueOrderId);
    adopted.push(s.clientOrderId);
  }
  // 2. Fills: everything since the oldest open order began (or a day back); duplicates drop by trade id.
  let since = now - 86_400_000;
  for (const o of ours) since = Math.min(since, o.tsInit);
  const fills = await q.fillsSince(since);
  for (const f of fills) if (engine.order(f.clientOrderId)) engine.applyVenueReport(venue.id, f);
  // 3. Each of our open orders: what the venue says now.
  const { updated, never, resent, modifies } = await reconcileOpenOrders(engine, venue.id, q, ours, now, opts);
  // 4. Positions (derivatives, or every kind the venue reports) and, where the venue has them, balances.
  const { positions: mismatches, balances: balanceMismatches } = await compareHoldings(engine, venue.id, q);
  let halted = false;
  if (mismatches.length > 0 || balanceMismatches.length > 0) {
    const t = engine.now();
    const what = [mismatches.length > 0 ? `${mismatches.length} position(s)` : '', balanceMismatches.length > 0 ? `${balanceMismatches.length} balance(s)` : ''].filter(Boolean).join(' and ');
    await engine.recordRisk([{ kind: 'TradingStateChanged', scope: 'FIRM', state: 'HALTED', source: 'BREAKER', reason: `reconciliation: ${what} disagree with ${venue.id}`, tsEvent: t, tsInit: t }], RECONCILIATION);
    halted = true;
    for (const m of mismatches) {
      alert('POSITION_MISMATCH', `${m.instrumentId} on ${m.accountId}: ours ${m.ours} raw, venue ${m.venue} raw; trading halted`, { ...m, venue: venue.id });
    }
    for (const m of balanceMismatches) {
      alert('BALANCE_MISMATCH', `${m.currency} on ${m.accountId}: ours ${m.ours}, venue ${m.venue}; trading halted`, { ...m, venue: venue.id });
    }
  }
  if (adopted.length > 0 || never.length > 0 || updated.length > 0 || resent.length > 0 || modifies.length > 0) {
    alert(
      'RECONCILED',
      `venue ${venue.id}: ${fills.length} fills seen, ${adopted.length} adopted, ${updated.length} updated, ${never.length} never reached it, ${resent.length} pending cancels resent, ${modifies.length} pending modifies settled`,
      { venue: venue.id },
    );
  }
  return {
    venue: venue.id,
    supported: true,
    fillsSeen: fills.length,
    ordersAdopted: adopted,
    statusesUpdated: updated,
    neverReachedVenue: never,
    cancelsResent: resent,
    modifiesSettled: modifies,
    positionMismatches: mismatches,
    halted,
  };
}
