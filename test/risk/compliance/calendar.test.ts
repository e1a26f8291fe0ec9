/**
 * Exchange sessions for US equities (XNYS) on fixed dates: holidays from nyse-holidays, early
 * closes derived by NYSE's rule, and New York time through Intl across daylight-saving changes.
 */
import fc from 'fast-check';
import { getHolidays } from 'nyse-holidays';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/model/errors.ts';
import { adjustedCalendar, dayOrderEnd, isSessionDay, localDate, sessionAt, windowStart } from '../../../src/risk/compliance/index.ts';

const utc = (iso: string): number => Date.parse(iso);

describe('sessionAt(XNYS): regular hours 09:30–16:00 New York time', () => {
  it('a regular Monday: PRE from 04:00, REGULAR 09:30 to 16:00 (half-open), POST to 20:00, CLOSED overnight (EDT, UTC-4)', () => {
    // 2025-07-07 is a Monday in summer time: 09:30 EDT = 13:30 UTC.
    expect(sessionAt('XNYS', utc('2025-07-07T07:59:59.999Z')).kind).toBe('CLOSED');
    expect(sessionAt('XNYS', utc('2025-07-07T08:00:00Z')).kind).toBe('PRE');
    expect(sessionAt('XNYS', utc('2025-07-07T13:29:59.999Z'))).toMatchObject({ open: false, kind: 'PRE' });
    expect(sessionAt('XNYS', utc('2025-07-07T13:30:00Z'))).toMatchObject({ open: true, kind: 'REGULAR', date: '2025-07-07' });
    expect(sessionAt('XNYS', utc('2025-07-07T19:59:59.999Z'))).toMatchObject({ open: true, kind: 'REGULAR' });
    expect(sessionAt('XNYS', utc('2025-07-07T20:00:00Z'))).toMatchObject({ open: false, kind: 'POST' });
    expect(sessionAt('XNYS', utc('2025-07-07T23:59:59Z')).kind).toBe('POST');
    expect(sessionAt('XNYS', utc('2025-07-08T00:00:00Z'))).toMatchObject({ open: false, kind: 'CLOSED', date: '2025-07-07' });
  });

  it('us_equities is the same calendar', () => {
    for (const t of ['2025-07-07T13:30:00Z', '2025-07-04T15:00:00Z', '2025-11-28T18:30:00Z']) expect(sessionAt('us_equities', utc(t))).toEqual(sessionAt('XNYS', utc(t)));
  });

  it('a weekend is closed all day, with the day named', () => {
    const s = sessionAt('XNYS', utc('2025-07-05T15:00:00Z'));
    expect(s).toMatchObject({ open: false, kind: 'CLOSED' });
    expect(s.reason).toContain('Saturday');
    expect(sessionAt('XNYS', utc('2025-07-06T15:00:00Z')).reason).toContain('Sunday');
  });
});

describe('holidays (nyse-holidays) and early closes (NYSE rule)', () => {
  it('Independence Day 2025-07-04 (a Friday) is closed at 10:00 ET, pre-market and after-hours too, and the reason names it', () => {
    for (const t of ['2025-07-04T09:00:00Z', '2025-07-04T14:00:00Z', '2025-07-04T21:00:00Z']) {
      const s = sessionAt('XNYS', utc(t));
      expect(s).toMatchObject({ open: false, kind: 'CLOSED', date: '2025-07-04' });
      expect(s.reason).toBe('closed: holiday (Independence Day)');
    }
  });

  it('Good Friday 2026-04-03 is closed; the Thursday before and the Monday after trade', () => {
    const s = sessionAt('XNYS', utc('2026-04-03T15:00:00Z'));
    expect(s).toMatchObject({ open: false, kind: 'CLOSED' });
    expect(s.reason).toContain('Good Friday');
    expect(sessionAt('XNYS', utc('2026-04-02T15:00:00Z')).open).toBe(true);
    expect(sessionAt('XNYS', utc('2026-04-06T15:00:00Z')).open).toBe(true);
  });

  it('the day after Thanksgiving 2025-11-28 closes at 13:00 ET (EST, UTC-5): 12:59 is open, 13:00 and 13:30 are not; after-hours end at 17:00', () => {
    const before = sessionAt('XNYS', utc('2025-11-28T17:59:00Z'));
    expect(before).toMatchObject({ open: true, kind: 'REGULAR' });
    expect(before.reason).toContain('the day after Thanksgiving');
    expect(sessionAt('XNYS', utc('2025-11-28T18:00:00Z'))).toMatchObject({ open: false, kind: 'POST' });
    const after = sessionAt('XNYS', utc('2025-11-28T18:30:00Z'));
    expect(after).toMatchObject({ open: false, kind: 'POST' });
    expect(after.reason).toContain('early close: the day after Thanksgiving');
    expect(sessionAt('XNYS', utc('2025-11-28T21:59:59Z')).kind).toBe('POST');
    expect(sessionAt('XNYS', utc('2025-11-28T22:00:00Z')).kind).toBe('CLOSED');
    // Thanksgiving itself is a holiday.
    expect(sessionAt('XNYS', utc('2025-11-27T16:00:00Z')).reason).toContain('Thanksgiving Day');
  });

  it('Christmas Eve 2025-12-24 (a Wednesday) closes at 13:00; 2021-12-24 was the observed Christmas holiday instead', () => {
    expect(sessionAt('XNYS', utc('2025-12-24T17:30:00Z'))).toMatchObject({ open: true, kind: 'REGULAR' });
    const s = sessionAt('XNYS', utc('2025-12-24T18:00:00Z'));
    expect(s).toMatchObject({ open: false, kind: 'POST' });
    expect(s.reason).toContain('Christmas Eve');
    expect(sessionAt('XNYS', utc('2021-12-24T15:00:00Z')).reason).toContain('Christmas Day');
  });

  it('July 3: an early close in 2025 (Thursday); in 2026 it is the observed Independence Day and July 2 is a full day', () => {
    expect(sessionAt('XNYS', utc('2025-07-03T17:30:00Z')).kind).toBe('POST'); // 13:30 EDT
    expect(sessionAt('XNYS', utc('2026-07-03T15:00:00Z')).reason).toContain('Independence Day');
    expect(sessionAt('XNYS', utc('2026-07-02T17:30:00Z')).kind).toBe('REGULAR');
  });
});

describe('daylight saving through Intl (America/New_York), never a fixed offset', () => {
  it('Friday 2026-03-06 (EST) opens at 14:30 UTC; Monday 2026-03-09, the first session after the switch (EDT), at 13:30 UTC', () => {
    expect(sessionAt('XNYS', utc('2026-03-06T14:29:59.999Z')).kind).toBe('PRE');
    expect(sessionAt('XNYS', utc('2026-03-06T14:30:00Z')).kind).toBe('REGULAR');
    expect(sessionAt('XNYS', utc('2026-03-06T21:00:00Z')).kind).toBe('POST');
    expect(sessionAt('XNYS', utc('2026-03-09T13:29:59.999Z')).kind).toBe('PRE');
    expect(sessionAt('XNYS', utc('2026-03-09T13:30:00Z')).kind).toBe('REGULAR');
    expect(sessionAt('XNYS', utc('2026-03-09T20:00:00Z')).kind).toBe('POST');
  });

  it('back to EST: Monday 2025-11-03 opens at 14:30 UTC, while Friday 2025-10-31 opened at 13:30 UTC', () => {
    expect(sessionAt('XNYS', utc('2025-10-31T13:30:00Z')).kind).toBe('REGULAR');
    expect(sessionAt('XNYS', utc('2025-11-03T13:30:00Z')).kind).toBe('PRE');
    expect(sessionAt('XNYS', utc('2025-11-03T14:30:00Z')).kind).toBe('REGULAR');
  });

  it('the trading date is New York’s: 02:00 UTC on a Tuesday is still Monday there', () => {
    expect(localDate('XNYS', utc('2025-07-08T02:00:00Z'))).toBe('2025-07-07');
    expect(localDate('XNYS', utc('2025-07-08T04:00:00Z'))).toBe('2025-07-08');
  });
});

describe('business days (session days)', () => {
  it('a 5-day window ending Monday 2025-07-07 starts Monday 2025-06-30: the July 4 holiday and the weekend are skipped', () => {
    expect(windowStart('XNYS', '2025-07-07', 5)).toBe('2025-06-30');
    expect(windowStart('XNYS', '2025-07-07', 1)).toBe('2025-07-07');
    // From a Saturday, the window is the five sessions before it.
    expect(windowStart('XNYS', '2025-07-05', 5)).toBe('2025-06-27');
    expect(isSessionDay('XNYS', '2025-11-28')).toBe(true);
    expect(isSessionDay('XNYS', '2025-07-04')).toBe(false);
  });
});

/** New York wall time of an instant by another route (toLocaleString), as an oracle. */
function newYork(instant: number): { date: string; minutes: number; weekday: string } {
  const d = new Date(instant);
  const date = d.toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
  const [h, m] = d.toLocaleTimeString('en-GB', { timeZone: 'America/New_York', hour12: false }).split(':').map(Number) as [number, number];
  return { date, minutes: h * 60 + m, weekday: d.toLocaleDateString('en-US', { timeZone: 'America/New_York', weekday: 'short' }) };
}

const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });

describe('properties over 2000–2040', () => {
  it('no instant on a weekend or an NYSE holiday is ever open, or in any session', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const ny = newYork(t);
        const holiday = getHolidays(Number(ny.date.slice(0, 4))).some((h) => h.dateString === ny.date);
        fc.pre(holiday || ny.weekday === 'Sat' || ny.weekday === 'Sun');
        const s = sessionAt('XNYS', t);
        expect(s.open).toBe(false);
        expect(s.kind).toBe('CLOSED');
      }),
      { numRuns: 300 },
    );
  });

  it('every holiday of every year from 2000 to 2039 is closed at noon New York time', () => {
    for (let y = 2000; y < 2040; y++) {
      for (const h of getHolidays(y)) {
        const [yy, mm, dd] = h.dateString.split('-').map(Number) as [number, number, number];
        const noon = Date.UTC(yy, mm - 1, dd, 16, 30); // 11:30 or 12:30 in New York
        const s = sessionAt('XNYS', noon);
        expect(s.open, `${h.dateString} ${h.name}`).toBe(false);
        expect(s.reason).toContain(h.name);
      }
    }
  });

  it('open means REGULAR, within 09:30–16:00 New York time (before 13:00 on a day after Thanksgiving, July 3 or December 24)', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const s = sessionAt('XNYS', t);
        expect(s.open).toBe(s.kind === 'REGULAR');
        if (!s.open) return;
        const ny = newYork(t);
        expect(s.date).toBe(ny.date);
        expect(ny.minutes).toBeGreaterThanOrEqual(9 * 60 + 30);
        expect(ny.minutes).toBeLessThan(16 * 60);
        if (s.reason.includes('early close')) expect(ny.minutes).toBeLessThan(13 * 60);
      }),
      { numRuns: 500 },
    );
  });
});

describe('dayOrderEnd(XNYS): when a DAY order ends', () => {
  const end = (placed: string, extended = false): string => new Date(dayOrderEnd('XNYS', utc(placed), extended)).toISOString();

  it('at the close of the day it is placed on, in New York time on either side of a DST change', () => {
    expect(end('2025-03-07T15:00:00Z')).toBe('2025-03-07T21:00:00.000Z'); // Friday, EST
    expect(end('2025-03-10T14:00:00Z')).toBe('2025-03-10T20:00:00.000Z'); // Monday after the change, EDT
    expect(end('2025-03-10T14:00:00Z', true)).toBe('2025-03-11T00:00:00.000Z'); // after-hours end, 20:00 EDT
    expect(end('2025-03-10T09:00:00Z')).toBe('2025-03-10T20:00:00.000Z'); // 05:00, pre-market: today's close
  });

  it('placed after the close, on a weekend or a holiday: at the next session day close', () => {
    expect(end('2025-03-07T21:00:00Z')).toBe('2025-03-10T20:00:00.000Z'); // Friday 16:00 EST → Monday 16:00 EDT
    expect(end('2025-03-08T12:00:00Z')).toBe('2025-03-10T20:00:00.000Z'); // Saturday
    expect(end('2025-07-04T14:00:00Z')).toBe('2025-07-07T20:00:00.000Z'); // Independence Day (a Friday) → Monday
  });

  it('on an early close at 13:00 (17:00 with extended hours)', () => {
    expect(end('2025-11-28T15:00:00Z')).toBe('2025-11-28T18:00:00.000Z'); // the day after Thanksgiving, EST
    expect(end('2025-11-28T15:00:00Z', true)).toBe('2025-11-28T22:00:00.000Z');
    expect(end('2025-11-27T15:00:00Z')).toBe('2025-11-28T18:00:00.000Z'); // Thanksgiving itself → the early close next day
  });

  it('property: the end is after the order, in no session, right after a REGULAR minute, within 5 days', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const e = dayOrderEnd('XNYS', t, false);
        expect(e).toBeGreaterThan(t);
        expect(e - t).toBeLessThanOrEqual(5 * 86_400_000);
        expect(sessionAt('XNYS', e).kind).not.toBe('REGULAR');
        expect(sessionAt('XNYS', e - 60_000).kind).toBe('REGULAR');
      }),
      { numRuns: 300 },
    );
  });
});

describe('adjustedCalendar: one-off closures and early closes the package lacks', () => {
  const cal = adjustedCalendar('XNYS', { extraClosures: [{ date: '2025-01-09', name: 'National Day of Mourning' }], extraEarlyCloses: [{ date: '2025-11-28', close: '14:30' }, { date: '2026-03-09', close: '12:00' }] });

  it('2025-01-09 is closed all day, pre-market to after-hours, and no business day (the PDT window skips it)', () => {
    for (const t of ['2025-01-09T10:00:00Z', '2025-01-09T15:00:00Z', '2025-01-09T22:00:00Z']) expect(sessionAt(cal, utc(t))).toMatchObject({ open: false, kind: 'CLOSED', reason: 'closed: holiday (National Day of Mourning)' });
    expect(isSessionDay(cal, '2025-01-09')).toBe(false);
    expect(isSessionDay('XNYS', '2025-01-09')).toBe(true);
    expect(windowStart(cal, '2025-01-13', 5)).toBe('2025-01-06');
    expect(windowStart('XNYS', '2025-01-13', 5)).toBe('2025-01-07');
    expect(new Date(dayOrderEnd(cal, utc('2025-01-09T15:00:00Z'), false)).toISOString()).toBe('2025-01-10T21:00:00.000Z');
  });

  it('an extra early close sets the time, over NYSE\'s 13:00 on the day after Thanksgiving and on the first EDT Monday: REGULAR to it, POST four hours more', () => {
    expect(sessionAt(cal, utc('2025-11-28T19:29:00Z'))).toMatchObject({ open: true, kind: 'REGULAR' }); // 14:29 EST
    expect(sessionAt(cal, utc('2025-11-28T19:30:00Z'))).toMatchObject({ open: false, kind: 'POST', reason: 'after-hours (14:30–18:30) (unscheduled early close at 14:30)' });
    expect(sessionAt(cal, utc('2025-11-28T23:30:00Z')).kind).toBe('CLOSED');
    expect(sessionAt(cal, utc('2026-03-09T15:59:00Z')).kind).toBe('REGULAR'); // 11:59 EDT
    expect(sessionAt(cal, utc('2026-03-09T16:00:00Z')).kind).toBe('POST');
    expect(new Date(dayOrderEnd(cal, utc('2026-03-09T14:00:00Z'), false)).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(new Date(dayOrderEnd(cal, utc('2026-03-09T14:00:00Z'), true)).toISOString()).toBe('2026-03-09T20:00:00.000Z');
  });

  it('bad adjustments throw ValidationError INVALID_FIELD naming the field', () => {
    const bad = (f: () => unknown): ValidationError => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return e as ValidationError;
      }
      throw new Error('expected a ValidationError');
    };
    expect(bad(() => adjustedCalendar('XNYS', { extraClosures: [{ date: '2025-1-9' }] }))).toMatchObject({ code: 'INVALID_FIELD', context: { field: 'extraClosures.0.date', calendar: 'XNYS' } });
    expect(bad(() => adjustedCalendar('XNYS', { extraEarlyCloses: [{ date: '2025-12-26', close: '09:30' }] })).context.field).toBe('extraEarlyCloses.0.close');
    expect(bad(() => adjustedCalendar('us_equities', { extraClosures: [{ date: '2025-01-09' }], extraEarlyCloses: [{ date: '2025-01-09', close: '13:00' }] })).message).toContain('given twice');
  });
});

