import type { SubmitRequest, VenueReport } from '../engine/venue.ts';
import type { Instrument } from '../model/instrument.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import type { Quantity } from '../model/values.ts';
import type { OpenExecution } from './execution-log.ts';

/**
 * What the executor knows of one order from the reports it has passed on: enough to tell whether
 * a failed call's outcome is already known, to leave out what the engine has seen, and to keep
 * the statistics. Not the engine's order: the executor never reads the engine.
 */
export interface TrackedOrder {
  readonly spec: OrderSpec;
  readonly instrument: Instrument;
  readonly submittedAt: number;
  /** The price slippage is measured against: the limit price, else the arrival price. */
  readonly referencePx: number | undefined;
  quantity: Quantity;
  filled: Quantity;
  /** Closed as far as the reports go: canceled, expired, rejected or completely filled. */
  terminal: boolean;
  readonly tradeIds: Set<string>;
  /** Trades the venue busted: a bust delivered twice is taken off the filled quantity once. */
  readonly bustedTradeIds: Set<string>;
  /** Given up as NOT_AT_VENUE: anything arriving later is a late arrival to kill. */
  givenUp: boolean;
  lateCancelSent: boolean;
  submit: OpenExecution | undefined;
  modify: OpenExecution | undefined;
  cancel: OpenExecution | undefined;
}

export function trackOrder(req: SubmitRequest, now: number, referencePx: number | undefined): TrackedOrder {
  return {
    spec: req.spec,
    instrument: req.instrument,
    submittedAt: now,
    referencePx,
    quantity: req.spec.quantity,
    filled: req.instrument.quantity('0'),
    terminal: false,
    tradeIds: new Set(),
    bustedTradeIds: new Set(),
    givenUp: false,
    lateCancelSent: false,
    submit: undefined,
    modify: undefined,
    cancel: undefined,
  };
}

/** A fill's quantity and price as numbers, for the statistics; undefined for an off-grid fill (the engine alerts on it). */
export function fillFigures(o: TrackedOrder, r: Pick<Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>, 'lastQty' | 'lastPx'>): { qty: Quantity; qtyNum: number; pxNum: number } | undefined {
  try {
    const qty = o.instrument.quantity(r.lastQty, 'lastQty');
    const px = o.instrument.price(r.lastPx, 'lastPx');
    return { qty, qtyNum: Number(qty.toString()), pxNum: Number(px.toString()) };
  } catch {
    return undefined;
  }
}

/**
 * Updates what is known of the order from a report on its way to the engine. Returns false for a
 * report the engine must not get: a fill already passed on (same trade id), or an accept after
 * the order closed (reordered reports, FAULTS 20: the engine's table refuses it on a terminal
 * order, which would only raise a spurious alert).
 */
export function observeReport(o: TrackedOrder, r: VenueReport): { pass: boolean; newFill?: { qtyNum: number; pxNum: number } } {
  switch (r.kind) {
    case 'OrderAccepted':
      return { pass: !o.terminal };
    case 'OrderFilled': {
      if (o.tradeIds.has(r.tradeId)) return { pass: false };
      o.tradeIds.add(r.tradeId);
      const f = fillFigures(o, r);
      if (!f) return { pass: true };
      o.filled = o.filled.add(f.qty);
      if (o.filled.cmp(o.quantity) >= 0) o.terminal = true;
      return { pass: true, newFill: f };
    }
    case 'OrderUpdated':
      if (r.quantity !== undefined) {
        try {
          o.quantity = o.instrument.quantity(r.quantity);
        } catch {
          // off-grid: the engine refuses and alerts
        }
      }
      return { pass: true };
    case 'OrderRejected':
    case 'OrderCanceled':
    case 'OrderExpired':
      // A second closing report (a duplicate, or ours after the venue's) would be an illegal transition.
      if (o.terminal) return { pass: false };
      o.terminal = true;
      return { pass: true };
    case 'FillBusted': {
      // The venue took a fill back (FAULTS 19): it no longer counts toward the filled quantity.
      // A bust seen already (delivered twice) stops here, as a repeated fill does.
      if (o.bustedTradeIds.has(r.tradeId)) return { pass: false };
      if (o.tradeIds.has(r.tradeId)) {
        o.bustedTradeIds.add(r.tradeId);
        const f = fillFigures(o, r);
        if (f) o.filled = o.filled.sub(f.qty);
      }
      return { pass: true };
    }
    case 'OrderTriggered':
    case 'OrderModifyRejected':
    case 'OrderCancelRejected':
    case 'OrderStatusUnknown':
      return { pass: true };
  }
}
