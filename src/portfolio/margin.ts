import type { Currency } from '../model/currency.ts';
import { roundRaw } from '../model/decimal.ts';
import type { AccountId } from '../model/identifiers.ts';
import { Money } from '../model/money.ts';
import type { Price } from '../model/values.ts';
import type { Portfolio } from './portfolio.ts';
import type { Position } from './position.ts';

/** A MARGIN account's margin in one settlement currency, exact. */
export interface MarginFigure {
  readonly currency: Currency;
  /** Initial margin of the open positions at their marks. */
  readonly positions: Money;
  /** Initial margin the working orders hold back (the account's locked balance). */
  readonly orders: Money;
  /** positions + orders. */
  readonly used: Money;
  /** Equity (cash plus unrealized PnL) less what is used; below zero when the positions need more than the equity. */
  readonly available: Money;
}

/** A position's initial margin at `mark`: |quantity × mark × multiplier| × the instrument's initial margin rate, rounded up to the currency's minor unit. */
export function positionMargin(p: Position, mark: Price): bigint {
  const inst = p.instrument;
  const qty = p.signedQtyRaw < 0n ? -p.signedQtyRaw : p.signedQtyRaw;
  const exact = qty * mark.raw * inst.multiplier.digits * inst.marginInit.digits;
  const scale = inst.sizePrecision + mark.precision + inst.multiplier.scale + inst.marginInit.scale;
  return roundRaw(exact, scale, inst.settlement.precision, 'UP');
}

/**
 * A MARGIN account's margin used and available in each currency it holds or settles positions in
 * (undefined for a CASH account: it has no margin, it pays the notional). Used is the initial
 * margin of its open positions at their marks plus the initial margin its working orders lock;
 * available is its equity in that currency less the used margin. A position without a mark is
 * left out, as equity leaves it out.
 */
export function marginOf(portfolio: Portfolio, accountId: AccountId): MarginFigure[] | undefined {
  const account = portfolio.account(accountId);
  if (account.type !== 'MARGIN') return undefined;
  const currencies = new Map<string, Currency>(account.balances().map((b) => [b.currency.code, b.currency]));
  const held = new Map<string, bigint>();
  for (const p of portfolio.openPositions()) {
    if (p.accountId !== accountId) continue;
    const c = p.instrument.settlement;
    currencies.set(c.code, c);
    const mark = portfolio.markFor(p);
    if (mark) held.set(c.code, (held.get(c.code) ?? 0n) + positionMargin(p, mark));
  }
  return [...currencies.values()].map((c) => {
    const positions = held.get(c.code) ?? 0n;
    const orders = account.balance(c).locked.raw;
    const used = positions + orders;
    return {
      currency: c,
      positions: Money.fromRaw(positions, c),
      orders: Money.fromRaw(orders, c),
      used: Money.fromRaw(used, c),
      available: Money.fromRaw(portfolio.equityRaw(accountId, c) - used, c),
    };
  });
}
