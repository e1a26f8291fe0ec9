import { describe, expect, it } from 'vitest';
import { venueListMisfit, type ListLeg } from '../../src/engine/order-lists.ts';
import type { SubmitRequest, VenueCapabilities } from '../../src/engine/venue.ts';
import { Quantity } from '../../src/model/values.ts';
import { ScriptedVenue } from '../../src/venues/scripted/scripted-venue.ts';
import { BTC, kinds, limit, recordsAfter, setup } from './fixtures.ts';

const q = (s: string) => Quantity.of(s, 3);
const leg = (o: Partial<ListLeg> & Pick<ListLeg, 'side' | 'type'>): ListLeg => ({
  instrumentId: BTC as never, quantity: q('1'), timeInForce: 'GTC', extendedHours: undefined, reduceOnly: false, postOnly: false, displayQuantity: undefined, ...o,
});
const entry = leg({ side: 'BUY', type: 'LIMIT' });
const tp = leg({ side: 'SELL', type: 'LIMIT' });
const sl = leg({ side: 'SELL', type: 'STOP_MARKET' });

describe('which lists a venue holds (src/engine/order-lists.ts)', () => {
  it('a bracket is an entry, a take-profit LIMIT and a stop on the other side, one quantity, DAY or GTC', () => {
    expect(venueListMisfit('BRACKET', [entry, tp, sl])).toBeUndefined();
    expect(venueListMisfit('BRACKET', [entry, tp, leg({ side: 'SELL', type: 'STOP_LIMIT' })])).toBeUndefined();
    expect(venueListMisfit('BRACKET', [entry, sl, tp])).toBe('the take-profit of a BRACKET list is a LIMIT order');
    expect(venueListMisfit('BRACKET', [entry, leg({ side: 'BUY', type: 'LIMIT' }), sl])).toBe('the exits of a BRACKET list are SELL orders');
    expect(venueListMisfit('BRACKET', [entry, tp, { ...sl, quantity: q('2') }])).toBe('the orders of a BRACKET list have one quantity');
    expect(venueListMisfit('BRACKET', [entry, tp])).toBe('a BRACKET list has 3 orders, not 2');
    const ioc = (l: ListLeg) => ({ ...l, timeInForce: 'IOC' as const });
    expect(venueListMisfit('BRACKET', [ioc(entry), ioc(tp), ioc(sl)])).toBe('a BRACKET list held at the venue is DAY or GTC');
    expect(venueListMisfit('BRACKET', [{ ...entry, type: 'STOP_MARKET' }, tp, sl])).toBe('the entry of a BRACKET list held at the venue is a MARKET or LIMIT order');
    expect(venueListMisfit('BRACKET', [entry, { ...tp, reduceOnly: true }, sl])).toContain('takes no flags');
  });

  it('an OCO is a take-profit LIMIT then a stop on one side; an OTO an entry and one exit of either kind', () => {
    expect(venueListMisfit('OCO', [tp, sl])).toBeUndefined();
    expect(venueListMisfit('OCO', [tp, tp])).toBe('the stop-loss of a OCO list is a STOP_MARKET or STOP_LIMIT order');
    expect(venueListMisfit('OCO', [tp, leg({ side: 'BUY', type: 'STOP_MARKET' })])).toBe('the exits of a OCO list are SELL orders');
    expect(venueListMisfit('OTO', [entry, sl])).toBeUndefined();
    expect(venueListMisfit('OTO', [entry, tp])).toBeUndefined();
    expect(venueListMisfit('OTO', [entry, leg({ side: 'SELL', type: 'MARKET' })])).toBe('the take-profit of a OTO list is a LIMIT order');
  });
});

class ListVenue extends ScriptedVenue {
  override readonly capabilities: VenueCapabilities = { stopOrders: true, trailingStops: true, postOnly: true, iceberg: true, orderLists: ['BRACKET'], modify: true };
  readonly requests: SubmitRequest[] = [];
  override submit(req: SubmitRequest): void {
    this.requests.push(req);
    super.submit(req);
  }
}

const bracketOrders = [
  limit('E-1', 'BUY', '0.1', '24000.00', { timeInForce: 'GTC' }),
  limit('E-1-TP-1', 'SELL', '0.1', '25000.00', { timeInForce: 'GTC' }),
  { ...limit('E-1-SL-1', 'SELL', '0.1', '23000.00', { timeInForce: 'GTC' }), type: 'STOP_MARKET' as const, price: undefined, triggerPrice: '23000.00' },
];

describe('SubmitOrderList heldAtVenue', () => {
  it('goes to a venue that holds the shape as one submit of the first order with the others as its list; the children wait for the venue to report them', async () => {
    let venue: ListVenue | undefined;
    const h = await setup({ venue: (clock, market) => (venue = new ListVenue({ id: 'BINANCE', clock, marketPrice: () => market.last })) });
    await h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'E-1-BRACKET', orders: bracketOrders, heldAtVenue: 'BRACKET' });
    expect(venue!.requests.map((r) => [r.spec.clientOrderId, r.list?.shape, r.list?.children.map((c) => c.clientOrderId)])).toEqual([['E-1', 'BRACKET', ['E-1-TP-1', 'E-1-SL-1']]]);
    // The scripted venue acks what it is sent (the entry); nothing was sent for the children.
    expect(['E-1', 'E-1-TP-1', 'E-1-SL-1'].map((id) => h.engine.order(id)?.status)).toEqual(['ACCEPTED', 'SUBMITTED', 'SUBMITTED']);
    venue!.emit({ kind: 'OrderAccepted', clientOrderId: 'E-1-TP-1' as never, venueOrderId: 'leg-tp' as never, ts: h.clock.now() });
    expect(h.engine.order('E-1-TP-1')).toMatchObject({ status: 'ACCEPTED', venueOrderId: 'leg-tp' });
    expect(h.engine.order('E-1-SL-1')!.spec.orderListId).toBe('E-1-BRACKET');
  });

  it('to a venue without that shape it is bad input (INCOMPATIBLE_ORDER_OPTIONS): nothing journaled, nothing sent', async () => {
    const h = await setup();
    const seq = h.engine.lastSeq;
    await expect(h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'E-1-BRACKET', orders: bracketOrders, heldAtVenue: 'BRACKET' })).rejects.toMatchObject({
      code: 'INCOMPATIBLE_ORDER_OPTIONS',
      message: 'venue BINANCE does not hold BRACKET lists',
    });
    expect(kinds(recordsAfter(h.journal, seq))).toEqual([]);
    expect(h.venue.calls).toEqual([]);
    expect(h.engine.order('E-1')).toBeUndefined();
  });
});
