import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadNodeConfig } from '../../src/node/config/index.ts';
import { createLogger, errorText, REDACTED } from '../../src/node/logging.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { tempDir } from './support.ts';
import { barsFile, buyer, hookServer, smallConfig, withBuyer, yaml } from './small-node.ts';

const SECRET = 'wt-SeCrEt-7c1f4e9a2b55';
const ENV = { WARDEN_TEST_SECRET: SECRET };

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/**
 * A paper node whose config holds the secret (from ${WARDEN_TEST_SECRET}) in its webhook's URL
 * token and Authorization header, on a simulated venue that echoes the credential in its reject
 * reason (as a careless exchange might): the reject trips a breaker (an alert), is journaled and logged.
 */
function configFile(dir: string, hookUrl: string): string {
  const c = smallConfig(dir, barsFile(dir, 12), {
    venues: { SIM: { type: 'sim', faults: { calls: [{ call: 'SUBMIT', nth: 1, fault: { kind: 'REJECT', reason: 'invalid api key ${WARDEN_TEST_SECRET}' } }] } } },
    risk: {
      version: 1,
      limits: { default: { max_order_quantity: '10', max_order_notional: '1000000', max_position_quantity: '10', max_position_notional: '1000000' } },
      breakers: { errors: { max_consecutive_errors: 1, scope: 'ACCOUNT' } },
    },
    alerts: { webhooks: [{ url: `${hookUrl}/hook?token=\${WARDEN_TEST_SECRET}`, headers: { Authorization: 'Bearer ${WARDEN_TEST_SECRET}' } }] },
    logging: { level: 'debug', format: 'json' },
  });
  const file = join(dir, 'warden.yaml');
  writeFileSync(file, yaml(c));
  return file;
}

describe('FAULTS 31: a configured secret appears in no log line, error, webhook payload or journal byte', () => {
  it('a paper node with the secret in its config: logs, errors, alerts and the SQLite journal are grepped for it', async () => {
    const hook = await hookServer();
    servers.push(hook);
    const dir = tempDir();
    const file = configFile(dir, hook.url);
    const { config, secrets } = loadNodeConfig(file, ENV);
    expect(secrets.has(SECRET)).toBe(true);

    const lines: string[] = [];
    const logger = createLogger(config.logging, { secrets, stream: { write: (l: string) => lines.push(l) }, base: { node: config.node.id } });
    const node = await TradingNode.start(withBuyer(config), { secrets, logger, strategies: buyer(3) });
    const alerts: string[] = [];
    node.engine.bus.subscribe('alert', (a) => alerts.push(a.message));
    // What a live adapter's failure might say: the key in the message and in the context.
    node.engine.bus.publish('alert', { code: 'VENUE_CALL_FAILED', message: `auth failed for key ${SECRET}`, context: { detail: `key=${SECRET}`, token: SECRET }, ts: node.clock.now() });
    logger.error({ err: new Error(`cannot reach the venue with ${SECRET}`), apiKey: SECRET }, `connect failed: ${SECRET}`);
    await node.run();

    const errors: string[] = [];
    // A config error quoting the secret (a wrong-typed field it was substituted into).
    writeFileSync(join(dir, 'bad.yaml'), readFileSync(file, 'utf8').replace(/snapshot_every: \d+|(mode: paper)/, '$1\n  snapshot_every: ${WARDEN_TEST_SECRET}'));
    try {
      loadNodeConfig(join(dir, 'bad.yaml'), ENV);
      expect.unreachable('the bad config loads');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      errors.push((e as Error).message);
    }
    // The line the CLI prints for an error that carries the secret.
    errors.push(errorText(new Error(`venue said: bad key ${SECRET}`), secrets));

    // Each channel saw something, so finding no secret in it means something.
    expect(alerts.some((m) => m.includes('invalid api key'))).toBe(true);
    expect(lines.some((l) => l.includes('BREAKER_TRIPPED'))).toBe(true);
    expect(lines.join('')).toContain(REDACTED);
    expect(errors[0]).toContain('node.snapshot_every');
    expect(errors.every((e) => e.length > 0)).toBe(true);
    expect(hook.received.length).toBe(alerts.length);
    expect(hook.received.some((r) => r.body.includes(`invalid api key ${REDACTED}`))).toBe(true);
    // The webhook's own credential does reach the server it is meant for, in the URL and the header.
    expect(hook.received[0]!.url).toBe(`/hook?token=${SECRET}`);
    expect(hook.received[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);

    expect(lines.filter((l) => l.includes(SECRET))).toEqual([]);
    expect(errors.filter((e) => e.includes(SECRET))).toEqual([]);
    expect(hook.received.filter((r) => r.body.includes(SECRET))).toEqual([]);
    const journalFiles = readdirSync(dir).filter((f) => f.startsWith('journal.sqlite'));
    expect(journalFiles).toContain('journal.sqlite');
    const bytes = journalFiles.map((f) => readFileSync(join(dir, f)));
    // The venue's reason was journaled (the reject is there), with the secret replaced.
    expect(bytes.some((b) => b.includes(`invalid api key ${REDACTED}`))).toBe(true);
    expect(bytes.filter((b) => b.includes(SECRET))).toEqual([]);
  });
});
