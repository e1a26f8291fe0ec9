import { usEquityDay, type EquityDay } from './us-equities.ts';
import { addDays, instantOf, wallTime } from './wall-time.ts';

/**
 * Exchange calendars by the name a venue's config gives (`calendar: XNYS`): the closed set this
 * module knows. `XNYS` is the ISO 10383 MIC of the NYSE; `us_equities` names the same calendar
 * (Nasdaq keeps NYSE's days and hours). A venue without a calendar (crypto) trades 24/7.
 */
export const CALENDAR_NAMES = ['XNYS', 'us_equities'] as const;
export type CalendarName = (typeof CALENDAR_NAMES)[number];

/** Where an instant falls in the calendar's day. Only REGULAR is open to every order; PRE and POST only to extended-hours orders where the venue allows them. */
export const SESSION_KINDS = ['PRE', 'REGULAR', 'POST', 'CLOSED'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export interface Session {
  /** Open for a regular-hours order: kind REGULAR. */
  readonly open: boolean;
  readonly kind: SessionKind;
  /** For people: the session, or why it is closed (the holiday, the early close, the weekend, overnight). */
  readonly reason: string;
  /** The calendar's local date of the instant, YYYY-MM-DD. */
  readonly date: string;
}

interface ExchangeCalendar {
  readonly zone: string;
  day(date: string): EquityDay;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** US equities, New York wall time: pre-market 04:00, regular 09:30–16:00 (13:00 on an early close), after-hours to 20:00 (17:00 after an early close). */
const PRE_OPEN = 4 * HOUR;
const OPEN = 9 * HOUR + 30 * MINUTE;
const CLOSE = 16 * HOUR;
const EARLY_CLOSE = 13 * HOUR;
const POST_CLOSE = 20 * HOUR;
const EARLY_POST_CLOSE = 17 * HOUR;

const US_EQUITIES: ExchangeCalendar = { zone: 'America/New_York', day: usEquityDay };

function calendarOf(name: CalendarName): ExchangeCalendar {
  switch (name) {
    case 'XNYS':
    case 'us_equities':
      return US_EQUITIES;
  }
}

/** The calendar's time zone (IANA). */
export function calendarZone(name: CalendarName): string {
  return calendarOf(name).zone;
}

/**
 * The session at epoch-ms `instant` on `calendar`: a pure function of the two. Sessions are
 * half-open in local wall time ([09:30, 16:00) is REGULAR), so 16:00:00.000 is already POST.
 */
export function sessionAt(calendar: CalendarName, instant: number): Session {
  // Every boundary is a whole minute of local time and zone offsets are whole minutes, so one
  // minute has one session: the last answer per calendar is kept (the gate asks at every check).
  const minute = Math.floor(instant / MINUTE);
  const last = lastByCalendar.get(calendar);
  if (last !== undefined && last.minute === minute) return last.session;
  const session = Object.freeze(computeSession(calendar, instant));
  lastByCalendar.set(calendar, { minute, session });
  return session;
}

const lastByCalendar = new Map<CalendarName, { readonly minute: number; readonly session: Session }>();

function computeSession(calendar: CalendarName, instant: number): Session {
  const cal = calendarOf(calendar);
  const t = wallTime(cal.zone, instant);
  const day = cal.day(t.date);
  const closed = (reason: string): Session => ({ open: false, kind: 'CLOSED', reason, date: t.date });
  switch (day.kind) {
    case 'WEEKEND':
      return closed(`closed: ${day.name}`);
    case 'HOLIDAY':
      return closed(`closed: holiday (${day.name})`);
    case 'FULL':
    case 'EARLY_CLOSE': {
      const early = day.kind === 'EARLY_CLOSE';
      const close = early ? EARLY_CLOSE : CLOSE;
      const note = early ? ` (${day.name} at 13:00)` : '';
      if (t.msOfDay < PRE_OPEN) return closed('closed: overnight, before the pre-market at 04:00');
      if (t.msOfDay < OPEN) return { open: false, kind: 'PRE', reason: 'pre-market (04:00–09:30)', date: t.date };
      if (t.msOfDay < close) return { open: true, kind: 'REGULAR', reason: `regular session (09:30–${early ? '13:00' : '16:00'})${note}`, date: t.date };
      if (t.msOfDay < (early ? EARLY_POST_CLOSE : POST_CLOSE)) return { open: false, kind: 'POST', reason: `after-hours (${early ? '13:00–17:00' : '16:00–20:00'})${note}`, date: t.date };
      return closed(`closed: overnight, after the after-hours session${note}`);
    }
  }
}

/**
 * When a DAY order placed at `instant` ends on `calendar`: at the close of the session day it is
 * placed on (16:00 New York, 13:00 on an early close), or of the next session day when placed
 * after that close or on a day without a session, as a broker queues it; with extended hours, at
 * the end of the after-hours session (20:00, 17:00 after an early close) instead.
 */
export function dayOrderEnd(calendar: CalendarName, instant: number, extendedHours: boolean): number {
  const cal = calendarOf(calendar);
  let date = wallTime(cal.zone, instant).date;
  for (let i = 0; i < 15; i++, date = addDays(date, 1)) {
    const day = cal.day(date);
    if (day.kind !== 'FULL' && day.kind !== 'EARLY_CLOSE') continue;
    const early = day.kind === 'EARLY_CLOSE';
    const end = instantOf(cal.zone, date, extendedHours ? (early ? EARLY_POST_CLOSE : POST_CLOSE) : early ? EARLY_CLOSE : CLOSE);
    if (end > instant) return end;
  }
  // Two weeks without a session does not happen on an exchange calendar.
  throw new RangeError(`${calendar}: no session in the 15 days from ${date}`);
}

/** The calendar's local date of an instant (the trading day a fill belongs to). */
export function localDate(calendar: CalendarName, instant: number): string {
  return wallTime(calendarOf(calendar).zone, instant).date;
}

/** Whether `date` (YYYY-MM-DD) has a session: a weekday that is not a holiday (an early close counts). */
export function isSessionDay(calendar: CalendarName, date: string): boolean {
  const k = calendarOf(calendar).day(date).kind;
  return k === 'FULL' || k === 'EARLY_CLOSE';
}

/**
 * The first date of the window of `days` business days (session days) that ends on `date`: `date`
 * itself counts when it is a session day. With days = 5 on Monday 2025-07-07 it is Monday
 * 2025-06-30 (Friday July 4 was a holiday).
 */
export function windowStart(calendar: CalendarName, date: string, days: number): string {
  let d = date;
  let seen = isSessionDay(calendar, d) ? 1 : 0;
  while (seen < days) {
    d = addDays(d, -1);
    if (isSessionDay(calendar, d)) seen++;
  }
  return d;
}
