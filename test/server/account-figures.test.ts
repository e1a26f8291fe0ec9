/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- the API's JSON answers are checked by the assertions, not by types */
/**
 * An account's margin and day-trade count (GET /api/accounts) and the win rate of closed round
 * trips (GET /api/risk), against a real paper node replaying in the background, on a venue with
 * the XNYS calendar and after-hours trading (the data's first hour is 19:00–20:00 ET), ACC-1 a
 * MARGIN account, BTCUSDT at 10% initial margin. The strategies' orders are refused there (no
 * extended hours), so the only trades are the test's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRaw, parseDecimal, roundRaw } from '../../src/model/decimal.ts';
import { decimalSum as sum, marginOnCalendar, testServer, type TestServer } from './support.ts';

const INST = 'BTCUSDT.BINANCEUS';
let s: TestServer;

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const order = (body: Record<string, unknown>) => s.call('POST', '/api/orders', { token: s.tokens.trader, body: { instrumentId: INST, extendedHours: true, accountId: 'ACC-1', ...body } });
const read = async (path: string) => (await s.call('GET', path, { token: s.tokens.viewer })).body;
const acc = async (id: string) => (await read('/api/accounts')).find((a: { accountId: string }) => a.accountId === id);

beforeAll(async () => {
  s = await testServer({ warmSteps: 0, speed: 60, configure: marginOnCalendar });
  await until('a price', () => s.node.engine.portfolio.quote(INST as never)?.last);
}, 60_000);
afterAll(async () => s?.close());

describe('accounts: margin and day trades; risk: win rate', () => {
  it('a MARGIN account: used = initial margin of its position at the mark (10%, rounded up) + what its working orders lock; available = equity − used', async () => {
    expect((await order({ side: 'BUY', type: 'MARKET', quantity: '0.002' })).status).toBe(201);
    await until('the position', async () => (await read('/api/positions')).length === 1);
    const last = s.node.engine.portfolio.quote(INST as never)!.last!.toString();
    const rest = await order({ side: 'BUY', type: 'LIMIT', quantity: '0.001', price: (Number(last) * 0.8).toFixed(2) });
    expect(rest.status, rest.text).toBe(201);
    await until('the order accepted', async () => (await read('/api/orders')).some((o: { status: string }) => o.status === 'ACCEPTED'));
    // Read together from the node (the replay moves the mark between two API calls).
    const p = s.node.engine.portfolio;
    const [pos] = p.openPositions();
    const mark = p.markFor(pos!)!;
    const acc1 = await acc('ACC-1');
    const [usdt] = acc1.margin as { currency: string; used: string; available: string; positions: string; orders: string }[];
    expect(usdt!.currency).toBe('USDT');
    // quantity × mark × 0.1, rounded up to the settlement currency's minor unit.
    const cents = s.node.engine.instrument(INST).settlement.precision;
    const q = parseDecimal(pos!.quantity.toString());
    const mk = parseDecimal(mark.toString());
    const atMark = formatRaw(roundRaw(q.digits * mk.digits, q.scale + mk.scale + 1, cents, 'UP'), cents);
    expect(sum([usdt!.positions])).toBe(sum([atMark]));
    expect(usdt!.orders).toBe(acc1.balances.find((b: { currency: string }) => b.currency === 'USDT').locked);
    expect(Number(usdt!.orders)).toBeGreaterThan(0);
    expect(sum([usdt!.positions, usdt!.orders])).toBe(sum([usdt!.used]));
    const equity = p.equity('ACC-1' as never, s.node.engine.instrument(INST).settlement).toDecimalString();
    expect(sum([usdt!.available, usdt!.used])).toBe(sum([equity]));
    // A CASH account has no margin; both count day trades on the calendar, the rule holds only the MARGIN one.
    const acc2 = await acc('ACC-2');
    expect(acc2.margin).toBeNull();
    expect(acc2.dayTrades).toMatchObject({ count: 0, applies: false });
    expect(acc1.dayTrades).toEqual({ count: 0, max: 3, windowDays: 5, windowStart: expect.stringMatching(/^2023-02-\d\d$/), applies: true });
  });

  it('selling today what was bought today is one day trade; the round trip it closes is counted in the win rate', async () => {
    expect((await read('/api/risk')).trades).toEqual({ closed: 0, won: 0, lost: 0, winRate: null });
    // The resting buy first (a market sell would cross it: SELF_TRADE).
    expect((await s.call('DELETE', '/api/orders', { token: s.tokens.trader })).status).toBe(200);
    await until('no open order', async () => (await read('/api/orders')).length === 0);
    const sell = await order({ side: 'SELL', type: 'MARKET', quantity: '0.002', reduceOnly: true });
    expect(sell.status, sell.text).toBe(201);
    await until('flat', async () => (await read('/api/positions')).length === 0);
    expect((await acc('ACC-1')).dayTrades.count).toBe(1);
    // The round trip's net PnL from the journal's fills: sells minus buys minus commissions, in USDT.
    const journal = (await read('/api/journal?limit=10000')).records as { event: Record<string, any> }[];
    const fills = journal.map((r) => r.event).filter((e) => e.kind === 'OrderFilled' && e.accountId === 'ACC-1');
    expect(fills).toHaveLength(2);
    const terms = fills.flatMap((f) => {
      const qty = parseDecimal(f.lastQty);
      const px = parseDecimal(f.lastPx);
      const notional = formatRaw(qty.digits * px.digits * (f.side === 'SELL' ? 1n : -1n), qty.scale + px.scale);
      expect(f.commission.currency.code).toBe('USDT');
      return [notional, sum([`-${String(f.commission.amount)}`])];
    });
    const won = Number(sum(terms)) > 0;
    expect((await read('/api/risk')).trades).toEqual({ closed: 1, won: won ? 1 : 0, lost: won ? 0 : 1, winRate: won ? 1 : 0 });
  });
});

