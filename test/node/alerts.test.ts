import { afterEach, describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import type { VenueHealth } from '../../src/node/venues.ts';
import { tempDir } from './support.ts';
import { barsFile, buyer, hookServer, smallConfig, withBuyer, yaml } from './small-node.ts';

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A SIM venue that rejects the first submit, and a breaker that trips on one venue error: a BREAKER_TRIPPED alert (and more). */
const FAULTY = { SIM: { type: 'sim', faults: { calls: [{ call: 'SUBMIT', nth: 1, fault: { kind: 'REJECT', reason: 'insufficient margin' } }] } } };
const TRIP = { version: 1, limits: { default: { max_order_quantity: '10', max_order_notional: '1000000', max_position_quantity: '10', max_position_notional: '1000000' } }, breakers: { errors: { max_consecutive_errors: 1, scope: 'ACCOUNT' } } };

describe('alerts.webhooks: every engine alert of a paper node is posted to each configured webhook', () => {
  it('a breaker tripped by a venue reject of the first of 3 submits reaches a server on 127.0.0.1 as JSON {code, message, context, ts}, with the configured headers', async () => {
    const hook = await hookServer();
    servers.push(hook);
    const dir = tempDir();
    const text = yaml(smallConfig(dir, barsFile(dir, 10), { venues: FAULTY, risk: TRIP, alerts: { webhooks: [{ url: `${hook.url}/hook`, headers: { 'X-Warden-Node': 'small' } }] } }));
    const { config, secrets } = parseNodeConfig(text, { env: {}, baseDir: dir });
    const node = await TradingNode.start(withBuyer(config), { secrets, strategies: buyer(3) });
    const alerts: string[] = [];
    node.engine.bus.subscribe('alert', (a) => alerts.push(a.code));
    await node.run();
    expect(alerts.length).toBeGreaterThan(0);
    expect(hook.received.length).toBe(alerts.length);
    const first = hook.received[0]!;
    expect(first.url).toBe('/hook');
    expect(first.headers['x-warden-node']).toBe('small');
    expect(first.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(first.body) as { code: string; message: string; context: object; ts: number };
    expect(payload.code).toBe(alerts[0]);
    expect(Object.keys(payload).sort()).toEqual(['code', 'context', 'message', 'ts']);
    expect(payload.ts).toBeGreaterThanOrEqual(Date.UTC(2023, 2, 1));
  });

  it('a backtest node posts nothing (a backtest never calls out)', async () => {
    const hook = await hookServer();
    servers.push(hook);
    const dir = tempDir();
    const text = yaml(smallConfig(dir, barsFile(dir, 10), { venues: FAULTY, risk: TRIP, node: { id: 'bt', mode: 'backtest', journal: { memory: true } }, alerts: { webhooks: [{ url: `${hook.url}/hook` }] } }));
    const { config } = parseNodeConfig(text, { env: {}, baseDir: dir });
    const node = await TradingNode.start(withBuyer(config), { strategies: buyer(3) });
    let alerts = 0;
    node.engine.bus.subscribe('alert', () => alerts++);
    await node.run();
    expect(alerts).toBeGreaterThan(0);
    expect(hook.received).toEqual([]);
  });
});

describe('venue health: published on node.bus (venueHealth) and read with node.health()', () => {
  it('after 3 submits on a venue that rejects the first: connected, every report counted, the last one at the data time, a round trip measured', async () => {
    const dir = tempDir();
    const { config } = parseNodeConfig(yaml(smallConfig(dir, barsFile(dir, 10), { venues: FAULTY, risk: TRIP })), { env: {}, baseDir: dir });
    const node = await TradingNode.start(withBuyer(config), { strategies: buyer(3) });
    const published: VenueHealth[] = [];
    node.bus.subscribe('venueHealth', (h) => published.push(h));
    expect(node.health()).toEqual([{ venue: 'SIM', type: 'sim', connected: true, lastMessageTs: undefined, latencyMs: undefined, messages: 0, errors: 0, lastError: undefined }]);
    await node.run({ keepOpen: true });
    const [h] = node.health();
    expect(h!.connected).toBe(true);
    expect(h!.messages).toBeGreaterThanOrEqual(2); // the second order accepted, then canceled by the breaker
    expect(h!.lastMessageTs).toBeGreaterThan(Date.UTC(2023, 2, 1));
    expect(h!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(published.at(-1)).toEqual(h);
    await node.stop();
  });
});
