/**
 * Each broker's fake as the node tests start it: the venue config that points the adapter at it,
 * an instrument it lists, prices moving, and a way to fill the resting order while the node is down.
 */
import { expect } from 'vitest';
import type { Instrument } from '../../src/model/instrument.ts';
import { ownFields, type BrokerFactory } from '../../src/node/brokers.ts';
import type { Trading212NodeVenueConfig } from '../../src/node/config/venues.ts';
import { createTrading212Venue } from '../../src/venues/trading212/index.ts';
import { startFakeAlpaca } from '../support/fake-alpaca/index.ts';
import { FakeTws } from '../support/fake-ibkr/index.ts';
import { FakeMt5Bridge } from '../support/fake-mt5/fake-bridge.ts';
import { KEY as T212_KEY, SECRET as T212_SECRET, startFake as startT212Fake, TEST_LIMITS as T212_TEST_LIMITS } from '../venues/trading212/harness.ts';

export interface StartedFixture {
  /**
   * The venue's entry in warden.yaml, pointed at the fake. The US-equity brokers say `calendar: none`:
   * these tests run on the wall clock at any hour and are about the adapter, not the session (which
   * a broker venue otherwise gets by default: XNYS; test/risk/compliance/node.test.ts).
   */
  readonly venueConfig: Record<string, unknown>;
  /** Values that must never reach the journal or the output. */
  readonly secrets: readonly string[];
  /** The broker fills the resting buy limit (the market comes down through it). */
  fillResting(): Promise<void>;
  /** A trade at `price` at the broker (where the fixture can print one); the fixture's own prices stop. */
  print?(price: string): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerFixture {
  readonly type: string;
  readonly venue: string;
  readonly instrument: string;
  /** The broker's symbol where it is not the id's. */
  readonly symbol?: string;
  readonly accountType: 'CASH' | 'MARGIN';
  /** Starting balances where the broker does not report them. */
  readonly balances?: Readonly<Record<string, string>>;
  readonly quantity: string;
  /** Where the first buy is a marketable limit (no prices to value a market order at), its price. */
  readonly entryPrice?: string;
  /** A buy limit below the market: rests until fillResting. */
  readonly restingPrice: string;
  /** The risk limits; none where the broker gives no prices (the gate needs a reference price: such a node takes its data from another venue, `data.subscriptions[].venue`). */
  readonly limits?: Readonly<Record<string, string>>;
  checkInstrument(i: Instrument): void;
  /** What `warden venues check` says of the instrument. */
  readonly checkLine: string;
  /** Whether the broker streams prices (the strategy acts on the first; without, at its start). */
  readonly marketData: boolean;
  /** Adapters built with test settings the config cannot give (the node's `brokers` dependency). */
  readonly factories?: Readonly<Record<string, BrokerFactory>>;
  start(): Promise<StartedFixture>;
}

/** Calls `f` every `ms` until stopped (the market moving). */
function every(ms: number, f: (i: number) => unknown): () => void {
  let i = 0;
  const t = setInterval(() => void f(i++), ms);
  return () => clearInterval(t);
}

const mt5: BrokerFixture = {
  type: 'mt5',
  venue: 'MT5',
  instrument: 'EURUSD.MT5',
  accountType: 'MARGIN',
  balances: { USD: '100000' },
  quantity: '0.10',
  restingPrice: '1.10000',
  limits: { max_order_quantity: '1', max_order_notional: '1000000', max_position_quantity: '5', max_position_notional: '10000000' },
  checkInstrument: (i) => expect([i.kind, i.tickSize.toString(), i.lotSize.toString()]).toEqual(['PERPETUAL', '0.00001', '0.01']),
  checkLine: 'tick 0.00001, lot 0.01',
  marketData: true,
  async start() {
    const bridge = new FakeMt5Bridge();
    bridge.ea.addSymbol({ symbol: 'EURUSD', digits: 5, point: '0.00001', volumeMin: '0.01', volumeMax: '50', volumeStep: '0.01', contractSize: '100000', base: 'EUR', profit: 'USD' }, '1.10230', '1.10236');
    await bridge.start();
    let down = false;
    const stop = every(50, (i) => (down ? undefined : bridge.quote('EURUSD', `1.1023${i % 3}`, `1.1024${i % 3}`)));
    const p = bridge.endpoints;
    return {
      venueConfig: { type: 'mt5', host: '127.0.0.1', command_port: p.commandPort, reply_port: p.replyPort, price_port: p.pricePort, call_timeout_ms: 1_000, heartbeat_ms: 300, poll_ms: 150 },
      secrets: [],
      async fillResting() {
        down = true;
        await bridge.quote('EURUSD', '1.09990', '1.09995');
      },
      async close() {
        stop();
        await bridge.close();
      },
    };
  },
};

const trading212: BrokerFixture = {
  type: 'trading212',
  venue: 'T212',
  instrument: 'AAPL.T212',
  symbol: 'AAPL_US_EQ',
  accountType: 'CASH',
  quantity: '1',
  entryPrice: '151.00',
  restingPrice: '140.00',
  checkInstrument: (i) => expect([i.kind, i.tickSize.toString(), i.lotSize.toString(), i.quote.code]).toEqual(['EQUITY', '0.01', '0.000001', 'USD']),
  checkLine: 'tick 0.01, lot 0.000001',
  marketData: false,
  // The documented rate limits scaled down in time, as the adapter's own tests run them.
  factories: { trading212: (c, d) => createTrading212Venue(ownFields(c as Trading212NodeVenueConfig), d, T212_TEST_LIMITS) },
  async start() {
    const fake = await startT212Fake('10000');
    let price = '150.00';
    const stop = every(100, () => fake.book.trade('AAPL_US_EQ', price, '5'));
    return {
      venueConfig: { type: 'trading212', calendar: 'none', api_key: T212_KEY, secret: T212_SECRET, base_url: fake.baseUrl, poll_interval_ms: 200, request_timeout_ms: 2_000, max_queue_ms: 2_000 },
      secrets: [T212_SECRET],
      fillResting() {
        price = '139.00';
        fake.book.trade('AAPL_US_EQ', price, '5');
        return Promise.resolve();
      },
      async close() {
        stop();
        await fake.close();
      },
    };
  },
};

const alpaca: BrokerFixture = {
  type: 'alpaca',
  venue: 'ALPACA',
  instrument: 'AAPL.ALPACA',
  accountType: 'CASH',
  quantity: '2',
  restingPrice: '180.00',
  limits: { max_order_quantity: '10', max_order_notional: '10000', max_position_quantity: '20', max_position_notional: '20000' },
  checkInstrument: (i) => expect([i.kind, i.tickSize.toString(), i.lotSize.toString(), i.quote.code]).toEqual(['EQUITY', '0.01', '1', 'USD']),
  checkLine: 'EQUITY, tick 0.01, lot 1',
  marketData: true,
  async start() {
    const server = await startFakeAlpaca({ cash: '100000', assets: { AAPL: {} } });
    let down = false;
    const stop = every(50, (i) => (down ? undefined : server.market.quote('AAPL', `187.4${i % 3}`, `187.4${3 + (i % 3)}`)));
    return {
      venueConfig: { type: 'alpaca', calendar: 'none', api_key: server.keyId, secret: server.secret, base_url: server.baseUrl, stream_url: server.streamUrl, data_stream_url: server.dataStreamUrl, reconnect_base_ms: 50, reconnect_max_ms: 200 },
      secrets: [server.secret],
      fillResting() {
        down = true;
        server.market.print('AAPL', '179.95', '10');
        return Promise.resolve();
      },
      print(price) {
        down = true;
        server.market.print('AAPL', price, '10');
        return Promise.resolve();
      },
      async close() {
        stop();
        await server.close();
      },
    };
  },
};

const ibkr: BrokerFixture = {
  type: 'ibkr',
  venue: 'IBKR',
  instrument: 'AAPL.IBKR',
  accountType: 'CASH',
  quantity: '3',
  restingPrice: '180.00',
  checkInstrument: (i) => expect([i.kind, i.tickSize.toString(), i.lotSize.toString(), i.quote.code]).toEqual(['EQUITY', '0.01', '1', 'USD']),
  checkLine: 'EQUITY, tick 0.01, lot 1',
  marketData: false,
  async start() {
    const tws = new FakeTws({});
    await tws.listen();
    tws.book.quote('AAPL', 187.4, 187.42);
    return {
      venueConfig: { type: 'ibkr', calendar: 'none', host: '127.0.0.1', port: tws.port, client_id: 7, connect_timeout_ms: 3_000, ack_timeout_ms: 1_000, query_timeout_ms: 2_000, commission_wait_ms: 300, reconnect_base_ms: 50, reconnect_max_ms: 400 },
      secrets: [],
      fillResting() {
        tws.book.trade('AAPL', 179.95);
        return Promise.resolve();
      },
      close: () => tws.close(),
    };
  },
};

export const BROKER_FIXTURES: Readonly<Record<string, BrokerFixture>> = { alpaca, ibkr, mt5, trading212 };
