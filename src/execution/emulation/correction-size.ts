import type { AccountId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import type { Portfolio } from '../../portfolio/portfolio.ts';
import { nettingPositionId } from '../../portfolio/position-id.ts';
import { sellableQuantity } from '../../portfolio/sellable.ts';
import { CONTINGENT_TAGS } from './contingent.ts';

/**
 * A correction that reverses an unwanted buy (an OCO leg or OUO excess filled anyway) sells no
 * more than the account holds: with the buy's fee taken in coins the account received less than
 * it bought, and a venue refuses a sell of coins not held (sellable.ts, as the kill switch's
 * flatten). Any other order is returned as it is. `sized` is what is sent (undefined: nothing can
 * be sold), `reduced` whether that is less than asked.
 */
export function correctionWithinHoldings(order: OrderRequest, portfolio: Portfolio, inst: Instrument): { sized: OrderRequest | undefined; reduced: boolean } {
  if (order.side !== 'SELL' || !order.tags?.includes(CONTINGENT_TAGS.correction)) return { sized: order, reduced: false };
  const account = portfolio.account(order.accountId as AccountId);
  const wanted = inst.quantity(order.quantity);
  const base = inst.base;
  const p = account.positionMode === 'NETTING' ? portfolio.position(nettingPositionId(account.id, inst.id, order.strategyId ?? 'default')) : undefined;
  const paysInBase = base !== undefined && p !== undefined && p.commissions.get(base).raw > 0n;
  const qty = sellableQuantity(account, inst, wanted, paysInBase ? inst.takerFee : undefined);
  if (qty.eq(wanted)) return { sized: order, reduced: false };
  return { sized: qty.isZero() ? undefined : { ...order, quantity: qty }, reduced: true };
}
