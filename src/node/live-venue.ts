import type { Exchange, MarketInterface } from 'ccxt';
import type { AlertCode } from '../engine/alert-codes.ts';
import type { Clock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import type { Venue } from '../engine/venue.ts';
import type { CancelChaser } from '../execution/cancel-chaser.ts';
import { guardConnection } from '../execution/connection-guard.ts';
import { Executor } from '../execution/executor.ts';
import { followMarketNotices } from '../execution/market-watch.ts';
import type { Timer } from '../execution/timer.ts';
import { currency, type Currency } from '../model/currency.ts';
import { instrumentId } from '../model/identifiers.ts';
import { CcxtVenue } from '../venues/ccxt/ccxt-venue.ts';
import { createCcxtClient } from '../venues/ccxt/client.ts';
import { currenciesOf } from '../venues/ccxt/markets.ts';
import { profileFor, type CcxtProfile } from '../venues/ccxt/profiles.ts';
import type { CcxtVenueConfig } from './config/index.ts';

/** A ccxt exchange as the node holds it: the client, its markets, and (when it trades) the adapter the engine talks to through an executor. */
export interface LiveVenue {
  readonly name: string;
  readonly config: CcxtVenueConfig;
  readonly client: Exchange;
  readonly profile: CcxtProfile;
  readonly markets: readonly MarketInterface[];
  /** Undefined for a venue without credentials: a source of public market data only (paper on live prices). */
  readonly adapter: CcxtVenue | undefined;
  readonly executor: Executor | undefined;
}

/** What the node gives any live venue it connects (a ccxt exchange, a broker). */
export interface LiveConnectDeps {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly chaser?: CancelChaser;
  /** The node's account on this venue (one API key, one account); required when it trades. */
  readonly accountId: string | undefined;
  readonly onAlert: (code: AlertCode, message: string) => void;
  readonly onConnection: (state: 'UP' | 'DOWN') => void;
  /** What the executor talks to: the adapter as the registry observes it (health). */
  readonly wrap: (v: Venue) => Venue;
}


/** The ccxt client config of a node venue. */
export function clientConfigOf(v: CcxtVenueConfig) {
  return {
    exchange: v.exchange,
    sandbox: v.sandbox,
    apiKey: v.api_key,
    secret: v.secret,
    password: v.password,
    urls: v.urls,
    options: v.options,
    timeoutMs: v.timeout_ms,
    heartbeatMs: v.heartbeat_ms,
  };
}

/**
 * Connects a ccxt venue: the client, its markets (loadMarkets), and, when it has credentials, the
 * adapter behind a LIVE executor given to the engine, guarded as every live venue is (a dropped
 * stream makes its scope REDUCING until reconciled) and followed for what it says of its markets
 * (maintenance, halts, changed instruments: FAULTS 34, 35). The executor's call timeout sits above
 * ccxt's own, so ccxt's RequestTimeout (mapped, ambiguous) is what a slow call ends with.
 */
export async function connectLiveVenue(name: string, config: CcxtVenueConfig, d: LiveConnectDeps): Promise<LiveVenue> {
  const profile = profileFor(config.exchange);
  const client = await createCcxtClient(clientConfigOf(config), profile);
  const markets = Object.values(await client.loadMarkets()).filter((m): m is MarketInterface => m !== undefined);
  if (config.api_key === undefined) return { name, config, client, profile, markets, adapter: undefined, executor: undefined };
  if (d.accountId === undefined) throw new Error(`venue ${name} trades but no account is configured on it`);
  // A fee's currency as the node's instruments define it (their precision), else a crypto currency of 8 places.
  const currencyOf = (code: string): Currency => currenciesOf(d.engine.state.instruments.values()).get(code) ?? currency(code, 8, 'CRYPTO');
  const adapter = new CcxtVenue({
    id: name,
    exchange: client,
    profile,
    accountId: d.accountId,
    clock: d.clock,
    currencyOf,
    streams: { timer: d.timer, baseBackoffMs: config.reconnect.base_ms, maxBackoffMs: config.reconnect.max_ms },
    reloadMarketsMs: config.reload_instruments_ms,
    onAlert: d.onAlert,
  });
  const executor = addLiveExecutor(d.wrap(adapter), config.timeout_ms, d);
  return { name, config, client, profile, markets, adapter, executor };
}

/**
 * A live venue behind a LIVE executor given to the engine, guarded as every live venue is (a
 * dropped stream makes its scope REDUCING until reconciled) and followed for what it says of its
 * markets. The executor's call timeout sits 5 s above the venue's own, so the venue's mapped
 * timeout (ambiguous) is what a slow call ends with.
 */
export function addLiveExecutor(
  venue: Venue,
  venueTimeoutMs: number,
  d: { readonly engine: Engine; readonly clock: Clock; readonly timer: Timer; readonly chaser?: CancelChaser; readonly onConnection: (state: 'UP' | 'DOWN') => void },
): Executor {
  const executor = new Executor(venue, {
    mode: 'LIVE',
    clock: d.clock,
    timer: d.timer,
    callTimeoutMs: venueTimeoutMs + 5_000,
    arrivalPrice: (id) => d.engine.portfolio.quote(instrumentId(id))?.last,
    onAlert: (a) => d.engine.bus.publish('alert', a),
  });
  executor.onConnection(d.onConnection);
  d.engine.addVenue(executor);
  guardConnection(d.engine, executor, d.chaser ? { chaser: d.chaser } : {});
  followMarketNotices(d.engine, executor);
  return executor;
}
