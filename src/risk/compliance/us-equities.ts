import { getHolidays } from 'nyse-holidays';
import { addDays, weekdayOf } from './wall-time.ts';

/**
 * What kind of day a date is on the NYSE / Nasdaq calendar (America/New_York): a full session,
 * an early close at 13:00, a holiday, or a weekend.
 *
 * Holidays come from the maintained `nyse-holidays` package (NYSE's holiday history since 1885,
 * with NYSE's weekend observance: a Saturday holiday is observed on the Friday unless that Friday
 * is in another month, as New Year's Day 2022; a Sunday one on the Monday). The package has no
 * early closes, so they are derived here from its holiday dates by the rule NYSE publishes with
 * its calendar: 13:00 on July 3 when it is a weekday and not itself the observed Independence Day,
 * on the day after Thanksgiving, and on December 24 when it is a weekday and not itself the
 * observed Christmas. One-off closures NYSE announces at short notice (a national day of mourning,
 * as 2025-01-09) are not in the package and so not here: a config adds them to the calendar
 * (calendar.ts, `adjustedCalendar`: extra closures and extra early closes).
 */
export type EquityDay =
  | { readonly kind: 'FULL' }
  /** `close`: the regular session's end, HH:MM New York time (13:00 by NYSE's rule; a configured one-off may differ). */
  | { readonly kind: 'EARLY_CLOSE'; readonly name: string; readonly close: string }
  | { readonly kind: 'HOLIDAY'; readonly name: string }
  | { readonly kind: 'WEEKEND'; readonly name: 'Saturday' | 'Sunday' };

const holidaysByYear = new Map<number, ReadonlyMap<string, string>>();

/** The NYSE holidays of one year by date (YYYY-MM-DD), from nyse-holidays' timezone-free `dateString`. */
function holidaysOf(year: number): ReadonlyMap<string, string> {
  let h = holidaysByYear.get(year);
  if (h === undefined) {
    h = new Map(getHolidays(year).map((x) => [x.dateString, x.name]));
    holidaysByYear.set(year, h);
  }
  return h;
}

/** The early close on `date` (13:00 ET), if NYSE's rule makes it one; `date` is a weekday that is not a holiday. */
function earlyCloseOn(date: string, holidays: ReadonlyMap<string, string>): string | undefined {
  const md = date.slice(5);
  if (md === '07-03') return 'early close: the day before Independence Day';
  if (md === '12-24') return 'early close: Christmas Eve';
  if (md.startsWith('11-') && holidays.get(addDays(date, -1)) === 'Thanksgiving Day') return 'early close: the day after Thanksgiving';
  return undefined;
}

/** The kind of day `date` (YYYY-MM-DD, New York) is for US equities. */
export function usEquityDay(date: string): EquityDay {
  const wd = weekdayOf(date);
  if (wd === 0) return { kind: 'WEEKEND', name: 'Sunday' };
  if (wd === 6) return { kind: 'WEEKEND', name: 'Saturday' };
  const holidays = holidaysOf(Number(date.slice(0, 4)));
  const holiday = holidays.get(date);
  if (holiday !== undefined) return { kind: 'HOLIDAY', name: holiday };
  const early = earlyCloseOn(date, holidays);
  return early === undefined ? { kind: 'FULL' } : { kind: 'EARLY_CLOSE', name: early, close: '13:00' };
}
