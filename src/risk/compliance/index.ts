export { Compliance } from './compliance.ts';
export {
  CALENDAR_NAMES,
  SESSION_KINDS,
  adjustedCalendar,
  adjustmentProblems,
  calendarName,
  calendarZone,
  dayOrderEnd,
  isSessionDay,
  localDate,
  sameCalendar,
  sessionAt,
  windowStart,
  type AdjustedCalendar,
  type AdjustmentProblem,
  type CalendarAdjustments,
  type CalendarName,
  type CalendarRef,
  type Session,
  type SessionKind,
} from './calendar.ts';
export { FINRA_PDT, hasCalendars, type ComplianceConfig, type PdtRule, type VenueHours } from './config.ts';
export { DayTrades, wouldDayTrade, type DayTrade, type Leg } from './day-trades.ts';
export { hoursDenial, type HoursRequest } from './hours.ts';
export { pdtDenial, type PdtFacts } from './pdt.ts';
export { usEquityDay, type EquityDay } from './us-equities.ts';
