import type { Currency } from '../../model/currency.ts';
import { formatRaw } from '../../model/decimal.ts';
import type { AccountId } from '../../model/identifiers.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';

export interface ScopeEquity {
  readonly scope: RiskScope;
  readonly currency: Currency;
  /** Equity in the currency's minor units. */
  readonly raw: bigint;
}

/**
 * Equity per scope for the equity-based breakers (daily loss, drawdown, leverage, concentration).
 *
 * Currency: the one given (`currency` option of createBreakers), else each account's largest
 * balance by amount when the breaker first sees the account (1,000,000 USDT beats 10 BTC), kept
 * from then on. The firm's equity is the sum of every account's equity in the firm currency (the
 * given one, else that of the first account seen); balances and positions in other currencies are
 * not converted and do not count.
 */
export class EquityScopes {
  private readonly byAccount = new Map<AccountId, Currency>();
  private firm: Currency | undefined;

  constructor(private readonly fixed: Currency | undefined) {}

  currencyOf(view: RiskView, id: AccountId): Currency | undefined {
    if (this.fixed) return this.fixed;
    let c = this.byAccount.get(id);
    if (!c) {
      let best: { c: Currency; n: number } | undefined;
      for (const b of view.portfolio.account(id).balances()) {
        const n = b.total.toNumber();
        if (!best || n > best.n) best = { c: b.currency, n };
      }
      if (!best) return undefined;
      this.byAccount.set(id, (c = best.c));
    }
    return c;
  }

  firmCurrency(view: RiskView): Currency | undefined {
    if (this.fixed) return this.fixed;
    if (!this.firm) {
      const first = view.portfolio.allAccounts()[0];
      this.firm = first ? this.currencyOf(view, first.id) : undefined;
    }
    return this.firm;
  }

  /** Equity of every scope of this kind: the firm, or each account. */
  all(view: RiskView, kind: 'FIRM' | 'ACCOUNT' | 'STRATEGY'): ScopeEquity[] {
    const out: ScopeEquity[] = [];
    if (kind === 'FIRM') {
      const c = this.firmCurrency(view);
      if (!c) return out;
      let raw = 0n;
      for (const a of view.portfolio.allAccounts()) raw += view.portfolio.equity(a.id, c).raw;
      out.push({ scope: 'FIRM', currency: c, raw });
      return out;
    }
    for (const a of view.portfolio.allAccounts()) {
      const c = this.currencyOf(view, a.id);
      if (c) out.push({ scope: `ACCOUNT:${a.id}`, currency: c, raw: view.portfolio.equity(a.id, c).raw });
    }
    return out;
  }

  /** Whether a balance change of `account` in `currency` moves this scope's equity. */
  static covers(scope: RiskScope, currency: Currency, account: AccountId, e: ScopeEquity): boolean {
    return e.currency.code === currency.code && (scope === 'FIRM' || scope === `ACCOUNT:${account}`);
  }
}

export const money = (raw: bigint, c: Currency): string => formatRaw(raw, c.precision);

/** raw * 100 / base as a percentage (exact when representable; analytics, never the ledger). */
export const pct = (raw: bigint, base: bigint): number => (base > 0n ? (Number(raw) * 100) / Number(base) : 0);
