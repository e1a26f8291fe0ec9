import type { AccountId, ClientOrderId, InstrumentId, OrderListId, PositionId, StrategyId } from '../identifiers.ts';
import type { Rate } from '../instrument.ts';
import type { Price, Quantity } from '../values.ts';

export const ORDER_SIDES = ['BUY', 'SELL'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const ORDER_TYPES = [
  'MARKET',
  'LIMIT',
  'STOP_MARKET',
  'STOP_LIMIT',
  'MARKET_IF_TOUCHED',
  'LIMIT_IF_TOUCHED',
  'TRAILING_STOP_MARKET',
  'TRAILING_STOP_LIMIT',
] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY', 'GTD'] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

/** Which price a stop or if-touched order watches. */
export const TRIGGER_TYPES = ['DEFAULT', 'LAST', 'BID_ASK', 'MID', 'MARK'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const TRAILING_OFFSET_TYPES = ['PRICE', 'BASIS_POINTS', 'TICKS'] as const;
export type TrailingOffsetType = (typeof TRAILING_OFFSET_TYPES)[number];

export const CONTINGENCY_TYPES = ['NONE', 'OCO', 'OTO', 'OUO'] as const;
export type ContingencyType = (typeof CONTINGENCY_TYPES)[number];

export type LiquiditySide = 'MAKER' | 'TAKER';

export type TrailingOffset =
  | { readonly type: 'PRICE'; readonly price: Price }
  | { readonly type: 'BASIS_POINTS'; readonly bps: Rate }
  | { readonly type: 'TICKS'; readonly ticks: bigint };

interface OrderSpecCommon {
  readonly clientOrderId: ClientOrderId;
  readonly accountId: AccountId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly timeInForce: TimeInForce;
  /** Epoch milliseconds; set exactly when timeInForce is GTD. */
  readonly expireTime: number | undefined;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  /** Iceberg: the quantity shown on the book. */
  readonly displayQuantity: Quantity | undefined;
  /** Hedging mode: the position this order closes or adds to. */
  readonly positionId: PositionId | undefined;
  readonly orderListId: OrderListId | undefined;
  readonly contingency: ContingencyType;
  readonly linkedOrderIds: readonly ClientOrderId[];
  readonly parentOrderId: ClientOrderId | undefined;
  readonly tags: readonly string[];
  /**
   * Trade in the calendar's extended hours (pre-market, after-hours) where the venue allows them
   * (its `extended_hours`): true, or absent (regular hours only). Absent rather than false, so a
   * journaled spec without the flag reads and writes exactly as before the flag existed.
   */
  readonly extendedHours?: true | undefined;
}

/** A validated, immutable order definition. Each type carries exactly the prices it needs. */
export type OrderSpec = OrderSpecCommon &
  (
    | { readonly type: 'MARKET' }
    | { readonly type: 'LIMIT'; readonly price: Price }
    | { readonly type: 'STOP_MARKET'; readonly triggerPrice: Price; readonly triggerType: TriggerType }
    | { readonly type: 'STOP_LIMIT'; readonly price: Price; readonly triggerPrice: Price; readonly triggerType: TriggerType }
    | { readonly type: 'MARKET_IF_TOUCHED'; readonly triggerPrice: Price; readonly triggerType: TriggerType }
    | { readonly type: 'LIMIT_IF_TOUCHED'; readonly price: Price; readonly triggerPrice: Price; readonly triggerType: TriggerType }
    | {
        readonly type: 'TRAILING_STOP_MARKET';
        readonly trailingOffset: TrailingOffset;
        readonly activationPrice: Price | undefined;
        readonly triggerPrice: Price | undefined;
        readonly triggerType: TriggerType;
      }
    | {
        readonly type: 'TRAILING_STOP_LIMIT';
        readonly trailingOffset: TrailingOffset;
        /** Distance of the limit from the trigger, in the trailing offset's unit. */
        readonly limitOffset: TrailingOffset;
        readonly activationPrice: Price | undefined;
        readonly triggerPrice: Price | undefined;
        readonly price: Price | undefined;
        readonly triggerType: TriggerType;
      }
  );

export type OrderSpecOf<T extends OrderType> = Extract<OrderSpec, { type: T }>;

const DAY_MS = 86_400_000;

/**
 * When an order placed at `placedAt` (epoch ms) expires unfilled: GTD at its expiry time, DAY at
 * the next UTC midnight, anything else never (undefined).
 */
export function expiryTimeOf(spec: OrderSpec, placedAt: number): number | undefined {
  if (spec.timeInForce === 'GTD') return spec.expireTime;
  if (spec.timeInForce === 'DAY') return (Math.floor(placedAt / DAY_MS) + 1) * DAY_MS;
  return undefined;
}

/** Limit price of a spec, where its type has one. */
export function limitPriceOf(spec: OrderSpec): Price | undefined {
  switch (spec.type) {
    case 'LIMIT':
    case 'STOP_LIMIT':
    case 'LIMIT_IF_TOUCHED':
    case 'TRAILING_STOP_LIMIT':
      return spec.price;
    case 'MARKET':
    case 'STOP_MARKET':
    case 'MARKET_IF_TOUCHED':
    case 'TRAILING_STOP_MARKET':
      return undefined;
  }
}

export function triggerPriceOf(spec: OrderSpec): Price | undefined {
  switch (spec.type) {
    case 'STOP_MARKET':
    case 'STOP_LIMIT':
    case 'MARKET_IF_TOUCHED':
    case 'LIMIT_IF_TOUCHED':
    case 'TRAILING_STOP_MARKET':
    case 'TRAILING_STOP_LIMIT':
      return spec.triggerPrice;
    case 'MARKET':
    case 'LIMIT':
      return undefined;
  }
}

export const oppositeSide = (s: OrderSide): OrderSide => (s === 'BUY' ? 'SELL' : 'BUY');
