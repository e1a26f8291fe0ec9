/**
 * The exposure checks' usual answer without bigint arithmetic. Every bigint operation allocates,
 * and on the gate's path (every order) that garbage is what the young-generation collector stops
 * the gate for: the p99.9 tail. Here the same figures are worked out in doubles, each with a bound
 * on its rounding error, and the answer is only ever "surely within every limit" (true) or "ask
 * the exact path" (false). A figure within MARGIN of a limit, or one not modelled here (a MARGIN
 * account's equity, a price finer than the instrument's grid, more than MAX_TERMS terms), goes to
 * checkExposure's bigint path, which alone denies and words a denial: this path can only skip
 * work, never change a verdict (test/risk/gate/exposure-fast.test.ts compares both).
 *
 * Error bound: a figure is a sum of at most MAX_TERMS products of at most three converted bigints.
 * Each conversion and each operation rounds by at most 2^-53 of its result, so the error of a
 * figure is at most about (8 + terms) × 2^-53 × the sum of its terms' magnitudes (`g` below),
 * under 1.2e-10 × g: MARGIN (1e-9) covers it several times over.
 */
import type { Currency } from '../../model/currency.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { AccountId } from '../../model/identifiers.ts';
import type { Price } from '../../model/values.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import type { MarketQuote } from '../../portfolio/portfolio.ts';
import type { OrderFacts } from './facts.ts';
import type { AccountRules, FirmRules } from './limits.ts';
import type { Stake, WorkingSet } from './working.ts';

const MARGIN = 1e-9;
const MAX_TERMS = 1_000_000;
const PCT_MICRO = 100_000_000;
const MICRO = 1_000_000;

/** Worst-case sums of a set of stakes (exposure.ts's ExposureSums), each with the sum of its terms' magnitudes. */
interface Sums {
  gross2: number;
  up2: number;
  dn2: number;
  /** Σ|terms| of gross2, up2 and dn2: the scale of each one's rounding error. */
  grossG: number;
  upG: number;
  dnG: number;
}
const sums: Sums = { gross2: 0, up2: 0, dn2: 0, grossG: 0, upG: 0, dnG: 0 };
const term: Sums = { gross2: 0, up2: 0, dn2: 0, grossG: 0, upG: 0, dnG: 0 };
const own: Sums = { gross2: 0, up2: 0, dn2: 0, grossG: 0, upG: 0, dnG: 0 };

/**
 * One stake's worst-case gross and net figures and their terms' magnitudes, into `out`: its
 * position, working buys and sells, and its doubled mark × contract factor `m`.
 */
function stakeTerms(out: Sums, position: number, buy: number, sell: number, m: number): Sums {
  const up = position + buy;
  const dn = position - sell;
  const held = Math.abs(position);
  const am = Math.abs(m);
  out.gross2 = Math.max(Math.abs(up), Math.abs(dn)) * m;
  out.up2 = up * m;
  out.dn2 = dn * m;
  out.grossG = Math.max(held + buy, held + sell) * am;
  out.upG = (held + buy) * am;
  out.dnG = (held + sell) * am;
  return out;
}

/** A price's raw units at the instrument's precision; NaN for a finer one (the exact path rounds it). */
function rawOf(px: Price, inst: Instrument): number {
  return px.precision === inst.pricePrecision ? Number(px.raw) : Number.NaN;
}

/** mark2 of reference.ts in doubles (NaN where the exact path would round). */
function mark2(q: MarketQuote | undefined, inst: Instrument, fallback2: bigint): number {
  if (q === undefined) return Number(fallback2);
  if (q.last !== undefined) return 2 * rawOf(q.last, inst);
  if (q.bid !== undefined && q.ask !== undefined) return rawOf(q.bid, inst) + rawOf(q.ask, inst);
  return Number(fallback2);
}

/** sumStakes of exposure.ts in doubles; NaN sums past MAX_TERMS stakes. */
function sumStakes(stakes: ReadonlySet<Stake>, ccy: string, skip: Stake, view: RiskView): Sums {
  let gross2 = stakes.size > MAX_TERMS ? Number.NaN : 0;
  let up2 = 0;
  let dn2 = 0;
  let grossG = 0;
  let upG = 0;
  let dnG = 0;
  for (const s of stakes) {
    if (s === skip || s.currency !== ccy) continue;
    const m = mark2(view.portfolio.quote(s.instrument.id), s.instrument, s.lastPx2) * Number(s.factor);
    const t = stakeTerms(term, Number(s.position), Number(s.workBuy), Number(s.workSell), m);
    gross2 += t.gross2;
    up2 += t.up2;
    dn2 += t.dn2;
    grossG += t.grossG;
    upG += t.upG;
    dnG += t.dnG;
  }
  sums.gross2 = gross2;
  sums.grossG = grossG;
  sums.up2 = up2;
  sums.dn2 = dn2;
  sums.upG = upG;
  sums.dnG = dnG;
  return sums;
}

/** Whether a figure `v` (terms' magnitudes summing to `g`) is surely at most `limit`. */
function surelyAtMost(v: number, g: number, limit: bigint): boolean {
  const l = Number(limit);
  return v + MARGIN * g <= l - MARGIN * Math.abs(l);
}

/** Whether both worst-case net extremes, the stakes' `a` plus the order's own `o`, are surely within `limit`. */
function netSurelyWithin(a: Sums, o: Sums, limit: bigint): boolean {
  return surelyAtMost(Math.abs(a.up2 + o.up2), a.upG + o.upG, limit) && surelyAtMost(Math.abs(a.dn2 + o.dn2), a.dnG + o.dnG, limit);
}

/**
 * True when the order surely stays within every exposure limit of its account and the firm
 * (exactExposure would return undefined); false: ask the exact path.
 */
export function surelyWithinExposure(f: OrderFacts, ref2: bigint, view: RiskView, acct: AccountRules, firm: FirmRules, working: WorkingSet, needAccount: boolean, needFirm: boolean): boolean {
  const c = f.inst.settlement;
  const s = f.stake;
  const added = Number(f.add);
  const buy = Number(s.workBuy) + (f.side === 'BUY' ? added : 0);
  const sell = Number(s.workSell) + (f.side === 'SELL' ? added : 0);
  // The order's own stake after it: worst-case gross and net extremes, and their terms' magnitudes.
  const o = stakeTerms(own, Number(s.position), buy, sell, Number(ref2) * Number(s.factor));
  const ownAfter = o.gross2;
  const ownG = o.grossG;
  // NaN anywhere fails every comparison below: the exact path decides.
  if (needAccount) {
    const stakes = working.account(f.accountId).stakes;
    const a = sumStakes(stakes, c.code, s, view);
    const grossAfter = a.gross2 + ownAfter;
    const grossG = a.grossG + ownG;
    if (acct.maxGross2 !== undefined && !surelyAtMost(grossAfter, grossG, acct.maxGross2)) return false;
    if (acct.maxNet2 !== undefined && !netSurelyWithin(a, o, acct.maxNet2)) return false;
    if (acct.concentrationMicro !== undefined || acct.leverageMicro !== undefined) {
      const eq = equity2(view, f.accountId, c, stakes);
      // The least the equity can be; a ratio limit is surely kept when even the largest figure over it is within.
      const low = eq.v - MARGIN * eq.g;
      if (!(low > 0)) return false;
      const concentration = acct.concentrationMicro;
      if (concentration !== undefined && !((ownAfter + MARGIN * ownG) * PCT_MICRO * (1 + MARGIN) <= low * Number(concentration) * (1 - MARGIN))) return false;
      const leverage = acct.leverageMicro;
      if (leverage !== undefined && !((grossAfter + MARGIN * grossG) * MICRO * (1 + MARGIN) <= low * Number(leverage) * (1 - MARGIN))) return false;
    }
  }
  if (needFirm) {
    const a = sumStakes(working.active, c.code, s, view);
    if (firm.maxGross2 !== undefined && !surelyAtMost(a.gross2 + ownAfter, a.grossG + ownG, firm.maxGross2)) return false;
    if (firm.maxNet2 !== undefined && !netSurelyWithin(a, o, firm.maxNet2)) return false;
  }
  return true;
}

const equityOut = { v: 0, g: 0 };

/** A CASH account's equity in `c`, doubled minor units, with its terms' magnitudes (equity2 of exposure.ts); NaN for a MARGIN account. */
function equity2(view: RiskView, accountId: string, c: Currency, stakes: ReadonlySet<Stake>): { v: number; g: number } {
  const a = view.portfolio.account(accountId as AccountId);
  let v = Number.NaN;
  let g = 0;
  if (a.type !== 'MARGIN' && stakes.size <= MAX_TERMS) {
    v = 2 * Number(a.totalRaw(c));
    g = Math.abs(v);
    for (const s of stakes) {
      if (s.currency !== c.code || s.position === 0n) continue;
      const t = Number(s.position) * mark2(view.portfolio.quote(s.instrument.id), s.instrument, s.lastPx2) * Number(s.factor);
      v += t;
      g += Math.abs(t);
    }
  }
  equityOut.v = v;
  equityOut.g = g;
  return equityOut;
}
