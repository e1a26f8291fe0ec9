import type { NumericInput } from '../model/decimal.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { Price, Quantity } from '../model/values.ts';

/** What callers ask the engine to do. */
export type Command =
  | { readonly kind: 'SubmitOrder'; readonly order: OrderRequest }
  | { readonly kind: 'SubmitOrderList'; readonly orderListId: string; readonly orders: readonly OrderRequest[] }
  | {
      readonly kind: 'ModifyOrder';
      readonly clientOrderId: string;
      readonly quantity?: NumericInput | Quantity;
      readonly price?: NumericInput | Price;
      readonly triggerPrice?: NumericInput | Price;
    }
  | { readonly kind: 'CancelOrder'; readonly clientOrderId: string }
  | {
      readonly kind: 'CancelAllOrders';
      readonly instrumentId?: string;
      readonly accountId?: string;
      readonly strategyId?: string;
      readonly side?: 'BUY' | 'SELL';
    }
  | { readonly kind: 'QueryOrder'; readonly clientOrderId: string };

export type CommandKind = Command['kind'];
