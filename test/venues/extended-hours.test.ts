/**
 * An order that asks for extended hours (OrderSpec.extendedHours, allowed by the gate only on a
 * venue with a calendar and `extended_hours: true`) says so to its broker in the broker's words:
 * Alpaca's `extended_hours` (DAY limit orders only, Alpaca's rule), IB's `outsideRth`.
 */
import { describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { Instrument } from '../../src/model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../../src/model/orders/factory.ts';
import { toAlpacaOrder } from '../../src/venues/alpaca/orders.ts';
import { toIbOrder } from '../../src/venues/ibkr/orders.ts';

const aapl = new Instrument({ id: 'AAPL.BROKER', kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1' });
const spec = (o: Partial<OrderRequest>) => createOrderSpec({ clientOrderId: 'o-1', accountId: 'A', instrumentId: aapl.id, side: 'BUY', type: 'LIMIT', quantity: '10', price: '150.25', timeInForce: 'DAY', ...o }, aapl, 0);

describe('extended hours at the brokers', () => {
  it('Alpaca: a DAY limit order asking for extended hours is sent with extended_hours; one that does not ask, without', () => {
    const asked = toAlpacaOrder(spec({ extendedHours: true }), 'AAPL', 'o-1', aapl);
    const plain = toAlpacaOrder(spec({}), 'AAPL', 'o-1', aapl);
    expect([asked.ok && asked.body.extendedHours, plain.ok && 'extendedHours' in plain.body]).toEqual([true, false]);
  });

  it('Alpaca: extended hours on a market order or a GTC limit is refused before sending (Alpaca takes DAY limits only)', () => {
    for (const o of [{ type: 'MARKET', price: undefined, timeInForce: 'IOC' }, { timeInForce: 'GTC' }] as Partial<OrderRequest>[]) {
      const m = toAlpacaOrder(spec({ ...o, extendedHours: true }), 'AAPL', 'o-1', aapl);
      expect(m.ok ? 'sent' : m.reason).toMatch(/extended hours/);
    }
  });

  it('IB: an order asking for extended hours goes with outsideRth, another without (the venue default off)', () => {
    const ctx = { account: 'DU1', outsideRth: false };
    const asked = toIbOrder(spec({ extendedHours: true }), aapl, ctx);
    const plain = toIbOrder(spec({}), aapl, ctx);
    expect([asked.ok && asked.order.outsideRth, plain.ok && plain.order.outsideRth]).toEqual([true, false]);
  });
});
