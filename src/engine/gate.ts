import type { DenialCode } from '../model/denial-codes.ts';
import type { ErrorContext } from '../model/errors.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Order } from '../model/orders/order.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import type { Price, Quantity } from '../model/values.ts';
import type { RiskView } from './risk-view.ts';
import type { EngineEvent } from './events.ts';
import type { Origin } from './origin.ts';

export type PreTradeRequest =
  /** `origin`: who sent the order; only a RISK_CONTROL flatten order passes a halt (absent: not risk control). */
  | { readonly kind: 'submit'; readonly spec: OrderSpec; readonly instrument: Instrument; readonly origin?: Origin }
  | {
      readonly kind: 'modify';
      readonly order: Order;
      readonly instrument: Instrument;
      readonly quantity: Quantity | undefined;
      readonly price: Price | undefined;
      readonly triggerPrice: Price | undefined;
    };

export type SubmitCheck = Extract<PreTradeRequest, { readonly kind: 'submit' }>;

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly code: DenialCode; readonly reason: string; readonly context: ErrorContext };

/** What the gate may look at: read-only state of the engine. */
export type EngineView = RiskView;

/**
 * The pre-trade hook. `check` is a pure decision on the request and the engine's state; a gate
 * that keeps its own running figures (working exposure, message rates) updates them in
 * `observe`, which the engine calls with every event it applies, live and in replay, so those
 * figures are a fold over the journal too.
 */
export interface PreTradeGate {
  check(request: PreTradeRequest, view: EngineView): Verdict;
  observe?(event: EngineEvent, view: EngineView): void;
  /**
   * Verdicts on the orders of one list, in order, each counting the orders of the list before
   * it (as if sent one by one, though none is live yet). A gate with running figures must have
   * it: without, every order of a list is checked against the figures from before the list.
   */
  checkList?(requests: readonly SubmitCheck[], view: EngineView): readonly Verdict[];
}

/** The gate's verdicts on the orders of one submit command (one order, or a list). */
export function checkSubmits(gate: PreTradeGate, requests: readonly SubmitCheck[], view: EngineView): readonly Verdict[] {
  if (requests.length > 1 && gate.checkList !== undefined) return gate.checkList(requests, view);
  return requests.map((r) => gate.check(r, view));
}

export const ALLOW: Verdict = Object.freeze({ ok: true });

/** Allows everything: the placeholder until the risk gate is configured. */
export class NoopGate implements PreTradeGate {
  check(): Verdict {
    return ALLOW;
  }
}
