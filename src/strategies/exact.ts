/**
 * Exact arithmetic for the built-in strategies' decisions. Prices are compared on the price grid:
 * a bar's close text becomes an integer count of 10^-pricePrecision (the instrument's price
 * units, of which the tick is a whole number), and means, bands and ratios are compared by
 * cross-multiplying integers, so an exact tie reads as a tie (float indicators read
 * SMA(10) = SMA(30) as −3.6e-12, a cross below).
 *
 * Speed: the common case (prices and sums within 2^53) stays on JS numbers, which hold integers
 * exactly; anything larger moves to bigint once, never rounded.
 *
 * Where an exact value is impossible (a Wilder or exponential average: its exact denominator grows
 * by a factor of the period every bar, without bound), the decision reads values within a relative
 * FLOAT_TIE of each other as equal: float rounding in those averages stays ~1e-14 relative at any
 * sane period, far below FLOAT_TIE, and FLOAT_TIE is far below a tick at any price (1e-9 × 1e5
 * = 1e-4 < 0.01), so a comparison changes only where the exact values are equal or within a
 * billionth of each other.
 */
import { parseDecimal, pow10, toRaw } from '../model/decimal.ts';
import { plainUnits } from '../model/plain-decimal.ts';

/** An integer count of price units: a number while safe, a bigint beyond. */
export type Units = number | bigint;

/** Relative tolerance of comparisons with float averages (see the module comment). */
export const FLOAT_TIE = 1e-9;

/** Price text in units of 10^-precision, exactly (PRECISION_EXCEEDED for text off the precision). */
export function priceUnits(text: string, precision: number): Units {
  const fast = plainUnits(text, precision);
  if (fast !== undefined) return fast;
  const raw = toRaw(text, precision, 'close');
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : raw;
}

/** sign(a − b) of two exact integers. */
export function cmp(a: Units, b: Units): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** sign(a × m − b × n) exactly, for integers a, b and small positive integers m, n. */
export function cmpScaled(a: Units, m: number, b: Units, n: number): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') {
    const l = a * m;
    const r = b * n;
    // A product of exact integers is exact unless it leaves the safe range (then it is unsafe too).
    if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l < r ? -1 : l > r ? 1 : 0;
  }
  return cmp(BigInt(a) * BigInt(m), BigInt(b) * BigInt(n));
}

/** sign(x) of a float average against zero, within FLOAT_TIE × scale (scale > 0) read as 0. */
export function signWithin(x: number, scale: number): -1 | 0 | 1 {
  const tol = FLOAT_TIE * Math.abs(scale);
  return x > tol ? 1 : x < -tol ? -1 : 0;
}

/** A parameter as the decimal it is written as: num / den exactly (2.1 is 21/10, not its double). */
export function ratio(x: number): { readonly num: bigint; readonly den: bigint } {
  const d = parseDecimal(x);
  return { num: d.digits, den: pow10(d.scale) };
}

/**
 * The sum of the last `length` values added, exactly: numbers while every value and the sum are
 * safe integers, bigints from the first that is not.
 */
export class WindowSum {
  private nums: number[] | undefined = [];
  private bigs: bigint[] = [];
  private head = 0;
  private n = 0;
  private sumN = 0;
  private sumB = 0n;

  constructor(readonly length: number) {}

  /** Values in the window (≤ length). */
  get count(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n === this.length;
  }

  get sum(): Units {
    return this.nums ? this.sumN : this.sumB;
  }

  add(v: Units): void {
    const nums = this.nums;
    if (nums && typeof v === 'number') {
      if (this.n === this.length) this.sumN -= nums[this.head]!;
      else this.n++;
      nums[this.head] = v;
      this.sumN += v;
      this.head = this.head + 1 === this.length ? 0 : this.head + 1;
      if (Number.isSafeInteger(this.sumN)) return;
      this.toBig();
      return;
    }
    if (nums) this.toBig();
    const bigs = this.bigs;
    if (this.n === this.length) this.sumB -= bigs[this.head]!;
    else this.n++;
    const b = BigInt(v);
    bigs[this.head] = b;
    this.sumB += b;
    this.head = this.head + 1 === this.length ? 0 : this.head + 1;
  }

  private toBig(): void {
    this.bigs = this.nums!.map((x) => BigInt(x));
    this.sumB = this.bigs.reduce((s, x) => s + x, 0n);
    this.nums = undefined;
  }
}
