/**
 * Each panel drawn by Ink from a real paper node's data (its REST answers and its stream), not
 * from fixtures: the figures on screen are checked against what the API says.
 */
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Panel } from '../../src/tui/components/panel.ts';
import type { DashController } from '../../src/tui/controller.ts';
import { places } from '../../src/tui/format.ts';
import { panelLines, TITLES } from '../../src/tui/panels.ts';
import { themeOf } from '../../src/tui/theme.ts';
import { initialUi, type PanelId } from '../../src/tui/ui.ts';
import type { TestServer } from '../server/support.ts';
import { controllerFor, mount, paperServer, restingOrder, waitFor } from './support.ts';

let t: TestServer;
let c: DashController;
let resting: string;

/** One panel as Ink draws it from the controller's current data (colours off to read the text). */
function draw(id: PanelId): string {
  const ctx = { dash: c.current(), ui: initialUi('matrix'), now: Date.now(), width: 120 };
  const ink = render(createElement(Panel, { title: TITLES[id], lines: panelLines(id, ctx), theme: themeOf('matrix', true), focused: false, maxRows: 40, bordered: true }));
  const frame = ink.lastFrame() ?? '';
  ink.unmount();
  return frame;
}

beforeAll(async () => {
  t = await paperServer();
  c = controllerFor(t, 'trader');
  c.start();
  await waitFor('the market moving', () => (c.current().market.get('BTCUSDT.BINANCEUS')?.history.length ?? 0) >= 3);
  const r = await t.call('POST', '/api/orders', { token: t.tokens.trader, body: { instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'MARKET', quantity: '0.002' } });
  expect(r.status).toBe(201);
  await waitFor('the position', () => c.current().parts.positions?.length === 1);
  resting = await restingOrder(t, c);
  await c.refresh();
});
afterAll(async () => {
  c.stop();
  await t.close();
});

describe('panels with a real node', () => {
  it('account: each account, its balances and buying power as the API gives them; equity from the overview', async () => {
    const accounts = (await t.call('GET', '/api/accounts', { token: t.tokens.viewer })).body as { accountId: string; type: string; margin: unknown; dayTrades: unknown; balances: { currency: string; total: string; free: string }[] }[];
    const f = draw('account');
    const usdt = accounts.find((a) => a.accountId === 'ACC-1')!.balances.find((b) => b.currency === 'USDT')!;
    // A cash account has no margin (the API says null for CASH only); no venue has a calendar, so nothing counts day trades.
    expect(accounts.find((a) => a.accountId === 'ACC-1')).toMatchObject({ type: 'CASH', margin: null, dayTrades: null });
    expect(f).toContain('ACC-1 CASH (no margin)  day trades n/a');
    const btc = accounts.find((a) => a.accountId === 'ACC-1')!.balances.find((b) => b.currency === 'BTC')!;
    expect(f).toMatch(new RegExp(`USDT\\s+${places(usdt.total, 2)}\\s+${places(usdt.free, 2)}`));
    expect(btc.total).toBe('0.00200000');
    expect(f).toMatch(/BTC\s+0\.00200\s+0\.00200\s+0\.00000/); // the bought BTC, to five places
    const equity = c.current().parts.overview!.equity.at(-1)!.value;
    expect(f).toContain(`equity ${places(String(equity), 2)} USDT`);
  });

  it('positions: side, quantity, average, unrealized PnL and its percent', async () => {
    const [p] = (await t.call('GET', '/api/positions', { token: t.tokens.viewer })).body as { quantity: string; avgEntryPx: string }[];
    // The API gives the average as exact decimal text (tick places + 4), never a float's digits.
    expect(p!.avgEntryPx).toMatch(/^\d+\.\d{6}$/);
    const f = draw('positions');
    expect(f).toMatch(new RegExp(`BTCUSDT\\s+LONG\\s+${p!.quantity.replace('.', '\\.')}\\s+${places(p!.avgEntryPx, 2).replace('.', '\\.')}\\s+-?\\d+\\.\\d{2}\\s+[+-]\\d+\\.\\d{2}%`));
  });

  it('orders: the resting order with type, side, quantity, price, status and time in force', () => {
    const o = c.current().parts.orders!.find((x) => x.clientOrderId === resting)!;
    const f = draw('orders');
    expect(f).toMatch(new RegExp(`BTCUSDT\\s+LIMIT\\s+BUY\\s+0\\.00100\\s+${o.price!.replace('.', '\\.')}\\s+ACCEPTED\\s+GTC`));
  });

  it("market data: the last price the stream sent, its change, the node's 24-hour traded volume and a sparkline", () => {
    const m = c.current().market.get('BTCUSDT.BINANCEUS')!;
    // The volume the server summed from the bars it saw (exact text), shown to two places.
    expect(m.volume24h).toMatch(/^\d+\.\d+$/);
    expect(Number(m.volume24h)).toBeGreaterThan(0);
    const f = draw('market');
    expect(f).toMatch(new RegExp(`BTCUSDT\\s+${places(m.last, 2).replace('.', '\\.')}\\s+[+-]\\d+\\.\\d{2}%\\s+${places(m.volume24h, 2).replace('.', '\\.')}\\s+[▁▂▃▄▅▆▇█]{3,}`));
    expect(f).toContain('VOL 24H');
    expect(f).toContain('BTCUSDC');
  });

  it('risk: trading state, VaR and drawdown, and every breaker with a bar toward its limit', async () => {
    await c.refresh(['risk']);
    const risk = (await t.call('GET', '/api/risk', { token: t.tokens.viewer })).body as { breakers: { name: string; limit: unknown }[]; trades: { closed: number; won: number } };
    const f = draw('risk');
    expect(f).toContain('trading ACTIVE  kill switch off');
    const { closed, won } = risk.trades;
    const rate = closed === 0 ? '— \\(0 closed\\)' : `${((won / closed) * 100).toFixed(2)}% \\(${won}/${closed}\\)`;
    expect(f).toMatch(new RegExp(`VaR \\S+ {2}drawdown \\d+\\.\\d{2}% {2}Sharpe \\S+ {2}win rate ${rate}`));
    for (const b of risk.breakers) expect(f).toMatch(new RegExp(`${b.name.slice(0, 16)}\\s+\\S+\\s+[█░·]{8}\\s+\\S+/${String(b.limit).slice(0, 5)}`));
  });

  it('advisor: a node without a model says so (test/tui/advisor.test.ts has one with a model)', () => {
    expect(draw('advisor')).toContain('No model configured');
  });

  it('strategies: each configured strategy with its status', () => {
    const f = draw('strategies');
    expect(f).toMatch(/sma-btcusdt\s+sma-cross\s+(MONITORING|ACTIVE)/);
    expect(f).toMatch(/bb-btcusdc\s+bollinger-reversion\s+(MONITORING|ACTIVE)/);
  });

  it("system health: the node, the stream, venues connected, event rate, and the node's own memory and uptime", async () => {
    const sys = (await t.call('GET', '/api/system', { token: t.tokens.viewer })).body as { startedAt: number };
    expect(c.current().system?.info.startedAt).toBe(sys.startedAt);
    // Figures as the node sent them, uptime run on by the wall time since they arrived.
    const at = c.current().system!.at;
    const info = { ...c.current().system!.info, uptimeMs: 3_723_000, memory: { rssBytes: 300 * (1 << 20), heapUsedBytes: 120 * (1 << 20), heapTotalBytes: 150 * (1 << 20), externalBytes: 0 } };
    const dash = { ...c.current(), system: { info, at } };
    const lines = panelLines('health', { dash, ui: initialUi('matrix'), now: at + 60_000, width: 120 }).map((l) => l.map((x) => x.text).join(''));
    expect(lines).toContain('node memory 300M rss, 120M heap  uptime 1h03m');
    const f = draw('health');
    expect(f).toContain('node paper-1  stream LIVE');
    expect(f).toMatch(/venues 1\/1 connected {2}events \d+\.\d\/s/);
    expect(f).toMatch(/node memory \d+M rss, \d+M heap {2}uptime \d+m\d\ds/);
    expect(f).toMatch(/BINANCEUS\s+UP\s+latency/);
  });

  it('the whole screen at 100 columns: header with mode, user and state; every panel; the footer with the keys', async () => {
    const m = await mount(t, 'viewer');
    try {
      const f = await m.see('System health');
      expect(f).toMatch(/^WARDEN\s+PAPER\s+vera \[viewer\]\s+stream LIVE\s+ACTIVE/);
      for (const id of ['Account', 'Positions', 'Active orders', 'Market data', 'Risk', 'Advisor insights', 'Strategies']) expect(f).toContain(id);
      expect(f).toContain('F1 help F2 full F3 strat F4 risk F5 portfolio F6 settings');
    } finally {
      m.unmount();
    }
  });
});
