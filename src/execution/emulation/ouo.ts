/**
 * One-updates-the-other as a pure decision over plain data. Two legs close one position (a
 * bracket's take-profit and stop-loss, or any two orders given to submitOuo): a fill of one takes
 * the same quantity off the other; once one is done, the other is canceled.
 *
 * Exactly (in raw lots; both legs on one instrument):
 * - leg i may still close `original[i] - counted[0] - counted[1]`: its own quantity less what
 *   both legs have already closed;
 * - a fill of leg i counts up to that; the rest is excess (the venue filled it before a shrink or
 *   cancel arrived, e.g. both legs in one bar) and the caller reverses it;
 * - after a counted fill, leg i that can close nothing more is done and the other is canceled;
 *   otherwise the other is shrunk to `original[other] - counted[i]`, or canceled when that would
 *   not exceed what it has filled already (a modify must stay above the filled quantity);
 * - a leg canceled, expired or rejected stops; the other goes on alone.
 */
import { Quantity } from '../../model/values.ts';

export interface OuoGroup {
  readonly legs: readonly [string, string];
  /** Each leg's quantity when placed. */
  readonly original: readonly [bigint, bigint];
  /** Fills that counted towards closing the position. */
  readonly counted: readonly [bigint, bigint];
  /** Every fill the venue reported, counted or not. */
  readonly filled: readonly [bigint, bigint];
  /** Legs that may not fill any more: done, ended, or canceled by the group. */
  readonly stopped: readonly [boolean, boolean];
  readonly precision: number;
}

export type OuoOtherAction = { readonly do: 'modify'; readonly clientOrderId: string; readonly quantity: Quantity } | { readonly do: 'cancel'; readonly clientOrderId: string };

export interface OuoFillDecision {
  readonly group: OuoGroup;
  /** What of the fill must be reversed (zero when it all counted). */
  readonly excess: Quantity;
  readonly other: OuoOtherAction | undefined;
}

export function newOuoGroup(a: string, b: string, qa: Quantity, qb: Quantity): OuoGroup {
  const p = Math.max(qa.precision, qb.precision);
  return { legs: [a, b], original: [Quantity.of(qa, p).raw, Quantity.of(qb, p).raw], counted: [0n, 0n], filled: [0n, 0n], stopped: [false, false], precision: p };
}

export function legOf(g: OuoGroup, clientOrderId: string): 0 | 1 | undefined {
  return g.legs[0] === clientOrderId ? 0 : g.legs[1] === clientOrderId ? 1 : undefined;
}

/** What a leg may still close: its own quantity less what both legs have closed (never negative). */
export function ouoRemaining(g: OuoGroup, leg: 0 | 1): bigint {
  const r = g.original[leg] - g.counted[0] - g.counted[1];
  return g.stopped[leg] || r < 0n ? 0n : r;
}

export function ouoOnFill(g: OuoGroup, leg: 0 | 1, qty: Quantity): OuoFillDecision {
  const o: 0 | 1 = leg === 0 ? 1 : 0;
  const q = Quantity.of(qty, g.precision).raw;
  const take = q < ouoRemaining(g, leg) ? q : ouoRemaining(g, leg);
  const counted = pair(g.counted, leg, g.counted[leg] + take);
  const filled = pair(g.filled, leg, g.filled[leg] + q);
  let stopped = g.stopped;
  let other: OuoOtherAction | undefined;
  const mine = g.original[leg] - counted[0] - counted[1];
  if (take > 0n && mine <= 0n) {
    stopped = pair(stopped, leg, true);
    if (!stopped[o]) {
      stopped = pair(stopped, o, true);
      other = { do: 'cancel', clientOrderId: g.legs[o] };
    }
  } else if (take > 0n && !stopped[o]) {
    const shrunk = g.original[o] - counted[leg];
    if (shrunk <= filled[o]) {
      stopped = pair(stopped, o, true);
      other = { do: 'cancel', clientOrderId: g.legs[o] };
    } else {
      other = { do: 'modify', clientOrderId: g.legs[o], quantity: Quantity.fromRaw(shrunk, g.precision) };
    }
  }
  return { group: { ...g, counted, filled, stopped }, excess: Quantity.fromRaw(q - take, g.precision), other };
}

/** A leg canceled, expired or rejected: it closes nothing more. */
export function ouoLegEnded(g: OuoGroup, leg: 0 | 1): OuoGroup {
  return { ...g, stopped: pair(g.stopped, leg, true) };
}

function pair<T>(p: readonly [T, T], i: 0 | 1, v: T): readonly [T, T] {
  return i === 0 ? [v, p[1]] : [p[0], v];
}
