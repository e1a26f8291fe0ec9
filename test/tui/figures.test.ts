/**
 * The account panel's margin and day trades and the risk panel's win rate, on the rendered
 * dashboard against a real node where they are not n/a: ACC-1 a MARGIN account on a venue with
 * the XNYS calendar (after hours), so a buy and a sell the same day make a day trade and close a
 * round trip. Every figure on screen is checked against what the API says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { places } from '../../src/tui/format.ts';
import { amount } from '../../src/tui/panels.ts';
import { marginOnCalendar, testServer, type TestServer } from '../server/support.ts';
import { KEYS, mount, waitFor, type Mounted } from './support.ts';

let t: TestServer;
let m: Mounted;
const INST = 'BTCUSDT.BINANCEUS';

beforeAll(async () => {
  t = await testServer({ warmSteps: 0, speed: 60, configure: marginOnCalendar });
  m = await mount(t, 'trader');
});
afterAll(async () => {
  m?.unmount();
  await t?.close();
});

const accounts = async () => (await t.call('GET', '/api/accounts', { token: t.tokens.viewer })).body as { accountId: string; margin: { currency: string; used: string; available: string }[] | null; dayTrades: { count: number } | null }[];

describe('margin, day trades and win rate on the dashboard', () => {
  it('the account panel shows the MARGIN account margin used and available and its day trades of the most allowed; the CASH one none', async () => {
    await m.see(/ACC-1 MARGIN {2}day trades 0\/3 \(5d\) +║\S*.*\n║ {2}margin 0\.0+ used \/ 100000\.00 avail USDT/);
    // Full screen: every account.
    await m.press(KEYS.f2);
    await m.see('ACC-2 CASH (no margin)  day trades 0 (no PDT rule)');
    // Extended hours (the venue's after-hours session) is an API option the form does not hold: sent through the API.
    const r = await t.call('POST', '/api/orders', { token: t.tokens.trader, body: { instrumentId: INST, side: 'BUY', type: 'MARKET', quantity: '0.002', extendedHours: true, accountId: 'ACC-1' } });
    expect(r.status).toBe(201);
    await waitFor('the position', () => m.controller.current().parts.positions?.length === 1);
    await m.press('r');
    await m.see('refreshed');
    const acc1 = (await accounts()).find((a) => a.accountId === 'ACC-1')!;
    const usdt = acc1.margin![0]!;
    expect(Number(usdt.used)).toBeGreaterThan(0);
    // The screen's figures are the API's (the mark moves between reads: the used margin as the controller last read it).
    const shown = m.controller.current().parts.accounts!.find((a) => a.accountId === 'ACC-1')!.margin![0]!;
    await m.see(`margin ${amount(shown.used)} used / ${amount(shown.available)} avail USDT`);
    expect(places(shown.used, 2)).toMatch(/^[1-9]\d*\.\d{2}$/);
  });

  it('selling what was bought today: day trades 1/3, the round trip counted in the win rate', async () => {
    const r = await t.call('POST', '/api/orders', { token: t.tokens.trader, body: { instrumentId: INST, side: 'SELL', type: 'MARKET', quantity: '0.002', extendedHours: true, accountId: 'ACC-1', reduceOnly: true } });
    expect(r.status, r.text).toBe(201);
    await waitFor('flat', () => m.controller.current().parts.positions?.length === 0);
    await m.see('day trades 1/3 (5d)');
    expect((await accounts()).find((a) => a.accountId === 'ACC-1')!.dayTrades!.count).toBe(1);
    const { trades } = (await t.call('GET', '/api/risk', { token: t.tokens.viewer })).body as { trades: { closed: number; won: number } };
    expect(trades.closed).toBe(1);
    await m.press(KEYS.f4);
    await m.see(`win rate ${trades.won === 1 ? '100.00' : '0.00'}% (${trades.won}/1)`);
  });
});
