/** Exact decimal arithmetic for the fake: values as bigint × 10^-8 (every figure it handles fits). */
export const SCALE = 8;
const ONE = 10n ** BigInt(SCALE);

export function dec(text: string | number): bigint {
  const s = typeof text === 'number' ? String(text) : text;
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new Error(`not a decimal: ${s}`);
  const neg = s.startsWith('-');
  const [w = '0', f = ''] = (neg ? s.slice(1) : s).split('.');
  if (f.length > SCALE) throw new Error(`too many places: ${s}`);
  const v = BigInt(w) * ONE + BigInt(f.padEnd(SCALE, '0') || '0');
  return neg ? -v : v;
}

export function text(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const w = a / ONE;
  const f = (a % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${w}${f ? `.${f}` : ''}`;
}

/** As a JSON number (the broker's figures are numbers); exact for the texts the fake makes. */
export function num(v: bigint): number {
  return Number(text(v));
}

/** a × b, both scaled. */
export function mul(a: bigint, b: bigint): bigint {
  return (a * b) / ONE;
}

export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
