/**
 * End to end in a real terminal: `warden tui` in tmux (120×40) against a paper node this test
 * starts. The panels fill; N places an order that fills; the palette's emergency halt cancels
 * every order and the header shows HALTED; Q quits.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../server/support.ts';
import { controllerFor, paperServer, restingOrder, waitFor } from './support.ts';
import type { DashController } from '../../src/tui/controller.ts';

const TMUX = '/usr/bin/tmux';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const session = `warden-tui-e2e-${process.pid}`;
const narrow = `${session}-80x24`;
let t: TestServer;
let watcher: DashController;

const tmux = (...args: string[]): string => execFileSync(TMUX, args, { encoding: 'utf8' });
const screen = (name = session): string => tmux('capture-pane', '-p', '-t', name);
const keys = (...k: string[]): void => void tmux('send-keys', '-t', session, ...k);
const see = (text: string | RegExp, timeoutMs = 20_000, name = session): Promise<string> =>
  waitFor(() => `the terminal to show ${String(text)}\n--- screen:\n${screen(name)}`, () => {
    const s = screen(name);
    return (typeof text === 'string' ? s.includes(text) : text.test(s)) && s;
  }, timeoutMs);

beforeAll(async () => {
  t = await paperServer();
  watcher = controllerFor(t, 'viewer');
  watcher.start();
});

/** `warden tui` in a new tmux session of this size, signed in as the trader. */
function start(name: string, width: number, height: number): void {
  const command = `${process.execPath} --import tsx src/cli/main.ts tui --url ${t.url}; echo "tui exited $?"; sleep 60`;
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), '-c', ROOT, '-e', `WARDEN_TOKEN=${t.tokens.trader}`, '-e', 'NO_COLOR=1', command);
}

afterAll(async () => {
  for (const name of [session, narrow]) {
    try {
      tmux('kill-session', '-t', name);
    } catch {
      // never started, or already gone
    }
  }
  watcher.stop();
  await t.close();
});

describe('warden tui in tmux against a paper node', () => {
  it('fills its panels, places a filled order with N, halts from the palette, quits with Q', async () => {
    start(session, 120, 40);
    await see(/^WARDEN\s+PAPER\s+tom \[trader\]\s+stream LIVE\s+ACTIVE/);
    const first = await see(/BTCUSDT\s+\d+\.\d{2}\s+[+-]\d+\.\d{2}%/);
    for (const title of ['Account', 'Positions', 'Active orders', 'Market data', 'Risk', 'Advisor insights', 'Strategies', 'System health']) expect(first).toContain(title);
    await see(/sma-btcusdt\s+sma-cross/);
    await see('venues 1/1 connected');

    keys('N');
    await see('sends: BUY 0.001 BTCUSDT.BINANCEUS MARKET GTC');
    keys('Enter');
    await see(/FILLED BUY 0\.00100 BTCUSDT\.BINANCEUS @ \d+/);
    await see(/BTCUSDT\s+LONG\s+0\.00100/);

    const id = await restingOrder(t, watcher);
    await see(/BTCUSDT\s+LIMIT\s+BUY\s+0\.00100\s+\d+\.\d{2}\s+ACCEPTED/);

    keys(':');
    await see('Command palette');
    keys('Enter');
    await see('EMERGENCY HALT');
    keys('y');
    const halted = await see(' HALTED ');
    expect(halted.split('\n')[0]).toContain('HALTED');
    await see('no active orders');
    const orders = (await t.call('GET', '/api/orders?status=all', { token: t.tokens.viewer })).body as { clientOrderId: string; status: string }[];
    expect(orders.find((o) => o.clientOrderId === id)?.status).toBe('CANCELED');
    expect(orders.filter((o) => ['ACCEPTED', 'SUBMITTED', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_UPDATE'].includes(o.status))).toEqual([]);

    keys('q');
    await see('tui exited 0', 10_000);
  });

  it('at 80×24 stacks every panel in one column, the focused one open, with the keys below; Ctrl-C exits cleanly', async () => {
    start(narrow, 80, 24);
    const s = await see(/^WARDEN\s+PAPER[\s\S]*Market data\nBTCUSDT\s+\d+\.\d{2}/, 20_000, narrow);
    const lines = s.split('\n');
    expect(lines[0]).toMatch(/^WARDEN\s+PAPER/);
    for (const title of ['Account', 'Positions', 'Active orders', 'Market data', 'Risk', 'Advisor insights', 'Strategies', 'System health']) expect(s).toContain(title);
    expect(s).toContain('▶ Account');
    expect(lines.slice(0, 24).join('\n')).toContain('F1 help F2 full Tab focus : palette N order Q quit');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    tmux('send-keys', '-t', narrow, 'C-c');
    await see('tui exited 0', 10_000, narrow);
  });
});
