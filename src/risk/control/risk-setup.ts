import { WebhookAlertSink, type WebhookOptions } from '../alerts/webhook.ts';
import { createBreakersFor } from '../breakers/index.ts';
import type { RiskConfig } from '../config/types.ts';
import type { Compliance } from '../compliance/compliance.ts';
import { RiskGate } from '../gate/index.ts';
import { Engine, type EngineOptions } from '../../engine/engine.ts';
import type { SnapshotCodec } from '../../engine/snapshot.ts';
import { RiskControl } from './risk-control.ts';

export interface GuardedEngine {
  readonly engine: Engine;
  readonly gate: RiskGate;
  readonly control: RiskControl;
  readonly webhook: WebhookAlertSink | undefined;
}

/**
 * Where the engine comes from: new (false), a full replay of `opts.journal` (true), or the
 * journal's latest snapshot and the records after it (Engine.recover with that codec).
 */
export type EngineSource = boolean | { readonly snapshotCodec: SnapshotCodec };

/**
 * An engine with the whole risk stack from one validated config: the pre-trade gate on every
 * submit and modify, the configured circuit breakers under a RiskControl, and the webhook alert
 * sink when `alerts.webhook_url` is set (`webhook`: its options, e.g. a scrub). With
 * `compliance` the gate also checks trading hours and the PDT rule (src/risk/compliance). From a
 * journal (`from`), gate figures (the day-trade count too), breaker figures, trips and the kill
 * switch are all rebuilt before it returns.
 */
export async function guardedEngine(config: RiskConfig, opts: Omit<EngineOptions, 'gate'>, from: EngineSource = false, webhook: WebhookOptions = {}, compliance?: Compliance): Promise<GuardedEngine> {
  const gate = new RiskGate(config.limits, compliance);
  const engine = await engineFrom(from, opts, gate);
  const control = new RiskControl(engine, createBreakersFor(config), gate);
  await control.start();
  let sink: WebhookAlertSink | undefined;
  if (config.alerts.webhook_url) {
    sink = new WebhookAlertSink(config.alerts.webhook_url, webhook);
    sink.attach(engine.bus);
  }
  return { engine, gate, control, webhook: sink };
}

function engineFrom(from: EngineSource, opts: Omit<EngineOptions, 'gate'>, gate: RiskGate): Engine | Promise<Engine> {
  if (from === false || !opts.journal) return new Engine({ ...opts, gate });
  if (from === true) return Engine.fromJournal(opts.journal, { ...opts, gate });
  return Engine.recover(opts.journal, { ...opts, gate, snapshotCodec: from.snapshotCodec });
}
