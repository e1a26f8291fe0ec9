/**
 * Exact decimal-string helpers for the wire: Binance prints amounts with a fixed number of
 * decimals and checks prices and quantities against the filters' grids; both are done on scaled
 * integers so no float ever decides a fill or a balance.
 */

function scaleOf(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** The value as an integer count of 10^-scale units (truncating extra digits). */
function toUnits(s: string, scale: number): bigint {
  const neg = s.startsWith('-');
  const [int = '0', frac = ''] = (neg ? s.slice(1) : s).split('.');
  const units = BigInt((int || '0') + frac.padEnd(scale, '0').slice(0, scale));
  return neg ? -units : units;
}

function fromUnits(u: bigint, scale: number): string {
  const neg = u < 0n;
  const digits = (neg ? -u : u).toString().padStart(scale + 1, '0');
  const out = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg && u !== 0n ? `-${out}` : out;
}

/** `s` printed with exactly `dp` decimals (Binance prints most amounts with 8). */
export function fixed(s: string | undefined, dp = 8): string {
  return fromUnits(toUnits(s ?? '0', dp), dp);
}

/** Whether `value` is a whole multiple of `step` (a zero step accepts anything). */
export function onGrid(value: string, step: string): boolean {
  const scale = Math.max(scaleOf(value), scaleOf(step));
  const st = toUnits(step, scale);
  return st === 0n || toUnits(value, scale) % st === 0n;
}

/** `value` rounded down to a multiple of `step`, printed with the step's decimals. */
export function floorToStep(value: string, step: string): string {
  const scale = Math.max(scaleOf(value), scaleOf(step));
  const st = toUnits(step, scale);
  const v = toUnits(value, scale);
  return fromUnits(toUnits(fromUnits(v - (v % st), scale), scaleOf(step)), scaleOf(step));
}

/** quote ÷ price rounded down to the lot step: the quantity a quoteOrderQty buys. */
export function quantityForQuote(quote: string, price: string, step: string): string {
  const scale = 18;
  const q = toUnits(quote, scale) * 10n ** BigInt(scale);
  return floorToStep(fromUnits(q / toUnits(price, scale), scale), step);
}

export function add(a: string, b: string): string {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  return fromUnits(toUnits(a, scale) + toUnits(b, scale), scale);
}

export function sub(a: string, b: string): string {
  return add(a, b.startsWith('-') ? b.slice(1) : `-${b}`);
}

export function mul(a: string, b: string): string {
  const sa = scaleOf(a);
  const sb = scaleOf(b);
  return fromUnits(toUnits(a, sa) * toUnits(b, sb), sa + sb);
}

export function cmp(a: string, b: string): number {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  const d = toUnits(a, scale) - toUnits(b, scale);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

export function max(a: string, b: string): string {
  return cmp(a, b) >= 0 ? a : b;
}

export function min(a: string, b: string): string {
  return cmp(a, b) <= 0 ? a : b;
}

/** Number of decimals of a grid step (`0.010` → 2 significant: Binance's pricePrecision counts to the last non-zero). */
export function decimalsOf(step: string): number {
  const trimmed = step.includes('.') ? step.replace(/0+$/, '') : step;
  return scaleOf(trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed);
}
