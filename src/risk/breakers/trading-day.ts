import { ValidationError } from '../../model/errors.ts';

const MINUTE = 60_000;
const BOUNDARY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether `zone` is an IANA time zone this runtime knows (Intl throws a RangeError otherwise). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

/** "HH:MM" (00:00–23:59) as minutes after midnight, or undefined when malformed. */
export function boundaryMinutes(boundary: string): number | undefined {
  const m = BOUNDARY.exec(boundary);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * The trading day an instant belongs to, as a `YYYY-MM-DD` key. A day starts at `boundary` local
 * time in the IANA `timezone` and runs to the next one, e.g. 17:00 America/New_York: 16:59 on
 * 2 January still belongs to the 1 January trading day. Computed with Intl.DateTimeFormat: the
 * local wall time of the instant, less the boundary, gives the date; because it works in wall
 * time, the boundary stays at 17:00 local across daylight-saving changes. Boundaries are whole
 * minutes and zone offsets whole quarter hours, so the key is cached per minute.
 */
export class TradingDay {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsetMinutes: number;
  private cachedMinute = Number.NaN;
  private cachedKey = '';

  constructor(
    readonly timezone = 'UTC',
    readonly boundary = '00:00',
  ) {
    if (!isTimeZone(timezone)) throw new ValidationError('INVALID_FIELD', `unknown IANA time zone ${JSON.stringify(timezone)}`, { field: 'day.timezone' });
    const minutes = boundaryMinutes(boundary);
    if (minutes === undefined) throw new ValidationError('INVALID_FIELD', `day boundary must be HH:MM (00:00-23:59), got ${JSON.stringify(boundary)}`, { field: 'day.boundary' });
    this.offsetMinutes = minutes;
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  /** The trading day of epoch-ms `ts`. */
  key(ts: number): string {
    const minute = Math.floor(ts / MINUTE);
    if (minute === this.cachedMinute) return this.cachedKey;
    const parts: Record<string, number> = {};
    for (const p of this.format.formatToParts(minute * MINUTE)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    // Local wall time as if it were UTC, moved back by the boundary: its UTC date is the trading day.
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0);
    const key = new Date(wall - this.offsetMinutes * MINUTE).toISOString().slice(0, 10);
    this.cachedMinute = minute;
    this.cachedKey = key;
    return key;
  }
}
