/**
 * Exact decimal strings for the wire: Kraken prints every amount with a fixed number of decimals
 * per asset or pair (`0.50000000`, `30000.0`, `15000.00000`), and the fake never lets a float near
 * a balance or a fill.
 */

function split(s: string): { neg: boolean; int: string; frac: string } {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const [int = '0', frac = ''] = body.split('.');
  return { neg, int: int === '' ? '0' : int, frac };
}

/** The value scaled by 10^d (truncated toward zero). */
export function toScaled(s: string, d: number): bigint {
  const { neg, int, frac } = split(s);
  const v = BigInt(int + (frac + '0'.repeat(d)).slice(0, d));
  return neg ? -v : v;
}

export function fromScaled(v: bigint, d: number): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(d + 1, '0');
  const out = d === 0 ? digits : `${digits.slice(0, -d)}.${digits.slice(-d)}`;
  return neg ? `-${out}` : out;
}

/** `s` printed with exactly d decimals (truncating extra digits, padding missing ones). */
export function fixed(s: string, d: number): string {
  return fromScaled(toScaled(s, d), d);
}

export function add(a: string, b: string, d: number): string {
  return fromScaled(toScaled(a, d) + toScaled(b, d), d);
}

/** a / b with d decimals, rounded half up; '0' padded when b is zero. */
export function div(a: string, b: string, d: number): string {
  const scale = 18;
  const bs = toScaled(b, scale);
  if (bs === 0n) return fixed('0', d);
  const q = (toScaled(a, scale) * 10n ** BigInt(d) * 2n) / bs;
  return fromScaled((q + (q >= 0n ? 1n : -1n)) / 2n, d);
}

export function mul(a: string, b: string, d: number): string {
  const scale = 18;
  const p = toScaled(a, scale) * toScaled(b, scale);
  return fromScaled(p / 10n ** BigInt(2 * scale - d), d);
}

/** How many decimals the string carries (ignoring trailing zeros). */
export function decimalsOf(s: string): number {
  const frac = split(s).frac.replace(/0+$/, '');
  return frac.length;
}

export function isDecimal(s: string): boolean {
  return /^-?\d*(\.\d*)?$/.test(s) && /\d/.test(s);
}

export function cmp(a: string, b: string): number {
  const d = Math.max(decimalsOf(a), decimalsOf(b));
  const x = toScaled(a, d);
  const y = toScaled(b, d);
  return x === y ? 0 : x < y ? -1 : 1;
}
