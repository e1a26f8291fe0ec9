/**
 * A venue adapter knows the Venue contract, never the engine: what it says of its markets
 * (onMarketNotice) reaches the engine through the executor and followMarketNotices (FAULTS 34,
 * 35), and the gate then denies as it should; a change the node cannot take halts the market.
 */
import { describe, expect, it } from 'vitest';
import type { VenueMarketNotice } from '../../src/engine/venue.ts';
import { Executor } from '../../src/execution/executor.ts';
import { followMarketNotices } from '../../src/execution/market-watch.ts';
import { ScriptedVenue } from '../../src/venues/scripted/scripted-venue.ts';
import { BTC_SPEC, kinds, recordsAfter, settle } from '../engine/fixtures.ts';
import { BTC, expectAllowed, expectDenied, gateSetup, limit } from '../risk/gate/fixtures.ts';

/** A scripted venue that can also speak of its markets, as a live adapter polling or streaming them would. */
class NoticingVenue extends ScriptedVenue {
  private readonly listeners: ((n: VenueMarketNotice) => void)[] = [];
  onMarketNotice(listener: (n: VenueMarketNotice) => void): void {
    this.listeners.push(listener);
  }
  say(n: VenueMarketNotice): void {
    for (const l of this.listeners) l(n);
  }
}

async function watched() {
  let venue: NoticingVenue | undefined;
  const h = await gateSetup({}, { venue: (clock, market) => (venue = new NoticingVenue({ id: 'BINANCE', clock, marketPrice: () => market.last })) });
  // Through an executor, as the node wires a live venue (src/node/live-venue.ts).
  const executor = new Executor(venue!, { mode: 'BACKTEST', clock: h.clock });
  followMarketNotices(h.engine, executor);
  return { h, venue: venue! };
}

describe('followMarketNotices (the venue side of FAULTS 34 and 35)', () => {
  it('maintenance said by the venue, even ten times over, is one journaled status; orders are VENUE_UNAVAILABLE until it says OPEN', async () => {
    const { h, venue } = await watched();
    const seq = h.engine.lastSeq;
    for (let i = 0; i < 10; i++) venue.say({ kind: 'MarketStatus', status: 'MAINTENANCE', reason: 'scheduled maintenance' });
    await settle();
    expect(kinds(recordsAfter(h.journal, seq))).toEqual(['MarketStatusChanged']);
    expect(h.journal.all().at(-1)?.event).toMatchObject({ venue: 'BINANCE', status: 'MAINTENANCE', origin: 'SYSTEM' });
    await expectDenied(h, limit('L-1', 'BUY', '0.1', '24000.00'), 'VENUE_UNAVAILABLE');
    venue.say({ kind: 'MarketStatus', status: 'OPEN', reason: 'maintenance over' });
    await settle();
    await expectAllowed(h, limit('L-2', 'BUY', '0.1', '24000.00'));
  });

  it('a changed tick said by the venue is taken: an order off the new grid is refused, never rounded', async () => {
    const { h, venue } = await watched();
    venue.say({ kind: 'InstrumentChanged', spec: { ...BTC_SPEC, tickSize: '0.5' } });
    await settle();
    expect(h.engine.instrument(BTC).tickSize.toString()).toBe('0.50');
    await expect(h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.05'))).rejects.toMatchObject({ code: 'OFF_TICK_GRID' });
    await expectAllowed(h, limit('L-2', 'BUY', '0.1', '24000.50'));
  });

  it('a grid the node cannot take (more decimals) fails closed: the market is HALTED, new orders MARKET_CLOSED', async () => {
    const { h, venue } = await watched();
    venue.say({ kind: 'InstrumentChanged', spec: { ...BTC_SPEC, tickSize: '0.001' } });
    await settle();
    expect(h.engine.instrument(BTC).tickSize.toString()).toBe('0.05');
    expect(h.engine.markets.statusOf('BINANCE', BTC)).toBe('HALTED');
    const d = await expectDenied(h, limit('L-1', 'BUY', '0.1', '24000.00'), 'MARKET_CLOSED');
    expect(String(d.context.reason)).toContain('tickSize');
  });

  it('notices about markets the node does not trade are ignored: nothing journaled, nothing alerted', async () => {
    const { h, venue } = await watched();
    const seq = h.engine.lastSeq;
    const alerts = h.alerts.length;
    venue.say({ kind: 'MarketStatus', instrumentId: 'DOGEUSDT.BINANCE', status: 'HALTED', reason: 'not ours' });
    venue.say({ kind: 'InstrumentChanged', spec: { ...BTC_SPEC, id: 'DOGEUSDT.BINANCE' } });
    await settle();
    expect(recordsAfter(h.journal, seq)).toEqual([]);
    expect(h.alerts.length).toBe(alerts);
  });
});
