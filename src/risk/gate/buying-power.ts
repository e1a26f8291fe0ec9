import type { Verdict } from '../../engine/gate.ts';
import type { Currency } from '../../model/currency.ts';
import { formatRaw, pow10 } from '../../model/decimal.ts';
import type { Instrument, Rate } from '../../model/instrument.ts';
import type { AccountId } from '../../model/identifiers.ts';
import type { AccountType } from '../../portfolio/account.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { deny } from './denials.ts';
import type { OrderFacts } from './facts.ts';
import { mark2 } from './reference.ts';
import type { Stake } from './working.ts';

/** ceil(a × rate) for a ≥ 0. */
function times(a: bigint, r: Rate): bigint {
  if (r.digits <= 0n || a <= 0n) return 0n;
  const d = pow10(r.scale);
  return (a * r.digits + d - 1n) / d;
}

/** What an order needs free in one currency: reused by the checks, never kept. */
export interface Need {
  currency: Currency;
  raw: bigint;
  what: string;
}

/** Free balance an order list's earlier orders hold back before they are live (list-overlay.ts). */
export interface PendingLocks {
  locked(accountId: string, currency: string): bigint;
}

/** Reused by every check (no allocation); `currency` is set before it is read. */
const NEED: Need = { currency: undefined as unknown as Currency, raw: 0n, what: '' };

/**
 * Buying power against the account's free balance, which already holds back what every other
 * working order locks (see Account.updateLock): a CASH buy needs its notional plus the taker fee
 * in the settlement currency, a CASH spot sell its base quantity, a MARGIN order its initial
 * margin plus the taker fee (nothing when it only lowers the position). Market orders are priced
 * at the reference price. A modify needs only what it adds to the order's present lock.
 * A CASH sell of a non-spot instrument is not checked here (no short selling model yet).
 * The portfolio locks nothing for a working order without a price, so what those need is taken
 * from the free balance here (`priceless`, see pricelessNeed). `pending` is what the earlier
 * orders of a list being checked will lock.
 */
export function checkBuyingPower(f: OrderFacts, ref2: bigint, view: RiskView, reduces: boolean, priceless: ReadonlySet<Stake>, pending?: PendingLocks): Verdict | undefined {
  const account = view.portfolio.account(f.accountId as AccountId);
  if (account.type === 'MARGIN' && reduces) return undefined;
  if (!needOf(f, ref2, account.type, NEED)) return undefined;
  const c = NEED.currency;
  let free = account.freeRaw(c) - (pending === undefined ? 0n : pending.locked(f.accountId, c.code));
  if (priceless.size > 0) free -= pricelessNeed(priceless, c.code, account.type, view);
  if (NEED.raw <= free) return undefined;
  return short(f, NEED.raw, free, c, NEED.what);
}

/**
 * Fills `out` with what the order needs free (see checkBuyingPower), whether or not it lowers a
 * position: the portfolio locks that much for it once it is live. False when it needs nothing.
 */
export function needOf(f: OrderFacts, ref2: bigint, type: AccountType, out: Need): boolean {
  const inst = f.inst;
  if (type === 'CASH' && f.side === 'SELL') {
    if (inst.kind !== 'SPOT' || inst.base === undefined || f.add <= 0n) return false;
    out.currency = inst.base;
    out.raw = f.add * f.rules.toBase;
    out.what = 'base quantity';
    return true;
  }
  const p2 = f.px !== undefined ? 2n * f.px : f.trig !== undefined ? 2n * f.trig : ref2;
  const new2 = f.leaves * p2 * f.stake.factor;
  // An order without a price is already counted at the reference price (pricelessNeed).
  const old2 = f.oldLeaves * (f.oldLockPx === undefined ? ref2 : 2n * f.oldLockPx) * f.stake.factor;
  const delta2 = new2 - old2;
  if (delta2 <= 0n) return false;
  out.currency = inst.settlement;
  out.raw = costOf(delta2, inst, type);
  out.what = type === 'CASH' ? 'notional plus taker fee' : 'initial margin plus taker fee';
  return true;
}

/**
 * What an account's working orders without a price (market orders) need in currency `ccy`, each
 * stake's at its mark (the reference price, else its last fill) with the same cost as a new
 * order's (costOf): the buys of a CASH account, both sides of a MARGIN account. A CASH sell is
 * left out because the portfolio locks its base quantity already. Valued at check time from
 * quantities the gate folds from events, so the figure is the same after a replay, moves with the
 * price, and shrinks as fills arrive (they move the cash instead) or the order closes.
 * O(instruments with such orders in the account).
 */
export function pricelessNeed(stakes: ReadonlySet<Stake>, ccy: string, type: AccountType, view: RiskView): bigint {
  let sum = 0n;
  for (const s of stakes) {
    if (s.currency !== ccy) continue;
    const lots = type === 'CASH' ? s.pricelessBuy : s.pricelessBuy + s.pricelessSell;
    if (lots === 0n) continue;
    const m2 = mark2(view.portfolio.quote(s.instrument.id), s.instrument, s.lastPx2);
    sum += costOf(lots * m2 * s.factor, s.instrument, type);
  }
  return sum;
}

/** What a notional (doubled minor units, rounded up) needs free: all of it (CASH) or its initial margin (MARGIN), plus the taker fee. */
function costOf(notional2: bigint, inst: Instrument, type: AccountType): bigint {
  if (notional2 <= 0n) return 0n;
  const notional = (notional2 + 1n) / 2n;
  const fee = times(notional, inst.takerFee);
  return (type === 'CASH' ? notional : times(notional, inst.marginInit)) + fee;
}

function short(f: OrderFacts, required: bigint, free: bigint, c: Currency, what: string): Verdict {
  const req = `${formatRaw(required, c.precision)} ${c.code}`;
  const have = `${formatRaw(free, c.precision)} ${c.code}`;
  return deny('INSUFFICIENT_BUYING_POWER', `${f.where()}: needs ${req} (${what}), account ${f.accountId} has ${have} free`, {
    limit: have, actual: req, currency: c.code, account: f.accountId,
  });
}
