import type { CalendarRef } from './calendar.ts';

/** A venue's trading hours: its exchange calendar, by name or with one-off adjustments (absent: 24/7, as crypto), and whether it takes extended-hours orders. */
export interface VenueHours {
  readonly calendar?: CalendarRef;
  /** Pre-market and after-hours for orders that ask for them (OrderSpec.extendedHours); default false. */
  readonly extendedHours?: boolean;
}

/** The pattern-day-trader rule of one account (FINRA 4210(f)(8)(B)). */
export interface PdtRule {
  readonly enabled: boolean;
  /** Equity in USD, decimal text, at or above which the rule does not apply. */
  readonly minEquity: string;
  /** Day trades allowed within the window; the order that would be one more is denied. */
  readonly maxDayTrades: number;
  /** The window, in business days (session days of the calendar), ending today. */
  readonly windowDays: number;
}

/** FINRA's figures: 25,000 USD, more than 3 day trades in 5 business days. */
export const FINRA_PDT: PdtRule = Object.freeze({ enabled: true, minEquity: '25000', maxDayTrades: 3, windowDays: 5 });

/**
 * Compliance for the node: hours per venue, and the PDT rule per account. The rule applies to a
 * MARGIN account's orders on a venue with a calendar (the US equities this rule is about); an
 * account without an entry gets FINRA's figures.
 */
export interface ComplianceConfig {
  readonly venues: Readonly<Record<string, VenueHours>>;
  readonly pdt: Readonly<Record<string, PdtRule>>;
}

/** Whether any venue has a calendar: without one, compliance has nothing to check. */
export function hasCalendars(c: ComplianceConfig): boolean {
  return Object.values(c.venues).some((v) => v.calendar !== undefined);
}
