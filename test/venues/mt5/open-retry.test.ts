/**
 * The node opens a broker it could not reach at start again and again (src/node/lazy-broker.ts):
 * an MT5 adapter whose first open found no bridge (the terminal closed) opens once the EA is back,
 * on the same sockets, and answers commands.
 */
import { afterEach, expect, it } from 'vitest';
import { WallClock } from '../../../src/engine/clock.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Mt5Venue } from '../../../src/venues/mt5/mt5-venue.ts';
import { FakeMt5Bridge } from '../../support/fake-mt5/fake-bridge.ts';
import { configFor, EURUSD_SPEC } from './harness.ts';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

it('an open that found no bridge can be tried again, and opens once the EA answers', async () => {
  const bridge = new FakeMt5Bridge();
  bridge.ea.addSymbol(EURUSD_SPEC, '1.10230', '1.10236');
  await bridge.start();
  const config = configFor(bridge, { call_timeout_ms: 300 });
  await bridge.stop();
  cleanup.push(() => bridge.stop());
  const alerts: string[] = [];
  const adapter = new Mt5Venue(config, { name: 'MT5', accountId: 'A', clock: new WallClock(), timer: new RealTimer(), onAlert: (code, m) => void alerts.push(`${code}: ${m}`) });
  cleanup.push(() => adapter.close());
  const states: string[] = [];
  adapter.onConnection((s) => void states.push(s));
  const failed = await adapter.open().then(
    () => 'opened',
    (e: unknown) => (e as { code: string }).code,
  );
  expect(failed).toMatch(/^VENUE_(TIMEOUT|DISCONNECTED)$/);
  await expect(adapter.probe()).rejects.toThrow();
  await bridge.start();
  await adapter.open();
  expect(states).toEqual(['UP']);
  const spec = await adapter.instrumentSpec('EURUSD.MT5', 'EURUSD');
  expect([spec.id, String(spec.tickSize)]).toEqual(['EURUSD.MT5', '0.00001']);
}, 20_000);
