/**
 * Trailing stops as a pure decision: a state and a traded price in, the next state and whether the
 * stop fired out. No bus, no clock, no engine: the OrderEmulator (emulator.ts) feeds it prices and
 * acts on `FIRE`.
 *
 * Conventions (all exact, in integer units of the instrument's price precision):
 * - `side` is the stop's own side: a SELL stop protects a long and trails below the highest price
 *   seen; a BUY stop protects a short and trails above the lowest price seen.
 * - The offset is PRICE (a distance), TICKS (a number of ticks) or BASIS_POINTS (a share of the
 *   extreme: 500 bps of 110.00 is 5.50).
 * - A stop is rounded onto the tick grid away from the market (a SELL stop down, a BUY stop up), so
 *   the distance is never tighter than asked.
 * - It ratchets only in the position's favour: a SELL stop only rises, a BUY stop only falls.
 * - With an activation price it is dormant until the market reaches it (at or above for a SELL
 *   stop, at or below for a BUY stop); it then trails from that price.
 * - It fires when a price reaches the stop: at or below it for a SELL stop, at or above for a BUY
 *   stop. A fired state stays fired.
 */
import { pow10 } from '../../model/decimal.ts';
import { Price } from '../../model/values.ts';
import type { OrderSide, TrailingOffset } from '../../model/orders/types.ts';

export interface TrailingSpec {
  /** The stop's side: SELL closes a long, BUY closes a short. */
  readonly side: OrderSide;
  readonly offset: TrailingOffset;
  /** The instrument's tick; stops are put on its grid. */
  readonly tickSize: Price;
  readonly activationPrice: Price | undefined;
}

export interface TrailingState {
  readonly spec: TrailingSpec;
  readonly activated: boolean;
  /** The best price seen since activation: the high for a SELL stop, the low for a BUY stop. */
  readonly extreme: Price | undefined;
  /** The current stop; undefined until activated and a price has been seen. */
  readonly stop: Price | undefined;
  readonly fired: boolean;
}

export interface TrailingDecision {
  readonly state: TrailingState;
  readonly trigger?: 'FIRE';
}

export function initialTrailing(spec: TrailingSpec): TrailingState {
  return { spec, activated: spec.activationPrice === undefined, extreme: undefined, stop: undefined, fired: false };
}

/** One traded price: fire if the stop is reached, else arm (activation) and ratchet. */
export function trailingTrigger(state: TrailingState, price: Price): TrailingDecision {
  if (state.fired) return { state };
  const { side, activationPrice } = state.spec;
  const sell = side === 'SELL';
  if (state.stop !== undefined && (sell ? price.cmp(state.stop) <= 0 : price.cmp(state.stop) >= 0)) {
    return { state: { ...state, fired: true }, trigger: 'FIRE' };
  }
  let activated = state.activated;
  if (!activated) {
    if (activationPrice === undefined || (sell ? price.cmp(activationPrice) < 0 : price.cmp(activationPrice) > 0)) return { state };
    activated = true;
  }
  const better = state.extreme === undefined || (sell ? price.cmp(state.extreme) > 0 : price.cmp(state.extreme) < 0);
  if (!better && state.activated) return { state };
  const extreme = better || state.extreme === undefined ? price : state.extreme;
  const candidate = stopFrom(extreme, state.spec.offset, side, state.spec.tickSize);
  // Ratchet: never loosen (the candidate can only improve, but rounding and bps make this explicit).
  const stop = state.stop === undefined || (sell ? candidate.cmp(state.stop) > 0 : candidate.cmp(state.stop) < 0) ? candidate : state.stop;
  return { state: { ...state, activated, extreme, stop } };
}

/** The stop `offset` away from `ref` on the far side for `side` (below for SELL), on the tick grid away from the market. */
export function stopFrom(ref: Price, offset: TrailingOffset, side: OrderSide, tickSize: Price): Price {
  return offsetFrom(ref, offset, side === 'SELL' ? -1 : 1, tickSize);
}

/**
 * The limit of a trailing-stop-limit once fired: `limitOffset` beyond the stop in the direction of
 * the exit (below a SELL stop, above a BUY stop), rounded onto the grid the same way.
 */
export function limitFrom(stop: Price, limitOffset: TrailingOffset, side: OrderSide, tickSize: Price): Price {
  return offsetFrom(stop, limitOffset, side === 'SELL' ? -1 : 1, tickSize);
}

function offsetFrom(ref: Price, offset: TrailingOffset, dir: -1 | 1, tickSize: Price): Price {
  const p = Math.max(ref.precision, tickSize.precision);
  const r = ref.raw * pow10(p - ref.precision);
  const tick = tickSize.raw * pow10(p - tickSize.precision);
  // The target as num / den in units of 10^-p; exact for every offset type.
  let num: bigint;
  let den = 1n;
  switch (offset.type) {
    case 'PRICE':
      num = r + BigInt(dir) * offset.price.raw * pow10(p - offset.price.precision);
      break;
    case 'TICKS':
      num = r + BigInt(dir) * offset.ticks * tick;
      break;
    case 'BASIS_POINTS':
      den = 10_000n * pow10(offset.bps.scale);
      num = r * den + BigInt(dir) * r * offset.bps.digits;
      break;
  }
  // Onto the grid away from the market: floor for a stop below (dir -1), ceil for one above.
  const step = tick * den;
  const units = dir < 0 ? floorDiv(num, step) : -floorDiv(-num, step);
  return Price.fromRaw(units * tick, p);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
