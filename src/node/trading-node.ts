import type { Logger } from 'pino';
import type { StrategyFactory, StrategyResult } from '../strategy/strategy.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { Origin } from '../engine/origin.ts';
import { ExecutionAlgorithms } from '../algos/runner.ts';
import { MessageBus } from '../engine/bus.ts';
import { TestClock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import { OrderEmulator } from '../execution/emulation/emulator.ts';
import { SYSTEM } from '../engine/origin.ts';
import { reconcile, type ReconcileReport } from '../engine/reconcile.ts';
import { chaseResentCancels } from '../execution/risk-stack.ts';
import { complianceOf, dayEndOf } from './compliance.ts';
import type { Compliance } from '../risk/compliance/compliance.ts';
import { ManualTimer, RealTimer, type Timer } from '../execution/timer.ts';
import { Snapshotter } from '../journal/snapshotter.ts';
import type { DurableJournal } from '../journal/types.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { ValidationError } from '../model/errors.ts';
import { ORDER_TYPES, type OrderType } from '../model/orders/types.ts';
import type { NodeConfig } from './config/index.ts';
import { openNodeJournal } from './journal.ts';
import { loopedReplay, Pacer, replayStream, type MarketItem } from './market-data.ts';
import { Stepper } from './stepper.ts';
import { recoverCore, type RecoveredCore } from './recover.ts';
import { InProcessJournal } from './run-journal.ts';
import { StepFeed, type DataRange } from './step-feed.ts';
import { watchAlerts, type NodeAlerts } from './alerts/node-alerts.ts';
import { nodeCommands } from './alerts/node-commands.ts';
import { scrubber } from './secrets.ts';
import { StrategyHost, strategyResult } from './strategy-host.ts';
import { AlertLog } from './alert-log.ts';
import type { RiskGate } from '../risk/gate/index.ts';
import { openAccounts, registerInstruments, registerSpecs } from './setup.ts';
import { LiveMarketData } from './live-data.ts';
import { liveSubscriptions, registerLiveInstruments } from './live-setup.ts';
import { brokerFeeds, journalKnowsBroker, registerBrokerInstruments } from './broker-setup.ts';
import { isOpen, type BrokerFactory } from './brokers.ts';
import { VenueRegistry, type VenueHealth } from './venues.ts';
import type { Env } from './config/env.ts';
import type { Consultant } from '../advisor/consult.ts';
import { createConsultant, NO_ADVISOR } from '../advisor/models/index.ts';
import { advisorSecrets } from '../advisor/models/config.ts';
import { advisorNewsScorer } from '../advisor/tasks/news-scorer.ts';
import { attachCluster, type ClusterAttachment } from '../cluster/attach.ts';
import { ClusterLink } from '../cluster/safety/cluster-link.ts';

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
  /** Broker adapters over the built-in ones, by venue type (a broker of the user's own). */
  readonly brokers?: Readonly<Record<string, BrokerFactory>>;
  /** Open a journal written with another code version or configuration. */
  readonly allowMismatch?: boolean;
  /** Status every this many steps (default 1,000). */
  readonly statusEvery?: number;
  /**
   * What a backtest run gives the node beside its config (runBacktest): the journal (default the
   * config's), the market data already merged in time order (default the config's replayed
   * files), the range of data times replayed, instruments as specs (registered before the
   * config's), and whether risk alerts go to the risk config's webhook (default: not in a backtest).
   */
  readonly journal?: DurableJournal;
  readonly feed?: AsyncIterable<MarketItem> | Iterable<MarketItem>;
  readonly range?: DataRange;
  readonly instruments?: readonly InstrumentSpec[];
  readonly webhooks?: boolean;
  /** Where the advisor's `api_key_env` names are looked up (default process.env). */
  readonly env?: Env;
  /** Called with the recovered engine before anything else listens to it (a backtest's recorder). */
  readonly observe?: (engine: Engine) => void;
  /** Called after each step has settled, with its items (an array reused by the next step) and its close time. */
  readonly onStep?: (items: readonly MarketItem[], close: number) => void;
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
  private alerts: NodeAlerts | undefined;
  private alertLog!: AlertLog;
  private consultant: Consultant = NO_ADVISOR;
  /** Config `cluster:` (not in a backtest): the NATS link and the event publisher. */
  firmEvents: ClusterAttachment | undefined;
  private readonly timer: Timer;
  /** The wall clock (pacing a replay, stamping live data): the system's unless injected. */
  private readonly wall: () => number;
  private readonly manualTimer: ManualTimer | undefined;
  venues!: VenueRegistry;
  reconciled: readonly ReconcileReport[] = [];
  /** Instruments registered and accounts opened by this start (a restart: none of the configured ones again). */
  registeredNow: readonly string[] = [];
  openedNow: readonly string[] = [];
  /** Data time from which this run replays (the journal's last record time on a restart). */
  resumeFrom = -Infinity;
  /** Time of the first step this run replays (undefined: no data to replay). */
  dataStart: number | undefined;
  private feed!: StepFeed;
  /** Live market data (data.subscriptions), when the node runs on it rather than on replayed files. */
  private liveData: LiveMarketData | undefined;
  private stepper!: Stepper;
  private stopping = false;
  private stopped = false;
  /** When this node was started (wall clock, epoch ms). */
  readonly startedAt: number;
  private complianceGate: Compliance | undefined;
  /** The firm over NATS (config `cluster:`): firm budget, firm kill switch, fail-safe on NATS loss. */
  cluster: ClusterLink | undefined;
  private readonly counts = { steps: 0, items: 0, orders: 0, fills: 0, denied: 0, deniedByCode: {} as Record<string, number>, ts: 0 };

  private constructor(
    readonly config: NodeConfig,
    private readonly deps: TradingNodeDeps,
  ) {
    const simulated = Object.entries(config.venues).find(([, v]) => v.type === 'sim');
    if (config.node.mode === 'live' && simulated) {
      throw new ValidationError('INVALID_FIELD', `mode live trades on live venues only, and ${simulated[0]} is simulated: run mode paper`, { field: 'node.mode', input: 'live' });
    }
    this.wall = deps.wall ?? (() => performance.timeOrigin + performance.now());
    this.startedAt = this.wall();
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

  /** The strategies, to list and to start, stop, pause and resume (the API's door). */
  get strategies(): StrategyHost {
    return this.host;
  }

  /** The durable journal: read by sequence (the API's journal and stream). */
  get records(): DurableJournal {
    return this.journal;
  }

  /** The last alerts published on the engine's bus (newest first from `recent`). */
  get recentAlerts(): AlertLog {
    return this.alertLog;
  }

  /**
   * The AI advisor (issue 18): its models from the config's `advisor:` section, every
   * consultation journaled. Without that section it says NOT_CONFIGURED to everything, no I/O.
   */
  get advisor(): Consultant {
    return this.consultant;
  }

  /** The risk gate, when the node has a risk config: its `check` is a pure verdict (POST /api/orders/check). */
  get gate(): RiskGate | undefined {
    return this.core.risk?.gate;
  }

  /** Whether the node has stopped (or is stopping): the API refuses commands then. */
  /** Trading hours and the pattern-day-trader count (undefined: no venue has a calendar). */
  get compliance(): Compliance | undefined {
    return this.complianceGate;
  }

  /** Wall time since this node started (ms). */
  uptimeMs(): number {
    return this.wall() - this.startedAt;
  }

  get isStopped(): boolean {
    return this.stopping;
  }

  /**
   * Sends an order the way a strategy's goes (StrategyHost's `route`): an order type the venue
   * lacks through the order emulator, any other straight to the engine.
   */
  /** Whether `route` hands the order to the order emulator (a type its venue lacks) rather than straight to the engine. */
  emulates(order: OrderRequest): boolean {
    return isOrderType(order.type) && this.emulator.emulates(order.instrumentId, order.type);
  }

  async route(order: OrderRequest, origin: Origin): Promise<StrategyResult> {
    // The firm budget (config `cluster:`) screens it in the engine, whichever way it goes there.
    if (!this.emulates(order)) return strategyResult(await this.engine.submitOrder(order, origin));
    const r = await this.emulator.submitOrder(order, origin);
    return 'orders' in r ? strategyResult(r) : Object.freeze({ clientOrderIds: Object.freeze([r.clientOrderId]), denied: Object.freeze([]) });
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
    if (deps.journal) this.journal = deps.journal;
    else {
      const opened = await openNodeJournal(config, { ...(deps.secrets ? { secrets: deps.secrets } : {}), ...(deps.allowMismatch ? { allowMismatch: true } : {}) });
      this.journal = opened.journal;
      this.log('info', { node: config.node.id, mode: config.node.mode, codeVersion: opened.identity.codeVersion, configHash: opened.identity.configHash.slice(0, 12) }, 'journal opened');
    }
    const last = await lastRecordTime(this.journal);
    if (last !== undefined) {
      this.resumeFrom = last;
      this.clock.set(last);
    }
    this.core = await recoverCore(this.journal, config.risk, {
      clock: this.clock,
      timer: this.timer,
      webhooks: deps.webhooks ?? config.node.mode !== 'backtest',
      scrub: scrubber(deps.secrets ?? []),
      queries: (v) => this.venues?.get(v).executor?.queries,
      compliance: (this.complianceGate = complianceOf(config)),
    });
    deps.observe?.(this.core.engine);
    const cluster = liveCluster(config);
    if (cluster) this.firmEvents = attachCluster(cluster, this.journal, deps.logger ? { logger: deps.logger } : {});
    const env = deps.env ?? process.env;
    const advisorScrub = scrubber([...(deps.secrets ?? []), ...advisorSecrets(config.advisor, env)]);
    this.consultant = createConsultant(config.advisor, { engine: this.core.engine, clock: this.clock, env, scrub: advisorScrub });
    this.alertLog = new AlertLog(this.core.engine);
    this.alerts = watchAlerts(this.engine, config, {
      ...(deps.secrets ? { secrets: deps.secrets } : {}),
      ...(deps.logger ? { logger: deps.logger } : {}),
      now: this.wall,
      commands: nodeCommands({
        nodeId: config.node.id,
        mode: config.node.mode,
        engine: this.engine,
        control: () => this.core.risk?.control,
        counts: () => this.counts,
        scrub: scrubber(deps.secrets ?? []),
      }),
    });
    const rec = this.core.engine.recovery;
    this.log('info', { fresh: this.core.fresh, snapshotSeq: rec?.snapshotSeq, replayed: rec?.replayed, fallback: rec?.fallback }, 'recovered');
    // A live node's time is the wall clock's (never back), from before its venues connect: an adapter reckons its waits (rate-limit resets) on it.
    const onWallClock = config.data.subscriptions.length > 0 || config.node.mode === 'live';
    if (onWallClock && this.wall() > this.clock.now()) this.clock.set(Math.floor(this.wall()));
    this.venues = new VenueRegistry(config.venues, {
      engine: this.engine,
      clock: this.clock,
      timer: this.timer,
      executors: config.node.mode !== 'backtest',
      ...(this.core.risk ? { chaser: this.core.risk.chaser } : {}),
      onHealth: (h) => this.bus.publish('venueHealth', h),
      ...(deps.secrets && deps.secrets.size > 0 ? { scrub: scrubber(deps.secrets) } : {}),
      ...(deps.brokers ? { brokers: deps.brokers } : {}),
      canWait: (venue) => journalKnowsBroker(this.engine, config, venue),
      ...(onWallClock ? { brokerClock: { now: () => Math.max(this.clock.now(), Math.floor(this.wall())) } } : {}),
    });
    await this.venues.connectAll((v) => config.accounts.find((a) => a.venue === v)?.id);
    const dayEnd = dayEndOf(config);
    this.emulator = new OrderEmulator(this.engine, { capabilities: this.venues.capabilities(), ...(dayEnd ? { dayEnd } : {}) });
    this.algos = new ExecutionAlgorithms(this.engine);
    await this.emulator.recover();
    await recoverAlgos(this.algos);
    this.counters();
    if (onWallClock) {
      // Live market data (none at all for a live node on a broker without any): the data stamped as it arrives.
      const wall = this.wall;
      this.liveData = new LiveMarketData(liveSubscriptions(config, this.venues), {
        wall: () => Math.max(this.clock.now(), Math.floor(wall())),
        baseBackoffMs: 500,
        maxBackoffMs: 30_000,
        onAlert: (code, message) => this.engine.bus.publish('alert', { code, message, context: {}, ts: this.clock.now() }),
        feeds: brokerFeeds(config, this.venues),
      });
      await this.ready(undefined);
      return;
    }
    // The data is opened now: a fresh node journals its instruments and accounts at the data's first time.
    const from = Math.max(this.resumeFrom, deps.range?.from ?? -Infinity);
    this.feed = new StepFeed(deps.feed ?? (config.data.loop ? loopedReplay(config.data.replay, from) : replayStream(config.data.replay)), { from, ...(deps.range?.to !== undefined ? { to: deps.range.to } : {}) });
    this.dataStart = await this.feed.open();
    await this.ready(this.dataStart);
  }

  /**
   * The steps that need the first data time on a fresh node (instruments, accounts and strategies
   * are journaled at the data's time): instruments, accounts, reconciliation, strategies.
   */
  private async ready(firstTs: number | undefined): Promise<void> {
    if (this.core.fresh && firstTs !== undefined && firstTs > this.clock.now()) this.clock.set(firstTs);
    const specs = this.deps.instruments ? await registerSpecs(this.engine, this.deps.instruments) : [];
    this.registeredNow = [
      ...specs,
      ...(await registerLiveInstruments(this.engine, this.config, this.venues)),
      ...(await registerBrokerInstruments(this.engine, this.config, this.venues)),
      ...(await registerInstruments(this.engine, this.config, this.venues)),
    ];
    this.openedNow = await openAccounts(this.engine, this.config, this.venues);
    this.log('info', { registered: this.registeredNow, opened: this.openedNow }, 'instruments and accounts');
    this.reconciled = await this.reconcileAll();
    this.emulator.start();
    // A journal of the run's own (a backtest's) keeps no snapshots: taking them would be work for nothing.
    if (!(this.journal instanceof InProcessJournal)) this.snapshotter = new Snapshotter(this.engine, this.journal, { every: this.config.node.snapshot_every });
    const engine = this.engine;
    const newsScorer = advisorNewsScorer(this.consultant);
    this.host = new StrategyHost({
      engine,
      configs: this.config.strategies,
      ...(this.deps.strategies ? { factories: this.deps.strategies } : {}),
      runTag: `r${this.journal.lastSeq()}`,
      emulation: { emulator: this.emulator, algos: this.algos },
      ...(this.deps.logger ? { logger: this.deps.logger } : {}),
      ...(newsScorer ? { services: { newsScorer } } : {}),
      route: (order, origin) => this.route(order, origin),
    });
    const quiet = (): boolean => this.emulator.quiet && this.algos.quiet && (this.core.risk?.control.quiet ?? true);
    this.stepper = new Stepper({
      clock: this.clock,
      engine,
      host: this.host,
      control: this.core.risk?.control,
      timer: this.manualTimer,
      exchangeOf: (inst) => this.venues.get(inst.venue).exchange,
      quiet,
      settle: () => this.settle(),
      done: (items, close) => {
        this.counts.steps++;
        this.counts.items += items.length;
        this.counts.ts = close;
        this.deps.onStep?.(items, close);
      },
    });
    const cluster = liveCluster(this.config);
    if (cluster) this.cluster = await ClusterLink.attach({ engine, control: () => this.core.risk?.control, config: cluster, wall: this.wall, log: (err, what) => this.log('warn', { err: String(err) }, what) });
    await this.host.start();
  }

  /** Each venue's health: connected, last message, last round trip, errors. Also published on `bus` (`venueHealth`) at every change. */
  health(): VenueHealth[] {
    return this.venues.healthAll();
  }

  private async reconcileAll(): Promise<ReconcileReport[]> {
    const out: ReconcileReport[] = [];
    for (const v of this.venues.all()) {
      // A live adapter learns the orders journaled before this start, so their reports map back to them.
      // A broker not reached since the start is reconciled by its guard once it opens (src/node/lazy-broker.ts).
      if (v.broker && !isOpen(v.broker)) continue;
      const journaled = this.venues.journaledOrders(v.name);
      v.live?.adapter?.remember(journaled);
      v.broker?.adapter.remember(journaled);
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

  /** The status, and each venue's health beside it (health is also published at each connection change or error). */
  private publishStatus(): NodeStatus {
    const status = this.status();
    this.bus.publish('status', status);
    for (const h of this.health()) this.bus.publish('venueHealth', h);
    return status;
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
    if (this.liveData) return this.runLive(o);
    const speed = this.mode === 'backtest' ? 'max' : this.config.data.speed;
    const pacer = speed === 'max' ? undefined : new Pacer(speed, this.wall, this.deps.sleep ?? defaultSleep);
    const feed = this.feed;
    const every = this.deps.statusEvery ?? 1_000;
    const maxSteps = o.maxSteps ?? Infinity;
    // The step count of the next status (steps % every === 0) without a modulo per step: a float
    // one (every is past int32 in a backtest) calls out of compiled code.
    const counted = Number.isSafeInteger(every) && every > 0;
    let statusAt = counted ? (Math.floor(this.counts.steps / every) + 1) * every : NaN;
    let completed = true;
    for (;;) {
      if (feed.nextTs === undefined) break;
      if (this.stopping || this.counts.steps >= maxSteps) {
        completed = false;
        break;
      }
      if (pacer) await pacer.until(feed.nextTs);
      // The step's items, read here with one await each (no async layer between reader and node).
      const group = feed.begin();
      while (feed.add(await feed.pull()));
      const stepping = this.stepper.run(group);
      if (stepping) await stepping;
      if (counted ? this.counts.steps === statusAt : this.counts.steps % every === 0) {
        statusAt += every;
        this.publishStatus();
      }
    }
    await feed.close();
    const status = this.publishStatus();
    if (!o.keepOpen) await this.stop();
    return { status, completed };
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
    for (const v of this.venues.all()) v.exchange?.advance();
    await this.settle();
    for (const v of this.venues.all()) if (v.executor) await v.executor.idle();
  }

  /**
   * Live market data: each item as it arrives is a step; between items a wall ticker keeps the
   * node's clock moving (order timeouts, staleness of reference prices), so a quiet market does
   * not freeze time. Runs until `requestStop()` (or `maxSteps`).
   */
  private async runLive(o: { readonly maxSteps?: number; readonly keepOpen?: boolean }): Promise<RunSummary> {
    const live = this.liveData!;
    const wall = this.wall;
    const ticker = setInterval(() => {
      const now = Math.floor(wall());
      if (now > this.clock.now()) this.clock.set(now);
    }, 250);
    live.start();
    const maxSteps = o.maxSteps ?? Infinity;
    const every = this.deps.statusEvery ?? 1_000;
    const group: MarketItem[] = [];
    try {
      for await (const item of live) {
        // Each item is a step as it arrives: nothing waits for the next one.
        group[0] = item;
        const stepping = this.stepper.run(group);
        if (stepping) await stepping;
        if (this.counts.steps % every === 0) this.publishStatus();
        if (this.stopping || this.counts.steps >= maxSteps) break;
      }
    } finally {
      clearInterval(ticker);
      live.close();
    }
    const status = this.publishStatus();
    if (!o.keepOpen) await this.stop();
    return { status, completed: false };
  }

  /** Asks a running `run()` to stop after its current step (a signal handler calls this). */
  requestStop(): void {
    this.stopping = true;
    this.liveData?.close();
  }

  /**
   * Stops: strategies' onStop, then each venue configured `cancel_on_stop` has its working orders
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
    this.liveData?.close();
    await this.cluster?.close();
    await this.venues.close();
    this.emulator.stop();
    this.algos.dispose();
    await this.core.risk?.webhook?.idle();
    await this.alerts?.close();
    this.alertLog.close();
    if (this.snapshotter) {
      // Reports applied without a command to await them may still be in their batch.
      while (this.journal.durableSeq() < this.journal.lastSeq()) await new Promise((r) => setImmediate(r));
      this.snapshotter.takeNow();
      await this.snapshotter.flush();
      this.snapshotter.close();
    }
    await this.firmEvents?.stop();
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

/**
 * The node's cluster config when it is one of the firm's live nodes: a backtest neither publishes
 * its events nor joins the firm budget or kill switch (its orders are simulated, its clock is the
 * data's), whatever its config says.
 */
function liveCluster(config: NodeConfig): NodeConfig['cluster'] {
  return config.node.mode === 'backtest' ? undefined : config.cluster;
}
