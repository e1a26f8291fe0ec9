/**
 * Fail-safe on NATS loss (FAULTS 37). When the connection drops the node alerts (NATS_LOST) and,
 * as `cluster.on_nats_loss` says, puts the FIRM scope REDUCING (default) or HALTED, or keeps
 * trading (continue: the firm budget then still only lets orders through that fit the line this
 * node holds under a live lease). When NATS is back the budget re-syncs (lease renewed, holdings
 * republished, a lapsed line taken again as a new grant), the trading state this guard set is
 * lifted (not one an operator set meanwhile) and NATS_RESTORED is alerted.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Engine } from '../../engine/engine.ts';
import type { TradingState } from '../../engine/risk-state/events.ts';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { RiskControl } from '../../risk/control/risk-control.ts';
import type { ClusterConfig } from '../../node/config/cluster.ts';

export interface NatsLossGuardDeps {
  readonly engine: Engine;
  readonly control: () => RiskControl | undefined;
  readonly nodeId: string;
  readonly policy: ClusterConfig['on_nats_loss'];
  readonly alert: (code: AlertCode, message: string, context: Record<string, string>) => void;
  /** Told of each change (the budget's connected flag). */
  readonly onChange: (up: boolean) => void;
  /** Runs when NATS is back, before the state is lifted (the budget's re-sync). */
  readonly resync: () => Promise<void>;
  readonly log: (err: unknown) => void;
}

/** The state a policy puts the firm in on loss (undefined: none). */
export function lossState(policy: ClusterConfig['on_nats_loss']): TradingState | undefined {
  switch (policy) {
    case 'reduce_only':
      return 'REDUCING';
    case 'halt':
      return 'HALTED';
    case 'continue':
      return undefined;
    default: {
      const never: never = policy;
      return never;
    }
  }
}

export class NatsLossGuard {
  private applied: TradingState | undefined;
  private down = false;
  private steps: Promise<void> = Promise.resolve();

  constructor(private readonly d: NatsLossGuardDeps) {}

  /** Follows the connection's status until it closes. */
  watch(nc: NatsConnection): void {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') this.enqueue(() => this.onLoss());
        else if (s.type === 'reconnect') this.enqueue(() => this.onBack());
      }
    })();
  }

  private enqueue(f: () => Promise<void>): void {
    this.steps = this.steps.then(f).catch((e: unknown) => this.d.log(e));
  }

  private operator() {
    return this.d.engine.authority.issue(`cluster:${this.d.nodeId}`, ['RISK']);
  }

  async onLoss(): Promise<void> {
    if (this.down) return;
    this.down = true;
    this.d.onChange(false);
    const state = lossState(this.d.policy);
    this.d.alert('NATS_LOST', `NATS connection lost: ${state ? `the firm is ${state} until it is back` : 'trading continues (on_nats_loss: continue)'}`, { policy: this.d.policy });
    const control = this.d.control();
    if (!state || !control) return;
    if (this.d.engine.risk.stateOf('FIRM') === state || this.d.engine.risk.stateOf('FIRM') === 'HALTED') return;
    await control.setTradingState('FIRM', state, { operator: this.operator(), reason: 'NATS connection lost (cluster.on_nats_loss)' });
    this.applied = state;
  }

  async onBack(): Promise<void> {
    if (!this.down) return;
    this.down = false;
    this.d.onChange(true);
    await this.d.resync();
    const control = this.d.control();
    const applied = this.applied;
    this.applied = undefined;
    if (control && applied && this.d.engine.risk.stateOf('FIRM') === applied) {
      await control.setTradingState('FIRM', 'ACTIVE', { operator: this.operator(), reason: 'NATS connection back, firm budget re-synced' });
    }
    this.d.alert('NATS_RESTORED', 'NATS connection back: firm budget re-synced', { policy: this.d.policy });
  }
}
