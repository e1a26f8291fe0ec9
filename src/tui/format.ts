/** Text helpers for the panels: pure, exact where money is concerned (decimals stay text). */

const SPARKS = '▁▂▃▄▅▆▇█';

/** The last `width` values as a sparkline (a flat series is a flat line). */
export function sparkline(values: readonly number[], width: number): string {
  const v = values.slice(-width);
  if (v.length === 0) return '';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const span = hi - lo;
  return v.map((x) => SPARKS[span === 0 ? 3 : Math.min(7, Math.floor(((x - lo) / span) * 8))]).join('');
}

/** A bar toward a limit: `ratio` 0..1 filled (over 1: full, marked by the caller). */
export function bar(ratio: number | null, width: number): string {
  if (ratio === null || !Number.isFinite(ratio)) return '·'.repeat(width);
  const filled = Math.max(0, Math.min(width, Math.round(ratio * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

export function padLeft(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : ' '.repeat(width - text.length) + text;
}

/** A decimal text shortened to `places` for display (truncated, never rounded: what is shown was there). */
export function places(text: string | undefined, n: number): string {
  if (text === undefined || text === '') return '—';
  const [int, frac = ''] = text.split('.');
  if (n === 0) return int ?? text;
  return `${int ?? ''}.${frac.slice(0, n).padEnd(n, '0')}`;
}

export function isNegative(text: string | undefined): boolean {
  return text !== undefined && text.trim().startsWith('-') && /[1-9]/.test(text);
}

/** Percent of `part` in `whole` (display only; floats never feed money). */
export function percent(part: string | number | undefined, whole: string | number | undefined): string {
  const p = Number(part);
  const w = Number(whole);
  if (!Number.isFinite(p) || !Number.isFinite(w) || w === 0) return '—';
  const v = (p / w) * 100;
  return `${v >= 0 ? '+' : ''}${v.toFixed(2)}%`;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

export function bytes(n: number): string {
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)}G` : `${(n / (1 << 20)).toFixed(0)}M`;
}

/** Instrument ids without the venue, to fit narrow panels. */
export function symbolOf(instrumentId: string): string {
  return instrumentId.split('.')[0] ?? instrumentId;
}
