/**
 * The engine trading Trading 212 through the adapter against the local fake: every native order
 * type and time validity, cancel, partial fills as they happen, rejects with the broker's codes,
 * and the books agreeing to the cent with the broker's (taxes included).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { currencyOfCode } from '../../../src/venues/trading212/instruments.ts';
import type { FakeTrading212 } from '../../support/fake-trading212/index.ts';
import { AAPL, connectHarness, startFake, until, type Harness } from './harness.ts';

let fake: FakeTrading212;
let h: Harness;

beforeEach(async () => {
  fake = await startFake();
  fake.book.trade('AAPL_US_EQ', '150.00', '1');
  h = await connectHarness(fake);
});

afterEach(async () => {
  await h.close();
  await fake.close();
});

const usd = () => h.engine.portfolio.account(accountId('A')).balance(currencyOfCode('USD', { tickSize: '0.01', quantityStep: '0.0001' })).total.toDecimalString();
const status = (id: string) => h.engine.order(id)?.status;
async function reach(id: string, s: string, ms = 8_000): Promise<void> {
  await until(() => status(id) === s, `${id} ${s} (is ${String(status(id))})`, ms);
}
const order = (o: Record<string, unknown>) => h.engine.submitOrder({ accountId: 'A', instrumentId: AAPL, ...o } as never);

describe('Trading 212 through its public API v0', () => {
  it('buys at market, rests a DAY limit and a GTC stop, fills them from prints, sells with a stop-limit; the cash agrees to the cent', async () => {
    await order({ clientOrderId: 'm-1', side: 'BUY', type: 'MARKET', quantity: '2.5' });
    await reach('m-1', 'FILLED');
    await order({ clientOrderId: 'l-1', side: 'BUY', type: 'LIMIT', quantity: '1', price: '149.50', timeInForce: 'DAY' });
    await order({ clientOrderId: 's-1', side: 'BUY', type: 'STOP_MARKET', quantity: '0.5', triggerPrice: '151.00', timeInForce: 'GTC' });
    await reach('l-1', 'ACCEPTED');
    await reach('s-1', 'ACCEPTED');
    fake.book.trade('AAPL_US_EQ', '149.50', '10');
    await reach('l-1', 'FILLED');
    fake.book.trade('AAPL_US_EQ', '151.25', '10');
    await reach('s-1', 'FILLED');
    await order({ clientOrderId: 'sl-1', side: 'SELL', type: 'STOP_LIMIT', quantity: '4', triggerPrice: '150.00', price: '149.90', timeInForce: 'GTC' });
    await reach('sl-1', 'ACCEPTED');
    fake.book.trade('AAPL_US_EQ', '149.95', '10');
    await reach('sl-1', 'FILLED');
    const sent = fake.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(sent).toEqual(['/api/v0/equity/orders/market', '/api/v0/equity/orders/limit', '/api/v0/equity/orders/stop', '/api/v0/equity/orders/stop_limit']);
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString(), f.commission.toString()])).toEqual([
      ['m-1', '2.5000', '150.00', '0.000000 USD'],
      ['l-1', '1.0000', '149.50', '0.000000 USD'],
      ['s-1', '0.5000', '151.25', '0.000000 USD'],
      ['sl-1', '4.0000', '149.95', '0.010000 USD'],
    ]);
    // 10000 - 375 - 149.50 - 75.625 + 599.80 - 0.01 (the broker's FINRA fee on the sell)
    expect(usd()).toBe('9999.665000');
    expect(h.engine.portfolio.openPositions().map((p) => p.quantity.toString())).toEqual([]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
  }, 30_000);

  it('tells partial fills as they happen, once each, and cancels the rest', async () => {
    await order({ clientOrderId: 'p-1', side: 'BUY', type: 'LIMIT', quantity: '3', price: '149.00', timeInForce: 'GTC' });
    await reach('p-1', 'ACCEPTED');
    fake.book.trade('AAPL_US_EQ', '149.00', '1.25');
    await reach('p-1', 'PARTIALLY_FILLED');
    fake.book.trade('AAPL_US_EQ', '148.90', '0.5');
    await until(() => h.events.filter((e) => e.kind === 'OrderFilled').length === 2, 'the second partial fill');
    await h.engine.cancelOrder('p-1');
    await reach('p-1', 'CANCELED');
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(h.events.filter((e) => e.kind === 'OrderFilled').map((e) => [e.lastQty.toString(), e.lastPx.toString()])).toEqual([
      ['1.2500', '149.00'],
      ['0.5000', '148.90'],
    ]);
    expect(h.engine.order('p-1')!.filledQty.toString()).toBe('1.7500');
    // 10000 - 186.25 - 74.45
    expect(usd()).toBe('9739.300000');
  }, 30_000);

  it("refuses what Trading 212 refuses with a stable code in front of the broker's own, and what it cannot express before sending", async () => {
    await order({ clientOrderId: 'big', side: 'BUY', type: 'LIMIT', quantity: '100', price: '150.00', timeInForce: 'GTC' });
    await reach('big', 'REJECTED');
    const why = (id: string) => {
      const e = h.events.find((x) => x.kind === 'OrderRejected' && x.clientOrderId === id);
      return e && 'reason' in e ? e.reason : '';
    };
    expect(why('big')).toMatch(/^INSUFFICIENT_BALANCE: HTTP 400 InsufficientFreeForStocksBuy/);
    await order({ clientOrderId: 'short', side: 'SELL', type: 'MARKET', quantity: '1' });
    await reach('short', 'REJECTED');
    expect(why('short')).toMatch(/^INSUFFICIENT_POSITION: HTTP 400 SellingEquityNotOwned/);
    await order({ clientOrderId: 'ioc', side: 'BUY', type: 'LIMIT', quantity: '1', price: '140.00', timeInForce: 'IOC' });
    await reach('ioc', 'REJECTED');
    expect(why('ioc')).toMatch(/^UNSUPPORTED_AT_VENUE: /);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(fake.book.pending()).toHaveLength(0);
    expect(usd()).toBe('10000.000000');
  }, 30_000);

  it('paces a burst of limit orders (1 per period) instead of having them refused: every one placed, no 429', async () => {
    for (let i = 0; i < 6; i++) await order({ clientOrderId: `b-${i}`, side: 'BUY', type: 'LIMIT', quantity: '1', price: `14${i}.00`, timeInForce: 'GTC' });
    for (let i = 0; i < 6; i++) await reach(`b-${i}`, 'ACCEPTED');
    expect(fake.book.pending()).toHaveLength(6);
    expect(fake.limits.refused).toBe(0);
    expect(fake.requests.filter((r) => r.status === 429)).toEqual([]);
  }, 30_000);

  it('authenticates with HTTP Basic (key id : secret) and never shows the secret', async () => {
    expect(fake.requests.every((r) => r.status !== 401)).toBe(true);
    await order({ clientOrderId: 'x', side: 'BUY', type: 'LIMIT', quantity: '100', price: '150.00', timeInForce: 'GTC' });
    await reach('x', 'REJECTED');
    const shown = JSON.stringify([h.events, h.alerts, h.journal]);
    expect(shown).not.toContain('not-a-real-secret');
    expect(shown).not.toContain(Buffer.from('35839398ZFVKUxpHzPiVsxKdOtZdaDJSrvyPF-test:not-a-real-secret-7MOz').toString('base64'));
  }, 30_000);
});
