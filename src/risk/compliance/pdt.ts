import { formatRaw, toRaw } from '../../model/decimal.ts';
import { Currencies } from '../../model/currency.ts';
import { deny, type Denial } from '../gate/denials.ts';
import type { PdtRule } from './config.ts';

const USD = Currencies.USD;

/** What the PDT decision looks at: the account and the order, read from the engine's state and the day-trade fold. */
export interface PdtFacts {
  readonly accountId: string;
  readonly accountType: 'CASH' | 'MARGIN';
  /** Account equity in USD minor units (cents). */
  readonly equityRaw: bigint;
  /** Whether this order would make a day trade (wouldDayTrade: it reduces a position opened today). */
  readonly dayTrade: boolean;
  /** Day trades within the window (business days ending today). */
  readonly dayTrades: number;
  /** Working orders of the account that would make a day trade too if they filled (not yet counted). */
  readonly pending: number;
  /** The window's first date, for the reason. */
  readonly windowStart: string;
  readonly what: string;
}

/**
 * PDT_RESTRICTED: a MARGIN account under the minimum equity, whose order would make one day trade
 * more than the rule allows within the window, counting its working orders that would make one
 * too (worst case: all of them fill, as the gate counts exposure). A CASH account, an account at
 * or above the minimum equity, a disabled rule, or an order that makes no day trade always pass.
 */
export function pdtDenial(rule: PdtRule, f: PdtFacts): Denial | undefined {
  if (!rule.enabled || f.accountType !== 'MARGIN' || !f.dayTrade) return undefined;
  const min = toRaw(rule.minEquity, USD.precision, 'min_equity');
  if (f.equityRaw >= min) return undefined;
  const wouldBe = f.dayTrades + f.pending + 1;
  if (wouldBe <= rule.maxDayTrades) return undefined;
  const equity = `${formatRaw(f.equityRaw, USD.precision)} USD`;
  return deny(
    'PDT_RESTRICTED',
    `pattern day trader rule: account ${f.accountId} (MARGIN, equity ${equity} under ${formatRaw(min, USD.precision)} USD) has ${f.dayTrades} day trades since ${f.windowStart} (${rule.windowDays} business days)${f.pending > 0 ? ` and ${f.pending} working orders that would make more` : ''}; ${f.what} would close a position opened today, day trade ${wouldBe} of at most ${rule.maxDayTrades}: denied`,
    {
      limit: rule.maxDayTrades,
      actual: wouldBe,
      account: f.accountId,
      day_trades: f.dayTrades,
      pending: f.pending,
      window_days: rule.windowDays,
      window_start: f.windowStart,
      equity,
      min_equity: `${formatRaw(min, USD.precision)} USD`,
    },
  );
}
