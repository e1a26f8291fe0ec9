import type { AlertCode } from '../../engine/alert-codes.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Venue, VenueQueries } from '../../engine/venue.ts';
import type { Timer } from '../../execution/timer.ts';
import type { Bar } from '../../model/bar.ts';
import type { Instrument, InstrumentSpec } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { Quote } from '../../model/quote.ts';
import type { Trade } from '../../model/trade.ts';

/** One instrument's market data at a broker, under Warden's instrument id. */
export interface BrokerSubscription {
  readonly instrumentId: string;
  /** The broker's symbol (AAPL, EURUSD, AAPL_US_EQ, a conid). */
  readonly symbol: string;
  readonly quotes: boolean;
  readonly trades: boolean;
  /** Bar interval (1m, 5m, 1h ...), each bar given once closed; undefined: no bars. */
  readonly bars: string | undefined;
}

/** What a broker's market data stream gives: figures as exact decimal text, times in epoch ms. */
export type BrokerMarketItem = Bar | Quote | Trade;

/** A broker's connection as the registry shows it (`warden venues check`, the API, the dashboard). */
export interface BrokerProbe {
  /** Round trip of a cheap authenticated call (clock, account), in ms. */
  readonly latencyMs: number;
  /** What the broker says of itself, for people (server version, account id without secrets, market open). */
  readonly detail: string;
}

/**
 * A broker as a Warden venue: Alpaca, Interactive Brokers, Trading 212, MetaTrader 5. The engine
 * talks to it through an Executor as to any live venue (Venue); the node also needs to open its
 * session lazily, learn its instruments exactly, tell it the orders journaled before a restart,
 * reconcile through its queries, and read its market data where it has any.
 *
 * Conventions (as the ccxt adapter's): Warden's client order id is sent as the broker's client
 * id (Alpaca client_order_id, IB orderRef, MT5 comment, Trading 212: none, so orders are matched
 * by the broker's id kept from the submit answer); every figure is converted exactly at this edge
 * and checked on the instrument's grid, never rounded; a report is given once whichever way it
 * came (stream, poll, query after a reconnect): an acceptance once, a fill once per execution id,
 * an order's end only after every fill the broker counts for it.
 */
export interface BrokerVenue extends Venue {
  readonly queries: VenueQueries;
  /**
   * Logs in / handshakes and starts the streams or polls; resolves when orders can be sent. Called
   * by the registry at start and, when the broker could not be reached then, again after each
   * failure (with backoff): an open that rejected must be callable again.
   */
  open(): Promise<void>;
  /**
   * The instrument the broker lists as `symbol`, as a Warden spec with the id `id` (tick, lot,
   * minimum, currency, multiplier exact from the broker's own figures), or a ValidationError
   * (`INVALID_INSTRUMENT`) when it cannot be expressed exactly.
   */
  instrumentSpec(id: string, symbol: string): Promise<InstrumentSpec>;
  /** Trades `instrument` under the broker's `symbol` (the node calls it for every configured instrument of this venue). */
  register(instrument: Instrument, symbol: string): void;
  /** Orders journaled before a restart, so that their reports map back to them and queries know where to look. */
  remember(orders: readonly { spec: OrderSpec; venueOrderId: string | undefined }[]): void;
  /** A cheap authenticated round trip, for the health check; rejects when the broker cannot be reached. */
  probe(): Promise<BrokerProbe>;
  /** Market data for the subscriptions, into `sink`, until the returned stop is called; absent where the broker has no data stream. */
  marketData?(subs: readonly BrokerSubscription[], sink: (item: BrokerMarketItem) => void): { stop(): void };
  /** Stops streams and polls and closes sockets. */
  close(): Promise<void>;
}

/** What every broker's factory is given by the node, beside its own config. */
export interface BrokerDeps {
  /** The venue's name in the node (ALPACA): instrument ids end with it. */
  readonly name: string;
  /** The node's account at this broker (one login, one account). */
  readonly accountId: string;
  readonly clock: Clock;
  /** What waits and polls are scheduled on (a RealTimer live, a ManualTimer in tests). */
  readonly timer: Timer;
  readonly onAlert: (code: AlertCode, message: string) => void;
}
