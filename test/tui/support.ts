/**
 * The dashboard against a real node: an App (ink-testing-library) or a controller signed in as
 * one of the test server's users, keys as the terminal sends them, and waiting for what the
 * screen shows.
 */
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { ApiClient } from '../../src/tui/api.ts';
import { App } from '../../src/tui/app.ts';
import { DashController } from '../../src/tui/controller.ts';
import type { Role } from '../../src/server/auth/types.ts';
import type { NodeConfig } from '../../src/node/config/index.ts';
import { testServer, type TestServer } from '../server/support.ts';

/** What a terminal sends for each key (xterm). */
export const KEYS = {
  f1: '\x1bOP',
  f2: '\x1bOQ',
  f3: '\x1bOR',
  f4: '\x1bOS',
  f5: '\x1b[15~',
  f6: '\x1b[17~',
  tab: '\t',
  enter: '\r',
  esc: '\x1b',
  down: '\x1b[B',
  up: '\x1b[A',
  ctrlC: '\x03',
  ctrlP: '\x10',
} as const;

// eslint-disable-next-line no-control-regex -- ANSI colour codes, stripped to read the text
const ANSI = /\x1b\[[0-9;]*m/g;

export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function controllerFor(t: TestServer, role: Role): DashController {
  return new DashController(new ApiClient(t.url, t.tokens[role]), () => Date.now());
}

/** Every price collar of the risk config this wide, so a limit 20% off the market is accepted and rests. */
function wideCollars(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(wideCollars);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, k === 'price_collar_ticks' ? 100_000_000 : k === 'price_collar_pct' ? 50 : wideCollars(x)]),
  );
}

/**
 * The paper node (two strategies, the full risk stack) replaying in the background at 120 data
 * seconds per wall second (a bar every half second: market orders fill, prices move), with wide
 * price collars so a resting order stays resting.
 */
export function paperServer(): Promise<TestServer> {
  return testServer({ warmSteps: 0, speed: 120, bars: 2_000, configure: (c) => ({ ...c, risk: wideCollars(c.risk) as NodeConfig['risk'] }) });
}

/** A BUY LIMIT 20% under the last price (it rests): its client order id once the controller lists it. */
export async function restingOrder(t: TestServer, c: DashController, token = t.tokens.trader): Promise<string> {
  const last = await waitFor('a last price', () => c.current().market.get('BTCUSDT.BINANCEUS')?.last);
  const price = ((Math.round(Number(last) * 100) * 8) / 1000).toFixed(2);
  const r = await t.call('POST', '/api/orders', { token, body: { instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'LIMIT', quantity: '0.001', price } });
  if (r.status !== 201) throw new Error(`resting order refused: ${r.text}`);
  const id = (r.body as { clientOrderId: string }).clientOrderId;
  await waitFor('the resting order accepted', () => c.current().parts.orders?.some((o) => o.clientOrderId === id && o.status === 'ACCEPTED'));
  return id;
}

export interface Mounted {
  readonly controller: DashController;
  /** The screen's text (no colour codes). */
  frame(): string;
  press(...keys: string[]): Promise<void>;
  /** Waits until the screen shows `text` (a string or a pattern); returns the screen. */
  see(text: string | RegExp, timeoutMs?: number): Promise<string>;
  quits: number;
  unmount(): void;
}

/** The App signed in as `role`, its stream connected and every panel's data loaded. */
export async function mount(t: TestServer, role: Role, o: { noColor?: boolean } = {}): Promise<Mounted> {
  const controller = controllerFor(t, role);
  const m = {
    controller,
    quits: 0,
  } as Mounted & { quits: number };
  const ink = render(createElement(App, { controller, theme: 'matrix', noColor: o.noColor ?? true, onQuit: () => void m.quits++, tickMs: 200 }));
  controller.start();
  const frame = (): string => (ink.lastFrame() ?? '').replace(ANSI, '');
  Object.assign(m, {
    frame,
    async press(...keys: string[]) {
      for (const k of keys) {
        ink.stdin.write(k);
        // A lone Escape is told from a sequence's start on the next turn; let each key land.
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    async see(text: string | RegExp, timeoutMs?: number) {
      return waitFor(() => `the screen to show ${String(text)}\n--- screen:\n${frame()}`, () => {
        const f = frame();
        return (typeof text === 'string' ? f.includes(text) : text.test(f)) && f;
      }, timeoutMs);
    },
    unmount() {
      controller.stop();
      ink.unmount();
    },
  });
  await waitFor('every part loaded', () => controller.current().parts.strategies && controller.current().parts.risk && controller.current().parts.me);
  return m;
}
