/**
 * A real SimulatedExchange behind a FaultInjectingVenue, no engine: the tests speak the Venue
 * contract directly (requests in, reports and errors out) and ask the exchange for the truth.
 */
import { expect } from 'vitest';
import { TestClock } from '../../../../src/engine/clock.ts';
import type { CancelRequest, ModifyRequest, SubmitRequest, VenueConnectionState, VenueReport, VenueReportKind } from '../../../../src/engine/venue.ts';
import type { Bar } from '../../../../src/model/bar.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { VenueCallError } from '../../../../src/model/errors.ts';
import { clientOrderId } from '../../../../src/model/identifiers.ts';
import { Instrument } from '../../../../src/model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../../../../src/model/orders/factory.ts';
import { SimulatedExchange, type SimulatedExchangeOptions } from '../../../../src/venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue, type FaultInjectingVenueOptions } from '../../../../src/venues/sim/faults/index.ts';

export const T0 = Date.parse('2024-03-01T00:00:00Z');

/** Tick 0.01 USDT, lot 0.001 BTC, no fees: the numbers in the tests are the prices traded. */
export const BTC = new Instrument({
  id: 'BTCUSDT.SIM', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0',
});

export function faultSetup(opts: FaultInjectingVenueOptions = {}, exchangeOpts: Partial<SimulatedExchangeOptions> = {}) {
  const clock = new TestClock(T0);
  const exchange = new SimulatedExchange({ id: 'SIM', clock, ...exchangeOpts });
  const venue = new FaultInjectingVenue(exchange, opts);
  const reports: VenueReport[] = [];
  venue.connect((r) => reports.push(r));
  const connection: VenueConnectionState[] = [];
  venue.onConnection((s) => connection.push(s));
  let minute = 0;
  /** The next 1-minute bar; the clock moves to its close. */
  const bar = (open: string, high: string, low: string, close: string, volume = '100'): void => {
    const b: Bar = { instrumentId: BTC.id, ts: T0 + minute * 60_000, durationMs: 60_000, open, high, low, close, volume };
    minute++;
    clock.set(T0 + minute * 60_000);
    exchange.onBar(b, BTC);
  };
  const submitReq = (o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId'>): SubmitRequest => ({
    spec: createOrderSpec({ accountId: 'A', instrumentId: BTC.id, side: 'BUY', type: 'LIMIT', quantity: '1', price: '100.00', ...o }, BTC, clock.now()),
    instrument: BTC,
  });
  /** A buy limit (100.00 unless said) for 1 BTC. */
  const buy = (id: string, price = '100.00', quantity = '1') => venue.submit(submitReq({ clientOrderId: id, price, quantity }));
  const cancel = (id: string) => venue.cancel(cancelReq(id));
  const modify = (id: string, change: { price?: string; quantity?: string }) => venue.modify(modifyReq(id, change));
  /** Kinds of the reports delivered, for one order or all. */
  const kinds = (id?: string): VenueReportKind[] => reports.filter((r) => id === undefined || r.clientOrderId === id).map((r) => r.kind);
  /** The exchange's own record of an order (the truth, whatever the faults hid). */
  const truth = (id: string) => exchange.queries.orderStatus(clientOrderId(id));
  const status = async (id: string) => (await truth(id))?.status;
  return { clock, exchange, venue, reports, connection, bar, submitReq, buy, cancel, modify, kinds, truth, status };
}

export function cancelReq(id: string): CancelRequest {
  return { clientOrderId: clientOrderId(id), venueOrderId: undefined, instrument: BTC };
}

export function modifyReq(id: string, change: { price?: string; quantity?: string }): ModifyRequest {
  return {
    clientOrderId: clientOrderId(id),
    venueOrderId: undefined,
    instrument: BTC,
    price: change.price === undefined ? undefined : BTC.price(change.price),
    quantity: change.quantity === undefined ? undefined : BTC.quantity(change.quantity),
    triggerPrice: undefined,
  };
}

/** The VenueCallError a call failed with; fails the test if it did not fail. */
export async function failure(call: void | Promise<void>): Promise<VenueCallError> {
  try {
    await call;
  } catch (e) {
    expect(e).toBeInstanceOf(VenueCallError);
    return e as VenueCallError;
  }
  throw new Error('expected the venue call to fail');
}
