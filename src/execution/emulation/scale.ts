/**
 * Scale in / scale out as a pure function: one total quantity split into `count` LIMIT orders
 * stepped `priceStep` apart. Exact: quantities are whole lots and sum to the total; prices are on
 * the tick grid.
 *
 * - Prices: a BUY steps down from `startPrice` (start, start − step, ...), a SELL steps up
 *   (start, start + step, ...): each next order is further from the market.
 * - Quantities: the total's lots divided by `count`; a remainder of r lots goes one lot each to
 *   the first r orders (those nearest the start price), so the sum is exactly the total.
 * - Scale out is the same with `reduceOnly`: take-profit LIMITs over a position.
 * Every order must be on the grid, positive and at least the instrument minimum; otherwise a
 * ValidationError naming the request field, and nothing is built.
 */
import type { NumericInput } from '../../model/decimal.ts';
import { ValidationError } from '../../model/errors.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import type { OrderSide } from '../../model/orders/types.ts';
import { Price, Quantity } from '../../model/values.ts';
import { largestRemainder } from '../../model/apportion.ts';

export interface ScaleRequest {
  /** Names the orders: `<id>-1` (at the start price) to `<id>-<count>`; also the order list id. */
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly strategyId?: string;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly totalQuantity: NumericInput | Quantity;
  readonly count: number;
  readonly startPrice: NumericInput | Price;
  readonly priceStep: NumericInput | Price;
  /** Scale out of a position: every order reduce-only. */
  readonly reduceOnly?: boolean;
  readonly tags?: string[];
}

export function scaleOrders(req: ScaleRequest, instrument: Instrument): OrderRequest[] {
  const { count } = req;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new ValidationError('INVALID_FIELD', `count must be a whole number of orders, at least 1, got ${String(count)}`, { field: 'count', input: String(count) });
  }
  const total = instrument.quantity(req.totalQuantity, 'totalQuantity');
  const start = instrument.orderPrice(req.startPrice, 'startPrice');
  const step = instrument.price(req.priceStep, 'priceStep');
  if (step.raw <= 0n) throw new ValidationError('NON_POSITIVE_PRICE', `priceStep must be positive, got ${step.toString()}`, { field: 'priceStep', input: step.toString() });

  const n = BigInt(count);
  // Equal shares of the lots, the remainder one lot each to the first orders.
  const shares = largestRemainder(total.raw / instrument.lotSize.raw, new Array<bigint>(count).fill(1n));
  // The smallest order is the last share: if it is not tradable, none of the split is.
  const base = shares[count - 1]!;
  const smallest = Quantity.fromRaw(base * instrument.lotSize.raw, total.precision);
  const min = instrument.minQuantity;
  if (base === 0n || (min !== undefined && smallest.cmp(min) < 0)) {
    throw new ValidationError('QUANTITY_BELOW_MIN', `totalQuantity ${total.toString()} in ${count} orders gives ${smallest.toString()}, below the minimum`, {
      field: 'totalQuantity',
      input: total.toString(),
      limit: (min ?? instrument.lotSize).toString(),
    });
  }
  const dir = req.side === 'BUY' ? -1n : 1n;
  const furthest = Price.fromRaw(start.raw + dir * (n - 1n) * step.raw, start.precision);
  if (!instrument.allowNonPositivePrice && furthest.raw <= 0n) {
    throw new ValidationError('NON_POSITIVE_PRICE', `priceStep ${step.toString()} takes order ${count} to ${furthest.toString()}, not positive`, {
      field: 'priceStep',
      input: step.toString(),
    });
  }

  const orders: OrderRequest[] = [];
  for (let i = 0n; i < n; i++) {
    const q = Quantity.fromRaw(shares[Number(i)]! * instrument.lotSize.raw, total.precision);
    const price = Price.fromRaw(start.raw + dir * i * step.raw, start.precision);
    orders.push({
      clientOrderId: `${req.clientOrderId}-${(i + 1n).toString()}`,
      accountId: req.accountId,
      ...(req.strategyId !== undefined ? { strategyId: req.strategyId } : {}),
      instrumentId: instrument.id,
      side: req.side,
      type: 'LIMIT',
      quantity: q,
      price,
      ...(req.reduceOnly !== undefined ? { reduceOnly: req.reduceOnly } : {}),
      tags: [...(req.tags ?? []), 'scale'],
    });
  }
  return orders;
}
