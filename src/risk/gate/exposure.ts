import type { Currency } from '../../model/currency.ts';
import type { AccountId } from '../../model/identifiers.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { mark2 } from './reference.ts';
import type { Stake } from './working.ts';

/**
 * Worst-case exposure sums in doubled minor units of one settlement currency (doubled because
 * reference prices are kept doubled, see reference.ts). For each stake the worst case is every
 * working buy filled (`up` = position + working buys) or every working sell filled (`dn` =
 * position − working sells); gross adds the larger magnitude, net keeps both extremes.
 */
export interface ExposureSums {
  gross2: bigint;
  up2: bigint;
  dn2: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** Worst-case gross value (doubled minor units) of a stake whose extremes are `up`, `dn`, at mark `m` (m2 × factor). */
export function grossAt(up: bigint, dn: bigint, m: bigint): bigint {
  return max(abs(up), abs(dn)) * m;
}

/** Sums the stakes in currency `ccy` except `skip`, each at its mark (reference, else last fill). */
export function sumStakes(stakes: Iterable<Stake>, ccy: string, skip: Stake, view: RiskView, out: ExposureSums): ExposureSums {
  out.gross2 = 0n;
  out.up2 = 0n;
  out.dn2 = 0n;
  for (const s of stakes) {
    if (s === skip || s.currency !== ccy) continue;
    // The factor once: each bigint product allocates, and this runs per stake on every order.
    const m = mark2(view.portfolio.quote(s.instrument.id), s.instrument, s.lastPx2) * s.factor;
    const up = s.position + s.workBuy;
    const dn = s.position - s.workSell;
    out.gross2 += grossAt(up, dn, m);
    out.up2 += up * m;
    out.dn2 += dn * m;
  }
  return out;
}

/** The worse of the two net extremes, as a magnitude. */
export function worstNet(up2: bigint, dn2: bigint): bigint {
  return max(abs(up2), abs(dn2));
}

/**
 * Account equity in `c`, doubled minor units. A CASH account: cash plus its positions at their
 * marks, from the gate's own stakes (O(instruments held)). A MARGIN account: the portfolio's
 * equity (cash plus unrealized PnL, which needs each position's cost).
 */
export function equity2(view: RiskView, accountId: string, c: Currency, stakes: Iterable<Stake>): bigint {
  const a = view.portfolio.account(accountId as AccountId);
  if (a.type === 'MARGIN') return 2n * view.portfolio.equity(a.id, c).raw;
  let e = 2n * a.totalRaw(c);
  for (const s of stakes) {
    if (s.currency !== c.code || s.position === 0n) continue;
    e += s.position * mark2(view.portfolio.quote(s.instrument.id), s.instrument, s.lastPx2) * s.factor;
  }
  return e;
}
