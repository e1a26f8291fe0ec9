/**
 * FAULTS 34 at the gate: a venue in MAINTENANCE denies new orders and modifies that add risk with
 * VENUE_UNAVAILABLE, a market CLOSED or HALTED with MARKET_CLOSED; cancels and quantity-only
 * reductions pass; nothing denied reaches the venue. FAULTS 35 at the gate: the limits follow an
 * instrument the venue changed (the tick collar in the new ticks).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import type { MarketStatus } from '../../../src/engine/markets/events.ts';
import { RISK_CONTROL } from '../../../src/engine/origin.ts';
import type { OrderModifyRejected } from '../../../src/model/orders/events.ts';
import { FLATTEN_TAG, RiskGate } from '../../../src/risk/gate/index.ts';
import { BTC_SPEC } from '../../engine/fixtures.ts';
import { BTC, eth, expectAllowed, expectDenied, gateSetup, limit, limitsConfig, marketBuy } from './fixtures.ts';

describe('market status at the gate (FAULTS 34)', () => {
  it('a venue in MAINTENANCE: a new order is VENUE_UNAVAILABLE and never reaches the venue; OPEN again, the same order passes', async () => {
    const h = await gateSetup();
    await h.engine.setMarketStatus({ venue: 'BINANCE', status: 'MAINTENANCE', reason: 'system upgrade' });
    const d = await expectDenied(h, limit('L-1', 'BUY', '0.1', '24000.00'), 'VENUE_UNAVAILABLE');
    expect(d.context).toMatchObject({ limit: 'OPEN', actual: 'MAINTENANCE', venue: 'BINANCE', scope: 'venue', reason: 'system upgrade' });
    // Every market of the venue, not only BTC.
    await expectDenied(h, { ...limit('L-2', 'BUY', '1', '1500.00'), instrumentId: eth }, 'VENUE_UNAVAILABLE');
    await h.engine.setMarketStatus({ venue: 'BINANCE', status: 'OPEN', reason: 'back' });
    await expectAllowed(h, limit('L-3', 'BUY', '0.1', '24000.00'));
  });

  it('a HALTED market is MARKET_CLOSED for it only: ETH on the same venue still trades', async () => {
    const btcLimits = limitsConfig().instruments[BTC]!;
    const h = await gateSetup({ instruments: { [BTC]: btcLimits, [eth]: { ...btcLimits, max_order_quantity: '100' } } });
    h.ref(eth, '1500');
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'HALTED', reason: 'volatility halt' });
    const d = await expectDenied(h, marketBuy('M-1', '0.1'), 'MARKET_CLOSED');
    expect(d.context).toMatchObject({ actual: 'HALTED', scope: 'instrument', instrument: BTC });
    await expectAllowed(h, { ...limit('E-1', 'BUY', '1', '1500.00'), instrumentId: eth });
  });

  it('a CLOSED session is MARKET_CLOSED, a whole venue CLOSED too', async () => {
    const h = await gateSetup();
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'CLOSED', reason: 'session ended' });
    await expectDenied(h, limit('L-1', 'SELL', '0.1', '24000.00'), 'MARKET_CLOSED');
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'OPEN', reason: 'session open' });
    await h.engine.setMarketStatus({ venue: 'BINANCE', status: 'CLOSED', reason: 'weekend' });
    const d = await expectDenied(h, limit('L-2', 'SELL', '0.1', '24000.00'), 'MARKET_CLOSED');
    expect(d.context).toMatchObject({ actual: 'CLOSED', scope: 'venue' });
  });

  it('cancels always pass and a quantity-only reduction passes; a price modify is denied VENUE_UNAVAILABLE and not sent', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('L-1', 'BUY', '1', '23900.00'));
    await expectAllowed(h, limit('L-2', 'BUY', '1', '23900.00'));
    await h.engine.setMarketStatus({ venue: 'BINANCE', status: 'MAINTENANCE', reason: 'upgrade' });
    const calls = h.venue.calls.length;

    const up = await h.engine.modifyOrder('L-1', { price: '23950.00' });
    expect(up.denied.map((x) => x.code)).toEqual(['VENUE_UNAVAILABLE']);
    const rejected = h.journal.all().at(-1)?.event as OrderModifyRejected;
    expect(rejected.kind).toBe('OrderModifyRejected');
    expect(rejected.reason.startsWith('VENUE_UNAVAILABLE:')).toBe(true);
    const bigger = await h.engine.modifyOrder('L-1', { quantity: '2' });
    expect(bigger.denied.map((x) => x.code)).toEqual(['VENUE_UNAVAILABLE']);
    expect(h.venue.calls.length).toBe(calls);

    const smaller = await h.engine.modifyOrder('L-1', { quantity: '0.5' });
    expect(smaller.denied).toEqual([]);
    const cancel = await h.engine.cancelOrder('L-2');
    expect(cancel.denied).toEqual([]);
    expect(h.venue.calls.slice(calls).map((c) => `${c.kind} ${c.clientOrderId}`)).toEqual(['modify L-1', 'cancel L-2']);
    expect(h.engine.order('L-2')?.status).toBe('CANCELED');
  });

  it("not even risk control's flatten order passes a closed market: the venue would refuse it", async () => {
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '2'));
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'HALTED', reason: 'halt' });
    const r = await h.engine.submitOrder({ ...marketBuy('F-1', '2'), side: 'SELL', reduceOnly: true, tags: [FLATTEN_TAG] }, RISK_CONTROL);
    expect(r.denied.map((x) => x.code)).toEqual(['MARKET_CLOSED']);
    expect(h.venue.calls.filter((c) => c.clientOrderId === 'F-1')).toEqual([]);
  });

  it('the venue back from maintenance leaves a halted market halted (OPEN clears only its own level)', async () => {
    const h = await gateSetup();
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'HALTED', reason: 'halt' });
    await h.engine.setMarketStatus({ venue: 'BINANCE', status: 'MAINTENANCE', reason: 'upgrade' });
    // The venue's own status is what an order meets first.
    await expectDenied(h, limit('L-1', 'BUY', '0.1', '24000.00'), 'VENUE_UNAVAILABLE');
    await h.engine.setMarketStatus({ venue: 'BINANCE', status: 'OPEN', reason: 'done' });
    await expectDenied(h, limit('L-2', 'BUY', '0.1', '24000.00'), 'MARKET_CLOSED');
  });

  it('a gate rebuilt by replay denies as the live one did: the status is in the journal, not in the gate', async () => {
    const h = await gateSetup();
    await h.engine.setMarketStatus({ venue: 'BINANCE', status: 'MAINTENANCE', reason: 'upgrade' });
    const back = await Engine.fromJournal(h.journal, { clock: h.clock, gate: new RiskGate(limitsConfig()) });
    back.addVenue(h.venue);
    back.updateMarket(BTC, { last: back.instrument(BTC).price('24000') });
    const r = await back.submitOrder(limit('L-9', 'BUY', '0.1', '24000.00'));
    expect(r.denied.map((x) => x.code)).toEqual(['VENUE_UNAVAILABLE']);
  });

  it('property: the verdict on a new order is the venue status if not OPEN, else the market status, whatever the sequence of changes', async () => {
    const statuses: readonly MarketStatus[] = ['OPEN', 'CLOSED', 'HALTED', 'MAINTENANCE'];
    const change = fc.record({ venueLevel: fc.boolean(), status: fc.constantFrom(...statuses) });
    const expected = (s: MarketStatus | undefined): string | undefined => (s === undefined || s === 'OPEN' ? undefined : s === 'MAINTENANCE' ? 'VENUE_UNAVAILABLE' : 'MARKET_CLOSED');
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }), async (changes) => {
        const h = await gateSetup();
        const model = { venue: 'OPEN' as MarketStatus, market: 'OPEN' as MarketStatus };
        let n = 0;
        for (const c of changes) {
          await h.engine.setMarketStatus({ venue: 'BINANCE', ...(c.venueLevel ? {} : { instrumentId: BTC }), status: c.status, reason: `change ${++n}` });
          if (c.venueLevel) model.venue = c.status;
          else model.market = c.status;
          const want = expected(model.venue !== 'OPEN' ? model.venue : model.market);
          const r = await h.engine.submitOrder(limit(`P-${n}`, 'BUY', '0.005', '24000.00'));
          expect(r.denied.map((x) => x.code)).toEqual(want === undefined ? [] : [want]);
          if (r.denied.length === 0) await h.engine.cancelOrder(`P-${n}`);
        }
        // Replayed, the engine holds the same statuses.
        const back = await Engine.fromJournal(h.journal, { clock: h.clock });
        expect(back.markets.statusOf('BINANCE')).toBe(model.venue);
        expect(back.markets.statusOf('BINANCE', BTC)).toBe(model.market);
      }),
      { numRuns: 25 },
    );
  });
});

describe('an instrument the venue changed, at the gate (FAULTS 35)', () => {
  it('the tick collar is recompiled in the new ticks: 10 ticks of 0.05 deny 0.80 away, 10 ticks of 0.10 allow it', async () => {
    const base = limitsConfig();
    const h = await gateSetup({ instruments: { [BTC]: { ...base.instruments[BTC]!, price_collar_ticks: 10 } } });
    await expectDenied(h, limit('L-1', 'BUY', '0.1', '24000.80'), 'PRICE_OUTSIDE_COLLAR');
    await h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.10' });
    await expectAllowed(h, limit('L-2', 'BUY', '0.1', '24000.80'));
    await expectDenied(h, limit('L-3', 'BUY', '0.1', '24001.20'), 'PRICE_OUTSIDE_COLLAR');
  });
});
