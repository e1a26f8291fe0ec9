import type { Engine } from '../engine/engine.ts';
import { ValidationError } from '../model/errors.ts';
import { instrumentId, symbolOf, venueOf } from '../model/identifiers.ts';
import { Money } from '../model/money.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { currenciesFor, currenciesOf, findMarket, gridChange, instrumentSpecOf } from '../venues/ccxt/markets.ts';
import type { NodeConfig } from './config/index.ts';
import type { LiveSubscription } from './live-data.ts';
import type { LiveVenue } from './live-venue.ts';
import type { VenueRegistry } from './venues.ts';

/** ccxt's precision mode constants (base/functions/number): only tick sizes and decimal places are read. */
function precisionMode(v: LiveVenue): 'TICK_SIZE' | 'DECIMAL_PLACES' {
  const mode = v.client.precisionMode;
  if (mode === 4) return 'TICK_SIZE';
  if (mode === 2) return 'DECIMAL_PLACES';
  throw new ValidationError('INVALID_INSTRUMENT', `${v.config.exchange} counts precision in significant digits, which Warden's grid cannot take exactly`, { venue: v.name });
}

/**
 * The configured instruments of live (ccxt) venues: `from_venue` ones registered from the
 * exchange's markets (exact, or refused), those already in the journal not again; each listed
 * with its venue's adapter under the exchange's symbol. Returns the ids registered now.
 */
export async function registerLiveInstruments(engine: Engine, config: NodeConfig, venues: VenueRegistry): Promise<string[]> {
  const registered: string[] = [];
  const known = currenciesOf(engine.state.instruments.values());
  for (const c of config.instruments) {
    const live = venues.live(venueOf(instrumentId(c.id)));
    if (!live) continue;
    const mode = precisionMode(live);
    const market = findMarket(live.markets, c.symbol ?? symbolOf(instrumentId(c.id)));
    if (c.from_venue === true && !engine.state.instruments.has(instrumentId(c.id))) {
      const currencies = currenciesFor([market], mode, (code) => known.get(code));
      await engine.registerInstrument(instrumentSpecOf(c.id, market, mode, currencies));
      for (const [code, cur] of currencies) known.set(code, cur);
      registered.push(c.id);
    } else if (c.from_venue === true) {
      const currencies = currenciesOf([engine.instrument(c.id)]);
      await followSpec(engine, c.id, market.symbol, () => instrumentSpecOf(c.id, market, mode, currencies));
    }
    live.adapter?.register(engine.instrument(c.id), market.symbol);
  }
  return registered;
}

/**
 * An instrument in the journal whose market changed its tick or lot while the node was down
 * (FAULTS 35): updated before anything trades; one the venue describes in a way the exact grid
 * or the engine cannot take halts its market. `fresh` is the venue's description now.
 */
export async function followSpec(engine: Engine, id: string, symbol: string, fresh: () => InstrumentSpec | Promise<InstrumentSpec>): Promise<void> {
  const inst = engine.instrument(id);
  let spec;
  try {
    spec = await fresh();
  } catch (e) {
    await engine.setMarketStatus({ venue: inst.venue, instrumentId: id, status: 'HALTED', reason: `${symbol} no longer fits the exact grid: ${(e as Error).message}` });
    return;
  }
  if (!gridChange(inst.spec, spec)) return;
  try {
    await engine.updateInstrument(spec);
  } catch (e) {
    await engine.setMarketStatus({ venue: inst.venue, instrumentId: id, status: 'HALTED', reason: `the venue changed ${id} in a way this node cannot take: ${(e as Error).message}` });
  }
}

/**
 * A live venue's account opened with what the exchange holds, in the currencies of the node's
 * instruments (a coin the node does not trade is not booked). Only on the first start: after
 * that the journal has the account, and reconciliation compares it with the exchange.
 */
export async function liveBalances(engine: Engine, live: LiveVenue): Promise<Money[]> {
  if (!live.adapter) return [];
  const known = currenciesOf(engine.state.instruments.values());
  const out: Money[] = [];
  for (const b of await live.adapter.queries.balances()) {
    const c = known.get(b.currency);
    if (c) out.push(Money.of(b.total, c));
  }
  return out;
}

/** The configured subscriptions as watch loops of their data venue (default the instrument's own venue). */
export function liveSubscriptions(config: NodeConfig, venues: VenueRegistry): LiveSubscription[] {
  return config.data.subscriptions.flatMap((s) => {
    const id = instrumentId(s.instrument);
    const name = s.venue ?? venueOf(id);
    // A broker's subscriptions are its own stream's (broker-setup.ts).
    if (venues.broker(name)) return [];
    const live = venues.live(name);
    if (!live) throw new ValidationError('INVALID_FIELD', `data subscription ${s.instrument}: venue ${name} is not a connected live venue`, { field: 'data.subscriptions' });
    const market = findMarket(live.markets, dataSymbolOf(config, s));
    return [{ instrumentId: s.instrument, symbol: market.symbol, client: live.client, quotes: s.quotes, book: s.book, trades: s.trades, bars: s.bars }];
  });
}

/** A subscription's name at its data venue: its own `symbol`, else the instrument's where the data venue is the instrument's own, else the id's symbol. */
export function dataSymbolOf(config: NodeConfig, s: NodeConfig['data']['subscriptions'][number]): string {
  const id = instrumentId(s.instrument);
  const own = s.venue === undefined || s.venue === venueOf(id) ? config.instruments.find((i) => i.id === s.instrument)?.symbol : undefined;
  return s.symbol ?? own ?? symbolOf(id);
}
