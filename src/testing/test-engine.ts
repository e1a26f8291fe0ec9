import { TestClock } from '../engine/clock.ts';
import { Engine } from '../engine/engine.ts';
import type { PreTradeGate } from '../engine/gate.ts';
import { MemoryJournal } from '../engine/journal.ts';
import type { EngineAlert } from '../engine/topics.ts';
import { Currencies } from '../model/currency.ts';
import { accountId, instrumentId, venueOf, type AccountId, type InstrumentId } from '../model/identifiers.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import { ScriptedVenue } from '../venues/scripted/scripted-venue.ts';

/** A spot BTC/USDT instrument on the test venue SIM: tick 0.01, lot 0.00001, 0.1% taker fee. */
export const TEST_INSTRUMENT: InstrumentSpec = Object.freeze({
  id: 'BTCUSDT.SIM',
  kind: 'SPOT',
  base: Currencies.BTC,
  quote: Currencies.USDT,
  tickSize: '0.01',
  lotSize: '0.00001',
  takerFee: '0.001',
});

export interface TestEngineOptions {
  /** Start time, epoch ms (default 2024-01-01T00:00:00Z). */
  readonly start?: number;
  /** The price market orders fill at; none: they rest until `venue.fill` is called. */
  readonly marketPrice?: string;
  /** USDT in the CASH account ACC-1 (default 100000). */
  readonly cash?: string;
  readonly gate?: PreTradeGate;
  readonly instrument?: InstrumentSpec;
}

export interface TestEngine {
  readonly engine: Engine;
  readonly clock: TestClock;
  readonly journal: MemoryJournal;
  readonly venue: ScriptedVenue;
  readonly accountId: AccountId;
  readonly instrumentId: InstrumentId;
  /** Every alert published, in order. */
  readonly alerts: EngineAlert[];
}

/**
 * An engine ready to trade, for tests: a TestClock, an in-memory journal, a ScriptedVenue with
 * the id of the instrument's venue, the instrument registered and a funded CASH account ACC-1.
 */
export async function testEngine(o: TestEngineOptions = {}): Promise<TestEngine> {
  const spec = o.instrument ?? TEST_INSTRUMENT;
  const clock = new TestClock(o.start ?? Date.parse('2024-01-01T00:00:00Z'));
  const journal = new MemoryJournal();
  const engine = new Engine({ clock, journal, ...(o.gate ? { gate: o.gate } : {}) });
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  const id = instrumentId(spec.id);
  const price = o.marketPrice;
  const venue = new ScriptedVenue({ id: venueOf(id), clock, ...(price === undefined ? {} : { marketPrice: () => price }) });
  engine.addVenue(venue);
  await engine.registerInstrument(spec);
  const account = accountId('ACC-1');
  await engine.openAccount({ id: account, type: 'CASH', balances: [Money.of(o.cash ?? '100000', spec.quote)] });
  return { engine, clock, journal, venue, accountId: account, instrumentId: id, alerts };
}
