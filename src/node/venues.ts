import type { Clock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineAlert } from '../engine/topics.ts';
import type { Venue, VenueCapabilities, VenueConnectionState, VenueReport } from '../engine/venue.ts';
import type { CancelChaser } from '../execution/cancel-chaser.ts';
import { guardConnection } from '../execution/connection-guard.ts';
import { Executor } from '../execution/executor.ts';
import type { Timer } from '../execution/timer.ts';
import { LookupError, ValidationError } from '../model/errors.ts';
import { instrumentId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Money } from '../model/money.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import { SimAccounts } from '../venues/sim/exchange/balances.ts';
import { SimulatedExchange } from '../venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue } from '../venues/sim/faults/fault-injecting-venue.ts';
import { faultOptions, simExchangeOptions, type SimVenueConfig, type VenueConfig } from './config/index.ts';
import { connectLiveVenue, type LiveVenue } from './live-venue.ts';
import { connectBroker, isBrokerConfig, isOpen, watchProbe, type BrokerFactory, type BrokerVenueConfig, type LiveBroker, type ProbeResult } from './brokers.ts';

export interface PaperExecutorOptions {
  readonly clock: Clock;
  /** What the executor waits on (report timeouts, backoff): a RealTimer on the wall clock, a ManualTimer in tests. */
  readonly timer: Timer;
  /** Sees risk cancels through, those reconciliation resends on a reconnect included. */
  readonly chaser?: CancelChaser;
  /** Each alert of the executor, before the engine's bus publishes it. */
  readonly onAlert?: (a: EngineAlert) => void;
  /** Each connection change the venue reports through the executor. */
  readonly onConnection?: (s: VenueConnectionState) => void;
}

/**
 * A paper venue as the node wires it: the venue behind an Executor in PAPER mode, given to the
 * engine, so paper orders take the path a live venue's will (timed, logged calls; reports matched
 * by client order id; an unanswered order settled by queries; statistics), and guarded as a live
 * venue is (a venue that reports a disconnect makes its scope REDUCING until reconciled).
 */
export function addPaperExecutor(engine: Engine, venue: Venue, o: PaperExecutorOptions): Executor {
  const executor = new Executor(venue, {
    mode: 'PAPER',
    clock: o.clock,
    timer: o.timer,
    // As a live venue would be configured; the in-process exchange answers at once, so it never fires.
    callTimeoutMs: 5_000,
    arrivalPrice: (id) => engine.portfolio.quote(instrumentId(id))?.last,
    onAlert: (a) => {
      o.onAlert?.(a);
      engine.bus.publish('alert', a);
    },
  });
  if (o.onConnection) executor.onConnection(o.onConnection);
  engine.addVenue(executor);
  guardConnection(engine, executor, o.chaser ? { chaser: o.chaser } : {});
  return executor;
}

/** What the registry knows of a venue's connection, kept current and published on every change. */
export interface VenueHealth {
  readonly venue: string;
  readonly type: VenueConfig['type'] | BrokerVenueConfig['type'];
  readonly connected: boolean;
  /** Node clock time of the last report from the venue. */
  readonly lastMessageTs: number | undefined;
  /**
   * The last round trip: from a submit, modify or cancel to the venue's first report about that
   * order, on the node's clock (data time in a replay, where a simulated venue answers as data moves it).
   */
  readonly latencyMs: number | undefined;
  readonly messages: number;
  readonly errors: number;
  readonly lastError: string | undefined;
  /** A broker's last successful health probe (node clock), its round trip and what the broker said; absent where nothing probes. */
  readonly heartbeatTs?: number;
  readonly probeLatencyMs?: number;
  readonly detail?: string;
}

/** Reports counted since a venue's health was last built (VenueRegistry.current). */
interface Traffic {
  dirty: boolean;
  messages: number;
  lastMessageTs: number | undefined;
  latencyMs: number | undefined;
}

/** A venue as the node runs it: the simulated exchange (fed market data) or the live exchange, and what the engine talks to. */
export interface NodeVenue {
  readonly name: string;
  readonly config: VenueConfig | BrokerVenueConfig;
  /** The simulated exchange of a `sim` venue; undefined for a live one. */
  readonly exchange: SimulatedExchange | undefined;
  /** The ccxt exchange of a `ccxt` venue. */
  readonly live: LiveVenue | undefined;
  /** The adapter of a broker venue (alpaca, ibkr, trading212, mt5). */
  readonly broker?: LiveBroker;
  /** The executor in front of the exchange (paper); undefined when the engine talks to the exchange itself (backtest). */
  readonly executor: Executor | undefined;
  /** What was given to engine.addVenue. */
  readonly venue: Venue;
}

export interface VenueRegistryOptions {
  readonly engine: Engine;
  readonly clock: Clock;
  /** What the executors wait on (report timeouts, backoff). */
  readonly timer: Timer;
  /** PAPER: each exchange behind an Executor, guarded as a live venue is. Backtest: the exchange itself. */
  readonly executors: boolean;
  readonly chaser?: CancelChaser;
  readonly onHealth?: (h: VenueHealth) => void;
  /**
   * Applied to the text a venue sends (report reasons) and throws (call errors) before the engine
   * journals or the executor reports it: a venue that echoes a credential (FAULTS 31) does not
   * put it in the journal. Default: none.
   */
  readonly scrub?: (text: string) => string;
  /** Broker adapters over the built-in ones, by venue type. */
  readonly brokers?: Readonly<Record<string, BrokerFactory>>;
  /**
   * The time a broker adapter reckons its waits on (rate-limit windows, resets in the broker's
   * epoch time): the wall clock on a live node, which moves while the node starts; default `clock`.
   */
  readonly brokerClock?: Clock;
  /**
   * Whether the node can start without reaching this broker (its instruments and account are in
   * the journal): then a broker that cannot be reached is opened in the background, retried with
   * backoff. Default: never (an unreachable broker fails the start).
   */
  readonly canWait?: (venue: string) => boolean;
}

/**
 * The node's venues by name, each built from its config `type` the first time it is asked for
 * (only `sim` exists: a SimulatedExchange with the configured models and faults), added to the
 * engine, its health (connected, last message, errors) cached and published. Capabilities come
 * from the venue and drive emulation (an order type it lacks is held by the OrderEmulator).
 */
export class VenueRegistry {
  private readonly venues = new Map<string, NodeVenue>();
  private readonly health = new Map<string, VenueHealth>();
  /**
   * Each venue's reports counted since its health was last built: a report only counts (a backtest
   * has one per order event), so the health object is built again when it is asked for, not per report.
   */
  private readonly traffic = new Map<string, Traffic>();
  private readonly accounts = new SimAccounts();
  /** ccxt venues connected by connectAll, those without credentials (market data only) included. */
  private readonly liveVenues = new Map<string, LiveVenue>();
  /** Brokers connected by connectAll, and the stops of their health probes. */
  private readonly brokers = new Map<string, LiveBroker>();
  private readonly probes: (() => void)[] = [];

  constructor(
    private readonly configs: Readonly<Record<string, VenueConfig>>,
    private readonly o: VenueRegistryOptions,
  ) {}

  get names(): string[] {
    return Object.keys(this.configs);
  }

  /** The venue: a simulated one is built on first use; a live one must have been connected (connectAll). */
  get(name: string): NodeVenue {
    const known = this.venues.get(name);
    if (known) return known;
    const config = this.configs[name];
    if (!config) throw new LookupError('UNKNOWN_VENUE', `venue ${name} is not configured`, { venue: name });
    if (config.type !== 'sim') throw new LookupError('UNKNOWN_VENUE', `venue ${name} is not connected${this.liveVenues.has(name) ? ': it has no credentials (market data only)' : ''}`, { venue: name });
    const v = this.build(name, config);
    this.venues.set(name, v);
    return v;
  }

  /** A connected ccxt venue (trading or market data only). */
  live(name: string): LiveVenue | undefined {
    return this.liveVenues.get(name);
  }

  /** A connected broker. */
  broker(name: string): LiveBroker | undefined {
    return this.brokers.get(name);
  }

  /** Names of the venues that trade (given to the engine); a ccxt venue without credentials only gives market data. */
  get tradingNames(): string[] {
    return this.names.filter((n) => this.configs[n]!.type === 'sim' || this.liveVenues.get(n)?.adapter !== undefined || this.brokers.has(n));
  }

  /**
   * Builds every configured venue; a live one is connected (client, markets, and its adapter
   * behind an executor when it has credentials). `accountOf` names the node's account on a venue.
   */
  async connectAll(accountOf: (venue: string) => string | undefined = () => undefined): Promise<NodeVenue[]> {
    for (const [name, config] of Object.entries(this.configs)) {
      if (isBrokerConfig(config) && !this.brokers.has(name)) await this.connectBroker(name, config, accountOf(name));
      if (config.type !== 'ccxt' || this.liveVenues.has(name)) continue;
      this.health.set(name, { venue: name, type: config.type, connected: true, lastMessageTs: undefined, latencyMs: undefined, messages: 0, errors: 0, lastError: undefined });
      const live = await connectLiveVenue(name, config, {
        engine: this.o.engine,
        clock: this.o.clock,
        timer: this.o.timer,
        ...(this.o.chaser ? { chaser: this.o.chaser } : {}),
        accountId: accountOf(name),
        onAlert: (code, message) => {
          this.update(name, (h) => ({ ...h, errors: h.errors + 1, lastError: `${code}: ${message}` }));
          this.o.engine.bus.publish('alert', { code, message, context: { venue: name }, ts: this.o.clock.now() });
        },
        onConnection: (s) => this.update(name, (h) => ({ ...h, connected: s === 'UP' })),
        wrap: (v) => this.observed(name, v),
      });
      this.liveVenues.set(name, live);
      if (live.adapter && live.executor) this.venues.set(name, { name, config, exchange: undefined, live, executor: live.executor, venue: live.executor });
      this.publish(name);
    }
    return this.tradingNames.map((n) => this.get(n));
  }

  /**
   * A broker: its adapter built, opened and put behind a LIVE executor, its health probed now and
   * then on the config's schedule (the cache `warden venues check` and the API show).
   */
  private async connectBroker(name: string, config: Parameters<typeof connectBroker>[1], accountId: string | undefined): Promise<void> {
    this.health.set(name, { venue: name, type: config.type, connected: false, lastMessageTs: undefined, latencyMs: undefined, messages: 0, errors: 0, lastError: undefined });
    const onAlert = (code: string, message: string): void => {
      this.update(name, (h) => ({ ...h, errors: h.errors + 1, lastError: `${code}: ${message}` }));
      this.o.engine.bus.publish('alert', { code: code as never, message, context: { venue: name }, ts: this.o.clock.now() });
    };
    const scrub = this.o.scrub ?? ((t: string) => t);
    const probed = (r: ProbeResult): void =>
      this.update(name, (h) => (r.ok ? { ...h, heartbeatTs: r.ts, probeLatencyMs: r.latencyMs, detail: r.detail } : { ...h, errors: h.errors + 1, lastError: scrub(`probe failed: ${r.error}`) }));
    const probe = (b: LiveBroker): void => void this.probes.push(watchProbe(b.adapter, { timer: this.o.timer, clock: this.o.clock, everyMs: config.health_check_ms, onResult: probed }));
    const broker = await connectBroker(name, config, {
      engine: this.o.engine,
      clock: this.o.brokerClock ?? this.o.clock,
      timer: this.o.timer,
      ...(this.o.chaser ? { chaser: this.o.chaser } : {}),
      ...(this.o.brokers ? { factories: this.o.brokers } : {}),
      accountId,
      onAlert,
      onConnection: (s) => this.update(name, (h) => ({ ...h, connected: s === 'UP' })),
      wrap: (v) => this.observed(name, v),
      ...(this.o.canWait?.(name)
        ? {
            waitFor: {
              baseBackoffMs: 1_000,
              maxBackoffMs: 60_000,
              onFailure: (attempt, error) => this.update(name, (h) => ({ ...h, connected: false, errors: h.errors + 1, lastError: scrub(`not reached since the start (attempt ${attempt}): ${error}`) })),
              // The orders journaled before this start are the adapter's to map before the guard reconciles (it does on UP).
              onOpen: (b) => {
                b.adapter.remember(this.journaledOrders(name));
                probe(b);
              },
            },
          }
        : {}),
    });
    this.brokers.set(name, broker);
    this.venues.set(name, { name, config, exchange: undefined, live: undefined, broker, executor: broker.executor, venue: broker.executor });
    if (isOpen(broker)) {
      this.update(name, (h) => ({ ...h, connected: true }));
      probe(broker);
    }
  }

  /** The orders of `venue` the engine holds as working (journaled before this start), as an adapter remembers them. */
  journaledOrders(venue: string): { spec: OrderSpec; venueOrderId: string | undefined }[] {
    const engine = this.o.engine;
    return [...engine.openOrders()].filter((o) => engine.instrument(o.instrumentId).venue === venue).map((o) => ({ spec: o.spec, venueOrderId: o.venueOrderId }));
  }

  /** Closes the live venues' streams and sockets. */
  async close(): Promise<void> {
    for (const stop of this.probes.splice(0)) stop();
    for (const b of this.brokers.values()) {
      b.lazy?.stop();
      await b.adapter.close();
    }
    for (const v of this.liveVenues.values()) {
      if (v.adapter) await v.adapter.close();
      else await v.client.close();
    }
  }

  all(): NodeVenue[] {
    return [...this.venues.values()];
  }

  /** Each built venue's capabilities, for the emulator. */
  capabilities(): { id: string; capabilities: VenueCapabilities }[] {
    return this.tradingNames.map((n) => ({ id: n, capabilities: this.get(n).venue.capabilities }));
  }

  healthOf(name: string): VenueHealth | undefined {
    return this.current(name);
  }

  healthAll(): VenueHealth[] {
    return [...this.health.keys()].map((n) => this.current(n)!);
  }

  /** Lists an instrument at its venue: a simulated one books it; a live one maps it to the exchange's market (setup.ts). */
  list(instrument: Instrument): void {
    this.get(instrument.venue).exchange?.list(instrument);
  }

  /**
   * Tells the venue an account's balances and (after a restart) positions, as the journal has
   * them: the simulated venue lives in this process and starts empty.
   */
  restoreAccount(venue: string, accountId: string, balances: readonly Money[], positions: readonly { instrument: Instrument; signedRaw: bigint }[]): void {
    const ex = this.get(venue).exchange;
    if (!ex) return; // a live venue holds the account itself
    if (!ex.accounts.checks(accountId)) ex.accounts.openCashAccount(accountId, balances);
    for (const p of positions) ex.restorePosition(accountId, p.instrument, p.signedRaw / p.instrument.lotSize.raw);
  }

  private build(name: string, config: SimVenueConfig | VenueConfig): NodeVenue {
    const { engine, clock } = this.o;
    if (config.type !== 'sim') throw new ValidationError('INVALID_FIELD', `venue ${name}: ${config.type} venues are connected by connectAll`, { field: `venues.${name}.type` });
    // One ledger for every venue of the node: an account is one, whichever venue it trades on.
    const exchange = new SimulatedExchange({ ...simExchangeOptions(name, config, clock), accounts: this.accounts });
    const faults = faultOptions(config);
    const inner = faults ? new FaultInjectingVenue(exchange, faults) : exchange;
    this.health.set(name, { venue: name, type: config.type, connected: true, lastMessageTs: undefined, latencyMs: undefined, messages: 0, errors: 0, lastError: undefined });
    const observed = this.observed(name, inner);
    let executor: Executor | undefined;
    if (this.o.executors) {
      executor = addPaperExecutor(engine, observed, {
        clock,
        timer: this.o.timer,
        ...(this.o.chaser ? { chaser: this.o.chaser } : {}),
        onAlert: (a) => this.update(name, (h) => ({ ...h, errors: h.errors + 1, lastError: `${a.code}: ${a.message}` })),
        onConnection: (s) => this.update(name, (h) => ({ ...h, connected: s === 'UP' })),
      });
    } else {
      engine.addVenue(observed);
    }
    this.publish(name);
    return { name, config, exchange, live: undefined, executor, venue: executor ?? observed };
  }

  /** The venue with every report counted as a message (the health's last message time). */
  private observed(name: string, inner: Venue): Venue {
    const clock = this.o.clock;
    // Calls awaiting the venue's first word about their order; bounded by the orders in flight.
    const asked = new Map<string, number>();
    const ask = (cid: string): void => void asked.set(cid, clock.now());
    const t: Traffic = { dirty: false, messages: 0, lastMessageTs: undefined, latencyMs: undefined };
    this.traffic.set(name, t);
    const seen = (r: VenueReport): void => {
      const at = asked.get(r.clientOrderId);
      if (at !== undefined) asked.delete(r.clientOrderId);
      const now = clock.now();
      t.dirty = true;
      t.messages++;
      t.lastMessageTs = now;
      if (at !== undefined) t.latencyMs = now - at;
    };
    const scrub = this.o.scrub;
    // Without secrets to scrub (a backtest) reports and calls pass straight through: no closure per call or report.
    const v: Venue = {
      id: inner.id,
      capabilities: inner.capabilities,
      connect: (sink: (r: VenueReport) => void) =>
        inner.connect(
          scrub
            ? (r) => {
                seen(r);
                sink('reason' in r ? { ...r, reason: scrub(r.reason) } : r);
              }
            : (r) => {
                seen(r);
                sink(r);
              },
        ),
      submit: scrub ? (r) => (ask(r.spec.clientOrderId), scrubbedCall(() => inner.submit(r), scrub)) : (r) => (ask(r.spec.clientOrderId), inner.submit(r)),
      modify: scrub ? (r) => (ask(r.clientOrderId), scrubbedCall(() => inner.modify(r), scrub)) : (r) => (ask(r.clientOrderId), inner.modify(r)),
      cancel: scrub ? (r) => (ask(r.clientOrderId), scrubbedCall(() => inner.cancel(r), scrub)) : (r) => (ask(r.clientOrderId), inner.cancel(r)),
      ...(inner.queries ? { queries: inner.queries } : {}),
      ...(inner.onConnection ? { onConnection: (l) => inner.onConnection!(l) } : {}),
      ...(inner.onMarketNotice ? { onMarketNotice: (l) => inner.onMarketNotice!(l) } : {}),
    };
    return v;
  }

  private update(name: string, f: (h: VenueHealth) => VenueHealth): void {
    const h = this.current(name);
    if (!h) return;
    this.health.set(name, f(h));
    this.publish(name);
  }

  private publish(name: string): void {
    const h = this.current(name);
    if (h && this.o.onHealth) this.o.onHealth(h);
  }

  /** The venue's health with the reports counted since it was last built. */
  private current(name: string): VenueHealth | undefined {
    const h = this.health.get(name);
    const t = this.traffic.get(name);
    if (!h || !t?.dirty) return h;
    t.dirty = false;
    const next: VenueHealth = { ...h, messages: h.messages + t.messages, lastMessageTs: t.lastMessageTs, ...(t.latencyMs !== undefined ? { latencyMs: t.latencyMs } : {}) };
    t.messages = 0;
    t.latencyMs = undefined;
    this.health.set(name, next);
    return next;
  }
}

/** Runs a venue call; an error it throws or rejects with has its message scrubbed (its class and code kept). */
function scrubbedCall<T>(f: () => T, scrub: (text: string) => string): T {
  const fix = (e: unknown): never => {
    if (e instanceof Error) {
      e.message = scrub(e.message);
      if (e.stack) e.stack = scrub(e.stack);
    }
    throw e;
  };
  let out: T;
  try {
    out = f();
  } catch (e) {
    return fix(e);
  }
  return out instanceof Promise ? (out.catch(fix) as T) : out;
}
