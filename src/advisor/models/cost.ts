/**
 * Exact USD arithmetic for cost estimates and budgets: amounts are bigints of 10^-18 USD, so a
 * price per million tokens with up to 12 decimals times a token count is exact, and sums never
 * drift. Text in and out is plain decimal ("0.003085").
 */
const SCALE = 18;
const UNIT = 10n ** BigInt(SCALE);

/** Decimal text (or a config number, read through its shortest text) → 10^-18 USD. */
export function usdUnits(amount: string | number): bigint {
  const text = typeof amount === 'number' ? plain(amount) : amount;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a non-negative decimal amount: ${text}`);
  const frac = (m[2] ?? '').slice(0, SCALE).padEnd(SCALE, '0');
  return BigInt(m[1]!) * UNIT + BigInt(frac);
}

/** 10^-18 USD → plain decimal text without trailing zeros ("0", "0.5", "12.000125"). */
export function usdText(units: bigint): string {
  const whole = units / UNIT;
  const frac = (units % UNIT).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return frac === '' ? whole.toString() : `${whole}.${frac}`;
}

/** The cost of a call: tokens × price per million tokens, in 10^-18 USD. */
export function callCost(inputTokens: number, outputTokens: number, inputPerMtok: string | number, outputPerMtok: string | number): bigint {
  return (BigInt(inputTokens) * usdUnits(inputPerMtok) + BigInt(outputTokens) * usdUnits(outputPerMtok)) / 1_000_000n;
}

function plain(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`not a non-negative amount: ${n}`);
  const s = String(n);
  if (!s.includes('e')) return s;
  return n.toFixed(SCALE);
}
