/**
 * The Trading 212 client against the fake: Basic auth and its refusal, exact figures both ways
 * (decimal text written as JSON number tokens; JSON numbers read through their shortest text and
 * checked on the grid, never rounded), and the history's cursor paging by nextPagePath.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WallClock } from '../../../src/engine/clock.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Instrument } from '../../../src/model/instrument.ts';
import { placeBody, T212Client } from '../../../src/venues/trading212/client.ts';
import { historySince } from '../../../src/venues/trading212/history.ts';
import { instrumentSpecOf } from '../../../src/venues/trading212/instruments.ts';
import { fillReport } from '../../../src/venues/trading212/orders.ts';
import type { FakeTrading212 } from '../../support/fake-trading212/index.ts';
import { KEY, SECRET, startFake, TEST_LIMITS } from './harness.ts';

let fake: FakeTrading212;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

const client = (secret: string | null = SECRET) =>
  new T212Client({ baseUrl: fake.baseUrl, apiKey: KEY, secret: secret ?? undefined, clock: new WallClock(), timer: new RealTimer(), limits: TEST_LIMITS, guardMs: 20, timeoutMs: 2_000, maxQueueMs: 1_000 });

const grid = { tickSize: '0.01', quantityStep: '0.0001' };

describe('Trading 212 client', () => {
  it('is refused with AUTHENTICATION_FAILED under a wrong secret (or a bare legacy key the account does not take), the secret in no message', async () => {
    const refused = await client('wrong-secret').accountSummary().catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VENUE_QUERY_FAILED' });
    expect((refused as Error).message).toMatch(/^AUTHENTICATION_FAILED: HTTP 401/);
    await expect(client(null).positions()).rejects.toMatchObject({ code: 'VENUE_QUERY_FAILED' });
    const err = await client('wrong-secret').pendingOrders().catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('wrong-secret');
    expect((await client().accountSummary()).currency).toBe('USD');
  });

  it('writes figures as JSON number tokens straight from decimal text, a sell as a negative quantity', () => {
    expect(placeBody({ type: 'STOP_LIMIT', ticker: 'AAPL_US_EQ', quantity: '-0.1234', stopPrice: '0.1', limitPrice: '100.23', timeValidity: 'DAY' })).toBe(
      '{"ticker":"AAPL_US_EQ","quantity":-0.1234,"limitPrice":100.23,"stopPrice":0.1,"timeValidity":"DAY"}',
    );
    expect(placeBody({ type: 'MARKET', ticker: 'AAPL_US_EQ', quantity: '2', extendedHours: false })).toBe('{"ticker":"AAPL_US_EQ","quantity":2,"extendedHours":false}');
    expect(() => placeBody({ type: 'MARKET', ticker: 'X', quantity: '1e3', extendedHours: false })).toThrow(/not a decimal/);
  });

  it('reads a fill exactly and refuses one off the grid rather than rounding it', () => {
    const inst = new Instrument(instrumentSpecOf('AAPL.T212', { ticker: 'AAPL_US_EQ', currencyCode: 'USD', type: 'STOCK', minTradeQuantity: 0.01 }, grid));
    const f = { id: 9, filledAt: '2026-01-02T15:04:05.000Z', price: 149.99, quantity: 0.1 + 0.2 - 0.30000000000000004 + 1.2345, type: 'TRADE', walletImpact: { taxes: [{ name: 'FINRA_FEE', quantity: 0.01, currency: 'USD' }] } };
    const r = fillReport(f, '5', 'w-1', inst, 0);
    expect([r.lastQty.toString(), r.lastPx.toString(), r.commission?.toString(), r.ts]).toEqual(['1.2345', '149.99', '0.010000 USD', Date.parse('2026-01-02T15:04:05.000Z')]);
    expect(() => fillReport({ ...f, quantity: 0.1 + 0.2 }, '5', 'w-1', inst, 0)).toThrow(/0\.30000000000000004|precision|grid/i);
    expect(() => fillReport({ ...f, price: 149.995 }, '5', 'w-1', inst, 0)).toThrow();
    expect(inst.minQuantity?.toString()).toBe('0.0100');
  });

  it('follows nextPagePath through the order history, newest first, to the end', async () => {
    for (let i = 0; i < 120; i++) {
      const o = fake.book.place({ ticker: 'AAPL_US_EQ', type: 'LIMIT', quantity: '1', limitPrice: '100.00', timeValidity: 'DAY' });
      if (o.ok) fake.book.cancel(o.order.id);
    }
    const items = await historySince(client(), 0);
    expect(items).toHaveLength(120);
    const ids = items.map((x) => x.order.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(fake.requests.filter((r) => r.path.endsWith('/equity/history/orders'))).toHaveLength(3);
    expect(fake.limits.refused).toBe(0);
  });
});
