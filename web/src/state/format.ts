/** How the dashboard writes values (pure, shared by the pages). */

export function fmtTime(ms: number | undefined): string {
  if (!ms) return '';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** An amount without its currency when the API wrote it as "12.50 USDT" (the page shows the currency apart). */
export function amount(v: string | null | undefined): string | null | undefined {
  if (typeof v !== 'string') return v;
  const m = /^(-?\d+(?:\.\d+)?) [A-Z0-9]{2,10}$/.exec(v.trim());
  return m ? m[1] : v;
}

export function signClass(v: string | number | null | undefined): string {
  const s = String(v ?? '');
  return s.startsWith('-') ? 'neg' : s === '' || /^0(\.0*)?$/.test(s) ? '' : 'pos';
}
