import { describe, expect, it } from 'vitest';
import { clientOrderId } from '../../../../src/model/identifiers.ts';
import { describeInjected } from '../../../../src/venues/sim/faults/index.ts';
import { BTC, failure, faultSetup, modifyReq } from './fixtures.ts';

const THROUGH_100 = ['101.00', '101.00', '99.50', '100.50'] as const;

describe('disconnect (FAULTS 22)', () => {
  it('tells listeners DOWN then UP; calls while down fail VENUE_DISCONNECTED (not ambiguous) and never reach the exchange', async () => {
    const h = faultSetup();
    h.venue.disconnect();
    expect([h.connection, h.venue.connected]).toEqual([['DOWN'], false]);
    const err = await failure(h.buy('O-1'));
    expect([err.code, err.ambiguous]).toEqual(['VENUE_DISCONNECTED', false]);
    h.venue.reconnect();
    expect(h.connection).toEqual(['DOWN', 'UP']);
    expect(await h.status('O-1')).toBeUndefined();
  });

  it('a fill while down is lost to the sink; after reconnect the queries show it FILLED at 100.00', async () => {
    const h = faultSetup();
    await h.buy('O-1', '100.00');
    h.venue.disconnect();
    h.bar(...THROUGH_100);
    h.venue.reconnect();
    expect(h.kinds()).toEqual(['OrderAccepted']);
    expect((await h.venue.queries.orderStatus(clientOrderId('O-1')))?.status).toBe('FILLED');
    const fills = await h.venue.queries.fillsSince(0);
    expect(fills.map((f) => `${f.lastQty.toString()}@${f.lastPx.toString()}`)).toEqual(['1.000@100.00']);
    expect(await h.venue.queries.positions()).toMatchObject([{ accountId: 'A', side: 'LONG' }]);
    expect(h.venue.injected.map(describeInjected)).toEqual(['DISCONNECT', 'OrderFilled O-1: LOST_WHILE_DOWN', 'RECONNECT']);
  });

  it('queries fail VENUE_DISCONNECTED while down, unless queriesWhileDown (REST up, websocket down)', async () => {
    const strict = faultSetup();
    strict.venue.disconnect();
    await expect(strict.venue.queries.openOrders()).rejects.toMatchObject({ code: 'VENUE_DISCONNECTED' });
    const rest = faultSetup({ queriesWhileDown: true });
    await rest.buy('O-1');
    rest.venue.disconnect();
    expect((await rest.venue.queries.openOrders()).map((o) => o.clientOrderId)).toEqual(['O-1']);
  });

  it('reports held for reordering and flushed while down are lost too', async () => {
    const h = faultSetup({ reports: [{ fault: 'REORDER' }] });
    await h.buy('O-1');
    h.venue.disconnect();
    h.venue.flushReports();
    h.venue.reconnect();
    expect(h.reports).toEqual([]);
    expect(await h.status('O-1')).toBe('OPEN');
  });

  it('calls refused while down still count for nth: the 2nd submit made is the one hit', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', nth: 2, fault: { kind: 'REJECT' } }] });
    h.venue.disconnect();
    await failure(h.buy('O-1'));
    h.venue.reconnect();
    expect((await failure(h.buy('O-2'))).code).toBe('VENUE_REJECTED');
    await h.buy('O-3');
    expect(await h.status('O-3')).toBe('OPEN');
  });
});

describe('failing queries', () => {
  it('the next 2 reads fail VENUE_NETWORK (ambiguous), the 3rd answers: a read retry succeeds', async () => {
    const h = faultSetup({ queryFaults: [{ code: 'VENUE_NETWORK', times: 2 }] });
    await h.buy('O-1');
    const q = h.venue.queries;
    await expect(q.orderStatus(clientOrderId('O-1'))).rejects.toMatchObject({ code: 'VENUE_NETWORK', ambiguous: true });
    await expect(q.openOrders()).rejects.toMatchObject({ code: 'VENUE_NETWORK' });
    expect((await q.orderStatus(clientOrderId('O-1')))?.status).toBe('OPEN');
  });

  it('only the named read fails: fillsSince is VENUE_UNAVAILABLE, orderStatus still answers', async () => {
    const h = faultSetup();
    h.venue.addQueryFault({ code: 'VENUE_UNAVAILABLE', query: 'fillsSince' });
    await h.buy('O-1');
    expect((await h.venue.queries.orderStatus(clientOrderId('O-1')))?.status).toBe('OPEN');
    await expect(h.venue.queries.fillsSince(0)).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    expect(await h.venue.queries.fillsSince(0)).toEqual([]);
    expect(h.venue.injected.map(describeInjected)).toEqual(['query fillsSince: VENUE_UNAVAILABLE']);
  });
});

describe('pass-through', () => {
  it('has the exchange’s id and capabilities, and without rules delivers exactly what the exchange reports', async () => {
    const h = faultSetup();
    expect([h.venue.id, h.venue.capabilities]).toEqual([h.exchange.id, h.exchange.capabilities]);
    await h.buy('O-1', '100.00');
    await h.buy('O-2', '99.00');
    h.bar(...THROUGH_100);
    await h.cancel('O-2');
    expect(h.reports.map((r) => `${r.kind} ${r.clientOrderId}`)).toEqual(['OrderAccepted O-1', 'OrderAccepted O-2', 'OrderFilled O-1', 'OrderCanceled O-2']);
    expect(h.venue.injected).toEqual([]);
  });

  it('queries show an order as it stands after a modify: a stop moved from 95.00 to 96.00 has no limit price', async () => {
    const h = faultSetup();
    await h.venue.submit(h.submitReq({ clientOrderId: 'S-1', side: 'SELL', type: 'STOP_MARKET', price: undefined, triggerPrice: '95.00', quantity: '0.5' }));
    await h.venue.modify({ ...modifyReq('S-1', {}), triggerPrice: BTC.price('96.00') });
    const t = await h.truth('S-1');
    expect([t?.quantity?.toString(), t?.triggerPrice?.toString(), t?.price]).toEqual(['0.500', '96.00', undefined]);
  });
});
