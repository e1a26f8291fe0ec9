/**
 * Exact decimal text arithmetic for what the dashboard adds up itself (filled quantities, net
 * positions from fills): the API sends decimals as strings and a float would drift.
 */
interface Scaled {
  readonly digits: bigint;
  readonly scale: number;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

function parse(text: string): Scaled {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const frac = m[3] ?? '';
  const digits = BigInt((m[2] ?? '0') + frac);
  return { digits: m[1] ? -digits : digits, scale: frac.length };
}

function rescale(v: Scaled, scale: number): bigint {
  return v.digits * 10n ** BigInt(scale - v.scale);
}

function format(digits: bigint, scale: number): string {
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? abs : `${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
  return negative ? `-${whole}` : whole;
}

/** a + b, at the larger of the two scales (so "0.10" + "0.2" is "0.30"). */
export function addDecimal(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  return format(rescale(x, scale) + rescale(y, scale), scale);
}

export function negateDecimal(a: string): string {
  const x = parse(a);
  return format(-x.digits, x.scale);
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function isZeroDecimal(a: string): boolean {
  return parse(a).digits === 0n;
}

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}
