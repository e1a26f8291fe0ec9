/**
 * A node following the firm kill switch: engaged → its own kill switch engaged (journaled, every
 * working order canceled, risk-increasing orders denied) with the firm operator as origin;
 * reset → its own lifted, but only when the firm engaged it (a local operator's stays).
 */
import type { Engine } from '../../engine/engine.ts';
import type { RiskControl } from '../../risk/control/risk-control.ts';
import type { FirmKillState } from './firm-kill-switch.ts';

/** The identity a firm operator acts under on each node: `firm:<operator>`. */
export const firmOperatorIdentity = (operator: string): string => `firm:${operator}`;

export interface KillFollower {
  readonly engine: Engine;
  readonly control: () => RiskControl | undefined;
  readonly alert: (message: string, context: Record<string, string>) => void;
  readonly log: (err: unknown) => void;
}

/** Applies one state of the firm switch to the node; resolves once its kill switch (and cancels) are done. */
export async function followFirmKill(s: FirmKillState, f: KillFollower): Promise<void> {
  const control = f.control();
  if (!control) {
    f.alert(`firm kill switch ${s.engaged ? 'engaged' : 'reset'} by ${s.operator}, but this node runs without a risk config: nothing to engage`, { operator: s.operator });
    return;
  }
  const identity = firmOperatorIdentity(s.operator);
  const local = f.engine.risk.killSwitch;
  if (s.engaged) {
    if (local) {
      // Already halted: its working orders are canceled again all the same (the firm asked now).
      if (local.operator !== identity) f.alert(`firm kill switch engaged by ${s.operator}: this node's kill switch was engaged already (by ${local.operator})`, { operator: s.operator });
    }
    const operator = f.engine.authority.issue(identity, ['RISK']);
    f.alert(`firm kill switch engaged by ${s.operator}: ${s.reason}`, { operator: s.operator, reason: s.reason });
    await control.engageKillSwitch({ operator, reason: `firm kill switch: ${s.reason}` });
    return;
  }
  if (!local || !local.operator.startsWith('firm:')) return;
  const operator = f.engine.authority.issue(identity, ['RISK']);
  f.alert(`firm kill switch reset by ${s.operator}: ${s.reason}`, { operator: s.operator, reason: s.reason });
  await control.resetKillSwitch({ operator, reason: `firm kill switch reset: ${s.reason}` });
}
