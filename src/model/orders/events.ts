import type { DenialCode } from '../denial-codes.ts';
import type { ErrorContext } from '../errors.ts';
import type { AccountId, ClientOrderId, InstrumentId, PositionId, StrategyId, TradeId, VenueOrderId } from '../identifiers.ts';
import type { Money } from '../money.ts';
import type { Price, Quantity } from '../values.ts';
import type { LiquiditySide, OrderSide, OrderSpec } from './types.ts';

/**
 * Every order event has the order's client id, the time it happened (`tsEvent`, venue or engine
 * time) and the time the engine recorded it (`tsInit`), both epoch milliseconds.
 */
interface Base<K extends string> {
  readonly kind: K;
  readonly clientOrderId: ClientOrderId;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** `origin`: who sent the order (originText of src/engine/origin.ts); absent in journals written before origins were kept. */
export type OrderInitialized = Base<'OrderInitialized'> & { readonly spec: OrderSpec; readonly origin?: string };
export type OrderDenied = Base<'OrderDenied'> & { readonly code: DenialCode; readonly reason: string; readonly context: ErrorContext };
export type OrderSubmitted = Base<'OrderSubmitted'>;
export type OrderAccepted = Base<'OrderAccepted'> & { readonly venueOrderId: VenueOrderId };
export type OrderRejected = Base<'OrderRejected'> & { readonly reason: string };
export type OrderTriggered = Base<'OrderTriggered'>;
export type OrderPendingUpdate = Base<'OrderPendingUpdate'>;
export type OrderUpdated = Base<'OrderUpdated'> & {
  readonly quantity: Quantity | undefined;
  readonly price: Price | undefined;
  readonly triggerPrice: Price | undefined;
  readonly venueOrderId: VenueOrderId | undefined;
};
export type OrderModifyRejected = Base<'OrderModifyRejected'> & { readonly reason: string };
export type OrderPendingCancel = Base<'OrderPendingCancel'>;
export type OrderCancelRejected = Base<'OrderCancelRejected'> & { readonly reason: string };
export type OrderCanceled = Base<'OrderCanceled'>;
/**
 * A submit or modify whose outcome we cannot know yet (the call timed out, the connection broke,
 * the venue answered 5xx), or any working order while its venue's connection is down
 * (`CONNECTION`: its reports may be lost): the order may or may not be at the venue, changed or
 * filled. It stays so until a query (or a late report, or reconciliation) settles it; it is never
 * resent blindly.
 */
export type OrderStatusUnknown = Base<'OrderStatusUnknown'> & { readonly request: 'SUBMIT' | 'MODIFY' | 'CONNECTION'; readonly reason: string };
export type OrderExpired = Base<'OrderExpired'>;
/** Carries what the portfolio needs, so positions are a fold over fills alone. */
export type OrderFilled = Base<'OrderFilled'> & {
  readonly tradeId: TradeId;
  readonly venueOrderId: VenueOrderId | undefined;
  readonly accountId: AccountId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly positionId: PositionId;
  readonly side: OrderSide;
  readonly lastQty: Quantity;
  readonly lastPx: Price;
  readonly commission: Money;
  readonly liquidity: LiquiditySide;
};

/**
 * The venue canceled (busted) a trade it had reported, after the fact (FAULTS 19): the fill is
 * reversed exactly — filled quantity, fill cost, position, balances and its commission. It carries
 * the busted fill's terms so the books can be unwound without the fill at hand. A correction is a
 * bust followed by a new fill with its own trade id.
 */
export type OrderFillBusted = Omit<OrderFilled, 'kind' | 'venueOrderId' | 'liquidity'> & { readonly kind: 'OrderFillBusted'; readonly reason: string };

export type OrderEvent =
  | OrderInitialized
  | OrderDenied
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderTriggered
  | OrderPendingUpdate
  | OrderUpdated
  | OrderModifyRejected
  | OrderPendingCancel
  | OrderCancelRejected
  | OrderCanceled
  | OrderStatusUnknown
  | OrderExpired
  | OrderFilled
  | OrderFillBusted;

export type OrderEventKind = OrderEvent['kind'];

export const ORDER_EVENT_KINDS = [
  'OrderInitialized',
  'OrderDenied',
  'OrderSubmitted',
  'OrderAccepted',
  'OrderRejected',
  'OrderTriggered',
  'OrderPendingUpdate',
  'OrderUpdated',
  'OrderModifyRejected',
  'OrderPendingCancel',
  'OrderCancelRejected',
  'OrderCanceled',
  'OrderStatusUnknown',
  'OrderExpired',
  'OrderFilled',
  'OrderFillBusted',
] as const satisfies readonly OrderEventKind[];
