import type { EngineOptions } from '../engine/engine.ts';
import { reconcile, type ReconcileOptions, type ReconcileReport } from '../engine/reconcile.ts';
import { guardedEngine, type EngineSource, type GuardedEngine } from '../risk/control/risk-setup.ts';
import type { WebhookOptions } from '../risk/alerts/webhook.ts';
import type { Venue } from '../engine/venue.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import type { Compliance } from '../risk/compliance/compliance.ts';
import { CancelChaser, type CancelChaserOptions } from './cancel-chaser.ts';

/** The guarded engine (gate, breakers, risk control, webhook) with the chaser that sees its risk cancels through. */
export interface RiskStack extends GuardedEngine {
  readonly chaser: CancelChaser;
}

/**
 * The whole risk stack from one validated config: `guardedEngine` (src/risk/control/risk-setup.ts) and a
 * CancelChaser on the given timer, listening to the risk control's cancels, so that an order a kill
 * switch or breaker canceled is chased until the venue confirms it dead (issue 11 item 10). It
 * lives here, not in engine/, because the chaser is execution's and engine/ imports nothing above it.
 *
 * A fresh engine is chasing when this returns. From a journal (`fromJournal`) the chaser only
 * listens: add the venues, then `reconcileStack`, which hands it the resent cancels and, with the
 * kill switch engaged, every order still open.
 */
export async function guardedStack(
  config: RiskConfig,
  opts: Omit<EngineOptions, 'gate'>,
  chasing: CancelChaserOptions,
  fromJournal: EngineSource = false,
  webhook: WebhookOptions = {},
  compliance?: Compliance,
): Promise<RiskStack> {
  const guarded = await guardedEngine(config, opts, fromJournal, webhook, compliance);
  const chaser = new CancelChaser(guarded.engine, chasing);
  if (fromJournal !== false) chaser.listen(guarded.control);
  else chaser.start(guarded.control);
  return { ...guarded, chaser };
}

/**
 * Hands reconciliation's resent cancels to the chaser: each was sent again by `reconcile` (a
 * cancel left pending by a restart or a reconnect), so only its answer is awaited, and it is sent
 * again with backoff until the venue confirms the order dead.
 */
export function chaseResentCancels(chaser: CancelChaser, report: ReconcileReport): void {
  for (const id of report.cancelsResent) chaser.chase(id, `pending cancel resent by reconciliation with ${report.venue}`, true);
}

/**
 * After a restart: reconciles the stack's engine with each venue (already added), hands the
 * resent cancels to the chaser, then starts it (under a kill switch that survived the restart,
 * every open order but the flatten orders is chased).
 */
export async function reconcileStack(stack: RiskStack, venues: readonly Venue[], opts: ReconcileOptions = {}): Promise<ReconcileReport[]> {
  const reports: ReconcileReport[] = [];
  for (const v of venues) {
    const r = await reconcile(stack.engine, v, opts);
    chaseResentCancels(stack.chaser, r);
    reports.push(r);
  }
  stack.chaser.start(stack.control);
  return reports;
}
