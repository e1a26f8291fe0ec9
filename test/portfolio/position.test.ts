import { describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { Price } from '../../src/model/values.ts';
import { Position } from '../../src/portfolio/position.ts';
import { AAPL, AAPL_CALL, ACC, BTCUSDT, ETHUSD_PERP, NOW, S1, bnb, fillOf, pid, usd, usdt, type FillArgs } from './fixtures.ts';

/** USDT has 8 decimals: one USDT is 10^8 minor units. */
const USDT = 100_000_000n;

function positionOf(inst: Instrument): Position {
  return new Position(pid(`${inst.id}-S-1`), ACC, S1, inst);
}

function buy(p: Position, qty: string, px: string, extra: Partial<FillArgs> = {}) {
  return p.applyFill(fillOf(p.instrument, 'BUY', { qty, px, ...extra }));
}
function sell(p: Position, qty: string, px: string, extra: Partial<FillArgs> = {}) {
  return p.applyFill(fillOf(p.instrument, 'SELL', { qty, px, ...extra }));
}

describe('Position: a new position', () => {
  it('is FLAT with no quantity, cost, entry price or realized PnL', () => {
    const p = positionOf(BTCUSDT);
    expect(p.side).toBe('FLAT');
    expect(p.isOpen).toBe(false);
    expect(p.quantity.toString()).toBe('0.00000');
    expect(p.costRaw).toBe(0n);
    expect(p.avgEntryPx).toBeUndefined();
    expect(p.avgEntryPxText()).toBeUndefined();
    expect(p.realizedPnl.eq(usdt('0'))).toBe(true);
    expect(p.unrealizedRaw(BTCUSDT.price('100.00'))).toBe(0n);
    expect(p.instrumentId).toBe('BTCUSDT.BINANCE');
  });
});

describe('Position: weighted-average entry', () => {
  it('buy 1 @ 100.00 then 3 @ 200.00 gives a 175.00 average on an exact cost of 700 USDT', () => {
    const p = positionOf(BTCUSDT);
    buy(p, '1', '100.00');
    buy(p, '3', '200.00');
    expect(p.side).toBe('LONG');
    expect(p.quantity.toString()).toBe('4.00000');
    expect(p.signedQtyRaw).toBe(400_000n);
    expect(p.costRaw).toBe(700n * USDT);
    expect(p.avgEntryPx).toBe(175);
    expect(p.avgEntryPxText()).toBe('175.000000');
    expect(p.avgEntryPxText(0)).toBe('175.00');
  });

  it('a partial close of 2 @ 250.00 realizes against the average: (250 − 175) × 2 = 150 USDT exactly', () => {
    const p = positionOf(BTCUSDT);
    buy(p, '1', '100.00');
    buy(p, '3', '200.00');
    const change = sell(p, '2', '250.00');
    expect(change).toEqual({ opened: false, closed: false, flipped: false, realizedRaw: 150n * USDT, closedCycle: undefined });
    expect(p.realizedRaw).toBe(15_000_000_000n);
    expect(p.realizedPnl.eq(usdt('150'))).toBe(true);
    // The remaining 2 keep their share of the cost and the same average.
    expect(p.quantity.toString()).toBe('2.00000');
    expect(p.costRaw).toBe(350n * USDT);
    expect(p.avgEntryPxText()).toBe('175.000000');
  });

  it('a partial close at a loss realizes a negative amount: sell 1 @ 160.00 against 175 → −15 USDT', () => {
    const p = positionOf(BTCUSDT);
    buy(p, '1', '100.00');
    buy(p, '3', '200.00');
    expect(sell(p, '1', '160.00').realizedRaw).toBe(-15n * USDT);
    expect(p.costRaw).toBe(525n * USDT);
  });

  it('keeps an average that is not on the tick grid exactly: 1 @ 100.00 + 2 @ 100.01 = 300.02 / 3', () => {
    const p = positionOf(AAPL);
    buy(p, '1', '100.00');
    buy(p, '2', '100.01');
    expect(p.costRaw).toBe(30_002n); // cents
    expect(p.avgEntryPxText()).toBe('100.006666'); // truncated, 4 digits beyond the tick
    expect(p.avgEntryPxText(1)).toBe('100.006');
    expect(p.avgEntryPx).toBeCloseTo(100.006667, 5);
  });

  it('a partial close takes its share of the cost rounded toward zero and leaves the remainder with the position', () => {
    const p = positionOf(AAPL);
    buy(p, '1', '100.00');
    buy(p, '2', '100.01');
    // 30002 cents × 1/3 = 10000.67 → 10000 allocated; 10100 − 10000 = 100 cents realized.
    expect(sell(p, '1', '101.00').realizedRaw).toBe(100n);
    expect(p.costRaw).toBe(20_002n);
    // 20002 × 1/2 = 10001 allocated; 9999 − 10001 = −2 cents.
    expect(sell(p, '1', '99.99').realizedRaw).toBe(-2n);
    expect(p.costRaw).toBe(10_001n);
    // The last close takes all that is left: 10050 − 10001 = 49 cents.
    const last = sell(p, '1', '100.50');
    expect(last.realizedRaw).toBe(49n);
    expect(last.closed).toBe(true);
    expect(p.costRaw).toBe(0n);
    // Over the round trip: (10100 + 9999 + 10050) − (10000 + 20002) = 147 cents, to the cent.
    expect(p.realizedRaw).toBe(147n);
    expect(p.realizedPnl.eq(usd('1.47'))).toBe(true);
  });
});

describe('Position: round trips are exact to the minor unit', () => {
  it('opened in 3 fills and closed in 4 uneven partial closes: realized = sell proceeds − buy cost = 7.87 USD', () => {
    const p = positionOf(AAPL);
    // Buy 7 for 100.03 + 2 × 100.07 + 4 × 99.98 = 100.03 + 200.14 + 399.92 = 700.09 USD.
    buy(p, '1', '100.03');
    buy(p, '2', '100.07');
    buy(p, '4', '99.98');
    expect(p.costRaw).toBe(70_009n);
    // Sell 3 @ 101.01, 1 @ 102.00, 2 @ 99.95, 1 @ 103.03: 303.03 + 102.00 + 199.90 + 103.03 = 707.96.
    const realized = [sell(p, '3', '101.01'), sell(p, '1', '102.00'), sell(p, '2', '99.95'), sell(p, '1', '103.03')].map((c) => c.realizedRaw);
    // 70009 × 3/7 = 30003.86 → 30003; 40006 × 1/4 = 10001.5 → 10001; 30005 × 2/3 = 20003.3 → 20003; the last 10002.
    expect(realized).toEqual([30_303n - 30_003n, 10_200n - 10_001n, 19_990n - 20_003n, 10_303n - 10_002n]);
    expect(realized).toEqual([300n, 199n, -13n, 301n]);
    expect(p.realizedRaw).toBe(70_796n - 70_009n);
    expect(p.realizedRaw).toBe(787n);
    expect(p.isOpen).toBe(false);
    expect(p.costRaw).toBe(0n);
  });

  it('a short round trip in 2 opens and 3 closes: realized = short proceeds − cover cost', () => {
    const p = positionOf(AAPL);
    sell(p, '2', '50.01'); // 100.02
    sell(p, '1', '50.05'); // 50.05 → proceeds 150.07 for 3
    expect(p.side).toBe('SHORT');
    expect(p.costRaw).toBe(15_007n);
    // 15007 × 1/3 = 5002.33 → 5002; realized 5002 − 4900 = 102.
    expect(buy(p, '1', '49.00').realizedRaw).toBe(102n);
    // 10005 × 1/2 = 5002.5 → 5002; realized 5002 − 5100 = −98.
    expect(buy(p, '1', '51.00').realizedRaw).toBe(-98n);
    // the last 5003; realized 5003 − 5003 = 0.
    expect(buy(p, '1', '50.03').realizedRaw).toBe(0n);
    expect(p.realizedRaw).toBe(15_007n - (4_900n + 5_100n + 5_003n));
    expect(p.realizedRaw).toBe(4n);
  });
});

describe('Position: long and short — open, add, reduce, close', () => {
  it('reports opened on the first fill only, and nothing closed while adding', () => {
    const p = positionOf(AAPL);
    expect(buy(p, '1', '100.00', { ts: NOW + 1 })).toEqual({ opened: true, closed: false, flipped: false, realizedRaw: 0n, closedCycle: undefined });
    expect(buy(p, '1', '101.00', { ts: NOW + 2 })).toEqual({ opened: false, closed: false, flipped: false, realizedRaw: 0n, closedCycle: undefined });
    expect(p.openedAt).toBe(NOW + 1);
    expect(p.closedAt).toBeUndefined();
    expect(p.fillCount).toBe(2);
    expect(p.lastFillPx?.toString()).toBe('101.00');
  });

  it('a long closed in full reports closed with its round trip (realized and commissions)', () => {
    const p = positionOf(AAPL);
    buy(p, '2', '100.00', { commission: usd('0.40'), ts: NOW + 1 });
    sell(p, '1', '103.00', { commission: usd('0.20'), ts: NOW + 2 });
    const change = sell(p, '1', '104.00', { commission: usd('0.21'), ts: NOW + 3 });
    expect(change).toEqual({
      opened: false,
      closed: true,
      flipped: false,
      realizedRaw: 400n,
      closedCycle: { realizedRaw: 300n + 400n, commissionRaw: 40n + 20n + 21n },
    });
    expect(p.side).toBe('FLAT');
    expect(p.closedAt).toBe(NOW + 3);
    expect(p.commissions.get(Currencies.USD).eq(usd('0.81'))).toBe(true);
  });

  it('a short: sell 2 @ 100.00, cover 1 @ 90.00 (+10.00) then 1 @ 95.00 (+5.00)', () => {
    const p = positionOf(AAPL);
    expect(sell(p, '2', '100.00').opened).toBe(true);
    expect(p.side).toBe('SHORT');
    expect(p.signedQtyRaw).toBe(-2n);
    expect(p.quantity.toString()).toBe('2');
    expect(p.costRaw).toBe(20_000n); // proceeds, kept positive
    expect(p.avgEntryPx).toBe(100);
    expect(buy(p, '1', '90.00')).toEqual({ opened: false, closed: false, flipped: false, realizedRaw: 1_000n, closedCycle: undefined });
    const last = buy(p, '1', '95.00');
    expect(last).toEqual({ opened: false, closed: true, flipped: false, realizedRaw: 500n, closedCycle: { realizedRaw: 1_500n, commissionRaw: 0n } });
    expect(p.realizedPnl.eq(usd('15.00'))).toBe(true);
  });

  it('reopening after flat starts a new cycle (opened again, cycle sums reset) but keeps lifetime realized', () => {
    const p = positionOf(AAPL);
    buy(p, '1', '100.00', { commission: usd('1.00'), ts: NOW + 1 });
    sell(p, '1', '110.00', { ts: NOW + 2 });
    expect(p.closedAt).toBe(NOW + 2);
    const reopen = sell(p, '1', '120.00', { commission: usd('0.30'), ts: NOW + 3 });
    expect(reopen.opened).toBe(true);
    expect(p.openedAt).toBe(NOW + 3);
    expect(p.closedAt).toBeUndefined();
    expect(p.cycleRealizedRaw).toBe(0n);
    expect(p.cycleCommissionRaw).toBe(30n);
    const close = buy(p, '1', '125.00', { ts: NOW + 4 });
    expect(close.closedCycle).toEqual({ realizedRaw: -500n, commissionRaw: 30n });
    expect(p.realizedRaw).toBe(1_000n - 500n);
  });
});

describe('Position: a flipping fill is a close plus an open', () => {
  it('long 1, sell 3 @ 110.00: closes 1 (+10.00), opens 2 short at 110.00; commission 1.00 splits 0.33 / 0.67', () => {
    const p = positionOf(AAPL);
    buy(p, '1', '100.00', { commission: usd('0.50'), ts: NOW + 1 });
    const change = sell(p, '3', '110.00', { commission: usd('1.00'), ts: NOW + 2 });
    // close share = 100 cents × 1/3 = 33.3 → 33 (toward zero); the open part gets the other 67.
    expect(change).toEqual({
      opened: true,
      closed: true,
      flipped: true,
      realizedRaw: 1_000n,
      closedCycle: { realizedRaw: 1_000n, commissionRaw: 50n + 33n },
    });
    expect(p.side).toBe('SHORT');
    expect(p.signedQtyRaw).toBe(-2n);
    expect(p.costRaw).toBe(22_000n); // 2 × 110.00
    expect(p.avgEntryPx).toBe(110);
    expect(p.cycleCommissionRaw).toBe(67n);
    expect(p.cycleRealizedRaw).toBe(0n);
    expect(p.openedAt).toBe(NOW + 2);
    expect(p.closedAt).toBeUndefined();
    // All commissions stay on the position's record.
    expect(p.commissions.get(Currencies.USD).eq(usd('1.50'))).toBe(true);

    // Covering the 2 @ 105.00 ends the second round trip with the open share of the commission.
    const cover = buy(p, '2', '105.00', { commission: usd('0.10'), ts: NOW + 3 });
    expect(cover.closedCycle).toEqual({ realizedRaw: 22_000n - 21_000n, commissionRaw: 67n + 10n });
    expect(p.realizedRaw).toBe(2_000n);
    expect(p.closedAt).toBe(NOW + 3);
  });

  it('short 1, buy 3 @ 90.00 with a 1.00 rebate: the close share is −0.33 (toward zero, not −0.34)', () => {
    const p = positionOf(AAPL);
    sell(p, '1', '100.00');
    const change = buy(p, '3', '90.00', { commission: usd('-1.00') });
    expect(change.flipped).toBe(true);
    expect(change.realizedRaw).toBe(1_000n);
    expect(change.closedCycle).toEqual({ realizedRaw: 1_000n, commissionRaw: -33n });
    expect(p.side).toBe('LONG');
    expect(p.signedQtyRaw).toBe(2n);
    expect(p.costRaw).toBe(18_000n);
    expect(p.cycleCommissionRaw).toBe(-67n);
  });

  it('long 2, sell 7 @ 100.01: closes 2 and opens 5 short, notional split 200.02 / 500.05', () => {
    const p = positionOf(AAPL);
    buy(p, '2', '100.00');
    const change = sell(p, '7', '100.01', { commission: usd('0.07') });
    expect(change.realizedRaw).toBe(2n);
    // 7 cents × 2/7 = 2 to the close, 5 to the open.
    expect(change.closedCycle).toEqual({ realizedRaw: 2n, commissionRaw: 2n });
    expect(p.signedQtyRaw).toBe(-5n);
    expect(p.costRaw).toBe(50_005n);
    expect(p.cycleCommissionRaw).toBe(5n);
  });

  it('a commission in another currency (BNB) is recorded but is no part of the settlement-currency cycle', () => {
    const p = positionOf(BTCUSDT);
    buy(p, '1', '100.00', { commission: bnb('0.003') });
    const change = sell(p, '3', '110.00', { commission: bnb('0.009') });
    expect(change.closedCycle).toEqual({ realizedRaw: 10n * USDT, commissionRaw: 0n });
    expect(p.cycleCommissionRaw).toBe(0n);
    expect(p.commissions.get(Currencies.BNB).eq(bnb('0.012'))).toBe(true);
    expect(p.commissions.get(Currencies.USDT).isZero()).toBe(true);
  });

  it('a fill exactly the size of the position closes without flipping', () => {
    const p = positionOf(AAPL);
    buy(p, '3', '10.00');
    const change = sell(p, '3', '11.00');
    expect(change.flipped).toBe(false);
    expect(change.opened).toBe(false);
    expect(change.closed).toBe(true);
    expect(p.side).toBe('FLAT');
  });
});

describe('Position: market value and unrealized PnL', () => {
  it('long 2 AAPL bought at 100.00: at 105.00 the value is 210.00 and unrealized +10.00', () => {
    const p = positionOf(AAPL);
    buy(p, '2', '100.00');
    expect(p.marketValueRaw(AAPL.price('105.00'))).toBe(21_000n);
    expect(p.unrealizedRaw(AAPL.price('105.00'))).toBe(1_000n);
    expect(p.unrealizedRaw(AAPL.price('99.99'))).toBe(-2n);
  });

  it('short 2 AAPL sold at 100.00: value is negative (−210.00 at 105.00) and unrealized −10.00', () => {
    const p = positionOf(AAPL);
    sell(p, '2', '100.00');
    expect(p.marketValueRaw(AAPL.price('105.00'))).toBe(-21_000n);
    expect(p.unrealizedRaw(AAPL.price('105.00'))).toBe(-1_000n);
    expect(p.unrealizedRaw(AAPL.price('95.50'))).toBe(900n);
  });

  it('a mark half a tick off the grid (100.005) rounds the value half-even to the cent', () => {
    const mid = Price.fromRaw(100_005n, 3);
    const one = positionOf(AAPL);
    buy(one, '1', '100.00');
    expect(one.marketValueRaw(mid)).toBe(10_000n); // 10000.5 → 10000 (even)
    const three = positionOf(AAPL);
    buy(three, '3', '100.00');
    expect(three.marketValueRaw(mid)).toBe(30_002n); // 30001.5 → 30002 (even)
    const short = positionOf(AAPL);
    sell(short, '1', '100.00');
    expect(short.marketValueRaw(mid)).toBe(-10_000n); // −10000.5 → −10000
    expect(short.unrealizedRaw(mid)).toBe(0n);
  });

  it('on a finer currency the same half-tick mark is exact: 0.00001 BTC × 100.005 = 0.00100005 USDT', () => {
    const p = positionOf(BTCUSDT);
    buy(p, '0.00001', '100.00');
    expect(p.marketValueRaw(Price.fromRaw(100_005n, 3))).toBe(100_005n);
    expect(p.unrealizedRaw(Price.fromRaw(100_005n, 3))).toBe(5n);
  });

  it('a ×100 multiplier: 2 contracts @ 1.25 cost 250.00, average 1.25; at 1.30 they are +10.00', () => {
    const p = positionOf(AAPL_CALL);
    buy(p, '2', '1.25');
    expect(p.costRaw).toBe(25_000n);
    expect(p.avgEntryPx).toBe(1.25);
    expect(p.avgEntryPxText()).toBe('1.250000');
    expect(p.marketValueRaw(AAPL_CALL.price('1.30'))).toBe(26_000n);
    expect(p.unrealizedRaw(AAPL_CALL.price('1.30'))).toBe(1_000n);
    expect(sell(p, '1', '1.40').realizedRaw).toBe(1_500n);
  });

  it('a perpetual settles in USD cents: 3 contracts bought at 1234.55 are worth 3706.50 at 1235.50', () => {
    const p = positionOf(ETHUSD_PERP);
    buy(p, '3', '1234.55');
    expect(p.costRaw).toBe(370_365n);
    expect(p.marketValueRaw(ETHUSD_PERP.price('1235.50'))).toBe(370_650n);
    expect(p.unrealizedRaw(ETHUSD_PERP.price('1235.50'))).toBe(285n);
    expect(p.realizedPnl.eq(Money.zero(Currencies.USD))).toBe(true);
  });
});
