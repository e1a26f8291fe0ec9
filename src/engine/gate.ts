import type { ErrorContext } from '../model/errors.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Order } from '../model/orders/order.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import type { Price, Quantity } from '../model/values.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';

export type PreTradeRequest =
  | { readonly kind: 'submit'; readonly spec: OrderSpec; readonly instrument: Instrument }
  | {
      readonly kind: 'modify';
      readonly order: Order;
      readonly instrument: Instrument;
      readonly quantity: Quantity | undefined;
      readonly price: Price | undefined;
      readonly triggerPrice: Price | undefined;
    };

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly reason: string; readonly context: ErrorContext };

/** What the gate may look at: read-only state of the engine. */
export interface EngineView {
  readonly portfolio: Portfolio;
  openOrders(): Iterable<Order>;
  now(): number;
}

/** The pre-trade hook: a pure decision. The risk issue plugs its RiskGate in here. */
export interface PreTradeGate {
  check(request: PreTradeRequest, view: EngineView): Verdict;
}

export const ALLOW: Verdict = Object.freeze({ ok: true });

/** Allows everything: the placeholder until the risk gate is configured. */
export class NoopGate implements PreTradeGate {
  check(): Verdict {
    return ALLOW;
  }
}
