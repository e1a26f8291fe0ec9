/**
 * A broker's health through the API: a live node on Alpaca (its local fake, through the official
 * client) behind the real server; GET /api/venues shows the broker probed (heartbeatTs,
 * probeLatencyMs, what it said of itself in detail), as node.health() holds it, and its default
 * US-equity calendar does not keep it from connecting.
 */
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { createAuthService } from '../../src/server/auth/index.ts';
import { startServer } from '../../src/server/start.ts';
import { BROKER_FIXTURES } from '../node/broker-fixtures.ts';
import { yaml } from '../node/small-node.ts';
import { tempDir } from '../node/support.ts';
import { FAST_SCRYPT } from './auth/support.ts';
import { PASSWORD, serverConfig } from './support.ts';

const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /api/venues on a live node with a broker', () => {
  it("shows the Alpaca venue connected and probed: heartbeatTs, probeLatencyMs and the broker's own detail", async () => {
    const f = BROKER_FIXTURES.alpaca!;
    const fixture = await f.start();
    cleanup.push(() => fixture.close());
    const dir = tempDir();
    // No calendar line: the venue takes XNYS by default (its hours gate orders, never the connection or the probe).
    const { calendar: _optOut, ...venue } = fixture.venueConfig;
    const loaded = parseNodeConfig(
      yaml({
        node: { id: 'health-1', mode: 'live', journal: { sqlite: join(dir, 'journal.sqlite') } },
        venues: { [f.venue]: { ...venue, health_check_ms: 200 } },
        accounts: [{ id: 'ACC-1', type: f.accountType, venue: f.venue }],
        instruments: [{ id: f.instrument, from_venue: true }],
        logging: { level: 'silent' },
      }),
    );
    const node = await TradingNode.start(loaded.config, { secrets: loaded.secrets });
    cleanup.push(() => node.stop());
    // Running, as a live node is: its clock (the one heartbeatTs is stamped on) follows the wall clock.
    const running = node.run({ keepOpen: true });
    cleanup.push(async () => {
      node.requestStop();
      await running;
    });
    const config = serverConfig();
    const auth = createAuthService({ db: ':memory:', engine: node.engine, now: () => Date.now(), sessionTtlMs: config.session_ttl_ms, lockout: { failures: 3, windowMs: 60_000, lockMs: 300_000 }, scrypt: FAST_SCRYPT });
    cleanup.push(() => auth.close());
    const server = await startServer(node, { config, auth, logger: pino({ level: 'silent' }) });
    cleanup.push(() => server.close());
    await auth.users.add('vera', PASSWORD, ['viewer']);
    const login = await auth.login('vera', PASSWORD, '127.0.0.1');
    if (!login.ok) throw new Error(login.code);

    // Two probes at least, so the heartbeat shown is the cache's latest and not the first answer frozen.
    const first = await until(() => node.health()[0]?.heartbeatTs !== undefined, 'a first probe').then(() => node.health()[0]!.heartbeatTs!);
    await until(() => (node.health()[0]?.heartbeatTs ?? 0) > first, 'a second probe');
    const res = await fetch(`${server.url}/api/venues`, { headers: { authorization: `Bearer ${login.token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    const v = body[0]!;
    expect(v).toMatchObject({ venue: 'ALPACA', type: 'alpaca', connected: true, errors: 0 });
    expect(v.heartbeatTs).toEqual(expect.any(Number));
    expect(v.heartbeatTs as number).toBeGreaterThan(first);
    expect(Math.abs((v.heartbeatTs as number) - Date.now())).toBeLessThan(60_000);
    expect(v.probeLatencyMs).toEqual(expect.any(Number));
    expect(v.probeLatencyMs as number).toBeGreaterThanOrEqual(0);
    // The fake's /v2/clock and /v2/account, as the adapter words them.
    expect(v.detail).toBe('account PA3FAKE00001 (ACTIVE), market open');
    // What the API shows is the node's own health, field for field (the API drops nothing).
    const own = node.health()[0]!;
    expect(Object.keys(v).sort()).toEqual(Object.keys(JSON.parse(JSON.stringify(own)) as object).sort());
    // Its secret never reaches the answer.
    for (const secret of fixture.secrets) expect(JSON.stringify(body)).not.toContain(secret);
  }, 30_000);
});
