/**
 * The advisor's place in the order path: it may only make the gate stricter. It runs only for an
 * order the risk gate would accept (a denial stays the gate's), and only when configured
 * (`advisor.trade_gate.deny_on: high`); a `high` score then denies the order with ADVISOR_DENIED,
 * journaled as OrderDenied like any denial. A consultation that fails follows `fail`: `open` lets
 * the order through as if there were no advisor, `closed` denies it. No model configured is not a
 * failure: Warden then works exactly as without the advisor.
 *
 * `advisorGateDecision` is the pure decision; `AdvisorTradeGate.review` the thin async layer.
 */
import type { Advice, Consultant } from '../consult.ts';
import type { ErrorContext } from '../../model/errors.ts';
import type { TradeAssessment } from './trade.ts';

import type { AdvisorGateConfig } from '../models/config.ts';

export { advisorGateSchema, type AdvisorGateConfig } from '../models/config.ts';

export const GATE_OFF: AdvisorGateConfig = Object.freeze({ deny_on: 'never', fail: 'open' });

export type GateDecision = { readonly do: 'pass' } | { readonly do: 'deny'; readonly code: 'ADVISOR_DENIED'; readonly reason: string; readonly context: ErrorContext };

const PASS: GateDecision = Object.freeze({ do: 'pass' });

/** Whether the advisor is to be asked at all about an order the gate `accepts` (false: the gate's verdict stands alone). */
export function needsReview(cfg: AdvisorGateConfig, gateAccepts: boolean): boolean {
  return gateAccepts && cfg.deny_on !== 'never';
}

/**
 * Pure: the advisor's word on an order. `advice` is undefined when it was not asked. Only ever
 * `pass` for an order the gate denies, so the set of orders accepted with the advisor is a subset
 * of those accepted without.
 */
export function advisorGateDecision(cfg: AdvisorGateConfig, gateAccepts: boolean, advice: Advice<TradeAssessment> | undefined): GateDecision {
  if (!needsReview(cfg, gateAccepts) || advice === undefined) return PASS;
  if (advice.ok) {
    if (advice.value.score !== 'high') return PASS;
    return {
      do: 'deny',
      code: 'ADVISOR_DENIED',
      reason: `the advisor scored this order's risk high: ${advice.value.summary}`.slice(0, 500),
      context: { consultation: advice.record.id, score: 'high', recommendation: advice.value.recommendation },
    };
  }
  if (advice.reason === 'NOT_CONFIGURED' || cfg.fail === 'open') return PASS;
  return {
    do: 'deny',
    code: 'ADVISOR_DENIED',
    reason: `the advisor could not review this order (${advice.reason}) and advisor.trade_gate.fail is closed`,
    context: { failure: advice.reason, ...(advice.record ? { consultation: advice.record.id } : {}) },
  };
}

/**
 * The thin layer: asks the advisor (only when the decision needs it and a model is configured for
 * the risk tier) and decides. `assess` builds and sends the order's assessment request.
 */
export async function reviewOrder(cfg: AdvisorGateConfig, consultant: Consultant, gateAccepts: boolean, assess: () => Promise<Advice<TradeAssessment>>): Promise<GateDecision> {
  if (!needsReview(cfg, gateAccepts) || !consultant.configured('risk')) return PASS;
  let advice: Advice<TradeAssessment>;
  try {
    advice = await assess();
  } catch (e) {
    // Facts that cannot be computed or a consultant that throws: a failed consultation, which `fail` decides.
    advice = { ok: false, reason: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) };
  }
  return advisorGateDecision(cfg, gateAccepts, advice);
}
