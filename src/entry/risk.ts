/**
 * `warden/risk`: pre-trade risk and risk control. The risk config (YAML or object, validated),
 * the RiskGate, circuit breakers, RiskControl (kill switch, trading states, breaker resets,
 * cancel-all and flatten), guardedEngine (an engine with all of it wired), the webhook alert
 * sink, position sizing and risk analytics (VaR, drawdown, ratios, stress tests).
 */
export { loadRiskConfig, parseRiskConfig } from '../risk/config/load.ts';
export type { BreakersConfig, LimitsConfig, RiskConfig } from '../risk/config/types.ts';
export { RiskGate } from '../risk/gate/index.ts';
export { FLATTEN_TAG } from '../engine/reserved-tags.ts';
export { RiskControl, type RiskStatus } from '../risk/control/risk-control.ts';
export { guardedEngine, type GuardedEngine } from '../risk/control/risk-setup.ts';
export { chaseResentCancels, guardedStack, reconcileStack, type RiskStack } from '../execution/risk-stack.ts';
export { venueScope, type RiskEvent, type RiskScope, type RiskSource, type TradingState } from '../engine/risk-state/events.ts';
export type { BreakerStatus } from '../engine/risk-state/risk-state.ts';
export { createBreakers, createBreakersFor, breakerStatus, type BreakerOptions } from '../risk/breakers/index.ts';
export type { RiskMonitor } from '../risk/breakers/monitor.ts';
export type { RiskAction } from '../risk/actions.ts';
export type { RiskView } from '../engine/risk-view.ts';
export { WebhookAlertSink, type WebhookPayload } from '../risk/alerts/webhook.ts';
export * as sizing from '../risk/sizing/index.ts';
export * as analytics from '../risk/analytics/index.ts';
