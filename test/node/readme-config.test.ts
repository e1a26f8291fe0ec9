import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { tempDir } from './support.ts';

/** The yaml block after "A small one" in the README's "Run a node" section. */
function readmeConfig(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Run a node'), readme.indexOf('## Design'));
  const m = /A small one[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('no yaml block after "A small one" in README "Run a node"');
  return m[1]!;
}

describe('README "Run a node": the small config', () => {
  it('is valid, and a node runs it: 90 bars of a ;-separated Date/Time file at +01:00 traded by sma-cross, the webhook token a secret', async () => {
    const dir = tempDir();
    const t0 = Date.UTC(2024, 0, 2);
    const two = (n: number) => String(n).padStart(2, '0');
    const rows = Array.from({ length: 90 }, (_, i) => {
      const d = new Date(t0 + i * 60_000 + 3_600_000);
      const p = 40_000 + 30 * Math.sin(i / 6) + i;
      return [`${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`, p.toFixed(2), (p + 5).toFixed(2), (p - 5).toFixed(2), (p + 1).toFixed(2), '3'].join(';');
    });
    writeFileSync(join(dir, 'my-bars.csv'), ['Date;Time;Open;High;Low;Close;Volume', ...rows].join('\n'));
    const { config, secrets } = parseNodeConfig(readmeConfig(), { env: { HOOK_TOKEN: 'tok-123456' }, baseDir: dir });
    expect(secrets.has('tok-123456')).toBe(true);
    expect(config.node.journal).toEqual({ sqlite: join(dir, 'var/my-paper/journal.sqlite') });
    expect(config.strategies.map((s) => s.id)).toEqual(['sma-1']);
    // No call out of the test: the README's webhook host is an example.
    const node = await TradingNode.start({ ...config, alerts: { ...config.alerts, webhooks: [] } }, { secrets });
    const { status, completed } = await node.run();
    expect(completed).toBe(true);
    expect(status.steps).toBe(90);
    expect(status.ts).toBe(t0 + 90 * 60_000);
    expect(status.orders).toBeGreaterThan(0);
  });
});

/** The README's Brokers section, to the next section of its level. */
function brokersSection(readme: string): string {
  const start = readme.indexOf('## Brokers');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

describe('README "Brokers": the example config', () => {
  it('is a valid live config: four broker venues with their accounts, instruments and a price subscription from another venue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = brokersSection(readme);
    const m = /```yaml\n([\s\S]*?)```/.exec(section);
    if (!m) throw new Error('no yaml block in README "Brokers"');
    const file = `node: { id: brokers, mode: live }\n${m[1]!}`;
    const env = { APCA_API_KEY_ID: 'PKTEST1234', APCA_API_SECRET_KEY: 'secret-abcdef', T212_API_KEY: 'key-123456', T212_API_SECRET: 'secret-654321' };
    const { config, secrets } = parseNodeConfig(file, { env });
    expect(Object.values(config.venues).map((v) => v.type)).toEqual(['alpaca', 'ibkr', 'trading212', 'mt5']);
    expect(config.data.subscriptions[1]).toMatchObject({ instrument: 'AAPL.T212', venue: 'ALPACA', symbol: 'AAPL' });
    expect([...secrets].sort()).toEqual(['secret-654321', 'secret-abcdef', 'key-123456', 'PKTEST1234'].sort());
  });
});

describe('README "Brokers": every broker section', () => {
  it("each yaml block is a valid live config as written (each broker's own example)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = brokersSection(readme);
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const env = { APCA_API_KEY_ID: 'PKTEST1234', APCA_API_SECRET_KEY: 'secret-abcdef', T212_API_KEY: 'key-123456', T212_API_SECRET: 'secret-654321' };
    const types = blocks.map((b, i) => {
      try {
        return Object.values(parseNodeConfig(`node: { id: brokers-${i}, mode: live }\n${b}`, { env }).config.venues).map((v) => v.type);
      } catch (e) {
        throw new Error(`README Brokers yaml block ${i + 1}: ${(e as Error).message}`);
      }
    });
    // The common example, then one per broker that has a section of its own.
    expect(types[0]).toEqual(['alpaca', 'ibkr', 'trading212', 'mt5']);
    expect(types.slice(1).flat().sort()).toEqual(expect.arrayContaining(['alpaca', 'ibkr', 'trading212', 'mt5']));
  });
});
