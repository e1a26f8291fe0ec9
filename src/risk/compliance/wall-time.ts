/**
 * Local wall time of an instant in an IANA time zone, through Intl (Node's full ICU carries the
 * zone rules), so daylight saving moves with the zone's published rules and never with a fixed
 * offset. One formatter per zone, reused.
 */
export interface WallTime {
  /** The local calendar date, YYYY-MM-DD. */
  readonly date: string;
  /** Milliseconds since local midnight. */
  readonly msOfDay: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  return f;
}

/** The wall time in `zone` of epoch-ms `instant`. */
export function wallTime(zone: string, instant: number): WallTime {
  const p = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const part of formatOf(zone).formatToParts(instant)) if (Object.hasOwn(p, part.type)) p[part.type as keyof typeof p] = part.value;
  const date = `${p.year}-${p.month}-${p.day}`;
  const ms = ((Number(p.hour) * 60 + Number(p.minute)) * 60 + Number(p.second)) * 1000 + (((instant % 1000) + 1000) % 1000);
  return { date, msOfDay: ms, weekday: weekdayOf(date) };
}

/** The date `days` calendar days after (or before, negative) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Day of the week of a YYYY-MM-DD date, 0 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Midnight UTC of a YYYY-MM-DD date, epoch ms (wall times compared as if in UTC). */
function utcMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/**
 * The instant at which the wall clock in `zone` reads `msOfDay` on `date`. A wall time that occurs
 * twice (the hour repeated when daylight saving ends) gives one of the two; none used here falls
 * in either changeover hour (sessions end between 13:00 and 20:00).
 */
export function instantOf(zone: string, date: string, msOfDay: number): number {
  const wanted = utcMidnight(date) + msOfDay;
  let instant = wanted;
  // Each pass corrects by the zone's offset at the guess; the offset changes at most once near a wall time.
  for (let i = 0; i < 3; i++) {
    const t = wallTime(zone, instant);
    const seen = utcMidnight(t.date) + t.msOfDay;
    if (seen === wanted) break;
    instant += wanted - seen;
  }
  return instant;
}
