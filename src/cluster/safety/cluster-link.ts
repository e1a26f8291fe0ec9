/**
 * A node joined to its firm over NATS: the firm budget in its order path, the firm kill switch
 * followed, and the fail-safe on NATS loss. TradingNode calls `ClusterLink.attach` once started (when
 * its config has a `cluster:` section); the firm budget then screens every order in the engine
 * (BudgetOrderHook, the engine's submit screen); everything else is here.
 */
import { randomInt } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import type { Engine } from '../../engine/engine.ts';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { RiskControl } from '../../risk/control/risk-control.ts';
import type { ClusterConfig, FirmBudgetConfig } from '../../node/config/cluster.ts';
import { amount, type FirmLimits } from '../budget/ledger.ts';
import { LedgerStore } from '../budget/ledger-store.ts';
import { FirmBudget } from '../budget/firm-budget.ts';
import { BudgetOrderHook } from '../budget/order-hook.ts';
import { DayLoss } from '../budget/day-loss.ts';
import { connectNats, openBucket } from '../budget/nats-link.ts';
import { openControl, readFirmKill, setFirmKill, watchFirmKill, type FirmKillState } from '../kill/firm-kill-switch.ts';
import { followFirmKill } from '../kill/follow.ts';
import { NatsLossGuard } from './nats-loss.ts';

export interface ClusterHost {
  readonly engine: Engine;
  readonly control: () => RiskControl | undefined;
  readonly config: ClusterConfig;
  /** The wall clock (leases, the kill switch's time), epoch ms. */
  readonly wall: () => number;
  readonly log: (err: unknown, what: string) => void;
}

/** The firm limits of the config, exact. */
export function firmLimitsOf(b: FirmBudgetConfig): FirmLimits {
  return {
    ...(b.max_gross_exposure !== undefined ? { gross: amount(b.max_gross_exposure, 'cluster.budget.max_gross_exposure') } : {}),
    net: new Map(Object.entries(b.max_net_exposure).map(([k, v]) => [k, amount(v, `cluster.budget.max_net_exposure.${k}`)])),
    ...(b.max_daily_loss !== undefined ? { dailyLoss: amount(b.max_daily_loss, 'cluster.budget.max_daily_loss') } : {}),
    ...(b.max_order_rate !== undefined ? { rate: b.max_order_rate } : {}),
  };
}

export class ClusterLink {
  private hook: BudgetOrderHook | undefined;
  private stopWatch: (() => void) | undefined;
  private kills: Promise<void> = Promise.resolve();

  private constructor(
    private readonly host: ClusterHost,
    readonly nc: NatsConnection,
    private readonly control: KV,
    readonly budget: FirmBudget | undefined,
    readonly guard: NatsLossGuard,
  ) {}

  static async attach(host: ClusterHost): Promise<ClusterLink> {
    const c = host.config;
    const nc = await connectNats(c.nats, `warden-${c.firm}-${c.node_id}`);
    const alert = alertOn(host.engine);
    const budget = c.budget ? await openBudget(nc, host, c.budget, alert) : undefined;
    const guard = new NatsLossGuard({
      engine: host.engine,
      control: host.control,
      nodeId: c.node_id,
      policy: c.on_nats_loss,
      alert,
      onChange: (up) => budget?.setConnected(up),
      resync: async () => {
        await budget?.sync();
      },
      log: (e) => host.log(e, 'NATS loss guard'),
    });
    const link = new ClusterLink(host, nc, await openControl(nc, c.firm), budget, guard);
    if (budget) {
      link.hook = new BudgetOrderHook(host.engine, budget);
      link.hook.recover();
      await budget.start();
    }
    guard.watch(nc);
    if (c.kill_switch) await link.followKill();
    return link;
  }

  /** Engages or resets the firm kill switch for every node of the firm (this one follows through its watch). */
  async setKill(engaged: boolean, operator: string, reason: string): Promise<FirmKillState> {
    const s: FirmKillState = { engaged, operator, reason, at: Math.floor(this.host.wall()) };
    await setFirmKill(this.control, this.host.config.firm, s);
    return s;
  }

  readKill(): Promise<FirmKillState | undefined> {
    return readFirmKill(this.control, this.host.config.firm);
  }

  async close(): Promise<void> {
    this.stopWatch?.();
    this.hook?.close();
    await this.budget?.close();
    await this.nc.close().catch(() => undefined);
  }

  private async followKill(): Promise<void> {
    const firm = this.host.config.firm;
    const follower = {
      engine: this.host.engine,
      control: this.host.control,
      alert: (message: string, context: Record<string, string>) => alertOn(this.host.engine)('FIRM_KILL_SWITCH', message, context),
      log: (e: unknown) => this.host.log(e, 'firm kill switch'),
    };
    // Read first, so a node starting while the switch is engaged is halted before it trades.
    const now = await readFirmKill(this.control, firm);
    if (now?.engaged) await followFirmKill(now, follower);
    let first = true;
    this.stopWatch = await watchFirmKill(
      this.control,
      firm,
      (s) => {
        if (first && now && s.at === now.at && s.engaged === now.engaged) {
          first = false;
          return;
        }
        first = false;
        this.kills = this.kills.then(() => followFirmKill(s, follower)).catch((e: unknown) => follower.log(e));
      },
      (e) => follower.log(e),
    );
  }
}

async function openBudget(nc: NatsConnection, host: ClusterHost, b: FirmBudgetConfig, alert: ReturnType<typeof alertOn>): Promise<FirmBudget> {
  const store = new LedgerStore(await openBucket(nc, b.bucket), host.config.firm, { random: () => randomInt(0, 1 << 30) / (1 << 30) });
  const loss = new DayLoss(host.engine, host.wall);
  return new FirmBudget({
    nodeId: host.config.node_id,
    store,
    limits: firmLimitsOf(b),
    chunk: b.credit_chunk === undefined ? 0n : amount(b.credit_chunk, 'cluster.budget.credit_chunk'),
    leaseMs: b.lease_ms,
    now: host.wall,
    loss: () => loss.loss(),
    alert,
  });
}

function alertOn(engine: Engine): (code: AlertCode, message: string, context: Record<string, string>) => void {
  return (code, message, context) => engine.bus.publish('alert', { code, message, context, ts: engine.now() });
}
