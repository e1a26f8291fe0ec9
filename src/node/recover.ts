import type { Clock } from '../engine/clock.ts';
import { Engine } from '../engine/engine.ts';
import type { Journal } from '../engine/journal.ts';
import type { RiskControl } from '../risk/control/risk-control.ts';
import type { SnapshotStore } from '../engine/snapshot.ts';
import type { VenueId, } from '../model/identifiers.ts';
import type { VenueQueries } from '../engine/venue.ts';
import type { CancelChaser } from '../execution/cancel-chaser.ts';
import { guardedStack } from '../execution/risk-stack.ts';
import type { Timer } from '../execution/timer.ts';
import { JSON_SNAPSHOTS } from '../journal/snapshot.ts';
import type { WebhookAlertSink } from '../risk/alerts/webhook.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import type { RiskGate } from '../risk/gate/index.ts';
import type { Compliance } from '../risk/compliance/compliance.ts';

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
  /** Trading hours and the PDT rule (complianceOf): in the risk gate, or the engine's only gate without a risk config. */
  readonly compliance?: Compliance | undefined;
}

/**
 * Recover step of the lifecycle: the engine from the journal's latest snapshot and the records
 * after it (Engine.recover, JSON snapshots), the gate's figures and the breakers' figures, trips
 * and kill switch rebuilt (RiskGate.observe during the fold, RiskControl.start over the journal).
 * It is `guardedStack` (src/execution/risk-stack.ts) from the snapshot. The chaser only listens until the venues are reconciled (`reconcileStack` starts it).
 */
export async function recoverCore(journal: Journal & SnapshotStore, risk: RiskConfig | undefined, o: RecoverOptions): Promise<RecoveredCore> {
  const fresh = journal.lastSeq() === 0;
  const from = { snapshotCodec: JSON_SNAPSHOTS };
  if (!risk) return { engine: await Engine.recover(journal, { clock: o.clock, ...from, ...(o.compliance ? { gate: o.compliance } : {}) }), risk: undefined, fresh };
  const config = o.webhooks || risk.alerts.webhook_url === undefined ? risk : { ...risk, alerts: { ...risk.alerts, webhook_url: undefined } };
  const s = await guardedStack(config, { clock: o.clock, journal }, { timer: o.timer, queries: o.queries }, from, o.scrub ? { scrub: o.scrub } : {}, o.compliance);
  return { engine: s.engine, risk: { gate: s.gate, control: s.control, chaser: s.chaser, webhook: s.webhook }, fresh };
}
