import type { Engine } from '../engine/engine.ts';
import { currency, type Currency } from '../model/currency.ts';
import { instrumentId, symbolOf, venueOf } from '../model/identifiers.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import type { BrokerSubscription } from '../venues/broker/contract.ts';
import { currenciesOf } from '../venues/ccxt/markets.ts';
import { instrumentSpecOf, type NodeConfig } from './config/index.ts';
import type { LiveBroker } from './brokers.ts';
import { dataSymbolOf, followSpec } from './live-setup.ts';
import type { VenueRegistry } from './venues.ts';
import type { ExternalFeed } from './live-data.ts';
import { ValidationError } from '../model/errors.ts';

/** The broker's name for a configured instrument: its `symbol`, else the id's symbol (AAPL of AAPL.ALPACA). */
export const brokerSymbolOf = (c: { readonly id: string; readonly symbol?: string | undefined }): string => c.symbol ?? symbolOf(instrumentId(c.id));

/**
 * The configured instruments of brokers: `from_venue` ones as the broker describes them (exact,
 * or refused), written-out ones as written; those already in the journal not again (a `from_venue`
 * one is compared with what the broker says now: FAULTS 35). Each is then traded by its broker
 * under the broker's symbol. Returns the ids registered now.
 */
export async function registerBrokerInstruments(engine: Engine, config: NodeConfig, venues: VenueRegistry): Promise<string[]> {
  const registered: string[] = [];
  for (const c of config.instruments) {
    const broker = venues.broker(venueOf(instrumentId(c.id)));
    if (!broker) continue;
    const symbol = brokerSymbolOf(c);
    const known = engine.state.instruments.has(instrumentId(c.id));
    if (!known) {
      const spec: InstrumentSpec = c.from_venue === true ? await broker.adapter.instrumentSpec(c.id, symbol) : instrumentSpecOf(c);
      sameCurrencies(engine, spec);
      await engine.registerInstrument(spec);
      registered.push(c.id);
    } else if (c.from_venue === true) {
      await followSpec(engine, c.id, symbol, () => broker.adapter.instrumentSpec(c.id, symbol));
    }
    broker.adapter.register(engine.instrument(c.id), symbol);
  }
  return registered;
}

/**
 * One currency code is one precision in a node (balances and notionals are counted in it): a
 * broker's instrument that needs another precision for a code the node already has is refused
 * (INVALID_CURRENCY) rather than booked on two scales.
 */
function sameCurrencies(engine: Engine, spec: InstrumentSpec): void {
  const known = currenciesOf(engine.state.instruments.values());
  for (const c of [spec.base, spec.quote, spec.settlement]) {
    const had = c ? known.get(c.code) : undefined;
    if (c && had && had.precision !== c.precision) {
      throw new ValidationError('INVALID_CURRENCY', `${spec.id} counts ${c.code} to ${c.precision} places and the node already counts it to ${had.precision} (another instrument): write one of them out with the same precision`, { code: c.code, instrumentId: spec.id });
    }
  }
}

/**
 * A broker account opened with what the broker holds, in the currencies the node knows (its
 * instruments' quote currencies, else a fiat currency of 2 places for a 3-letter code). Only on
 * the first start: after that the journal has the account and reconciliation compares it.
 */
export async function brokerBalances(engine: Engine, broker: LiveBroker): Promise<Money[]> {
  const known = currenciesOf(engine.state.instruments.values());
  const balances = broker.adapter.queries.balances ? await broker.adapter.queries.balances() : [];
  return balances.map((b) => Money.of(b.total, known.get(b.currency) ?? fallbackCurrency(b.currency, b.places)));
}

function fallbackCurrency(code: string, places: number | undefined): Currency {
  return currency(code, places ?? 2, 'FIAT');
}

/** The configured subscriptions of one broker, under the broker's symbols. */
export function brokerSubscriptions(config: NodeConfig, name: string): BrokerSubscription[] {
  return config.data.subscriptions
    .filter((s) => (s.venue ?? venueOf(instrumentId(s.instrument))) === name)
    .map((s) => ({ instrumentId: s.instrument, symbol: dataSymbolOf(config, s), quotes: s.quotes || s.book, trades: s.trades, bars: s.bars }));
}

/**
 * Each broker's configured subscriptions as one stream of the node's live market data; a
 * subscription at a broker without a data stream is refused (INVALID_FIELD), not left silent.
 */
export function brokerFeeds(config: NodeConfig, venues: VenueRegistry): ExternalFeed[] {
  const feeds: ExternalFeed[] = [];
  for (const name of venues.names) {
    const broker = venues.broker(name);
    const subs = broker ? brokerSubscriptions(config, name) : [];
    if (!broker || subs.length === 0) continue;
    const adapter = broker.adapter;
    if (!adapter.marketData) throw new ValidationError('INVALID_FIELD', `data subscription ${subs[0]!.instrumentId}: ${name} (${broker.config.type}) has no market data stream`, { field: 'data.subscriptions' });
    feeds.push((sink) => adapter.marketData!(subs, (item) => sink(item)));
  }
  return feeds;
}
