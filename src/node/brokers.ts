import type { Clock } from '../engine/clock.ts';
import type { Timer } from '../execution/timer.ts';
import type { Executor } from '../execution/executor.ts';
import { addLiveExecutor, type LiveConnectDeps } from './live-venue.ts';
import { ValidationError, VenueCallError } from '../model/errors.ts';
import { LazyBroker, withTimeout } from './lazy-broker.ts';
import type { BrokerDeps, BrokerVenue } from '../venues/broker/contract.ts';
import { createMt5Venue } from '../venues/mt5/index.ts';
import { createAlpacaVenue } from '../venues/alpaca/index.ts';
import { createIbkrVenue } from '../venues/ibkr/index.ts';
import { createTrading212Venue } from '../venues/trading212/index.ts';
import { BROKER_COMMON_FIELDS, type AlpacaNodeVenueConfig, type IbkrNodeVenueConfig, type Mt5NodeVenueConfig, type Trading212NodeVenueConfig } from './config/venues.ts';

/** The venue types that are brokers, each an adapter in src/venues/<type>/ with its config schema there. */
export const BROKER_TYPES = ['alpaca', 'ibkr', 'trading212', 'mt5'] as const;
export type BrokerType = (typeof BROKER_TYPES)[number];

/** What the node reads of any broker's venue config (each broker's own fields are its adapter's). */
export interface BrokerVenueConfig {
  readonly type: BrokerType;
  readonly cancel_on_stop: boolean;
  /** The adapter's own request timeout; the executor waits 5 s longer. */
  readonly timeout_ms: number;
  /** How often the health check's probe runs (cached between). */
  readonly health_check_ms: number;
}

/** Builds a broker's adapter from its venue config (src/venues/<broker>/index.ts). */
export type BrokerFactory = (config: BrokerVenueConfig, deps: BrokerDeps) => BrokerVenue;

/** The built-in brokers' factories, by venue type. */
const BROKER_FACTORIES: Partial<Record<BrokerType, BrokerFactory>> = {
  // Alpaca's schema has a timeout of its own: the node's common one is it.
  alpaca: (c, d) => createAlpacaVenue({ ...ownFields(c as AlpacaNodeVenueConfig), timeout_ms: c.timeout_ms }, d),
  ibkr: (c, d) => createIbkrVenue(ownFields(c as IbkrNodeVenueConfig), d),
  trading212: (c, d) => createTrading212Venue(ownFields(c as Trading212NodeVenueConfig), d),
  mt5: (c, d) => createMt5Venue(ownFields(c as Mt5NodeVenueConfig), d),
};

/** A broker's config without the fields every broker takes (the node's), as its adapter's own schema has it. */
export function ownFields<C extends BrokerVenueConfig>(c: C): C {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !BROKER_COMMON_FIELDS.includes(k))) as C;
}

/** A broker as the node holds it: its adapter and the LIVE executor the engine talks to. */
export interface LiveBroker {
  readonly name: string;
  readonly config: BrokerVenueConfig;
  readonly adapter: BrokerVenue;
  readonly executor: Executor;
  /** Set when the broker could not be reached at start and is being opened in the background. */
  readonly lazy?: LazyBroker;
}

/** Whether the broker's session is open (always, unless it could not be reached at start and has not been since). */
export const isOpen = (b: LiveBroker): boolean => b.lazy?.isOpen ?? true;

/** How a broker not reached at start is retried, and what the node does once it opens. */
export interface WaitForBroker {
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly onFailure: (attempt: number, error: string) => void;
  readonly onOpen: (broker: LiveBroker) => void;
}

export interface LiveBrokerDeps extends LiveConnectDeps {
  /** Factories over the built-in ones (a broker adapter of the user's own, or a test's). */
  readonly factories?: Readonly<Record<string, BrokerFactory>>;
  /**
   * Given when the node can start without the broker (its instruments and account are in the
   * journal): a broker that cannot be reached then is opened in the background (LazyBroker).
   * Without it, a broker that cannot be reached fails the start.
   */
  readonly waitFor?: WaitForBroker;
}

/** Whether a venue config names a broker (alpaca, ibkr, trading212, mt5), rather than sim or ccxt. */
export function isBrokerConfig(config: { readonly type: string }): config is BrokerVenueConfig {
  return (BROKER_TYPES as readonly string[]).includes(config.type);
}

/** A broker's adapter, not yet opened, from its venue config. */
export function createBroker(name: string, config: BrokerVenueConfig, deps: BrokerDeps, factories?: Readonly<Record<string, BrokerFactory>>): BrokerVenue {
  const create = factories?.[config.type] ?? BROKER_FACTORIES[config.type];
  if (!create) throw new ValidationError('INVALID_FIELD', `venue ${name}: no broker adapter of type ${config.type}`, { field: `venues.${name}.type` });
  return create(config, deps);
}

/** Connects a broker: its adapter built and opened (login, handshake, streams), behind a LIVE executor (addLiveExecutor). */
export async function connectBroker(name: string, config: BrokerVenueConfig, d: LiveBrokerDeps): Promise<LiveBroker> {
  if (d.accountId === undefined) throw new ValidationError('INVALID_FIELD', `venue ${name} trades but no account is configured on it`, { field: 'accounts' });
  const adapter = createBroker(name, config, { name, accountId: d.accountId, clock: d.clock, timer: d.timer, onAlert: d.onAlert }, d.factories);
  let failure: string | undefined;
  try {
    await withTimeout(adapter.open(), config.timeout_ms, d.timer);
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  if (failure === undefined) return { name, config, adapter, executor: addLiveExecutor(d.wrap(adapter), config.timeout_ms, d) };
  const wait = d.waitFor;
  if (!wait) {
    await adapter.close().catch(() => undefined);
    throw new VenueCallError('VENUE_UNAVAILABLE', `venue ${name} (${config.type}) could not be reached: ${failure}`, { venue: name });
  }
  wait.onFailure(1, failure);
  // onOpen runs after start() below, once `broker` is set.
  const lazy = new LazyBroker(adapter, { timer: d.timer, baseBackoffMs: wait.baseBackoffMs, maxBackoffMs: wait.maxBackoffMs, attemptTimeoutMs: config.timeout_ms, onFailure: wait.onFailure, onOpen: () => wait.onOpen(broker) });
  const broker: LiveBroker = { name, config, adapter, executor: addLiveExecutor(d.wrap(lazy), config.timeout_ms, d), lazy };
  lazy.start();
  return broker;
}

/** A probe's outcome, for the venue's health. */
export type ProbeResult = { readonly ok: true; readonly ts: number; readonly latencyMs: number; readonly detail: string } | { readonly ok: false; readonly ts: number; readonly error: string };

/**
 * Probes the broker now and then every `everyMs` on the timer (the health cache between), each
 * outcome told to `onResult`; returns the stop. A probe is never started while one is out.
 */
export function watchProbe(adapter: BrokerVenue, o: { readonly timer: Timer; readonly clock: Clock; readonly everyMs: number; readonly onResult: (r: ProbeResult) => void }): () => void {
  let stopped = false;
  let cancel: (() => void) | undefined;
  const once = async (): Promise<void> => {
    try {
      const p = await adapter.probe();
      if (!stopped) o.onResult({ ok: true, ts: o.clock.now(), latencyMs: p.latencyMs, detail: p.detail });
    } catch (e) {
      if (!stopped) o.onResult({ ok: false, ts: o.clock.now(), error: e instanceof Error ? e.message : String(e) });
    }
  };
  const next = (): void => {
    if (stopped) return;
    cancel = o.timer.schedule(o.everyMs, () => void once().finally(next));
  };
  void once().finally(next);
  return () => {
    stopped = true;
    cancel?.();
  };
}
