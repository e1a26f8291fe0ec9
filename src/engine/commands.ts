import type { NumericInput } from '../model/decimal.ts';
import type { DenialCode } from '../model/denial-codes.ts';
import type { ErrorContext } from '../model/errors.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { Price, Quantity } from '../model/values.ts';
import type { OrderListShape } from './venue.ts';
import type { AuditInput } from './audit/events.ts';

/**
 * The audit record of the call that sends a command (an API request), journaled in the command's own
 * commit: one write, not two, before the caller is answered. The engine fills in the outcome (OK,
 * or DENIED with the denial's code).
 */
export type CommandAudit = Omit<AuditInput, 'outcome' | 'code'>;

/** A denial decided outside the gate, carried by a SubmitOrder. */
export interface PriorDenial {
  readonly code: DenialCode;
  readonly reason: string;
  readonly context: ErrorContext;
}

/** What callers ask the engine to do. */
export type Command =
  /**
   * `denial`: a denial decided before the engine, by a check that may only tighten (the AI
   * advisor's trade gate): journaled as the order's OrderDenied when the gate itself accepts it. It
   * can never let through an order the gate denies, so any origin may give one. `audit`: the
   * sending call's audit record, written with the order's events (the origin must be allowed to
   * record it: an operator its own actions, or SYSTEM).
   */
  | { readonly kind: 'SubmitOrder'; readonly order: OrderRequest; readonly denial?: PriorDenial; readonly audit?: CommandAudit }
  /**
   * `heldAtVenue`: the list goes to its venue as one request and rests there (the venue links its
   * orders; src/engine/order-lists.ts says which lists fit); absent: each order is sent on its own.
   */
  | { readonly kind: 'SubmitOrderList'; readonly orderListId: string; readonly orders: readonly OrderRequest[]; readonly heldAtVenue?: OrderListShape }
  | {
      readonly kind: 'ModifyOrder';
      readonly clientOrderId: string;
      readonly quantity?: NumericInput | Quantity;
      readonly price?: NumericInput | Price;
      readonly triggerPrice?: NumericInput | Price;
      /** As SubmitOrder's: DENIED when the gate denies the change. */
      readonly audit?: CommandAudit;
    }
  | { readonly kind: 'CancelOrder'; readonly clientOrderId: string; readonly audit?: CommandAudit }
  | {
      readonly kind: 'CancelAllOrders';
      readonly instrumentId?: string;
      readonly accountId?: string;
      readonly strategyId?: string;
      readonly side?: 'BUY' | 'SELL';
      readonly audit?: CommandAudit;
    }
  | { readonly kind: 'QueryOrder'; readonly clientOrderId: string };

export type CommandKind = Command['kind'];

/** The audit record a command carries, if any (only the operator's order commands carry one). */
export function auditOfCommand(cmd: Command): CommandAudit | undefined {
  switch (cmd.kind) {
    case 'SubmitOrder':
    case 'ModifyOrder':
    case 'CancelOrder':
    case 'CancelAllOrders':
      return cmd.audit;
    case 'SubmitOrderList':
    case 'QueryOrder':
      return undefined;
  }
}
