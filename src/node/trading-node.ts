import type { Logger } from 'pino';
import type { StrategyFactory } from '../backtest/strategy.ts';
import { ExecutionAlgorithms } from '../algos/runner.ts';
import { MessageBus } from '../engine/bus.ts';
import { TestClock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import { OrderEmulator } from '../execution/emulation/emulator.ts';
import { SYSTEM } from '../engine/origin.ts';
import { reconcile, type ReconcileReport } from '../engine/reconcile.ts';
import { chaseResentCancels } from '../execution/risk-stack.ts';
import { ManualTimer, RealTimer, type Timer } from '../execution/timer.ts';
import { Snapshotter } from '../journal/snapshotter.ts';
import type { DurableJournal } from '../journal/types.ts';
import { ValidationError } from '../model/errors.ts';
import { ORDER_TYPES, type OrderType } from '../model/orders/types.ts';
import type { NodeConfig } from './config/index.ts';
import { openNodeJournal } from './journal.ts';
import { closeOf, isBar, isQuote, isTrade, Pacer, replayStream, steps, type MarketItem } from './market-data.ts';
import { recoverCore, type RecoveredCore } from './recover.ts';
import { StrategyHost, strategyResult } from './strategy-host.ts';
import { openAccounts, registerInstruments } from './setup.ts';
import { VenueRegistry, type VenueHealth } from './venues.ts';

/** A line's worth of progress, published every `statusEvery` steps and at the end. */
export interface NodeStatus {
  readonly steps: number;
  readonly items: number;
  /** Data time of the last step's close. */
  readonly ts: number;
  readonly orders: number;
  readonly fills: number;
  readonly denied: number;
  readonly deniedByCode: Readonly<Record<string, number>>;
}

export interface NodeTopics {
  venueHealth: VenueHealth;
  status: NodeStatus;
}

export interface TradingNodeDeps {
  /** Values never to log (LoadedNodeConfig.secrets); blanked from the journal identity's config hash. */
  readonly secrets?: ReadonlySet<string>;
  readonly logger?: Logger;
  /**
   * What executors and the cancel chaser wait on. Default: a backtest a ManualTimer on the data
   * clock (run at each step), paper the system's timers.
   */
  readonly timer?: Timer;
  /** Wall clock and sleep for pacing a paper replay (default the system's). */
  readonly wall?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Strategies beside the built-in ones, by name. */
  readonly strategies?: Readonly<Record<string, StrategyFactory>>;
  /** Open a journal written with another code version or configuration. */
  readonly allowMismatch?: boolean;
  /** Status every this many steps (default 1,000). */
  readonly statusEvery?: number;
}

export interface RunSummary {
  readonly status: NodeStatus;
  /** Whether the run ended at the end of the data (false: stopped before). */
  readonly completed: boolean;
}

/**
 * The composition root: one validated NodeConfig becomes a running node. `start()` runs the
 * lifecycle of ARCHITECTURE.md: journal (identity checked) → recover (engine from snapshot and
 * tail; gate, breakers, kill switch) → connect venues (registry) → emulator and algorithms
 * recovered → instruments and accounts (only the new ones) → reconcile every venue → strategies
 * started. `run()` then replays the configured market data (paced in paper mode), each step through
 * the simulated exchanges and the engine, so the gate, breakers, emulator, algorithms and
 * strategies see the same prices at the same times. `stop()` stops strategies, cancels on each venue
 * configured so, snapshots and closes the journal.
 *
 * The node's clock is the data's time (a replay: the wall clock only paces it). A restart resumes
 * the replay at the time of the journal's last record.
 */
export class TradingNode {
  readonly bus = new MessageBus<NodeTopics>();
  readonly clock = new TestClock(0);
  private core!: RecoveredCore;
  private journal!: DurableJournal;
  private emulator!: OrderEmulator;
  private algos!: ExecutionAlgorithms;
  private host!: StrategyHost;
  private snapshotter: Snapshotter | undefined;
  private readonly timer: Timer;
  private readonly manualTimer: ManualTimer | undefined;
  venues!: VenueRegistry;
  reconciled: readonly ReconcileReport[] = [];
  /** Instruments registered and accounts opened by this start (a restart: none of the configured ones again). */
  registeredNow: readonly string[] = [];
  openedNow: readonly string[] = [];
  /** Data time from which this run replays (the journal's last record time on a restart). */
  resumeFrom = -Infinity;
  private feed!: AsyncIterator<readonly MarketItem[]>;
  private pending!: IteratorResult<readonly MarketItem[]>;
  private stopping = false;
  private stopped = false;
  private readonly counts = { steps: 0, items: 0, orders: 0, fills: 0, denied: 0, deniedByCode: {} as Record<string, number>, ts: 0 };

  private constructor(
    readonly config: NodeConfig,
    private readonly deps: TradingNodeDeps,
  ) {
    if (config.node.mode === 'live') {
      throw new ValidationError('INVALID_FIELD', 'mode live needs a live venue adapter (ccxt, alpaca, ...), and none exists yet: run mode paper', { field: 'node.mode', input: 'live' });
    }
    this.manualTimer = config.node.mode === 'backtest' && !deps.timer ? new ManualTimer(this.clock) : undefined;
    this.timer = deps.timer ?? this.manualTimer ?? new RealTimer();
  }

  get engine(): Engine {
    return this.core.engine;
  }

  get mode(): NodeConfig['node']['mode'] {
    return this.config.node.mode;
  }

  get risk(): RecoveredCore['risk'] {
    return this.core.risk;
  }

  get orderEmulator(): OrderEmulator {
    return this.emulator;
  }

  get algorithms(): ExecutionAlgorithms {
    return this.algos;
  }

  get strategyIds(): string[] {
    return this.host.ids;
  }

  /** Builds and starts a node: every lifecycle step up to the strategies' onStart. */
  static async start(config: NodeConfig, deps: TradingNodeDeps = {}): Promise<TradingNode> {
    const node = new TradingNode(config, deps);
    await node.open();
    return node;
  }

  private log(level: 'info' | 'warn', obj: Record<string, unknown>, msg: string): void {
    this.deps.logger?.[level](obj, msg);
  }

  private async open(): Promise<void> {
    const { config, deps } = this;
    const opened = await openNodeJournal(config, { ...(deps.secrets ? { secrets: deps.secrets } : {}), ...(deps.allowMismatch ? { allowMismatch: true } : {}) });
    this.journal = opened.journal;
    this.log('info', { node: config.node.id, mode: config.node.mode, codeVersion: opened.identity.codeVersion, configHash: opened.identity.configHash.slice(0, 12) }, 'journal opened');
    const last = await lastRecordTime(this.journal);
    if (last !== undefined) {
      this.resumeFrom = last;
      this.clock.set(last);
    }
    this.core = await recoverCore(this.journal, config.risk, {
      clock: this.clock,
      timer: this.timer,
      webhooks: config.node.mode !== 'backtest',
      queries: (v) => this.venues?.get(v).executor?.queries,
    });
    const rec = this.core.engine.recovery;
    this.log('info', { fresh: this.core.fresh, snapshotSeq: rec?.snapshotSeq, replayed: rec?.replayed, fallback: rec?.fallback }, 'recovered');
    this.venues = new VenueRegistry(config.venues, {
      engine: this.engine,
      clock: this.clock,
      timer: this.timer,
      executors: config.node.mode !== 'backtest',
      ...(this.core.risk ? { chaser: this.core.risk.chaser } : {}),
      onHealth: (h) => this.bus.publish('venueHealth', h),
    });
    this.venues.connectAll();
    this.emulator = new OrderEmulator(this.engine, { capabilities: this.venues.capabilities() });
    this.algos = new ExecutionAlgorithms(this.engine);
    await this.emulator.recover();
    await recoverAlgos(this.algos);
    this.counters();
    // The data is opened now: a fresh node journals its instruments and accounts at the data's first time.
    this.feed = steps(replayStream(config.data.replay), this.resumeFrom)[Symbol.asyncIterator]();
    this.pending = await this.feed.next();
    await this.ready(this.pending.done ? undefined : this.pending.value[0]!.ts);
  }

  /**
   * The steps that need the first data time on a fresh node (instruments, accounts and strategies
   * are journaled at the data's time): instruments, accounts, reconciliation, strategies.
   */
  private async ready(firstTs: number | undefined): Promise<void> {
    if (this.core.fresh && firstTs !== undefined && firstTs > this.clock.now()) this.clock.set(firstTs);
    this.registeredNow = await registerInstruments(this.engine, this.config, this.venues);
    this.openedNow = await openAccounts(this.engine, this.config, this.venues);
    this.log('info', { registered: this.registeredNow, opened: this.openedNow }, 'instruments and accounts');
    this.reconciled = await this.reconcileAll();
    this.emulator.start();
    this.snapshotter = new Snapshotter(this.engine, this.journal, { every: this.config.node.snapshot_every });
    const engine = this.engine;
    this.host = new StrategyHost({
      engine,
      configs: this.config.strategies,
      ...(this.deps.strategies ? { factories: this.deps.strategies } : {}),
      runTag: `r${this.journal.lastSeq()}`,
      route: async (order, origin) => {
        if (!isOrderType(order.type) || !this.emulator.emulates(order.instrumentId, order.type)) return strategyResult(await engine.submitOrder(order, origin));
        const r = await this.emulator.submitOrder(order, origin);
        return 'orders' in r ? strategyResult(r) : Object.freeze({ clientOrderIds: Object.freeze([r.clientOrderId]), denied: Object.freeze([]) });
      },
    });
    await this.host.start();
  }

  private async reconcileAll(): Promise<ReconcileReport[]> {
    const out: ReconcileReport[] = [];
    for (const v of this.venues.all()) {
      const r = await reconcile(this.engine, v.venue);
      if (this.core.risk) chaseResentCancels(this.core.risk.chaser, r);
      if (r.halted || r.neverReachedVenue.length > 0) this.log('warn', { venue: v.name, neverReached: r.neverReachedVenue.length, halted: r.halted }, 'reconciled');
      out.push(r);
    }
    this.core.risk?.chaser.start(this.core.risk.control);
    return out;
  }

  private counters(): void {
    this.engine.bus.subscribe('order', (e) => {
      if (e.kind === 'OrderInitialized') this.counts.orders++;
      else if (e.kind === 'OrderFilled') this.counts.fills++;
      else if (e.kind === 'OrderDenied') {
        this.counts.denied++;
        this.counts.deniedByCode[e.code] = (this.counts.deniedByCode[e.code] ?? 0) + 1;
      }
    });
  }

  status(): NodeStatus {
    const c = this.counts;
    return { steps: c.steps, items: c.items, ts: c.ts, orders: c.orders, fills: c.fills, denied: c.denied, deniedByCode: { ...c.deniedByCode } };
  }

  /**
   * Replays the configured data to its end (or until `stop()` or `maxSteps`), then stops the node
   * unless `keepOpen`. Each step (the items opening at one time): the exchanges walk them at their
   * open, the clock moves to their close, risk control's time passes, strategies' timers fire, the
   * engine takes each price (updateBar / updateMarket) and the strategies see it; then the step
   * settles (venue calls, emulator and algorithm actions) before the next one.
   */
  async run(o: { readonly maxSteps?: number; readonly keepOpen?: boolean } = {}): Promise<RunSummary> {
    const pacer = new Pacer(this.mode === 'backtest' ? 'max' : this.config.data.speed, this.deps.wall ?? (() => performance.timeOrigin + performance.now()), this.deps.sleep ?? defaultSleep);
    const it = this.feed;
    let next = this.pending;
    const every = this.deps.statusEvery ?? 1_000;
    let completed = true;
    while (!next.done) {
      if (this.stopping || (o.maxSteps !== undefined && this.counts.steps >= o.maxSteps)) {
        completed = false;
        await it.return?.(undefined);
        break;
      }
      await pacer.until(next.value[0]!.ts);
      await this.step(next.value);
      if (this.counts.steps % every === 0) this.bus.publish('status', this.status());
      next = await it.next();
    }
    const status = this.status();
    this.bus.publish('status', status);
    if (!o.keepOpen) await this.stop();
    return { status, completed };
  }

  private async step(group: readonly MarketItem[]): Promise<void> {
    const clock = this.clock;
    const ts = group[0]!.ts;
    if (ts > clock.now()) clock.set(ts);
    for (const item of group) {
      const inst = this.engine.instrument(item.instrumentId);
      const ex = this.venues.get(inst.venue).exchange;
      if (isTrade(item)) ex.onTrade(inst, inst.price(item.price), item.size);
      else if (isQuote(item)) ex.onQuote(inst, inst.price(item.bid, 'bid'), inst.price(item.ask, 'ask'));
      else ex.onBar(item, inst);
    }
    let close = ts;
    for (const item of group) close = Math.max(close, closeOf(item));
    if (close > clock.now()) clock.set(close);
    if (this.core.risk) await this.core.risk.control.tick();
    this.manualTimer?.runDue();
    await this.host.fireTimers(close);
    for (const item of group) {
      if (isBar(item)) {
        this.engine.updateBar(item);
        await this.host.onBar(item);
      } else if (isTrade(item)) {
        this.engine.updateMarket(item.instrumentId, { last: this.engine.instrument(item.instrumentId).price(item.price) });
        await this.host.onTrade(item);
      } else {
        const inst = this.engine.instrument(item.instrumentId);
        this.engine.updateMarket(item.instrumentId, { bid: inst.price(item.bid, 'bid'), ask: inst.price(item.ask, 'ask') });
        await this.host.onQuote(item);
      }
    }
    await this.settle();
    this.counts.steps++;
    this.counts.items += group.length;
    this.counts.ts = close;
  }

  /** Lets every action decided in this step go out: emulator releases, algorithm slices, venue calls, risk actions. */
  private async settle(): Promise<void> {
    await this.emulator.idle();
    await this.algos.idle();
    if (this.core.risk) await this.core.risk.control.idle();
  }

  /**
   * At a stop no more data comes, so a simulated venue would never answer the calls it holds
   * (they wait out its latency, answered as data moves it): its clock is moved on by DRAIN_MS
   * and it runs what is due, so every call in flight is answered before the journal closes.
   */
  private async drain(): Promise<void> {
    this.clock.set(this.clock.now() + DRAIN_MS);
    for (const v of this.venues.all()) v.exchange.advance();
    await this.settle();
    for (const v of this.venues.all()) if (v.executor) await v.executor.idle();
  }

  /** Asks a running `run()` to stop after its current step (a signal handler calls this). */
  requestStop(): void {
    this.stopping = true;
  }

  /**
   * Stops: strategies' onEnd, then each venue configured `cancel_on_stop` has its working orders
   * canceled, everything in flight settles, a last snapshot is taken and the journal closed.
   * Held (emulated) orders stay held: they are journaled and come back on the next start.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopping = true;
    if (this.host) await this.host.stop();
    await this.drain();
    for (const v of this.venues.all()) {
      if (!v.config.cancel_on_stop) continue;
      for (const order of [...this.engine.openOrders()]) {
        if (this.engine.instrument(order.instrumentId).venue !== v.name || order.status === 'PENDING_CANCEL') continue;
        await this.engine.cancelOrder(order.clientOrderId, SYSTEM).catch((e: unknown) => this.log('warn', { order: order.clientOrderId, err: String(e) }, 'cancel on stop failed'));
      }
    }
    await this.drain();
    this.emulator.stop();
    this.algos.dispose();
    await this.core.risk?.webhook?.idle();
    if (this.snapshotter) {
      // Reports applied without a command to await them may still be in their batch.
      while (this.journal.durableSeq() < this.journal.lastSeq()) await new Promise((r) => setImmediate(r));
      this.snapshotter.takeNow();
      await this.snapshotter.flush();
      this.snapshotter.close();
    }
    await this.journal.close();
    this.log('info', { ...this.status() }, 'stopped');
  }
}

/** How far a stop moves the data clock to let simulated venues answer what they hold (above any configured latency). */
const DRAIN_MS = 60_000;

/** The tsInit of the journal's last record: where a restarted replay resumes. */
async function lastRecordTime(journal: DurableJournal): Promise<number | undefined> {
  const last = journal.lastSeq();
  if (last === 0) return undefined;
  for await (const r of journal.read(last)) return r.event.tsInit;
  return undefined;
}

/** Journaled algorithms (issue 12) bring back running TWAPs with `recover()`; before they exist, there is nothing to recover. */
async function recoverAlgos(algos: ExecutionAlgorithms): Promise<void> {
  const r = (algos as unknown as { recover?: () => Promise<void> }).recover;
  if (typeof r === 'function') await r.call(algos);
}

const isOrderType = (t: string): t is OrderType => (ORDER_TYPES as readonly string[]).includes(t);

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
