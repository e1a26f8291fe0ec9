import type { Engine } from '../engine/engine.ts';
import { ValidationError } from '../model/errors.ts';
import { accountId, instrumentId } from '../model/identifiers.ts';
import type { Currency } from '../model/currency.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import { currencyOf, instrumentSpecOf, type NodeConfig } from './config/index.ts';
import { brokerBalances } from './broker-setup.ts';
import { liveBalances } from './live-setup.ts';
import type { VenueRegistry } from './venues.ts';

/**
 * Registers the configured instruments the journal does not have yet (a restart registers
 * nothing again) and lists every one at its venue. Returns the ids registered now.
 */
export async function registerInstruments(engine: Engine, config: NodeConfig, venues: VenueRegistry): Promise<string[]> {
  const registered: string[] = [];
  for (const c of config.instruments) {
    // A live venue's instruments come from its markets, a broker's from the broker (live-setup.ts).
    const venue = c.id.slice(c.id.lastIndexOf('.') + 1);
    if (venues.live(venue) || venues.broker(venue)) continue;
    if (c.from_venue === true) {
      throw new ValidationError('INVALID_FIELD', `${c.id}: the simulated venue has no instrument metadata; write the instrument out`, { field: 'instruments.from_venue', input: c.id });
    }
    if (!engine.state.instruments.has(instrumentId(c.id))) {
      await engine.registerInstrument(instrumentSpecOf(c));
      registered.push(c.id);
    }
  }
  const trading = venues.tradingNames;
  for (const inst of engine.state.instruments.values()) if (trading.includes(inst.venue)) venues.list(inst);
  return registered;
}

/**
 * Registers instruments given as specs (a backtest's sources) that the journal does not have yet,
 * in their order. Listing them at their venues is registerInstruments' (it lists every registered
 * instrument of a configured venue). Returns the ids registered now.
 */
export async function registerSpecs(engine: Engine, specs: readonly InstrumentSpec[]): Promise<string[]> {
  const registered: string[] = [];
  for (const spec of specs) {
    if (engine.state.instruments.has(instrumentId(spec.id))) continue;
    await engine.registerInstrument(spec);
    registered.push(spec.id);
  }
  return registered;
}

/**
 * Opens the configured accounts the journal does not have yet, with their starting balances (only
 * on that first open), and tells each account's venue what the account holds now: its balances and
 * positions as the journal has them. Returns the ids opened now.
 */
export async function openAccounts(engine: Engine, config: NodeConfig, venues: VenueRegistry): Promise<string[]> {
  const opened: string[] = [];
  const portfolio = engine.portfolio;
  for (const a of config.accounts) {
    const id = accountId(a.id);
    if (!portfolio.hasAccount(id)) {
      const live = venues.live(a.venue);
      const broker = venues.broker(a.venue);
      // A live account starts with what the exchange or broker holds; a simulated one with its configured balances.
      const balances =
        a.balances === undefined && live ? await liveBalances(engine, live)
        : a.balances === undefined && broker ? await brokerBalances(engine, broker)
        : Object.entries(a.balances ?? {}).map(([code, amount]) => Money.of(String(amount), balanceCurrency(engine, code)));
      await engine.openAccount({ id: a.id, type: a.type, positionMode: a.position_mode, balances });
      opened.push(a.id);
    }
    if (a.type !== 'CASH') continue;
    const account = portfolio.account(id);
    const balances = account.balances().map((b) => b.total);
    const positions = portfolio
      .openPositions()
      .filter((p) => p.accountId === id && engine.instrument(p.instrumentId).venue === a.venue)
      .map((p) => ({ instrument: engine.instrument(p.instrumentId), signedRaw: p.signedQtyRaw }));
    venues.restoreAccount(a.venue, a.id, balances, sumByInstrument(positions));
  }
  return opened;
}

/**
 * A balance's currency by code: as the registered instruments define it (an instrument may widen
 * a currency's precision, e.g. USD to 6 decimals for split-adjusted prices; a balance in 2-decimal
 * USD would be another currency to the ledger), else the standard one.
 */
function balanceCurrency(engine: Engine, code: string): Currency {
  for (const i of engine.state.instruments.values()) {
    for (const c of [i.settlement, i.quote, i.base]) if (c?.code === code) return c;
  }
  return currencyOf(code);
}

/** One net position per instrument (several strategies may hold the same instrument in one account). */
function sumByInstrument<T extends { instrument: { id: string }; signedRaw: bigint }>(ps: readonly T[]): T[] {
  const by = new Map<string, T>();
  for (const p of ps) {
    const seen = by.get(p.instrument.id);
    by.set(p.instrument.id, seen ? { ...seen, signedRaw: seen.signedRaw + p.signedRaw } : p);
  }
  return [...by.values()];
}
