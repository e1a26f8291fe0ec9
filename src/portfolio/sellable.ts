import { pow10 } from '../model/decimal.ts';
import type { Instrument, Rate } from '../model/instrument.ts';
import { Quantity } from '../model/values.ts';
import type { Account } from './account.ts';
import type { Position } from './position.ts';

/**
 * How much of a `wanted` sell a CASH account can deliver in a spot instrument: no more than the
 * base currency it holds free, floored to the lot grid. A position is the sum of its fills, but a
 * venue that charges fees in the base currency hands over fewer coins than were bought (long
 * 1.000, holding 0.999): selling the position's quantity would sell coins the account does not
 * have, which a venue refuses and the ledger books as a negative balance. When the sell's own fee
 * is taken in the base currency too (`baseFeeRate`), room is left for it. Anything else (a MARGIN
 * account, a derivative, an instrument without a base) can sell what it wants.
 */
export function sellableQuantity(account: Account, inst: Instrument, wanted: Quantity, baseFeeRate?: Rate): Quantity {
  if (account.type !== 'CASH' || inst.kind !== 'SPOT' || inst.base === undefined) return wanted;
  const want = Quantity.of(wanted, inst.sizePrecision);
  const free = account.freeRaw(inst.base);
  const toBase = pow10(inst.base.precision - inst.sizePrecision);
  const lot = inst.lotSize.raw;
  let raw = free <= 0n ? 0n : free / toBase;
  if (raw > want.raw) raw = want.raw;
  raw -= raw % lot;
  if (baseFeeRate !== undefined && baseFeeRate.digits > 0n) {
    // The largest lot multiple q with q + fee(q) ≤ free: start near free / (1 + rate), step down.
    const den = pow10(baseFeeRate.scale) + baseFeeRate.digits;
    const near = (free * pow10(baseFeeRate.scale)) / den / toBase;
    if (near < raw) raw = near - (near % lot);
    while (raw > 0n && raw * toBase + baseFee(inst, raw, baseFeeRate) > free) raw -= lot;
  }
  if (raw < 0n) raw = 0n;
  return raw === want.raw ? want : Quantity.fromRaw(raw, inst.sizePrecision);
}

/** What a flatten or exit of a long position can sell: the position, within what its account holds (sellableQuantity). */
export function sellableOf(p: Position, account: Account): Quantity {
  const base = p.instrument.base;
  // Fills of this position charged in the base currency: the venue takes its fee in coins, so a sell's will be too.
  const paysInBase = base !== undefined && p.commissions.get(base).raw > 0n;
  return sellableQuantity(account, p.instrument, p.quantity, paysInBase ? p.instrument.takerFee : undefined);
}

/** quantity × multiplier × rate in base minor units, rounded up (a venue rounds to the minor unit; up is the safe side). */
function baseFee(inst: Instrument, qtyRaw: bigint, rate: Rate): bigint {
  const base = inst.base!;
  const num = qtyRaw * inst.multiplier.digits * rate.digits;
  const shift = inst.sizePrecision + inst.multiplier.scale + rate.scale - base.precision;
  if (shift <= 0) return num * pow10(-shift);
  const d = pow10(shift);
  return (num + d - 1n) / d;
}
