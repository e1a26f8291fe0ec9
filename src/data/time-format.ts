/**
 * Date patterns for CSV time columns (`DD/MM/YYYY HH:mm`, `YYYYMMDD`, ...) and UTC offsets
 * (`+05:30`). Pure: a pattern compiles once to a parser of one cell.
 */

/** `Z` or `±HH:MM` with hours ≤ 14 and minutes < 60 (every real zone offset is in that range). */
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** Minutes east of UTC for `Z` or `±HH:MM`; undefined when the text is neither. */
export function offsetMinutes(text: string): number | undefined {
  if (text === 'Z') return 0;
  const m = OFFSET.exec(text);
  if (!m) return undefined;
  const h = Number(m[2]), min = Number(m[3]);
  if (h > 14 || min > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

type Unit = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'ms';

/** Tokens, longest first so `MM` is not read as two `M`s. `M`, `D`, `H` take one or two digits. */
const TOKENS: readonly (readonly [string, Unit, string])[] = [
  ['YYYY', 'year', '(\\d{4})'],
  ['SSS', 'ms', '(\\d{3})'],
  ['MM', 'month', '(\\d{2})'],
  ['DD', 'day', '(\\d{2})'],
  ['HH', 'hour', '(\\d{2})'],
  ['mm', 'minute', '(\\d{2})'],
  ['ss', 'second', '(\\d{2})'],
  ['M', 'month', '(\\d{1,2})'],
  ['D', 'day', '(\\d{1,2})'],
  ['H', 'hour', '(\\d{1,2})'],
];

const LIMITS: Readonly<Record<Unit, readonly [number, number]>> = {
  year: [0, 9999], month: [1, 12], day: [1, 31], hour: [0, 23], minute: [0, 59], second: [0, 59], ms: [0, 999],
};

/** A pattern compiled: cell text → epoch ms (NaN when the cell does not match or is no real date). */
export type TimePatternParser = (text: string, offsetMin: number) => number;

/**
 * Compiles a date pattern made of YYYY, MM, DD, HH, mm, ss, SSS (fixed width), M, D, H (one or
 * two digits) and literal characters, e.g. `DD/MM/YYYY HH:mm`. It must hold a year, a month and a
 * day, each unit at most once. Throws a message (for the caller to name its option) otherwise.
 */
export function compileTimePattern(pattern: string): TimePatternParser {
  const units: Unit[] = [];
  let source = '';
  for (let i = 0; i < pattern.length; ) {
    const tok = TOKENS.find(([t]) => pattern.startsWith(t, i));
    if (tok) {
      if (units.includes(tok[1])) throw new Error(`pattern ${JSON.stringify(pattern)} gives the ${tok[1]} twice`);
      units.push(tok[1]);
      source += tok[2];
      i += tok[0].length;
    } else {
      source += pattern[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  for (const need of ['year', 'month', 'day'] as const) {
    if (!units.includes(need)) throw new Error(`pattern ${JSON.stringify(pattern)} has no ${need} (use YYYY, MM or M, DD or D; then HH, mm, ss, SSS)`);
  }
  const re = new RegExp(`^${source}$`);
  return (text, offsetMin) => {
    const m = re.exec(text);
    if (!m) return NaN;
    const v: Record<Unit, number> = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0 };
    for (let k = 0; k < units.length; k++) {
      const unit = units[k]!;
      const n = Number(m[k + 1]);
      const [lo, hi] = LIMITS[unit];
      if (n < lo || n > hi) return NaN;
      v[unit] = n;
    }
    const utc = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second, v.ms);
    // 31/02 rolls over into March in Date.UTC: refuse it rather than read another day.
    if (new Date(utc).getUTCDate() !== v.day) return NaN;
    return utc - offsetMin * 60_000;
  };
}
