import { describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { ValidationError, WardenError } from '../../src/model/errors.ts';
import { Money } from '../../src/model/money.ts';
import { Account } from '../../src/portfolio/account.ts';
import { Portfolio } from '../../src/portfolio/portfolio.ts';
import type { Order } from '../../src/model/orders/order.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { AAPL, ACC, BTCUSDT, ETHUSD_PERP, NOW, bnb, btc, fillFor, fillOf, newOrder, usd, usdt, workingOrder } from './fixtures.ts';

function cashPortfolio(...balances: Money[]): Portfolio {
  const p = new Portfolio();
  p.openAccount(ACC, 'CASH', 'NETTING', balances);
  return p;
}
function marginPortfolio(...balances: Money[]): Portfolio {
  const p = new Portfolio();
  p.openAccount(ACC, 'MARGIN', 'NETTING', balances);
  return p;
}

/** Fills `order` for `qty @ px` and books it: the order, the portfolio, then the lock. */
function fillAndBook(pf: Portfolio, order: Order, inst: Instrument, qty: string, px: string, commission?: Money): void {
  const f = fillFor(order, inst, { qty, px, commission });
  order.apply(f);
  pf.applyFill(f, inst);
  pf.updateLock(order, inst);
}

const text = (m: Money): string => m.toString();

describe('Account: balances', () => {
  it('starts with the deposits it was opened with; a currency never seen is zero', () => {
    const pf = cashPortfolio(usdt('100000'), btc('0.5'));
    const a = pf.account(ACC);
    expect(a.balances().map((b) => text(b.total))).toEqual(['100000.00000000 USDT', '0.50000000 BTC']);
    expect(text(a.balance(Currencies.EUR).total)).toBe('0.00 EUR');
    expect(a.totalRaw(Currencies.EUR)).toBe(0n);
  });

  it('adjust adds signed amounts exactly per currency', () => {
    const a = new Account(ACC, 'CASH', 'NETTING');
    a.adjust(usd('10.01'));
    a.adjust(usd('-0.02'));
    a.adjust(bnb('0.00000001'));
    expect(a.totalRaw(Currencies.USD)).toBe(999n);
    expect(a.totalRaw(Currencies.BNB)).toBe(1n);
  });
});

describe('CASH account: fills move cash by notional and the base by quantity', () => {
  it('a spot buy of 0.5 BTC @ 30000.00 with 15.00 USDT commission: USDT −15015.00, BTC +0.5', () => {
    const pf = cashPortfolio(usdt('100000'));
    pf.applyFill(fillOf(BTCUSDT, 'BUY', { qty: '0.5', px: '30000.00', commission: usdt('15') }), BTCUSDT);
    const a = pf.account(ACC);
    expect(text(a.balance(Currencies.USDT).total)).toBe('84985.00000000 USDT');
    expect(text(a.balance(Currencies.BTC).total)).toBe('0.50000000 BTC');
  });

  it('a spot sell of 0.2 BTC @ 31000.00 credits 6200 USDT, debits 0.2 BTC, and a BNB commission leaves in BNB', () => {
    const pf = cashPortfolio(usdt('100000'), bnb('1'));
    pf.applyFill(fillOf(BTCUSDT, 'BUY', { qty: '0.5', px: '30000.00', commission: bnb('0.0075') }), BTCUSDT);
    pf.applyFill(fillOf(BTCUSDT, 'SELL', { qty: '0.2', px: '31000.00', commission: bnb('0.0031') }), BTCUSDT);
    const a = pf.account(ACC);
    // USDT: 100000 − 15000 + 6200; no USDT commission at all.
    expect(text(a.balance(Currencies.USDT).total)).toBe('91200.00000000 USDT');
    expect(text(a.balance(Currencies.BTC).total)).toBe('0.30000000 BTC');
    expect(text(a.balance(Currencies.BNB).total)).toBe('0.98940000 BNB');
  });

  it('the smallest spot fill, 0.00001 BTC @ 0.01, costs exactly 0.0000001 USDT (10 minor units)', () => {
    const pf = cashPortfolio(usdt('1'));
    pf.applyFill(fillOf(BTCUSDT, 'BUY', { qty: '0.00001', px: '0.01' }), BTCUSDT);
    expect(pf.account(ACC).totalRaw(Currencies.USDT)).toBe(100_000_000n - 10n);
    expect(pf.account(ACC).totalRaw(Currencies.BTC)).toBe(1_000n); // satoshis
  });

  it('an equity has no base currency: buying 10 AAPL @ 150.00 with 1.00 commission moves only USD', () => {
    const pf = cashPortfolio(usd('10000'));
    pf.applyFill(fillOf(AAPL, 'BUY', { qty: '10', px: '150.00', commission: usd('1.00') }), AAPL);
    const a = pf.account(ACC);
    expect(a.balances().map((b) => text(b.total))).toEqual(['8499.00 USD']);
    pf.applyFill(fillOf(AAPL, 'SELL', { qty: '4', px: '155.25', commission: usd('0.62') }), AAPL);
    // + 621.00 − 0.62
    expect(text(a.balance(Currencies.USD).total)).toBe('9119.38 USD');
  });

  it('a maker rebate (negative commission) is credited', () => {
    const pf = cashPortfolio(usd('1000'));
    pf.applyFill(fillOf(AAPL, 'BUY', { qty: '1', px: '100.00', commission: usd('-0.25'), liquidity: 'MAKER' }), AAPL);
    expect(text(pf.account(ACC).balance(Currencies.USD).total)).toBe('900.25 USD');
  });
});

describe('MARGIN account: only realized PnL and commissions move cash', () => {
  it('opening 3 ETHUSD-PERP @ 1234.55 costs only the 2.78 commission', () => {
    const pf = marginPortfolio(usd('10000'));
    pf.applyFill(fillOf(ETHUSD_PERP, 'BUY', { qty: '3', px: '1234.55', commission: usd('2.78') }), ETHUSD_PERP);
    const a = pf.account(ACC);
    expect(a.balances().map((b) => text(b.total))).toEqual(['9997.22 USD']);
    expect(text(a.balance(Currencies.ETH).total)).toBe('0.00000000 ETH');
  });

  it('closing 1 @ 1300.00 credits the realized 65.45, a flip credits the closed part only', () => {
    const pf = marginPortfolio(usd('10000'));
    pf.applyFill(fillOf(ETHUSD_PERP, 'BUY', { qty: '3', px: '1234.55' }), ETHUSD_PERP);
    pf.applyFill(fillOf(ETHUSD_PERP, 'SELL', { qty: '1', px: '1300.00', commission: usd('0.98') }), ETHUSD_PERP);
    const a = pf.account(ACC);
    expect(text(a.balance(Currencies.USD).total)).toBe('10064.47 USD'); // + 65.45 − 0.98
    // Long 2 at 1234.55; sell 5 @ 1200.00: closes 2 for −69.10, opens 3 short with no cash move.
    pf.applyFill(fillOf(ETHUSD_PERP, 'SELL', { qty: '5', px: '1200.00' }), ETHUSD_PERP);
    expect(text(a.balance(Currencies.USD).total)).toBe('9995.37 USD');
    // Cover the 3 short @ 1190.00: +30.00.
    pf.applyFill(fillOf(ETHUSD_PERP, 'BUY', { qty: '3', px: '1190.00' }), ETHUSD_PERP);
    expect(text(a.balance(Currencies.USD).total)).toBe('10025.37 USD');
  });
});

describe('Account locks', () => {
  it('a CASH limit buy of 0.5 BTC @ 30000.00 locks 15000 USDT once submitted; free = total − locked', () => {
    const pf = cashPortfolio(usdt('100000'));
    const initialized = newOrder(BTCUSDT, { side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '30000.00' });
    pf.updateLock(initialized, BTCUSDT);
    expect(pf.account(ACC).openLockCount).toBe(0); // not yet at the venue

    const order = workingOrder(BTCUSDT, { side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '30000.00' });
    pf.updateLock(order, BTCUSDT);
    const b = pf.account(ACC).balance(Currencies.USDT);
    expect(text(b.total)).toBe('100000.00000000 USDT');
    expect(text(b.locked)).toBe('15000.00000000 USDT');
    expect(text(b.free)).toBe('85000.00000000 USDT');
    expect(pf.account(ACC).openLockCount).toBe(1);
  });

  it('a partial fill shrinks the lock to the leaves; the final fill releases it', () => {
    const pf = cashPortfolio(usdt('100000'));
    const order = workingOrder(BTCUSDT, { side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '30000.00' });
    pf.updateLock(order, BTCUSDT);
    fillAndBook(pf, order, BTCUSDT, '0.2', '30000.00', usdt('6'));
    let b = pf.account(ACC).balance(Currencies.USDT);
    expect(order.status).toBe('PARTIALLY_FILLED');
    expect(text(b.total)).toBe('93994.00000000 USDT'); // − 6000 − 6
    expect(text(b.locked)).toBe('9000.00000000 USDT'); // 0.3 × 30000
    expect(text(b.free)).toBe('84994.00000000 USDT');

    fillAndBook(pf, order, BTCUSDT, '0.3', '29999.99', usdt('9'));
    b = pf.account(ACC).balance(Currencies.USDT);
    expect(order.status).toBe('FILLED');
    expect(text(b.locked)).toBe('0.00000000 USDT');
    expect(text(b.free)).toBe(text(b.total));
    expect(text(b.total)).toBe('84985.00300000 USDT'); // − 8999.997 − 9
    expect(pf.account(ACC).openLockCount).toBe(0);
  });

  it('a canceled or rejected order releases its lock', () => {
    const pf = cashPortfolio(usdt('100000'));
    const a = workingOrder(BTCUSDT, { clientOrderId: 'O-A', side: 'BUY', type: 'LIMIT', quantity: '1', price: '20000.00' });
    const b = workingOrder(BTCUSDT, { clientOrderId: 'O-B', side: 'BUY', type: 'LIMIT', quantity: '2', price: '10000.00' });
    pf.updateLock(a, BTCUSDT);
    pf.updateLock(b, BTCUSDT);
    expect(text(pf.account(ACC).balance(Currencies.USDT).locked)).toBe('40000.00000000 USDT');
    a.apply({ kind: 'OrderCanceled', clientOrderId: a.clientOrderId, tsEvent: NOW + 5, tsInit: NOW + 5 });
    pf.updateLock(a, BTCUSDT);
    expect(text(pf.account(ACC).balance(Currencies.USDT).locked)).toBe('20000.00000000 USDT');
    b.apply({ kind: 'OrderRejected', clientOrderId: b.clientOrderId, tsEvent: NOW + 6, tsInit: NOW + 6, reason: 'no' });
    pf.updateLock(b, BTCUSDT);
    expect(text(pf.account(ACC).balance(Currencies.USDT).locked)).toBe('0.00000000 USDT');
    expect(pf.account(ACC).openLockCount).toBe(0);
  });

  it('a modified price re-locks at the new price, not in addition to the old one', () => {
    const pf = cashPortfolio(usdt('100000'));
    const order = workingOrder(BTCUSDT, { side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '30000.00' });
    pf.updateLock(order, BTCUSDT);
    order.apply({
      kind: 'OrderUpdated',
      clientOrderId: order.clientOrderId,
      tsEvent: NOW + 5,
      tsInit: NOW + 5,
      quantity: undefined,
      price: BTCUSDT.price('29000.00'),
      triggerPrice: undefined,
      venueOrderId: undefined,
    });
    pf.updateLock(order, BTCUSDT);
    expect(text(pf.account(ACC).balance(Currencies.USDT).locked)).toBe('14500.00000000 USDT');
    expect(pf.account(ACC).openLockCount).toBe(1);
  });

  it('a CASH spot sell of 0.25 BTC locks 0.25 BTC and no USDT', () => {
    const pf = cashPortfolio(usdt('1000'), btc('1'));
    const order = workingOrder(BTCUSDT, { side: 'SELL', type: 'LIMIT', quantity: '0.25', price: '31000.00' });
    pf.updateLock(order, BTCUSDT);
    const a = pf.account(ACC);
    expect(a.balance(Currencies.BTC).locked.raw).toBe(25_000_000n);
    expect(text(a.balance(Currencies.BTC).free)).toBe('0.75000000 BTC');
    expect(a.balance(Currencies.USDT).locked.isZero()).toBe(true);
    fillAndBook(pf, order, BTCUSDT, '0.1', '31000.00');
    expect(text(a.balance(Currencies.BTC).locked)).toBe('0.15000000 BTC');
    expect(text(a.balance(Currencies.BTC).free)).toBe('0.75000000 BTC'); // 0.9 total − 0.15 locked
  });

  it('a CASH stop-market buy locks its notional at the trigger price: 0.1 BTC × 32000.00 = 3200 USDT', () => {
    const pf = cashPortfolio(usdt('10000'));
    const order = workingOrder(BTCUSDT, { side: 'BUY', type: 'STOP_MARKET', quantity: '0.1', triggerPrice: '32000.00' });
    pf.updateLock(order, BTCUSDT);
    expect(text(pf.account(ACC).balance(Currencies.USDT).locked)).toBe('3200.00000000 USDT');
  });

  it('market orders lock nothing, in CASH and in MARGIN accounts', () => {
    const cash = cashPortfolio(usdt('10000'));
    const m1 = workingOrder(BTCUSDT, { side: 'BUY', type: 'MARKET', quantity: '0.1' });
    cash.updateLock(m1, BTCUSDT);
    expect(cash.account(ACC).openLockCount).toBe(0);
    expect(cash.account(ACC).balance(Currencies.USDT).locked.isZero()).toBe(true);

    const margin = marginPortfolio(usd('10000'));
    const m2 = workingOrder(ETHUSD_PERP, { side: 'SELL', type: 'MARKET', quantity: '3' });
    margin.updateLock(m2, ETHUSD_PERP);
    expect(margin.account(ACC).openLockCount).toBe(0);
    expect(margin.account(ACC).balance(Currencies.USD).locked.isZero()).toBe(true);
  });

  it('a CASH equity sell locks nothing (only spot sells hold back a base currency)', () => {
    const pf = cashPortfolio(usd('10000'));
    const order = workingOrder(AAPL, { side: 'SELL', type: 'LIMIT', quantity: '10', price: '150.00' });
    pf.updateLock(order, AAPL);
    expect(pf.account(ACC).openLockCount).toBe(0);
  });

  it('a MARGIN order locks notional × 10% rounded up: 3 × 1234.55 = 3703.65 → 370.365 → 370.37 USD', () => {
    const pf = marginPortfolio(usd('10000'));
    const order = workingOrder(ETHUSD_PERP, { side: 'BUY', type: 'LIMIT', quantity: '3', price: '1234.55' });
    pf.updateLock(order, ETHUSD_PERP);
    const b = pf.account(ACC).balance(Currencies.USD);
    expect(text(b.locked)).toBe('370.37 USD');
    expect(text(b.free)).toBe('9629.63 USD');
    // One contract fills: 2 × 1234.55 × 0.1 = 246.91 exactly.
    fillAndBook(pf, order, ETHUSD_PERP, '1', '1234.55');
    expect(text(pf.account(ACC).balance(Currencies.USD).locked)).toBe('246.91 USD');
  });

  it('a MARGIN sell locks margin too, rounded up away from zero: 1 × 1234.65 × 0.1 = 123.465 → 123.47', () => {
    const pf = marginPortfolio(usd('10000'));
    const order = workingOrder(ETHUSD_PERP, { side: 'SELL', type: 'LIMIT', quantity: '1', price: '1234.65' });
    pf.updateLock(order, ETHUSD_PERP);
    expect(text(pf.account(ACC).balance(Currencies.USD).locked)).toBe('123.47 USD');
  });
});

describe('Deposits and withdrawals', () => {
  it('a withdrawal may take free balance to zero but not below; locked funds cannot be withdrawn', () => {
    const pf = cashPortfolio(usdt('1000'));
    const order = workingOrder(BTCUSDT, { side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '30000.00' });
    pf.updateLock(order, BTCUSDT); // locks 300
    let err: unknown;
    try {
      pf.adjustBalance(ACC, usdt('-700.00000001'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as WardenError).code).toBe('INVALID_FIELD');
    expect(text(pf.account(ACC).balance(Currencies.USDT).total)).toBe('1000.00000000 USDT');
    pf.adjustBalance(ACC, usdt('-700'));
    expect(text(pf.account(ACC).balance(Currencies.USDT).free)).toBe('0.00000000 USDT');
    pf.adjustBalance(ACC, usdt('50'));
    expect(text(pf.account(ACC).balance(Currencies.USDT).total)).toBe('350.00000000 USDT');
  });

  it('a deposit in a new currency opens that balance', () => {
    const pf = cashPortfolio();
    pf.adjustBalance(ACC, Money.of('2.5', Currencies.ETH));
    expect(text(pf.account(ACC).balance(Currencies.ETH).total)).toBe('2.50000000 ETH');
  });
});
