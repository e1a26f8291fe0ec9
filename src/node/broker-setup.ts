import type { Engine } from '../engine/engine.ts';
import { currency, type Currency } from '../model/currency.ts';
import { accountId, instrumentId, symbolOf, venueOf } from '../model/identifiers.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import type { BrokerSubscription } from '../venues/broker/contract.ts';
import { currenciesOf } from '../venues/ccxt/markets.ts';
import { instrumentSpecOf, type NodeConfig } from './config/index.ts';
import { isOpen, type LiveBroker } from './brokers.ts';
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
  const fresh: { spec: InstrumentSpec; broker: LiveBroker; symbol: string }[] = [];
  const listed: { id: string; broker: LiveBroker; symbol: string }[] = [];
  for (const c of config.instruments) {
    const broker = venues.broker(venueOf(instrumentId(c.id)));
    if (!broker) continue;
    const symbol = brokerSymbolOf(c);
    listed.push({ id: c.id, broker, symbol });
    if (!engine.state.instruments.has(instrumentId(c.id))) {
      fresh.push({ spec: c.from_venue === true ? await broker.adapter.instrumentSpec(c.id, symbol) : instrumentSpecOf(c), broker, symbol });
    } else if (c.from_venue === true && isOpen(broker)) {
      // (A broker not reached since the start: the journal's definition stands until the next start.)
      await followSpec(engine, c.id, symbol, () => broker.adapter.instrumentSpec(c.id, symbol));
    }
  }
  for (const spec of onePrecisionPerCurrency(engine, fresh.map((f) => f.spec))) await engine.registerInstrument(spec);
  for (const l of listed) l.broker.adapter.register(engine.instrument(l.id), l.symbol);
  return fresh.map((f) => f.spec.id);
}

/**
 * Whether the node can start without reaching broker `venue`: its journal already has every
 * instrument configured on it and every account there (a first start needs the broker for both).
 */
export function journalKnowsBroker(engine: Engine, config: NodeConfig, venue: string): boolean {
  const instruments = config.instruments.filter((c) => venueOf(instrumentId(c.id)) === venue);
  const accounts = config.accounts.filter((a) => a.venue === venue);
  return instruments.every((c) => engine.state.instruments.has(instrumentId(c.id))) && accounts.every((a) => engine.portfolio.hasAccount(accountId(a.id)));
}

/**
 * One currency code is one precision in a node (balances and notionals are counted in it), and
 * brokers describe the same code to different places (Alpaca's USD to the cent, Trading 212's to
 * 8 places for fractional shares). New instruments take, per code, the most places any of them or
 * the node needs: more places keep every figure exact. A code the node already counts to fewer
 * places than a new instrument needs is refused (INVALID_CURRENCY): a ledger is not rescaled.
 */
function onePrecisionPerCurrency(engine: Engine, specs: readonly InstrumentSpec[]): InstrumentSpec[] {
  const known = currenciesOf(engine.state.instruments.values());
  const need = new Map<string, Currency>();
  for (const spec of specs) {
    for (const c of [spec.base, spec.quote, spec.settlement]) {
      if (!c) continue;
      const had = known.get(c.code);
      if (had && had.precision < c.precision) {
        throw new ValidationError('INVALID_CURRENCY', `${spec.id} counts ${c.code} to ${c.precision} places and the node's journal already counts it to ${had.precision}: the ledger cannot be rescaled; write the instrument out with ${had.precision} places or start a new journal`, { code: c.code, instrumentId: spec.id });
      }
      const widest = need.get(c.code);
      if (!widest || widest.precision < c.precision) need.set(c.code, c);
    }
  }
  const unified = (c: Currency | undefined): Currency | undefined => (c ? (known.get(c.code) ?? need.get(c.code)) : undefined);
  return specs.map((spec) => ({
    ...spec,
    quote: unified(spec.quote)!,
    ...(spec.base ? { base: unified(spec.base)! } : {}),
    ...(spec.settlement ? { settlement: unified(spec.settlement)! } : {}),
  }));
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
    // A broker not reached since the start streams once it opens.
    feeds.push((sink) => (broker.lazy ? broker.lazy.once(() => adapter.marketData!(subs, sink)) : adapter.marketData!(subs, sink)));
  }
  return feeds;
}
