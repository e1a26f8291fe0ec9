import { Compliance } from '../risk/compliance/compliance.ts';
import { hasCalendars, type ComplianceConfig, type PdtRule, type VenueHours } from '../risk/compliance/config.ts';
import type { NodeConfig } from './config/index.ts';
import type { DayEnd } from '../execution/emulation/held.ts';
import { venueOf } from '../model/identifiers.ts';
import { dayOrderEnd, type CalendarName } from '../risk/compliance/calendar.ts';

/**
 * The node's compliance (trading hours, pattern day trader) from its config: each venue's
 * `calendar` and `extended_hours`, each account's `pdt`. Undefined when no venue has a calendar
 * (nothing to check: a crypto-only node gets no compliance step at all).
 */
export function complianceOf(config: Pick<NodeConfig, 'venues' | 'accounts'>): Compliance | undefined {
  const venues: Record<string, VenueHours> = {};
  for (const [name, v] of Object.entries(config.venues)) {
    venues[name] = { ...(v.calendar !== undefined ? { calendar: v.calendar } : {}), extendedHours: v.extended_hours === true };
  }
  const pdt: Record<string, PdtRule> = {};
  for (const a of config.accounts) {
    if (a.pdt) pdt[a.id] = { enabled: a.pdt.enabled, minEquity: a.pdt.min_equity, maxDayTrades: a.pdt.max_day_trades, windowDays: a.pdt.window_days };
  }
  const c: ComplianceConfig = { venues, pdt };
  return hasCalendars(c) ? new Compliance(c) : undefined;
}

/**
 * When a DAY order the emulator holds ends, for the node's venues with a `calendar`: at the close
 * of its session day (the after-hours end for an extendedHours order on a venue that allows them);
 * undefined for a 24/7 venue (the next UTC midnight).
 */
export function dayEndOf(config: Pick<NodeConfig, 'venues'>): DayEnd | undefined {
  const hours = new Map<string, { calendar: CalendarName; extended: boolean }>();
  for (const [name, v] of Object.entries(config.venues)) if (v.calendar !== undefined) hours.set(name, { calendar: v.calendar, extended: v.extended_hours === true });
  if (hours.size === 0) return undefined;
  return (spec, heldAt) => {
    const h = hours.get(venueOf(spec.instrumentId));
    return h ? dayOrderEnd(h.calendar, heldAt, h.extended && spec.extendedHours === true) : undefined;
  };
}
