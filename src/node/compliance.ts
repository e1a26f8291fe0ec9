import { Compliance } from '../risk/compliance/compliance.ts';
import { hasCalendars, type ComplianceConfig, type PdtRule, type VenueHours } from '../risk/compliance/config.ts';
import type { NodeConfig } from './config/index.ts';

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
