/**
 * Counting day trades from fills (FINRA 4210(f)(8)(B)) and the pure PDT decision.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DayTrades, FINRA_PDT, pdtDenial, wouldDayTrade, type PdtFacts } from '../../../src/risk/compliance/index.ts';

const D1 = '2025-07-07';
const D2 = '2025-07-08';

/** Books fills [order, side, qty, date] on ACC / AAPL and returns the ledger. */
function book(...fills: [string, 'BUY' | 'SELL', number, string][]): DayTrades {
  const t = new DayTrades();
  for (const [id, side, qty, date] of fills) t.onFill('ACC', 'AAPL', id, side, BigInt(qty), date);
  return t;
}

describe('day trades counted from fills', () => {
  it('buy 100 then sell 100 the same day is one day trade', () => {
    const t = book(['B1', 'BUY', 100, D1], ['S1', 'SELL', 100, D1]);
    expect(t.list('ACC').map((x) => x.clientOrderId)).toEqual(['S1']);
    expect(t.countSince('ACC', D1)).toBe(1);
  });

  it('two buys closed by one sell is one day trade; buy, sell, buy, sell is two', () => {
    expect(book(['B1', 'BUY', 100, D1], ['B2', 'BUY', 100, D1], ['S1', 'SELL', 200, D1]).countSince('ACC', D1)).toBe(1);
    expect(book(['B1', 'BUY', 100, D1], ['S1', 'SELL', 100, D1], ['B2', 'BUY', 100, D1], ['S2', 'SELL', 100, D1]).countSince('ACC', D1)).toBe(2);
  });

  it('partial fills of one closing order count once', () => {
    const t = book(['B1', 'BUY', 100, D1], ['S1', 'SELL', 30, D1], ['S1', 'SELL', 30, D1], ['S1', 'SELL', 40, D1]);
    expect(t.countSince('ACC', D1)).toBe(1);
    expect(t.counted('ACC', 'S1', D1)).toBe(true);
  });

  it('a position held overnight and sold before any purchase that day is no day trade', () => {
    const t = book(['B1', 'BUY', 100, D1], ['S1', 'SELL', 100, D2]);
    expect(t.countSince('ACC', D1)).toBe(0);
  });

  it('held overnight, bought more and sold today is a day trade (today’s purchase closes first); a further sale of the overnight part is not', () => {
    const t = book(['B1', 'BUY', 100, D1], ['B2', 'BUY', 100, D2], ['S1', 'SELL', 150, D2], ['S2', 'SELL', 50, D2]);
    expect(t.list('ACC').map((x) => `${x.clientOrderId} ${x.date}`)).toEqual([`S1 ${D2}`]);
  });

  it('a short opened and covered the same day is a day trade; a flip opens the remainder on the other side', () => {
    expect(book(['S1', 'SELL', 100, D1], ['B1', 'BUY', 100, D1]).countSince('ACC', D1)).toBe(1);
    // Long 100 today, sell 300: one day trade, short 200 opened today; buying it back is another.
    const t = book(['B1', 'BUY', 100, D1], ['S1', 'SELL', 300, D1], ['B2', 'BUY', 200, D1]);
    expect(t.list('ACC').map((x) => x.clientOrderId)).toEqual(['S1', 'B2']);
    expect(t.leg('ACC', 'AAPL')).toMatchObject({ net: 0n, opened: 0n });
  });

  it('the decision before the fill: only an order that reduces a position opened today would day trade', () => {
    const t = book(['B1', 'BUY', 100, D1]);
    const leg = t.leg('ACC', 'AAPL');
    expect(wouldDayTrade(leg, 'SELL', D1)).toBe(true);
    expect(wouldDayTrade(leg, 'BUY', D1)).toBe(false);
    expect(wouldDayTrade(leg, 'SELL', D2)).toBe(false);
    expect(wouldDayTrade(undefined, 'SELL', D1)).toBe(false);
  });

  it('a busted fill is reversed in the position, never leaving more opened today than is open', () => {
    const t = book(['B1', 'BUY', 100, D1]);
    t.onBust('ACC', 'AAPL', 'BUY', 100n);
    expect(t.leg('ACC', 'AAPL')).toMatchObject({ net: 0n, opened: 0n });
    expect(wouldDayTrade(t.leg('ACC', 'AAPL'), 'SELL', D1)).toBe(false);
  });

  it('property: today’s opened quantity never exceeds the open position, whatever the fills', () => {
    const fill = fc.tuple(fc.constantFrom('BUY' as const, 'SELL' as const), fc.integer({ min: 1, max: 500 }), fc.constantFrom(D1, D2, '2025-07-09'));
    fc.assert(
      fc.property(fc.array(fill, { maxLength: 40 }), (fills) => {
        const t = new DayTrades();
        let net = 0n;
        fills.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)).forEach(([side, q, date], i) => {
          t.onFill('ACC', 'AAPL', `O${i}`, side, BigInt(q), date);
          net += side === 'BUY' ? BigInt(q) : -BigInt(q);
          const leg = t.leg('ACC', 'AAPL')!;
          expect(leg.net).toBe(net);
          expect(leg.opened >= 0n && leg.opened <= (net < 0n ? -net : net)).toBe(true);
        });
        // At most one day trade per order.
        expect(t.countSince('ACC', D1)).toBeLessThanOrEqual(fills.length);
      }),
    );
  });
});

const facts = (over: Partial<PdtFacts> = {}): PdtFacts => ({
  accountId: 'ACC',
  accountType: 'MARGIN',
  equityRaw: 1_000_000n, // 10,000.00 USD
  dayTrade: true,
  dayTrades: 3,
  pending: 0,
  windowStart: '2025-06-30',
  what: 'submit SELL 100 AAPL.XNAS',
  ...over,
});

describe('the PDT decision (pure)', () => {
  it('a 4th day trade within the window on a MARGIN account under 25,000 USD is PDT_RESTRICTED, with its figures in the context', () => {
    const d = pdtDenial(FINRA_PDT, facts());
    expect(d?.code).toBe('PDT_RESTRICTED');
    expect(d?.context).toMatchObject({ limit: 3, actual: 4, day_trades: 3, pending: 0, window_days: 5, equity: '10000.00 USD', min_equity: '25000.00 USD', account: 'ACC' });
    expect(d?.reason).toContain('since 2025-06-30');
  });

  it('the 3rd passes; working orders that would day trade count (2 done + 1 working + this one = 4)', () => {
    expect(pdtDenial(FINRA_PDT, facts({ dayTrades: 2 }))).toBeUndefined();
    expect(pdtDenial(FINRA_PDT, facts({ dayTrades: 2, pending: 1 }))?.context).toMatchObject({ actual: 4, pending: 1 });
  });

  it('equity exactly at 25,000.00 USD is not under the minimum: it passes; one cent less does not', () => {
    expect(pdtDenial(FINRA_PDT, facts({ equityRaw: 2_500_000n }))).toBeUndefined();
    expect(pdtDenial(FINRA_PDT, facts({ equityRaw: 2_499_999n }))?.code).toBe('PDT_RESTRICTED');
  });

  it('configurable: max 1 day trade, 30,000 USD minimum; disabled never denies', () => {
    const rule = { enabled: true, minEquity: '30000', maxDayTrades: 1, windowDays: 5 };
    expect(pdtDenial(rule, facts({ dayTrades: 1, equityRaw: 2_600_000n }))?.context).toMatchObject({ limit: 1, actual: 2 });
    expect(pdtDenial({ ...rule, enabled: false }, facts({ dayTrades: 10 }))).toBeUndefined();
  });

  it('property: never denies a CASH account, an account at or above the minimum equity, or an order that makes no day trade', () => {
    const any = fc.record({
      accountType: fc.constantFrom('CASH' as const, 'MARGIN' as const),
      equityRaw: fc.bigInt({ min: -10_000_000n, max: 10_000_000n }),
      dayTrade: fc.boolean(),
      dayTrades: fc.nat(50),
      pending: fc.nat(10),
    });
    fc.assert(
      fc.property(any, (f) => {
        const d = pdtDenial(FINRA_PDT, facts(f));
        if (f.accountType === 'CASH' || f.equityRaw >= 2_500_000n || !f.dayTrade) expect(d).toBeUndefined();
        else expect(d === undefined).toBe(f.dayTrades + f.pending + 1 <= 3);
      }),
      { numRuns: 500 },
    );
  });
});
