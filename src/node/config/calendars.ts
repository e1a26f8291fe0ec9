import { z } from 'zod';
import { adjustmentProblems, CALENDAR_NAMES, type CalendarAdjustments } from '../../risk/compliance/calendar.ts';

const FIELD = { extraClosures: 'extra_closures', extraEarlyCloses: 'extra_early_closes' } as const;

const date = z.string({ error: 'must be a date YYYY-MM-DD' });
const name = z.string().min(1).max(80).optional();

/**
 * One-off changes to one exchange calendar (`calendars.XNYS`), for closures and early closes its
 * holiday source does not have yet: `extra_closures` (a date, or `{ date, name }`), closed all day;
 * `extra_early_closes` (`{ date, close: 'HH:MM', name? }`), the regular session ending at `close`
 * New York time and after-hours four hours later. Every entry is checked by the calendar module
 * (adjustmentProblems): a real weekday date, not given twice, an early close on a session day
 * strictly between 09:30 and 16:00.
 */
export function calendarAdjustmentsSchema(calendar: (typeof CALENDAR_NAMES)[number]) {
  return z
    .strictObject({
      extra_closures: z.array(z.union([date, z.strictObject({ date, name })], { error: 'must be a date YYYY-MM-DD or { date, name }' })).default([]),
      extra_early_closes: z.array(z.strictObject({ date, close: z.string({ error: 'must be a time HH:MM' }), name })).default([]),
    })
    .superRefine((v, ctx) => {
      for (const p of adjustmentProblems(calendar, adjustmentsOf(v))) {
        const [list, i, field] = p.at;
        // A bare date in extra_closures is the entry itself; an object's date is its `date`.
        const bare = list === 'extraClosures' && typeof v.extra_closures[i] === 'string';
        ctx.addIssue({ code: 'custom', message: p.problem, path: [FIELD[list], i, ...(field !== undefined && !bare ? [field] : [])] });
      }
    });
}

/** One `calendars.<name>` entry as the calendar takes it. */
export function adjustmentsOf(entry: {
  readonly extra_closures: readonly (string | { readonly date: string; readonly name?: string | undefined })[];
  readonly extra_early_closes: readonly { readonly date: string; readonly close: string; readonly name?: string | undefined }[];
}): CalendarAdjustments {
  return {
    extraClosures: entry.extra_closures.map((c) => (typeof c === 'string' ? { date: c } : { date: c.date, ...(c.name !== undefined ? { name: c.name } : {}) })),
    extraEarlyCloses: entry.extra_early_closes.map((e) => ({ date: e.date, close: e.close, ...(e.name !== undefined ? { name: e.name } : {}) })),
  };
}

/** `calendars:` in warden.yaml: adjustments by calendar name. XNYS and us_equities are one calendar: give one of them (checks.ts). */
export const calendarsSchema = z.strictObject(Object.fromEntries(CALENDAR_NAMES.map((n) => [n, calendarAdjustmentsSchema(n).optional()])) as {
  [K in (typeof CALENDAR_NAMES)[number]]: z.ZodOptional<ReturnType<typeof calendarAdjustmentsSchema>>;
});

export type CalendarsConfig = z.infer<typeof calendarsSchema>;
