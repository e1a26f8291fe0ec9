/** The adapter's memory of orders stays bounded in a long run: closed orders beyond the capacity are forgotten oldest first, open ones never. */
import { describe, expect, it } from 'vitest';
import { Instrument } from '../../../src/model/instrument.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { OrderTracker } from '../../../src/venues/ccxt/order-tracker.ts';

const inst = new Instrument({ id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001' });

describe('OrderTracker', () => {
  it('keeps every open order and only the last closed ones; a trade id counts once', () => {
    const t = new OrderTracker(3, 2);
    const track = (id: string) => t.track({ wardenId: id, venueClientId: id, instrument: inst, symbol: 'BTC/USDT', spec: undefined, venueOrderId: `v-${id}` });
    const open = track('open-1');
    for (const id of ['a', 'b', 'c', 'd']) t.closed(track(id));
    expect(t.size).toBe(3);
    expect([t.byWardenId('a'), t.byWardenId('b'), t.byVenueOrderId('v-b')]).toEqual([undefined, undefined, undefined]);
    expect([t.byWardenId('c')?.wardenId, t.byWardenId('d')?.wardenId, t.byWardenId('open-1')]).toEqual(['c', 'd', open]);
    expect([t.firstSight('x'), t.firstSight('x')]).toEqual([true, false]);
    for (const id of ['y', 'z', 'w']) t.firstSight(id);
    expect(t.firstSight('x')).toBe(true); // forgotten past the capacity of 3
  });
});
