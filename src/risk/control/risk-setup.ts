import { WebhookAlertSink } from '../alerts/webhook.ts';
import { createBreakersFor } from '../breakers/index.ts';
import type { RiskConfig } from '../config/types.ts';
import { RiskGate } from '../gate/index.ts';
import { Engine, type EngineOptions } from '../../engine/engine.ts';
import { RiskControl } from './risk-control.ts';

export interface GuardedEngine {
  readonly engine: Engine;
  readonly gate: RiskGate;
  readonly control: RiskControl;
  readonly webhook: WebhookAlertSink | undefined;
}

/**
 * An engine with the whole risk stack from one validated config: the pre-trade gate on every
 * submit and modify, the configured circuit breakers under a RiskControl, and the webhook alert
 * sink when `alerts.webhook_url` is set. From a journal (`fromJournal`), gate figures, breaker
 * figures, trips and the kill switch are all rebuilt before it returns.
 */
export async function guardedEngine(config: RiskConfig, opts: Omit<EngineOptions, 'gate'>, fromJournal = false): Promise<GuardedEngine> {
  const gate = new RiskGate(config.limits);
  const engine = fromJournal && opts.journal ? await Engine.fromJournal(opts.journal, { ...opts, gate }) : new Engine({ ...opts, gate });
  const control = new RiskControl(engine, createBreakersFor(config), gate);
  await control.start();
  let webhook: WebhookAlertSink | undefined;
  if (config.alerts.webhook_url) {
    webhook = new WebhookAlertSink(config.alerts.webhook_url);
    webhook.attach(engine.bus);
  }
  return { engine, gate, control, webhook };
}
