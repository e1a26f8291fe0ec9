/**
 * The IBKR adapter's edge: IB's doubles read as the exact decimals TWS wrote and put on the grid
 * (never rounded), Warden's orders as IB's, IB's error codes as Warden's, and the fake's Java
 * number formatting read back by the real @stoqey/ib decoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Currencies } from '../../../src/model/currency.ts';
import { ValidationError, VenueCallError } from '../../../src/model/errors.ts';
import { Instrument } from '../../../src/model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../../../src/model/orders/factory.ts';
import { callErrorOf, classifyIbError } from '../../../src/venues/ibkr/errors.ts';
import { ibDecimal, ibPrice, ibQuantity } from '../../../src/venues/ibkr/exact.ts';
import { gtdText, toIbOrder } from '../../../src/venues/ibkr/orders.ts';
import { execTime, fillOf } from '../../../src/venues/ibkr/reports.ts';
import { javaDouble } from '../../support/fake-ibkr/wire.ts';

const aapl = new Instrument({ id: 'AAPL.IBKR', kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1' });
const spec = (o: Partial<OrderRequest>) => createOrderSpec({ clientOrderId: 'o-1', accountId: 'A', instrumentId: aapl.id, side: 'BUY', type: 'LIMIT', quantity: '10', price: '150.25', timeInForce: 'DAY', ...o }, aapl, 0);
const ctx = { account: 'DU1234567', outsideRth: false };

describe('exact figures at the IB edge', () => {
  it('property: any price on a 0.01 grid survives the trip through IB\'s double unchanged', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), (ticks) => {
        const text = aapl.price(`${ticks / 100n}.${String(ticks % 100n).padStart(2, '0')}`).toString();
        expect(ibPrice(aapl, Number(text), 'p').toString()).toBe(text);
        // As TWS writes it (Java), read back as the decoder does (parseFloat).
        expect(ibPrice(aapl, Number.parseFloat(javaDouble(Number(text))), 'p').toString()).toBe(text);
      }),
    );
  });

  it('property: a double off the grid is refused with OFF_TICK_GRID, never rounded onto it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 7 }), fc.integer({ min: 1, max: 9 }), (cents, tenth) => {
        const x = Number(`${cents / 100}`) + tenth / 1000;
        expect(() => ibPrice(aapl, x, 'avgFillPrice')).toThrow(expect.objectContaining({ code: 'OFF_TICK_GRID' }));
      }),
    );
  });

  it('reads Java\'s forms and binary noise exactly as what they are', () => {
    expect(ibDecimal(Number.parseFloat('1.0E-4'), 'minTick')).toBe('0.0001');
    expect(ibDecimal(Number.parseFloat('150.0'), 'price')).toBe('150');
    expect(() => ibPrice(aapl, 0.1 + 0.2, 'avgFillPrice')).toThrow(ValidationError);
    expect(() => ibDecimal(Number.MAX_VALUE, 'commission')).toThrow(expect.objectContaining({ code: 'INVALID_NUMBER' }));
    expect(ibQuantity(aapl, 300, 'shares').toString()).toBe('300');
    expect(() => ibQuantity(aapl, 0.5, 'shares')).toThrow(expect.objectContaining({ code: 'OFF_LOT_GRID' }));
    expect([javaDouble(100), javaDouble(0.01), javaDouble(0.0001), javaDouble(15_000_000)]).toEqual(['100.0', '0.01', '1.0E-4', '1.5E7']);
  });

  it('a fill carries IB\'s commission exactly, maker for lastLiquidity 1 (added), its time from "yyyyMMdd HH:mm:ss UTC"', () => {
    const f = fillOf('o-1', aapl, { execId: 'e1', orderId: 3, shares: 120, price: 150.1, lastLiquidity: 1, time: '20261207 14:30:05 UTC' }, { execId: 'e1', commission: 1.35, currency: 'USD' }, execTime('20261207 14:30:05 UTC', 0));
    expect([f.lastQty.toString(), f.lastPx.toString(), f.commission?.toString(), f.liquidity, f.ts]).toEqual(['120', '150.10', '1.35 USD', 'MAKER', Date.UTC(2026, 11, 7, 14, 30, 5)]);
    expect(execTime('20261207  14:30:05', 42)).toBe(42); // no zone: TWS's local time, not guessed
  });
});

describe('Warden orders as IB orders', () => {
  it('maps each native type, TIF, GTD in UTC and orderRef', () => {
    const m = (o: Partial<OrderRequest>) => {
      const r = toIbOrder(spec(o), aapl, ctx);
      if (!r.ok) throw new Error(r.reason);
      return r.order;
    };
    expect(m({}).orderType).toBe('LMT');
    expect(m({}).orderRef).toBe('o-1');
    expect(m({ type: 'MARKET', price: undefined, timeInForce: 'IOC' }).orderType).toBe('MKT');
    expect(m({ type: 'STOP_LIMIT', triggerPrice: '151' }).orderType).toBe('STP LMT');
    expect(m({ type: 'TRAILING_STOP_MARKET', price: undefined, trailingOffset: '3', trailingOffsetType: 'TICKS' }).auxPrice).toBe(0.03);
    expect(m({ timeInForce: 'GTD', expireTime: Date.UTC(2030, 5, 1, 20, 0, 0) }).goodTillDate).toBe('20300601-20:00:00');
    expect(gtdText(0)).toBe('19700101-00:00:00');
  });

  it('refuses what IB cannot take, before anything is sent', () => {
    for (const o of [{ postOnly: true }, { reduceOnly: true }, { type: 'TRAILING_STOP_LIMIT', price: undefined, trailingOffset: '0.5', trailingOffsetType: 'PRICE', limitOffset: '0.1' }] as Partial<OrderRequest>[]) {
      const r = toIbOrder(spec(o), aapl, ctx);
      expect(r.ok ? 'sent' : r.reason).toMatch(/^UNSUPPORTED_AT_VENUE/);
    }
  });
});

describe('IB error codes as Warden codes', () => {
  it.each([
    [201, 'VENUE_REJECTED', false],
    [200, 'VENUE_REJECTED', false],
    [10147, 'VENUE_REJECTED', false],
    [100, 'VENUE_RATE_LIMITED', false],
    [103, 'VENUE_NETWORK', true],
    [504, 'VENUE_DISCONNECTED', false],
  ] as const)('IB %i → %s (ambiguous: %s)', (code, warden, ambiguous) => {
    const e = callErrorOf(classifyIbError(code), code, 'text', false);
    expect(e).toBeInstanceOf(VenueCallError);
    expect([e.code, e.ambiguous]).toEqual([warden, ambiguous]);
  });

  it('connectivity and notices are not order errors', () => {
    expect([1100, 1101, 1102, 2104, 2106, 2158, 399].map((c) => classifyIbError(c).kind)).toEqual(['CONNECTIVITY_LOST', 'CONNECTIVITY_RESTORED', 'CONNECTIVITY_RESTORED', 'NOTICE', 'NOTICE', 'NOTICE', 'NOTICE']);
  });
});
