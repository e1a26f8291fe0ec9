/**
 * Compliance through the engine's gate (RiskGate with Compliance): MARKET_CLOSED outside the
 * venue's session, extended hours per venue and per order, cancels always, crypto 24/7; and
 * PDT_RESTRICTED counted from the journal, rebuilt by replay, over business days.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import { RISK_CONTROL } from '../../../src/engine/origin.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import { Compliance, windowStart } from '../../../src/risk/compliance/index.ts';
import { FLATTEN_TAG, RiskGate } from '../../../src/risk/gate/index.ts';
import { AAPL, BTC, COMPLIANCE, complianceSetup, expectAllowed, expectDenied, IBM, LIMITS, order, venueCalls, type ComplianceHarness } from './harness.ts';

describe('trading hours at the gate (MARKET_CLOSED)', () => {
  it('Independence Day 2025-07-04: an AAPL order is denied MARKET_CLOSED naming the holiday, nothing else changes; BTC (no calendar) trades', async () => {
    const h = await complianceSetup('2025-07-04T15:00:00Z');
    const d = await expectDenied(h, order('A-1', 'C-1', AAPL, 'BUY', '10'), 'MARKET_CLOSED');
    expect(d.context).toMatchObject({ limit: 'REGULAR', actual: 'CLOSED', calendar: 'XNYS', venue: 'XNAS', instrument: AAPL, session_date: '2025-07-04', reason: 'closed: holiday (Independence Day)' });
    expect(d.reason).toContain('Independence Day');
    await expectAllowed(h, order('B-1', 'B-1', BTC, 'BUY', '0.1'));
    // The next session: the same order passes.
    h.at('2025-07-07T13:30:00Z');
    await expectAllowed(h, order('A-2', 'C-1', AAPL, 'BUY', '10'));
  });

  it('the early close of 2025-11-28: 12:59 ET passes, 13:30 ET is denied (POST, the early close named)', async () => {
    const h = await complianceSetup('2025-11-28T17:59:00Z');
    await expectAllowed(h, order('A-1', 'C-1', AAPL, 'BUY', '10'));
    h.at('2025-11-28T18:30:00Z');
    const d = await expectDenied(h, order('A-2', 'C-1', AAPL, 'BUY', '10'), 'MARKET_CLOSED');
    expect(d.context).toMatchObject({ actual: 'POST', reason: expect.stringContaining('the day after Thanksgiving') as unknown });
  });

  it('extended hours: pre-market on XNAS (extended_hours) passes only an order that asks; on NYSE (no extended hours) not even that', async () => {
    const h = await complianceSetup('2025-07-07T12:00:00Z'); // 08:00 EDT
    const d = await expectDenied(h, order('A-1', 'C-1', AAPL, 'BUY', '10', { type: 'LIMIT', price: '200.00', timeInForce: 'DAY' }), 'MARKET_CLOSED');
    expect(d.context).toMatchObject({ limit: 'REGULAR', actual: 'PRE' });
    expect(d.reason).toContain('extendedHours not set');
    await expectAllowed(h, order('A-2', 'C-1', AAPL, 'BUY', '10', { type: 'LIMIT', price: '200.00', timeInForce: 'DAY', extendedHours: true }));
    expect(h.engine.order('A-2')?.spec.extendedHours).toBe(true);
    const n = await expectDenied(h, order('I-1', 'C-1', IBM, 'BUY', '10', { type: 'LIMIT', price: '150.00', timeInForce: 'DAY', extendedHours: true }), 'MARKET_CLOSED');
    expect(n.reason).toContain('venue NYSE takes no extended-hours orders');
    // After 20:00 ET even an extended-hours order is denied: the after-hours session is over.
    h.at('2025-07-08T00:30:00Z');
    const late = await expectDenied(h, order('A-3', 'C-1', AAPL, 'BUY', '10', { type: 'LIMIT', price: '200.00', timeInForce: 'DAY', extendedHours: true }), 'MARKET_CLOSED');
    expect(late.context).toMatchObject({ actual: 'CLOSED' });
  });

  it('outside the session a cancel and a quantity-only reduction pass; a price change or a larger quantity is MARKET_CLOSED and not sent', async () => {
    const h = await complianceSetup('2025-07-07T15:00:00Z');
    await expectAllowed(h, order('L-1', 'C-1', AAPL, 'BUY', '10', { type: 'LIMIT', price: '190.00' }));
    await expectAllowed(h, order('L-2', 'C-1', AAPL, 'BUY', '10', { type: 'LIMIT', price: '190.00' }));
    h.at('2025-07-08T01:00:00Z'); // 21:00 EDT
    const calls = venueCalls(h).length;
    expect((await h.engine.modifyOrder('L-1', { price: '191.00' })).denied.map((d) => d.code)).toEqual(['MARKET_CLOSED']);
    expect((await h.engine.modifyOrder('L-1', { quantity: '20' })).denied.map((d) => d.code)).toEqual(['MARKET_CLOSED']);
    expect(venueCalls(h).length).toBe(calls);
    expect((await h.engine.modifyOrder('L-1', { quantity: '5' })).denied).toEqual([]);
    expect((await h.engine.cancelOrder('L-2')).denied).toEqual([]);
    expect(venueCalls(h).slice(calls)).toEqual(['XNAS modify L-1', 'XNAS cancel L-2']);
  });

  it('across the March 2026 switch to summer time: 13:35 UTC is open on Monday 2026-03-09 but not on Friday 2026-03-06', async () => {
    const h = await complianceSetup('2026-03-06T13:35:00Z');
    expect((await expectDenied(h, order('A-1', 'C-1', AAPL, 'BUY', '1'), 'MARKET_CLOSED')).context).toMatchObject({ actual: 'PRE' });
    h.at('2026-03-09T13:35:00Z');
    await expectAllowed(h, order('A-2', 'C-1', AAPL, 'BUY', '1'));
  });
});

/** `n` round trips (buy then sell 10 AAPL at market) on `account`: `n` day trades on a margin account. */
async function roundTrips(h: ComplianceHarness, account: string, n: number, prefix: string): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await expectAllowed(h, order(`${prefix}B${i}`, account, AAPL, 'BUY', '10'));
    await expectAllowed(h, order(`${prefix}S${i}`, account, AAPL, 'SELL', '10'));
  }
}

describe('the pattern day trader rule at the gate (PDT_RESTRICTED)', () => {
  it('a MARGIN account under 25,000 USD: three day trades pass, the sale that would be the 4th is denied with its figures; a buy still passes', async () => {
    const h = await complianceSetup('2025-07-07T14:00:00Z');
    await roundTrips(h, 'M-1', 3, 'M');
    expect(h.compliance.dayTrades.countSince('M-1', '2025-07-01')).toBe(3);
    await expectAllowed(h, order('MB4', 'M-1', AAPL, 'BUY', '10'));
    const d = await expectDenied(h, order('MS4', 'M-1', AAPL, 'SELL', '10'), 'PDT_RESTRICTED');
    expect(d.context).toMatchObject({ limit: 3, actual: 4, day_trades: 3, pending: 0, window_days: 5, window_start: '2025-06-30', account: 'M-1', min_equity: '25000.00 USD' });
    expect(d.reason).toContain('pattern day trader');
    // The position is held overnight: selling it the next day is no day trade (the day trades of the 7th still count).
    h.at('2025-07-08T14:00:00Z');
    await expectAllowed(h, order('MS5', 'M-1', AAPL, 'SELL', '10'));
  });

  it('a CASH account under 25,000 USD doing the same is never denied; a MARGIN account at 25,000 USD or more is not either', async () => {
    const h = await complianceSetup('2025-07-07T14:00:00Z');
    await roundTrips(h, 'C-2', 5, 'C');
    await h.engine.adjustBalance('M-1', Money.of('15000', Currencies.USD), 'deposit', h.engine.authority.issue('treasury', ['TREASURY']));
    await roundTrips(h, 'M-1', 5, 'M');
    expect(h.compliance.dayTrades.countSince('M-1', '2025-07-07')).toBe(5);
  });

  it('working orders count: with 2 day trades and a resting sell that would make a 3rd, another sell is denied (pending 1)', async () => {
    const h = await complianceSetup('2025-07-07T14:00:00Z');
    await roundTrips(h, 'M-1', 2, 'M');
    await expectAllowed(h, order('MB3', 'M-1', AAPL, 'BUY', '20'));
    await expectAllowed(h, order('L-1', 'M-1', AAPL, 'SELL', '10', { type: 'LIMIT', price: '210.00' }));
    const d = await expectDenied(h, order('L-2', 'M-1', AAPL, 'SELL', '10', { type: 'LIMIT', price: '211.00' }), 'PDT_RESTRICTED');
    expect(d.context).toMatchObject({ day_trades: 2, pending: 1, actual: 4 });
    // Once the first is canceled, the second passes.
    await h.engine.cancelOrder('L-1');
    await expectAllowed(h, order('L-3', 'M-1', AAPL, 'SELL', '10', { type: 'LIMIT', price: '211.00' }));
  });

  it("risk control's flatten order is exempt: getting out comes first", async () => {
    const h = await complianceSetup('2025-07-07T14:00:00Z');
    await roundTrips(h, 'M-1', 3, 'M');
    await expectAllowed(h, order('MB4', 'M-1', AAPL, 'BUY', '10'));
    const r = await h.engine.submitOrder({ ...order('F-1', 'M-1', AAPL, 'SELL', '10'), reduceOnly: true, tags: [FLATTEN_TAG] }, RISK_CONTROL);
    expect(r.denied).toEqual([]);
  });

  it('the window is 5 business days: day trades of Monday 2025-06-30 still count on Monday 2025-07-07 (July 4 was a holiday), not on the 8th', async () => {
    const h = await complianceSetup('2025-06-30T14:00:00Z');
    await roundTrips(h, 'M-1', 3, 'M');
    h.at('2025-07-07T14:00:00Z');
    await expectAllowed(h, order('X-B', 'M-1', AAPL, 'BUY', '10'));
    expect((await expectDenied(h, order('X-S', 'M-1', AAPL, 'SELL', '10'), 'PDT_RESTRICTED')).context).toMatchObject({ window_start: '2025-06-30', day_trades: 3 });
    h.at('2025-07-08T14:00:00Z');
    await expectAllowed(h, order('Y-B', 'M-1', AAPL, 'BUY', '10'));
    await expectAllowed(h, order('Y-S', 'M-1', AAPL, 'SELL', '10'));
  });

  it('the count is a fold over the journal: an engine rebuilt from it denies the same order', async () => {
    const h = await complianceSetup('2025-07-07T14:00:00Z');
    await roundTrips(h, 'M-1', 3, 'M');
    await expectAllowed(h, order('MB4', 'M-1', AAPL, 'BUY', '10'));
    const compliance = new Compliance(COMPLIANCE);
    const back = await Engine.fromJournal(h.journal, { clock: h.clock, gate: new RiskGate(LIMITS, compliance) });
    for (const v of h.venues) back.addVenue(v);
    back.updateMarket(AAPL, { last: back.instrument(AAPL).price('200.00') });
    expect(compliance.dayTrades.list('M-1').map((t) => t.clientOrderId)).toEqual(['MS1', 'MS2', 'MS3']);
    const r = await back.submitOrder(order('MS4', 'M-1', AAPL, 'SELL', '10'));
    expect(r.denied.map((d) => d.code)).toEqual(['PDT_RESTRICTED']);
  });

  it('per-account figures: max_day_trades 1 denies the 2nd; enabled false never denies', async () => {
    const h = await complianceSetup('2025-07-07T14:00:00Z', { ...COMPLIANCE, pdt: { 'M-1': { enabled: true, minEquity: '25000', maxDayTrades: 1, windowDays: 5 } } });
    await roundTrips(h, 'M-1', 1, 'M');
    await expectAllowed(h, order('MB2', 'M-1', AAPL, 'BUY', '10'));
    await expectDenied(h, order('MS2', 'M-1', AAPL, 'SELL', '10'), 'PDT_RESTRICTED');
    const off = await complianceSetup('2025-07-07T14:00:00Z', { ...COMPLIANCE, pdt: { 'M-1': { enabled: false, minEquity: '25000', maxDayTrades: 3, windowDays: 5 } } });
    await roundTrips(off, 'M-1', 5, 'M');
  });
});

describe('PDT properties through the engine', () => {
  it('property: random buys and sells never meet PDT_RESTRICTED on a CASH account or a MARGIN account at 25,000 USD; under it, a denial comes only with 3 day trades in the window', async () => {
    const step = fc.record({ side: fc.constantFrom('BUY' as const, 'SELL' as const), qty: fc.integer({ min: 1, max: 20 }), nextDay: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.boolean(), async (steps, rich) => {
        const h = await complianceSetup('2025-07-07T14:00:00Z');
        if (rich) await h.engine.adjustBalance('M-1', Money.of('15000', Currencies.USD), 'deposit', h.engine.authority.issue('treasury', ['TREASURY']));
        let day = 0;
        const days: readonly string[] = ['2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11', '2025-07-14', '2025-07-15'];
        for (const [i, s] of steps.entries()) {
          if (s.nextDay && day < days.length - 1) h.at(`${days[++day] ?? ''}T14:00:00Z`);
          for (const account of ['C-2', 'M-1']) {
            const r = await h.engine.submitOrder(order(`${account}-${i}`, account, AAPL, s.side, String(s.qty)));
            const codes = r.denied.map((d) => d.code);
            if (account === 'C-2' || rich) expect(codes).not.toContain('PDT_RESTRICTED');
            else if (codes.includes('PDT_RESTRICTED')) expect(h.compliance.dayTrades.countSince('M-1', windowStart('XNYS', days[day]!, 5))).toBe(3);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});

/** An extended-hours DAY limit on AAPL (XNAS takes extended hours). */
const ext = (id: string, account: string, side: 'BUY' | 'SELL', quantity: string) => order(id, account, AAPL, side, quantity, { type: 'LIMIT', price: '200.00', timeInForce: 'DAY', extendedHours: true });

/** Fills a resting AAPL order on XNAS in full at the harness clock's instant (the fill's venue time). */
const fillAt = (h: ComplianceHarness, iso: string, id: string, quantity: string): void => {
  h.at(iso);
  h.venues[0]!.fill(id, quantity, '200.00');
  expect(h.engine.order(id)?.status).toBe('FILLED');
};

const dates = (h: ComplianceHarness, account: string): string[] => h.compliance.dayTrades.list(account).map((t) => `${t.date} ${t.clientOrderId}`);

describe('PDT on an early close and across the daylight-saving switches (the New York day counts, never the UTC one)', () => {
  it('the early close of 2025-11-28 is a business day: a 4th day trade in its after-hours is PDT_RESTRICTED, a regular order MARKET_CLOSED; Thanksgiving is no business day', async () => {
    const h = await complianceSetup('2025-11-26T15:00:00Z'); // Wednesday 10:00 EST
    await roundTrips(h, 'M-1', 2, 'W');
    h.at('2025-11-27T15:00:00Z'); // Thanksgiving
    await expectDenied(h, order('T-1', 'M-1', AAPL, 'BUY', '10'), 'MARKET_CLOSED');
    h.at('2025-11-28T17:30:00Z'); // Friday 12:30 EST, half an hour before the early close
    await roundTrips(h, 'M-1', 1, 'F');
    await expectAllowed(h, order('FB2', 'M-1', AAPL, 'BUY', '10'));
    expect(dates(h, 'M-1')).toEqual(['2025-11-26 WS1', '2025-11-26 WS2', '2025-11-28 FS1']);
    h.at('2025-11-28T18:30:00Z'); // 13:30 EST: after-hours (13:00–17:00) of the early close
    expect((await expectDenied(h, order('FS2', 'M-1', AAPL, 'SELL', '10'), 'MARKET_CLOSED')).context).toMatchObject({ actual: 'POST' });
    const d = await expectDenied(h, ext('FS3', 'M-1', 'SELL', '10'), 'PDT_RESTRICTED');
    // 5 business days ending Friday the 28th: 28, 26, 25, 24, 21 (Thanksgiving skipped).
    expect(d.context).toMatchObject({ day_trades: 3, actual: 4, window_start: '2025-11-21' });
    // Held over the weekend, the position sells on Monday as no day trade.
    h.at('2025-12-01T15:00:00Z');
    await expectAllowed(h, order('MS1', 'M-1', AAPL, 'SELL', '10'));
    expect(h.compliance.dayTrades.list('M-1')).toHaveLength(3);
    // The early close counts as one of the 5 days: Wednesday the 26th leaves the window on Thursday Dec 4, not before.
    expect(h.compliance.dayTradeCount('M-1', 'XNAS', Date.parse('2025-12-03T15:00:00Z'))).toMatchObject({ count: 3, windowStart: '2025-11-26' });
    expect(h.compliance.dayTradeCount('M-1', 'XNAS', Date.parse('2025-12-04T15:00:00Z'))).toMatchObject({ count: 1, windowStart: '2025-11-28' });
  });

  it('November 2025 (EDT to EST): an after-hours fill at 00:45 UTC on Tuesday is a day trade of Monday 2025-11-03; a buy filled at 00:55 UTC and sold Tuesday morning is none', async () => {
    const h = await complianceSetup('2025-10-31T14:00:00Z'); // Friday 10:00 EDT
    await expectAllowed(h, order('B-1', 'M-1', AAPL, 'BUY', '10'));
    h.at('2025-10-31T23:40:00Z'); // 19:40 EDT
    await expectAllowed(h, ext('S-1', 'M-1', 'SELL', '10'));
    fillAt(h, '2025-10-31T23:55:00Z', 'S-1', '10');
    h.at('2025-11-03T15:00:00Z'); // Monday 10:00 EST
    await expectAllowed(h, order('B-2', 'M-1', AAPL, 'BUY', '10'));
    h.at('2025-11-04T00:20:00Z'); // still Monday in New York: 19:20 EST, after-hours
    await expectAllowed(h, ext('S-2', 'M-1', 'SELL', '10'));
    fillAt(h, '2025-11-04T00:45:00Z', 'S-2', '10');
    expect(dates(h, 'M-1')).toEqual(['2025-10-31 S-1', '2025-11-03 S-2']);
    h.at('2025-11-04T00:50:00Z'); // 19:50 EST Monday
    await expectAllowed(h, ext('B-3', 'M-1', 'BUY', '10'));
    fillAt(h, '2025-11-04T00:55:00Z', 'B-3', '10');
    // Tuesday 09:45 EST: the shares were bought on Monday (New York), so this sale is no day trade, though both are on UTC Nov 4.
    h.at('2025-11-04T14:45:00Z');
    await expectAllowed(h, order('S-3', 'M-1', AAPL, 'SELL', '10'));
    expect(dates(h, 'M-1')).toEqual(['2025-10-31 S-1', '2025-11-03 S-2']);
    // The same UTC minute was closed under EDT: 00:10 UTC on Saturday Nov 1 is 20:10 EDT Friday, after the after-hours session.
    const late = await complianceSetup('2025-11-01T00:10:00Z');
    expect((await expectDenied(late, ext('L-1', 'M-1', 'BUY', '1'), 'MARKET_CLOSED')).context).toMatchObject({ actual: 'CLOSED', session_date: '2025-10-31' });
  });

  it('March 2026 (EST to EDT): an after-hours fill at 00:30 UTC Saturday is a day trade of Friday 2026-03-06; after the switch 00:10 UTC is past the after-hours session', async () => {
    const h = await complianceSetup('2026-03-06T15:00:00Z'); // Friday 10:00 EST
    await expectAllowed(h, order('B-1', 'M-1', AAPL, 'BUY', '10'));
    h.at('2026-03-07T00:10:00Z'); // 19:10 EST Friday: after-hours
    await expectAllowed(h, ext('S-1', 'M-1', 'SELL', '10'));
    fillAt(h, '2026-03-07T00:30:00Z', 'S-1', '10');
    h.at('2026-03-07T00:40:00Z');
    await expectAllowed(h, ext('B-2', 'M-1', 'BUY', '10'));
    fillAt(h, '2026-03-07T00:50:00Z', 'B-2', '10');
    expect(dates(h, 'M-1')).toEqual(['2026-03-06 S-1']);
    // Monday 2026-03-09 (EDT): the position bought Friday evening sells as no day trade; a round trip in the after-hours counts on the 9th.
    h.at('2026-03-09T13:45:00Z'); // 09:45 EDT
    await expectAllowed(h, order('S-2', 'M-1', AAPL, 'SELL', '10'));
    await expectAllowed(h, order('B-3', 'M-1', AAPL, 'BUY', '10'));
    h.at('2026-03-09T23:40:00Z'); // 19:40 EDT
    await expectAllowed(h, ext('S-3', 'M-1', 'SELL', '10'));
    fillAt(h, '2026-03-09T23:50:00Z', 'S-3', '10');
    expect(dates(h, 'M-1')).toEqual(['2026-03-06 S-1', '2026-03-09 S-3']);
    // 00:10 UTC Tuesday is 20:10 EDT Monday: closed, where the same UTC minute on Saturday was Friday's after-hours.
    h.at('2026-03-10T00:10:00Z');
    expect((await expectDenied(h, ext('B-4', 'M-1', 'BUY', '1'), 'MARKET_CLOSED')).context).toMatchObject({ actual: 'CLOSED', session_date: '2026-03-09' });
  });
});
