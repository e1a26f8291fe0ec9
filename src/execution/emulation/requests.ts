/** Requests the emulator takes besides plain OrderRequests, and the OrderRequest each stands for. */
import type { NumericInput } from '../../model/decimal.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import type { OrderSide, TrailingOffsetType, TriggerType } from '../../model/orders/types.ts';
import type { Price, Quantity } from '../../model/values.ts';

/** A trailing stop to hold engine-side. `limitOffset` makes it a trailing-stop-limit (same unit as the trailing offset). */
export interface TrailingStopRequest {
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly strategyId?: string;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly quantity: NumericInput | Quantity;
  readonly trailingOffset: NumericInput;
  readonly trailingOffsetType: TrailingOffsetType;
  readonly activationPrice?: NumericInput | Price;
  readonly limitOffset?: NumericInput;
  /** The price it trails: LAST (default), BID_ASK (a sell stop trails the bid, a buy stop the ask) or MID. */
  readonly triggerType?: TriggerType;
  readonly reduceOnly?: boolean;
  readonly tags?: string[];
  /**
   * The price to trail from at once (e.g. the entry). Default: the engine's latest price for the
   * instrument of the trigger type, if any; otherwise the stop starts with the first price seen.
   */
  readonly referencePrice?: NumericInput | Price;
}

/** The TRAILING_STOP_MARKET (or, with a limit offset, TRAILING_STOP_LIMIT) order a request stands for. */
export function trailingStopOrder(req: TrailingStopRequest): OrderRequest {
  return {
    clientOrderId: req.clientOrderId,
    accountId: req.accountId,
    ...(req.strategyId !== undefined ? { strategyId: req.strategyId } : {}),
    instrumentId: req.instrumentId,
    side: req.side,
    type: req.limitOffset === undefined ? 'TRAILING_STOP_MARKET' : 'TRAILING_STOP_LIMIT',
    quantity: req.quantity,
    trailingOffset: req.trailingOffset,
    trailingOffsetType: req.trailingOffsetType,
    ...(req.activationPrice !== undefined ? { activationPrice: req.activationPrice } : {}),
    ...(req.limitOffset !== undefined ? { limitOffset: req.limitOffset } : {}),
    ...(req.triggerType !== undefined ? { triggerType: req.triggerType } : {}),
    ...(req.reduceOnly !== undefined ? { reduceOnly: req.reduceOnly } : {}),
    ...(req.tags !== undefined ? { tags: req.tags } : {}),
  };
}
