/**
 * The Freqtrade mixin (integrations/freqtrade/warden_risk.py) against a real running Warden: a
 * paper node with the API, a trader key, and python3 running the mixin's own unittest file.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../support.ts';

const DIR = fileURLToPath(new URL('../../../integrations/freqtrade/', import.meta.url));
let s: TestServer;
let key: string;

beforeAll(async () => {
  s = await testServer({ warmSteps: 30 });
  key = (await s.auth.keys.create('freqtrade', ['trader'])).key;
}, 60_000);
afterAll(async () => s?.close());

function python(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-m', 'unittest', '-v', 'test_warden_risk'], { cwd: DIR, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('Freqtrade mixin', () => {
  it('its python tests pass against the running node (check, sizing, fail closed)', async () => {
    const price = s.node.engine.portfolio.quote('BTCUSDT.BINANCEUS' as never)?.last?.toString();
    expect(price).toBeDefined();
    const r = await python({ WARDEN_URL: s.url, WARDEN_API_KEY: key, WARDEN_INSTRUMENT: 'BTCUSDT.BINANCEUS', WARDEN_PRICE: price! });
    expect(r.out).toMatch(/Ran 7 tests/);
    expect(r.code, r.out).toBe(0);
  }, 60_000);

  it('without a Warden to ask, the python tests fail (nothing is skipped)', async () => {
    const r = await python({ WARDEN_URL: '', WARDEN_API_KEY: '', WARDEN_INSTRUMENT: '', WARDEN_PRICE: '' });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('WARDEN_URL is not set');
  }, 60_000);
});
