import type { Clock } from '../engine/clock.ts';
import { Engine } from '../engine/engine.ts';
import type { Journal } from '../engine/journal.ts';
import { RiskControl } from '../risk/control/risk-control.ts';
import type { SnapshotStore } from '../engine/snapshot.ts';
import type { VenueId, } from '../model/identifiers.ts';
import type { VenueQueries } from '../engine/venue.ts';
import { CancelChaser } from '../execution/cancel-chaser.ts';
import type { Timer } from '../execution/timer.ts';
import { JSON_SNAPSHOTS } from '../journal/snapshot.ts';
import { WebhookAlertSink } from '../risk/alerts/webhook.ts';
import { createBreakersFor } from '../risk/breakers/index.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import { RiskGate } from '../risk/gate/index.ts';

/** The engine and, with a risk config, the risk stack around it, as recovered from the journal. */
export interface RecoveredCore {
  readonly engine: Engine;
  readonly risk: { readonly gate: RiskGate; readonly control: RiskControl; readonly chaser: CancelChaser; readonly webhook: WebhookAlertSink | undefined } | undefined;
  /** Whether the journal held anything: a fresh node registers and funds, a recovered one does not. */
  readonly fresh: boolean;
}

export interface RecoverOptions {
  readonly clock: Clock;
  /** What the cancel chaser waits on. */
  readonly timer: Timer;
  /** Risk alerts posted to the risk config's webhook (a backtest says no). */
  readonly webhooks: boolean;
  /** Applied to each alert body posted to the risk config's webhook (the node's secrets scrubbed). */
  readonly scrub?: (body: string) => string;
  /** A venue's queries, for the chaser to learn about an order it does not know. */
  readonly queries: (venue: VenueId) => VenueQueries | undefined;
}

/**
 * Recover step of the lifecycle: the engine from the journal's latest snapshot and the records
 * after it (Engine.recover, JSON snapshots), the gate's figures and the breakers' figures, trips
 * and kill switch rebuilt (RiskGate.observe during the fold, RiskControl.start over the journal).
 * As `guardedStack` (src/execution/risk-stack.ts) but from a snapshot rather than a full replay.
 * The chaser only listens until the venues are reconciled (`reconcileStack` starts it).
 */
export async function recoverCore(journal: Journal & SnapshotStore, risk: RiskConfig | undefined, o: RecoverOptions): Promise<RecoveredCore> {
  const fresh = journal.lastSeq() === 0;
  const gate = risk ? new RiskGate(risk.limits) : undefined;
  const engine = await Engine.recover(journal, { clock: o.clock, snapshotCodec: JSON_SNAPSHOTS, ...(gate ? { gate } : {}) });
  if (!risk || !gate) return { engine, risk: undefined, fresh };
  const control = new RiskControl(engine, createBreakersFor(risk), gate);
  await control.start();
  const chaser = new CancelChaser(engine, { timer: o.timer, queries: o.queries });
  chaser.listen(control);
  let webhook: WebhookAlertSink | undefined;
  if (o.webhooks && risk.alerts.webhook_url) {
    webhook = new WebhookAlertSink(risk.alerts.webhook_url, o.scrub ? { scrub: o.scrub } : {});
    webhook.attach(engine.bus);
  }
  return { engine, risk: { gate, control, chaser, webhook }, fresh };
}
