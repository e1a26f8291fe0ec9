import { deny, type Denial } from '../gate/denials.ts';
import { calendarName, sessionAt } from './calendar.ts';
import type { VenueHours } from './config.ts';

/** What the hours check needs to know about one order. */
export interface HoursRequest {
  readonly venue: string;
  readonly instrumentId: string;
  /** The order asks for extended hours (OrderSpec.extendedHours). */
  readonly extendedHours: boolean;
  /** For the reason: "submit BUY 100 AAPL.ALPACA"; asked only when the order is denied. */
  what(): string;
}

/**
 * MARKET_CLOSED for an order (or a modify that adds risk) outside its session, a pure decision on
 * the venue's hours, the order and the instant (epoch ms). A venue without a calendar is open
 * 24/7. In the pre-market or after-hours an order passes only if it asks for extended hours and
 * the venue takes them; on a weekend, a holiday, after an early close's after-hours or overnight
 * nothing passes. Cancels never come here.
 */
export function hoursDenial(hours: VenueHours | undefined, order: HoursRequest, instant: number): Denial | undefined {
  const calendar = hours?.calendar;
  if (calendar === undefined) return undefined;
  const s = sessionAt(calendar, instant);
  if (s.open) return undefined;
  const extendedSession = s.kind === 'PRE' || s.kind === 'POST';
  const venueExtended = hours?.extendedHours === true;
  if (extendedSession && order.extendedHours && venueExtended) return undefined;
  let why = s.reason;
  if (extendedSession) why += order.extendedHours ? `; venue ${order.venue} takes no extended-hours orders (extended_hours: false)` : '; the order is for regular hours (extendedHours not set)';
  const name = calendarName(calendar);
  return deny('MARKET_CLOSED', `${order.instrumentId} (${name}) is not in its regular session at ${new Date(instant).toISOString()}: ${why}: ${order.what()} denied`, {
    limit: order.extendedHours && venueExtended ? 'REGULAR, PRE or POST' : 'REGULAR',
    actual: s.kind,
    venue: order.venue,
    instrument: order.instrumentId,
    calendar: name,
    session_date: s.date,
    reason: s.reason,
    scope: 'calendar',
  });
}
