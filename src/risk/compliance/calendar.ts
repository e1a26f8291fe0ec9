import { ValidationError } from '../../model/errors.ts';
import { usEquityDay, type EquityDay } from './us-equities.ts';
import { addDays, instantOf, wallTime } from './wall-time.ts';

/**
 * Exchange calendars by the name a venue's config gives (`calendar: XNYS`): the closed set this
 * module knows. `XNYS` is the ISO 10383 MIC of the NYSE; `us_equities` names the same calendar
 * (Nasdaq keeps NYSE's days and hours). A venue without a calendar (crypto) trades 24/7. A calendar
 * may carry one-off closures and early closes its holiday source lacks (`adjustedCalendar`).
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

/**
 * One-off changes to a calendar that its holiday source does not carry (NYSE announces a closure
 * for a national day of mourning at a few days' notice, as 2025-01-09; `nyse-holidays` does not
 * have it): dates closed all day, and dates whose regular session ends early.
 */
export interface CalendarAdjustments {
  /** Closed all day (no pre-market, no after-hours): YYYY-MM-DD in the calendar's zone, with a name for the reason. */
  readonly extraClosures?: readonly { readonly date: string; readonly name?: string }[];
  /** The regular session ends at `close` (HH:MM local, after 09:30 and before 16:00); after-hours run four hours past it. */
  readonly extraEarlyCloses?: readonly { readonly date: string; readonly close: string; readonly name?: string }[];
}

/** A named calendar with one-off adjustments (from `adjustedCalendar`, which checks them). Plain data. */
export interface AdjustedCalendar {
  readonly name: CalendarName;
  readonly extraClosures: readonly { readonly date: string; readonly name: string }[];
  readonly extraEarlyCloses: readonly { readonly date: string; readonly close: string; readonly name: string }[];
}

/** A calendar as a venue's hours hold it: by name (the holiday source as published), or adjusted. */
export type CalendarRef = CalendarName | AdjustedCalendar;

/** The calendar's name (`XNYS`), adjusted or not. */
export function calendarName(ref: CalendarRef): CalendarName {
  return typeof ref === 'string' ? ref : ref.name;
}

interface ExchangeCalendar {
  readonly zone: string;
  day(date: string): EquityDay;
  /** The last session answered (sessionAt): one minute has one session. */
  last?: { readonly minute: number; readonly session: Session };
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** US equities, New York wall time: pre-market 04:00, regular 09:30–16:00 (13:00 on an early close), after-hours to 20:00 (17:00 after an early close). */
const PRE_OPEN = 4 * HOUR;
const OPEN = 9 * HOUR + 30 * MINUTE;
const CLOSE = 16 * HOUR;
const POST_CLOSE = 20 * HOUR;
/** After-hours last this long past the regular close: 16:00–20:00, and 13:00–17:00 after an early close. */
const POST_LENGTH = POST_CLOSE - CLOSE;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Milliseconds since midnight of HH:MM (checked by the caller). */
function msOfHhmm(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * HOUR + m * MINUTE;
}

function hhmmOf(ms: number): string {
  const m = Math.floor(ms / MINUTE);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Whether `date` is YYYY-MM-DD naming a real day (2025-02-30 is not). */
function isDate(date: string): boolean {
  return DATE.test(date) && addDays(date, 0) === date;
}

const US_EQUITIES: ExchangeCalendar = { zone: 'America/New_York', day: usEquityDay };

/** Calendars without adjustments, by name; XNYS and us_equities are one calendar (and share their answers). */
const BASE: Readonly<Record<CalendarName, ExchangeCalendar>> = { XNYS: US_EQUITIES, us_equities: US_EQUITIES };

/** Whether two names are the same calendar (XNYS and us_equities are). */
export function sameCalendar(a: CalendarName, b: CalendarName): boolean {
  return BASE[a] === BASE[b];
}

const adjusted = new WeakMap<AdjustedCalendar, ExchangeCalendar>();

function calendarOf(ref: CalendarRef): ExchangeCalendar {
  if (typeof ref === 'string') return BASE[ref];
  let cal = adjusted.get(ref);
  if (cal === undefined) {
    const base = BASE[ref.name];
    const closures = new Map(ref.extraClosures.map((c) => [c.date, c.name]));
    const early = new Map(ref.extraEarlyCloses.map((e) => [e.date, e]));
    cal = {
      zone: base.zone,
      day(date: string): EquityDay {
        const closure = closures.get(date);
        if (closure !== undefined) {
          const d = base.day(date);
          return d.kind === 'WEEKEND' ? d : { kind: 'HOLIDAY', name: closure };
        }
        const e = early.get(date);
        return e === undefined ? base.day(date) : { kind: 'EARLY_CLOSE', name: e.name, close: e.close };
      },
    };
    adjusted.set(ref, cal);
  }
  return cal;
}

/** Where a problem with an adjustment is: the list, the entry, the field. */
export interface AdjustmentProblem {
  readonly at: readonly ['extraClosures' | 'extraEarlyCloses', number, ...('date' | 'close')[]];
  readonly problem: string;
}

/**
 * What is wrong with `adjustments` to calendar `name`, every problem: a date that is not a real
 * YYYY-MM-DD day or falls on a weekend, a date given twice (a closure and an early close on one day
 * included), an early close on one of the calendar's holidays, or a close that is not HH:MM strictly
 * between the open (09:30) and the regular close (16:00).
 */
export function adjustmentProblems(name: CalendarName, adjustments: CalendarAdjustments): AdjustmentProblem[] {
  const out: AdjustmentProblem[] = [];
  const base = BASE[name];
  const seen = new Map<string, string>();
  const checkDate = (list: 'extraClosures' | 'extraEarlyCloses', i: number, date: string): boolean => {
    const where = `${list === 'extraClosures' ? 'extra closure' : 'extra early close'} ${i}`;
    if (!isDate(date)) {
      out.push({ at: [list, i, 'date'], problem: `must be a date YYYY-MM-DD (got "${date}")` });
      return false;
    }
    const day = base.day(date);
    if (day.kind === 'WEEKEND') out.push({ at: [list, i, 'date'], problem: `${date} is a ${day.name}: ${name} has no session to change` });
    const before = seen.get(date);
    if (before !== undefined) out.push({ at: [list, i, 'date'], problem: `${date} is given twice (also ${before})` });
    else seen.set(date, where);
    return day.kind !== 'WEEKEND';
  };
  (adjustments.extraClosures ?? []).forEach((c, i) => checkDate('extraClosures', i, c.date));
  (adjustments.extraEarlyCloses ?? []).forEach((e, i) => {
    if (checkDate('extraEarlyCloses', i, e.date)) {
      const day = base.day(e.date);
      if (day.kind === 'HOLIDAY') out.push({ at: ['extraEarlyCloses', i, 'date'], problem: `${e.date} is a holiday on ${name} (${day.name}): no session to close early` });
    }
    if (!HHMM.test(e.close)) out.push({ at: ['extraEarlyCloses', i, 'close'], problem: `must be a time HH:MM (got "${e.close}")` });
    else if (msOfHhmm(e.close) <= OPEN || msOfHhmm(e.close) >= CLOSE) out.push({ at: ['extraEarlyCloses', i, 'close'], problem: `must be after the open (09:30) and before the regular close (16:00), got ${e.close}` });
  });
  return out;
}

/**
 * Calendar `name` with one-off closures and early closes (checked by `adjustmentProblems`; the
 * first problem is thrown as INVALID_FIELD). A configured date wins over the holiday source: an
 * extra closure is a holiday of its name (default "unscheduled closure"), an extra early close
 * ends the regular session at its time (replacing NYSE's 13:00 on a derived early close).
 */
export function adjustedCalendar(name: CalendarName, adjustments: CalendarAdjustments): AdjustedCalendar {
  const [problem] = adjustmentProblems(name, adjustments);
  if (problem !== undefined) {
    const field = problem.at.join('.');
    throw new ValidationError('INVALID_FIELD', `calendar ${name}: ${field}: ${problem.problem}`, { field, calendar: name });
  }
  return Object.freeze({
    name,
    extraClosures: Object.freeze((adjustments.extraClosures ?? []).map((c) => Object.freeze({ date: c.date, name: c.name ?? 'unscheduled closure' }))),
    extraEarlyCloses: Object.freeze(
      (adjustments.extraEarlyCloses ?? []).map((e) => Object.freeze({ date: e.date, close: e.close, name: e.name ?? 'unscheduled early close' })),
    ),
  });
}

/** The calendar's time zone (IANA). */
export function calendarZone(calendar: CalendarRef): string {
  return calendarOf(calendar).zone;
}

/**
 * The session at epoch-ms `instant` on `calendar`: a pure function of the two. Sessions are
 * half-open in local wall time ([09:30, 16:00) is REGULAR), so 16:00:00.000 is already POST.
 */
export function sessionAt(calendar: CalendarRef, instant: number): Session {
  // Every boundary is a whole minute of local time and zone offsets are whole minutes, so one
  // minute has one session: the last answer per calendar is kept (the gate asks at every check).
  const cal = calendarOf(calendar);
  const minute = Math.floor(instant / MINUTE);
  const last = cal.last;
  if (last !== undefined && last.minute === minute) return last.session;
  const session = Object.freeze(computeSession(cal, instant));
  cal.last = { minute, session };
  return session;
}

function computeSession(cal: ExchangeCalendar, instant: number): Session {
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
      const close = closeOf(day);
      const at = hhmmOf(close);
      const note = day.kind === 'EARLY_CLOSE' ? ` (${day.name} at ${at})` : '';
      if (t.msOfDay < PRE_OPEN) return closed('closed: overnight, before the pre-market at 04:00');
      if (t.msOfDay < OPEN) return { open: false, kind: 'PRE', reason: 'pre-market (04:00–09:30)', date: t.date };
      if (t.msOfDay < close) return { open: true, kind: 'REGULAR', reason: `regular session (09:30–${at})${note}`, date: t.date };
      if (t.msOfDay < close + POST_LENGTH) return { open: false, kind: 'POST', reason: `after-hours (${at}–${hhmmOf(close + POST_LENGTH)})${note}`, date: t.date };
      return closed(`closed: overnight, after the after-hours session${note}`);
    }
  }
}

/** The regular close of a session day, ms of local day: 16:00, or the early close's time. */
function closeOf(day: EquityDay & { kind: 'FULL' | 'EARLY_CLOSE' }): number {
  return day.kind === 'EARLY_CLOSE' ? msOfHhmm(day.close) : CLOSE;
}

/**
 * When a DAY order placed at `instant` ends on `calendar`: at the close of the session day it is
 * placed on (16:00 New York, 13:00 on an early close), or of the next session day when placed
 * after that close or on a day without a session, as a broker queues it; with extended hours, at
 * the end of the after-hours session (20:00, 17:00 after an early close) instead.
 */
export function dayOrderEnd(calendar: CalendarRef, instant: number, extendedHours: boolean): number {
  const cal = calendarOf(calendar);
  let date = wallTime(cal.zone, instant).date;
  for (let i = 0; i < 15; i++, date = addDays(date, 1)) {
    const day = cal.day(date);
    if (day.kind !== 'FULL' && day.kind !== 'EARLY_CLOSE') continue;
    const close = closeOf(day);
    const end = instantOf(cal.zone, date, extendedHours ? close + POST_LENGTH : close);
    if (end > instant) return end;
  }
  // Two weeks without a session does not happen on an exchange calendar.
  throw new RangeError(`${calendarName(calendar)}: no session in the 15 days from ${date}`);
}

/** The calendar's local date of an instant (the trading day a fill belongs to). */
export function localDate(calendar: CalendarRef, instant: number): string {
  return wallTime(calendarOf(calendar).zone, instant).date;
}

/** Whether `date` (YYYY-MM-DD) has a session: a weekday that is not a holiday (an early close counts). */
export function isSessionDay(calendar: CalendarRef, date: string): boolean {
  const k = calendarOf(calendar).day(date).kind;
  return k === 'FULL' || k === 'EARLY_CLOSE';
}

/**
 * The first date of the window of `days` business days (session days) that ends on `date`: `date`
 * itself counts when it is a session day. With days = 5 on Monday 2025-07-07 it is Monday
 * 2025-06-30 (Friday July 4 was a holiday).
 */
export function windowStart(calendar: CalendarRef, date: string, days: number): string {
  let d = date;
  let seen = isSessionDay(calendar, d) ? 1 : 0;
  while (seen < days) {
    d = addDays(d, -1);
    if (isSessionDay(calendar, d)) seen++;
  }
  return d;
}
