import { Compliance } from '../risk/compliance/compliance.ts';
import { hasCalendars, type ComplianceConfig, type PdtRule, type VenueHours } from '../risk/compliance/config.ts';
import type { NodeConfig } from './config/index.ts';
import type { DayEnd } from '../execution/emulation/held.ts';
import { venueOf } from '../model/identifiers.ts';
import { adjustedCalendar, dayOrderEnd, sameCalendar, type CalendarName, type CalendarRef } from '../risk/compliance/calendar.ts';
import { venueCalendar } from './config/venues.ts';
import { adjustmentsOf } from './config/calendars.ts';

type HoursConfig = Pick<NodeConfig, 'venues'> & Partial<Pick<NodeConfig, 'calendars'>>;

/**
 * Each venue's calendar as compliance uses it: the venue's `calendar`, or its type's default
 * (venueCalendar: XNYS for a US-equity broker), with the config's `calendars` adjustments for that
 * calendar (under its name or its alias: XNYS and us_equities are one calendar). A calendar
 * without adjustments stays a bare name.
 */
function venueCalendars(config: HoursConfig): Map<string, { calendar: CalendarRef; extended: boolean }> {
  const adjusted = new Map<CalendarName, CalendarRef>();
  const refOf = (name: CalendarName): CalendarRef => {
    let ref = adjusted.get(name);
    if (ref === undefined) {
      const entry = Object.entries(config.calendars ?? {}).find(([n, a]) => a !== undefined && sameCalendar(n as CalendarName, name))?.[1];
      const hasAny = entry !== undefined && (entry.extra_closures.length > 0 || entry.extra_early_closes.length > 0);
      ref = hasAny ? adjustedCalendar(name, adjustmentsOf(entry)) : name;
      adjusted.set(name, ref);
    }
    return ref;
  };
  const out = new Map<string, { calendar: CalendarRef; extended: boolean }>();
  for (const [venue, v] of Object.entries(config.venues)) {
    const name = venueCalendar(v);
    if (name !== undefined) out.set(venue, { calendar: refOf(name), extended: v.extended_hours === true });
  }
  return out;
}

/**
 * The node's compliance (trading hours, pattern day trader) from its config: each venue's
 * calendar (venueCalendars) and `extended_hours`, each account's `pdt`. Undefined when no venue
 * has a calendar (nothing to check: a crypto-only node gets no compliance step at all).
 */
export function complianceOf(config: HoursConfig & Pick<NodeConfig, 'accounts'>): Compliance | undefined {
  const calendars = venueCalendars(config);
  const venues: Record<string, VenueHours> = {};
  for (const [name, v] of Object.entries(config.venues)) {
    const c = calendars.get(name);
    venues[name] = c !== undefined ? { calendar: c.calendar, extendedHours: c.extended } : { extendedHours: v.extended_hours === true };
  }
  const pdt: Record<string, PdtRule> = {};
  for (const a of config.accounts) {
    if (a.pdt) pdt[a.id] = { enabled: a.pdt.enabled, minEquity: a.pdt.min_equity, maxDayTrades: a.pdt.max_day_trades, windowDays: a.pdt.window_days };
  }
  const c: ComplianceConfig = { venues, pdt };
  return hasCalendars(c) ? new Compliance(c) : undefined;
}

/**
 * When a DAY order the emulator holds ends, for the node's venues with a calendar: at the close
 * of its session day (the after-hours end for an extendedHours order on a venue that allows them);
 * undefined for a 24/7 venue (the next UTC midnight).
 */
export function dayEndOf(config: HoursConfig): DayEnd | undefined {
  const hours = venueCalendars(config);
  if (hours.size === 0) return undefined;
  return (spec, heldAt) => {
    const h = hours.get(venueOf(spec.instrumentId));
    return h ? dayOrderEnd(h.calendar, heldAt, h.extended && spec.extendedHours === true) : undefined;
  };
}
