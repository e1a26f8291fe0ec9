import { describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { LookupError, StateError, type WardenError } from '../../src/model/errors.ts';
import type { Money } from '../../src/model/money.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { Portfolio, type PortfolioOptions } from '../../src/portfolio/portfolio.ts';
import type { AccountType } from '../../src/portfolio/account.ts';
import type { PositionMode } from '../../src/portfolio/position.ts';
import {
  AAPL,
  ACC,
  BTCUSDT,
  ETHUSD_PERP,
  MSFT,
  S1,
  S2,
  aid,
  bnb,
  fillOf,
  newOrder,
  pid,
  sid,
  usd,
  usdt,
  type FillArgs,
} from './fixtures.ts';
import type { Instrument } from '../../src/model/instrument.ts';

const text = (m: Money): string => m.toString();

function portfolioWith(type: AccountType, balances: Money[], opts: PortfolioOptions = {}, mode: PositionMode = 'NETTING'): Portfolio {
  const pf = new Portfolio(opts);
  pf.openAccount(ACC, type, mode, balances);
  return pf;
}

function book(pf: Portfolio, inst: Instrument, side: 'BUY' | 'SELL', a: FillArgs) {
  return pf.applyFill(fillOf(inst, side, a), inst);
}

function thrown(fn: () => unknown): WardenError {
  try {
    fn();
  } catch (e) {
    return e as WardenError;
  }
  throw new Error('expected the call to throw');
}

describe('Portfolio: accounts', () => {
  it('opens an account once; a second open or an unknown id is a LookupError', () => {
    const pf = portfolioWith('CASH', [usd('100')]);
    expect(pf.hasAccount(ACC)).toBe(true);
    expect(pf.hasAccount(aid('NOPE'))).toBe(false);
    expect(pf.allAccounts().map((a) => a.id)).toEqual(['ACC-1']);
    const dup = thrown(() => pf.openAccount(ACC, 'MARGIN', 'HEDGING', []));
    expect(dup).toBeInstanceOf(LookupError);
    expect(dup.code).toBe('DUPLICATE_REGISTRATION');
    const unknown = thrown(() => pf.account(aid('NOPE')));
    expect(unknown.code).toBe('UNKNOWN_ACCOUNT');
  });

  it('a fill for an unknown account is refused and creates no position', () => {
    const pf = portfolioWith('CASH', [usd('100')]);
    const e = thrown(() => book(pf, AAPL, 'BUY', { qty: '1', px: '10.00', account: 'OTHER' }));
    expect(e.code).toBe('UNKNOWN_ACCOUNT');
    expect(pf.allPositions()).toHaveLength(0);
  });

  it('a fill naming an existing position of another instrument is a FILL_MISMATCH and books nothing', () => {
    const pf = portfolioWith('CASH', [usd('1000')]);
    book(pf, AAPL, 'BUY', { qty: '1', px: '10.00', position: 'P-1' });
    const e = thrown(() => book(pf, MSFT, 'BUY', { qty: '1', px: '20.00', position: 'P-1' }));
    expect(e).toBeInstanceOf(StateError);
    expect(e.code).toBe('FILL_MISMATCH');
    expect(text(pf.account(ACC).balance(Currencies.USD).total)).toBe('990.00 USD');
    expect(pf.position(pid('P-1'))?.quantity.toString()).toBe('1');
  });
});

describe('Portfolio: a fill is booked on the instrument grid', () => {
  it('a quantity or price carried at a finer precision books exactly as on the grid (1 BTC @ 100.00 costs 100 USDT)', () => {
    const pf = portfolioWith('CASH', [usdt('1000')]);
    const f = fillOf(BTCUSDT, 'BUY', { qty: '1', px: '100.00' });
    // 1 BTC at 8 decimals (the lot grid has 5) and 100.00 at 3 decimals (a mid's precision).
    const { position } = pf.applyFill({ ...f, lastQty: Quantity.of('1', 8), lastPx: Price.of('100', 3) }, BTCUSDT);
    expect(position.quantity.toString()).toBe('1.00000');
    expect(position.costRaw).toBe(100n * 100_000_000n);
    expect(text(pf.account(ACC).balance(Currencies.USDT).total)).toBe('900.00000000 USDT');
    expect(text(pf.account(ACC).balance(Currencies.BTC).total)).toBe('1.00000000 BTC');
  });

  it('a price finer than the grid is rejected (PRECISION_EXCEEDED) before anything is booked', () => {
    const pf = portfolioWith('CASH', [usdt('1000')]);
    const f = fillOf(BTCUSDT, 'BUY', { qty: '1', px: '100.00' });
    const e = thrown(() => pf.applyFill({ ...f, lastPx: Price.of('100.005', 3) }, BTCUSDT));
    expect(e.code).toBe('PRECISION_EXCEEDED');
    expect(pf.allPositions()).toHaveLength(0);
    expect(text(pf.account(ACC).balance(Currencies.USDT).total)).toBe('1000.00000000 USDT');
  });
});

describe('Portfolio: unrealized PnL by mark type', () => {
  /** S-1 long 2 AAPL @ 100.00, S-2 short 2 AAPL @ 100.00 (NETTING: one position per strategy). */
  function longAndShort(opts: PortfolioOptions) {
    const pf = portfolioWith('CASH', [usd('10000')], opts);
    const long = book(pf, AAPL, 'BUY', { qty: '2', px: '100.00', strategy: 'S-1' }).position;
    const short = book(pf, AAPL, 'SELL', { qty: '2', px: '100.00', strategy: 'S-2' }).position;
    return { pf, long, short };
  }

  it('LAST (the default): at last 105.00 the long is +10.00 and the short −10.00', () => {
    const { pf, long, short } = longAndShort({});
    expect(pf.markPriceType).toBe('LAST');
    pf.mark(AAPL.id, { last: AAPL.price('105.00'), bid: AAPL.price('90.00'), ask: AAPL.price('120.00') });
    expect(text(pf.unrealizedPnl(long))).toBe('10.00 USD');
    expect(text(pf.unrealizedPnl(short))).toBe('-10.00 USD');
  });

  it('BID_ASK: the long marks at the bid (104.00 → +8.00), the short at the ask (106.00 → −12.00)', () => {
    const { pf, long, short } = longAndShort({ markPriceType: 'BID_ASK' });
    pf.mark(AAPL.id, { last: AAPL.price('200.00'), bid: AAPL.price('104.00'), ask: AAPL.price('106.00') });
    expect(pf.markFor(long)?.toString()).toBe('104.00');
    expect(pf.markFor(short)?.toString()).toBe('106.00');
    expect(text(pf.unrealizedPnl(long))).toBe('8.00 USD');
    expect(text(pf.unrealizedPnl(short))).toBe('-12.00 USD');
  });

  it('MID: bid 100.00 / ask 100.01 marks at 100.005; values round half-even to the cent', () => {
    const pf = portfolioWith('CASH', [usd('10000')], { markPriceType: 'MID' });
    const one = book(pf, AAPL, 'BUY', { qty: '1', px: '99.00', strategy: 'ONE' }).position;
    const three = book(pf, AAPL, 'BUY', { qty: '3', px: '99.00', strategy: 'THREE' }).position;
    const short = book(pf, AAPL, 'SELL', { qty: '1', px: '101.00', strategy: 'SHORT' }).position;
    pf.mark(AAPL.id, { bid: AAPL.price('100.00') });
    pf.mark(AAPL.id, { ask: AAPL.price('100.01') }); // quotes merge
    expect(pf.markFor(one)?.toString()).toBe('100.005');
    // 100.005 → 100.00 (even): +1.00 on a 99.00 entry.
    expect(text(pf.unrealizedPnl(one))).toBe('1.00 USD');
    // 300.015 → 300.02 (even): +3.02 on 297.00.
    expect(text(pf.unrealizedPnl(three))).toBe('3.02 USD');
    // −100.005 → −100.00: +1.00 on a 101.00 short.
    expect(text(pf.unrealizedPnl(short))).toBe('1.00 USD');
  });

  it('without a usable mark, falls back to the last trade, then to the last fill price', () => {
    for (const markPriceType of ['LAST', 'BID_ASK', 'MID'] as const) {
      const pf = portfolioWith('CASH', [usd('10000')], { markPriceType });
      book(pf, AAPL, 'BUY', { qty: '2', px: '100.00' });
      const p = book(pf, AAPL, 'BUY', { qty: '1', px: '101.00' }).position;
      // No mark at all: the last fill, 101.00: 303.00 − 301.00.
      expect(pf.markFor(p)?.toString()).toBe('101.00');
      expect(text(pf.unrealizedPnl(p))).toBe('2.00 USD');
      // A one-sided quote is not enough for BID_ASK's bid or for MID; LAST has no last.
      pf.mark(AAPL.id, { ask: AAPL.price('150.00') });
      expect(pf.markFor(p)?.toString()).toBe('101.00');
      // A last trade is the next fallback.
      pf.mark(AAPL.id, { last: AAPL.price('102.00') });
      expect(text(pf.unrealizedPnl(p))).toBe('5.00 USD');
    }
  });

  it('a flat position has no unrealized PnL whatever the mark', () => {
    const pf = portfolioWith('CASH', [usd('10000')]);
    book(pf, AAPL, 'BUY', { qty: '2', px: '100.00' });
    const p = book(pf, AAPL, 'SELL', { qty: '2', px: '101.00' }).position;
    pf.mark(AAPL.id, { last: AAPL.price('500.00') });
    expect(text(pf.unrealizedPnl(p))).toBe('0.00 USD');
  });
});

describe('Portfolio: equity and exposure', () => {
  it('CASH equity = cash + positions at their marks: 98499.00 + 10 × 160.00 = 100099.00', () => {
    const pf = portfolioWith('CASH', [usd('100000')]);
    book(pf, AAPL, 'BUY', { qty: '10', px: '150.00', commission: usd('1.00') });
    // Before any mark the position is valued at its fill price.
    expect(text(pf.equity(ACC, Currencies.USD))).toBe('99999.00 USD');
    pf.mark(AAPL.id, { last: AAPL.price('160.00') });
    expect(text(pf.account(ACC).balance(Currencies.USD).total)).toBe('98499.00 USD');
    expect(text(pf.equity(ACC, Currencies.USD))).toBe('100099.00 USD');
    // equity − start = realized 0 + unrealized 100.00 − commissions 1.00
  });

  it('MARGIN equity = cash + unrealized: 10000 − 2.78 + (3750.00 − 3703.65) = 10043.57', () => {
    const pf = portfolioWith('MARGIN', [usd('10000')]);
    book(pf, ETHUSD_PERP, 'BUY', { qty: '3', px: '1234.55', commission: usd('2.78') });
    expect(text(pf.equity(ACC, Currencies.USD))).toBe('9997.22 USD');
    pf.mark(ETHUSD_PERP.id, { last: ETHUSD_PERP.price('1250.00') });
    expect(text(pf.equity(ACC, Currencies.USD))).toBe('10043.57 USD');
  });

  it('equity in one currency ignores positions settled in another', () => {
    const pf = portfolioWith('CASH', [usd('1000'), usdt('1000')]);
    book(pf, BTCUSDT, 'BUY', { qty: '0.01', px: '30000.00' });
    pf.mark(BTCUSDT.id, { last: BTCUSDT.price('40000.00') });
    expect(text(pf.equity(ACC, Currencies.USD))).toBe('1000.00 USD');
    expect(text(pf.equity(ACC, Currencies.USDT))).toBe('1100.00000000 USDT');
  });

  it('gross and net exposure: long 10 AAPL @ 160.00 and short 5 MSFT @ 300.00 → gross 3100.00, net 100.00', () => {
    const pf = portfolioWith('CASH', [usd('100000')]);
    pf.openAccount(aid('ACC-2'), 'CASH', 'NETTING', [usd('1000')]);
    book(pf, AAPL, 'BUY', { qty: '10', px: '150.00' });
    book(pf, MSFT, 'SELL', { qty: '5', px: '310.00' });
    book(pf, AAPL, 'BUY', { qty: '1', px: '150.00', account: 'ACC-2', position: 'ACC-2-AAPL' });
    // A closed position is no exposure.
    book(pf, AAPL, 'BUY', { qty: '7', px: '150.00', strategy: 'S-X' });
    book(pf, AAPL, 'SELL', { qty: '7', px: '151.00', strategy: 'S-X' });
    pf.mark(AAPL.id, { last: AAPL.price('160.00') });
    pf.mark(MSFT.id, { last: MSFT.price('300.00') });
    const one = pf.exposure(ACC, Currencies.USD);
    expect([text(one.gross), text(one.net)]).toEqual(['3100.00 USD', '100.00 USD']);
    const all = pf.exposure(undefined, Currencies.USD);
    expect([text(all.gross), text(all.net)]).toEqual(['3260.00 USD', '260.00 USD']);
    const none = pf.exposure(ACC, Currencies.USDT);
    expect([text(none.gross), text(none.net)]).toEqual(['0.00000000 USDT', '0.00000000 USDT']);
  });
});

describe('Portfolio: attribution and statistics', () => {
  it('pnlByStrategy: S-1 round trip +100.00 with 2.10 commissions; S-2 open with +20.00 unrealized', () => {
    const pf = portfolioWith('CASH', [usd('100000')]);
    book(pf, AAPL, 'BUY', { qty: '10', px: '100.00', commission: usd('1.00'), strategy: 'S-1' });
    book(pf, AAPL, 'SELL', { qty: '10', px: '110.00', commission: usd('1.10'), strategy: 'S-1' });
    book(pf, AAPL, 'BUY', { qty: '5', px: '100.00', commission: usd('0.50'), strategy: 'S-2' });
    pf.mark(AAPL.id, { last: AAPL.price('104.00') });
    const rows = pf.pnlByStrategy(Currencies.USD);
    expect([...rows.keys()]).toEqual([S1, S2]);
    const s1 = rows.get(S1);
    const s2 = rows.get(S2);
    expect([s1?.realized, s1?.unrealized, s1?.commissions].map((m) => m && text(m))).toEqual(['100.00 USD', '0.00 USD', '2.10 USD']);
    expect([s2?.realized, s2?.unrealized, s2?.commissions].map((m) => m && text(m))).toEqual(['0.00 USD', '20.00 USD', '0.50 USD']);
    // The sum over strategies explains the whole equity change: 100.00 + 20.00 − 2.60.
    expect(text(pf.equity(ACC, Currencies.USD))).toBe('100117.40 USD');
  });

  it('statistics: a winner is a round trip with realized − commissions > 0; break-even is not a win', () => {
    const pf = portfolioWith('CASH', [usd('100000')]);
    // +1.00 realized, 0.50 commissions: a winner.
    book(pf, AAPL, 'BUY', { qty: '1', px: '100.00', commission: usd('0.25') });
    book(pf, AAPL, 'SELL', { qty: '1', px: '101.00', commission: usd('0.25') });
    // +1.00 realized, 1.50 commissions: a loser.
    book(pf, AAPL, 'BUY', { qty: '1', px: '100.00', commission: usd('0.75') });
    book(pf, AAPL, 'SELL', { qty: '1', px: '101.00', commission: usd('0.75') });
    // +1.00 realized, 1.00 commissions: break-even, not a winner.
    book(pf, AAPL, 'BUY', { qty: '1', px: '100.00', commission: usd('0.50') });
    book(pf, AAPL, 'SELL', { qty: '1', px: '101.00', commission: usd('0.50') });
    // An open position of another strategy.
    book(pf, MSFT, 'BUY', { qty: '1', px: '300.00', strategy: 'S-2' });

    const all = pf.statistics();
    expect(all.openPositions).toBe(1);
    expect(all.closedTrades).toBe(3);
    expect(all.winRate).toBeCloseTo(1 / 3, 12);
    expect(all.realized.map(text)).toEqual(['3.00 USD']);
    expect(all.commissions.map(text)).toEqual(['3.00 USD']);

    const s1 = pf.statistics(S1);
    expect([s1.openPositions, s1.closedTrades]).toEqual([0, 3]);
    const s2 = pf.statistics(S2);
    expect([s2.openPositions, s2.closedTrades, s2.winRate]).toEqual([1, 0, undefined]);
    const none = pf.statistics(sid('NOBODY'));
    expect([none.openPositions, none.closedTrades, none.winRate, none.realized, none.commissions]).toEqual([0, 0, undefined, [], []]);
  });

  it('a flip ends one round trip (counted with its pro-rated commission) and starts another', () => {
    const pf = portfolioWith('CASH', [usd('100000')]);
    book(pf, AAPL, 'BUY', { qty: '1', px: '100.00', commission: usd('0.50') });
    // Close 1 at +0.60 with 1/3 of 1.00 = 0.33 commission: 0.60 − 0.50 − 0.33 < 0, a loser.
    const { change } = book(pf, AAPL, 'SELL', { qty: '3', px: '100.60', commission: usd('1.00') });
    expect(change.closedCycle).toEqual({ realizedRaw: 60n, commissionRaw: 83n });
    expect(pf.statistics().closedTrades).toBe(1);
    expect(pf.statistics()).toMatchObject({ winners: 0, losers: 1 });
    expect(pf.statistics().winRate).toBe(0);
    // Cover the 2 short at 99.00: +3.20 against the 0.67 carried plus 0.10: a winner.
    book(pf, AAPL, 'BUY', { qty: '2', px: '99.00', commission: usd('0.10') });
    expect(pf.statistics().closedTrades).toBe(2);
    expect(pf.statistics()).toMatchObject({ winners: 1, losers: 1 });
    expect(pf.statistics().winRate).toBe(0.5);
    expect(pf.statistics().realized.map(text)).toEqual(['3.80 USD']);
  });

  it('a commission in another currency counts in the commissions list, not in the round-trip net', () => {
    const pf = portfolioWith('CASH', [usdt('100000'), bnb('1')]);
    book(pf, BTCUSDT, 'BUY', { qty: '1', px: '100.00', commission: bnb('0.5') });
    book(pf, BTCUSDT, 'SELL', { qty: '1', px: '100.01', commission: bnb('0.5') });
    const s = pf.statistics();
    expect(s.winRate).toBe(1);
    expect(s.commissions.map(text)).toEqual(['1.00000000 BNB']);
    expect(s.realized.map(text)).toEqual(['0.01000000 USDT']);
  });
});

describe('Portfolio: NETTING vs HEDGING position ids', () => {
  it('NETTING: one position per account, instrument and strategy', () => {
    const pf = portfolioWith('CASH', [usd('1000')]);
    const a = newOrder(AAPL, { clientOrderId: 'O-1', side: 'BUY', type: 'MARKET', quantity: '1' });
    const b = newOrder(AAPL, { clientOrderId: 'O-2', side: 'SELL', type: 'LIMIT', quantity: '1', price: '100.00' });
    const c = newOrder(AAPL, { clientOrderId: 'O-3', strategyId: 'S-2', side: 'BUY', type: 'MARKET', quantity: '1' });
    const d = newOrder(MSFT, { clientOrderId: 'O-4', side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(pf.positionIdFor(a)).toBe('ACC-1/AAPL.XNAS/S-1');
    expect(pf.positionIdFor(b)).toBe('ACC-1/AAPL.XNAS/S-1');
    expect(pf.positionIdFor(c)).toBe('ACC-1/AAPL.XNAS/S-2');
    expect(pf.positionIdFor(d)).toBe('ACC-1/MSFT.XNAS/S-1');
  });

  it('HEDGING: one position per entry order, so a long and a short of one strategy coexist', () => {
    const pf = portfolioWith('MARGIN', [usd('10000')], {}, 'HEDGING');
    const a = newOrder(ETHUSD_PERP, { clientOrderId: 'O-1', side: 'BUY', type: 'MARKET', quantity: '2' });
    const b = newOrder(ETHUSD_PERP, { clientOrderId: 'O-2', side: 'SELL', type: 'MARKET', quantity: '1' });
    expect(pf.positionIdFor(a)).toBe('ACC-1/ETHUSD-PERP.BITMEX/S-1/O-1');
    expect(pf.positionIdFor(b)).toBe('ACC-1/ETHUSD-PERP.BITMEX/S-1/O-2');
    book(pf, ETHUSD_PERP, 'BUY', { qty: '2', px: '1000.00', position: pf.positionIdFor(a) });
    book(pf, ETHUSD_PERP, 'SELL', { qty: '1', px: '1000.00', position: pf.positionIdFor(b) });
    expect(pf.openPositions().map((p) => [p.id, p.side])).toEqual([
      ['ACC-1/ETHUSD-PERP.BITMEX/S-1/O-1', 'LONG'],
      ['ACC-1/ETHUSD-PERP.BITMEX/S-1/O-2', 'SHORT'],
    ]);
    pf.mark(ETHUSD_PERP.id, { last: ETHUSD_PERP.price('1100.00') });
    const e = pf.exposure(ACC, Currencies.USD);
    expect([text(e.gross), text(e.net)]).toEqual(['3300.00 USD', '1100.00 USD']);
  });

  it("an order that names a position goes to it, in either mode", () => {
    for (const mode of ['NETTING', 'HEDGING'] as const) {
      const pf = portfolioWith('MARGIN', [usd('10000')], {}, mode);
      const close = newOrder(ETHUSD_PERP, { clientOrderId: 'O-9', side: 'SELL', type: 'MARKET', quantity: '1', positionId: 'P-42' });
      expect(pf.positionIdFor(close)).toBe('P-42');
    }
  });

  it('an order of an unknown account has no position id', () => {
    const pf = new Portfolio();
    const o = newOrder(AAPL, { side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(thrown(() => pf.positionIdFor(o)).code).toBe('UNKNOWN_ACCOUNT');
  });
});

describe('Portfolio: retention of closed positions', () => {
  function roundTrip(pf: Portfolio, position: string): void {
    book(pf, AAPL, 'BUY', { qty: '1', px: '100.00', position });
    book(pf, AAPL, 'SELL', { qty: '1', px: '101.00', position });
  }

  it('with retainClosedPositions: 2 only the last 2 flat positions are kept; open ones always', () => {
    const pf = portfolioWith('CASH', [usd('10000')], { retainClosedPositions: 2 }, 'HEDGING');
    book(pf, AAPL, 'BUY', { qty: '5', px: '100.00', position: 'P-OPEN' });
    roundTrip(pf, 'P-1');
    roundTrip(pf, 'P-2');
    expect(pf.allPositions().map((p) => p.id)).toEqual(['P-OPEN', 'P-1', 'P-2']);
    roundTrip(pf, 'P-3');
    expect(pf.position(pid('P-1'))).toBeUndefined();
    expect(pf.allPositions().map((p) => p.id)).toEqual(['P-OPEN', 'P-2', 'P-3']);
    expect(pf.openPositions().map((p) => p.id)).toEqual(['P-OPEN']);
    // Statistics outlive the retired positions.
    expect(pf.statistics().closedTrades).toBe(3);
    expect(pf.statistics().realized.map(text)).toEqual(['3.00 USD']);
  });

  it('a reopened position leaves the retirement queue and rejoins it at the back when flat again', () => {
    const pf = portfolioWith('CASH', [usd('10000')], { retainClosedPositions: 2 }, 'HEDGING');
    roundTrip(pf, 'P-2');
    roundTrip(pf, 'P-3');
    book(pf, AAPL, 'BUY', { qty: '1', px: '100.00', position: 'P-2' });
    roundTrip(pf, 'P-4'); // P-2 is open now, so nothing is retired
    expect(pf.allPositions().map((p) => p.id).sort()).toEqual(['P-2', 'P-3', 'P-4']);
    book(pf, AAPL, 'SELL', { qty: '1', px: '100.00', position: 'P-2' }); // P-2 flat again, newest
    expect(pf.allPositions().map((p) => p.id).sort()).toEqual(['P-2', 'P-4']);
  });

  it('a position that went flat twice is kept for its latest close, not its first', () => {
    const pf = portfolioWith('CASH', [usd('10000')], { retainClosedPositions: 2 }, 'HEDGING');
    roundTrip(pf, 'P-1');
    roundTrip(pf, 'P-1');
    roundTrip(pf, 'P-2');
    expect(pf.allPositions().map((p) => p.id).sort()).toEqual(['P-1', 'P-2']);
    roundTrip(pf, 'P-3');
    expect(pf.allPositions().map((p) => p.id).sort()).toEqual(['P-2', 'P-3']);
  });

  it('counts flat positions, not closes: P-1 flat, then P-2 flat twice, keeps both', () => {
    const pf = portfolioWith('CASH', [usd('10000')], { retainClosedPositions: 2 }, 'HEDGING');
    roundTrip(pf, 'P-1');
    roundTrip(pf, 'P-2');
    roundTrip(pf, 'P-2');
    expect(pf.allPositions().map((p) => p.id).sort()).toEqual(['P-1', 'P-2']);
  });

  it('with retainClosedPositions: 0 a position is dropped as soon as it is flat; a new fill starts afresh', () => {
    const pf = portfolioWith('CASH', [usd('10000')], { retainClosedPositions: 0 });
    book(pf, AAPL, 'BUY', { qty: '1', px: '100.00' });
    const { position } = book(pf, AAPL, 'SELL', { qty: '1', px: '101.00' });
    expect(position.realizedRaw).toBe(100n);
    expect(pf.allPositions()).toHaveLength(0);
    const again = book(pf, AAPL, 'BUY', { qty: '1', px: '100.00' }).position;
    expect(again).not.toBe(position);
    expect(again.realizedRaw).toBe(0n);
  });
});
