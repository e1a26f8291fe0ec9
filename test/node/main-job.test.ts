/**
 * The main job, as `npm start` runs it (package.json's start script, examples/warden.demo.yaml):
 * a paper node on the bundled data with the full risk stack, two strategies and the API; it prints
 * the URL and the one-time admin login, trades as data replays, and Ctrl-C stops it cleanly. Only
 * the journal, the auth store and the port are moved (the config's own ${VAR} defaults).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../web/browser-support.ts';
import { tempDir } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function startScript(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [bin, ...args] = pkg.scripts.start!.split(' ');
  expect(bin).toBe('tsx');
  return args;
}

describe('npm start', () => {
  it('serves the dashboard and the paper node: login with the printed password, two strategies running, data moving, the risk stack on; SIGINT exits 0', async () => {
    // npm start builds the dashboard first (prestart); the test builds it when missing.
    await ensureDashboardBuilt();
    const dir = tempDir();
    const env = { ...process.env, WARDEN_JOURNAL: join(dir, 'journal.sqlite'), WARDEN_AUTH_DB: join(dir, 'auth.sqlite'), WARDEN_PORT: '0', WARDEN_LOG_LEVEL: 'warn' };
    const child = spawn(process.execPath, ['--import', 'tsx', ...startScript()], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      const end = Date.now() + 90_000;
      while (!/one-time password (\S+)/.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const url = /API and dashboard: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const password = /one-time password (\S+)/.exec(out)?.[1];
      expect(url, out).toBeDefined();
      expect(password, out).toBeDefined();
      const page = await fetch(`${url!}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app"></div>');
      const login = await fetch(`${url!}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const get = async (path: string): Promise<unknown> => {
        const r = await fetch(`${url!}${path}`, { headers: { authorization: `Bearer ${token}` } });
        expect(r.status, path).toBe(200);
        return r.json();
      };
      const strategies = (await get('/api/strategies')) as { id: string; state: string }[];
      expect(strategies.map((s) => [s.id, s.state]).sort()).toEqual([
        ['bb-btcusdc', 'running'],
        ['sma-btcusdt', 'running'],
      ]);
      const risk = (await get('/api/risk')) as { killSwitch: { engaged: boolean }; breakers: { name: string }[] };
      expect(risk.killSwitch.engaged).toBe(false);
      // The full risk stack of risk.example.yaml: its breakers are configured and watching.
      expect(risk.breakers.map((b) => b.name)).toEqual(expect.arrayContaining(['daily_loss', 'drawdown', 'consecutive_losses']));
      // The replay moves: the journal grows while we watch (strategies trade, equity is marked).
      const seqOf = async (): Promise<number> => ((await get('/api/journal?from=1&limit=1')) as { lastSeq: number }).lastSeq;
      const first = await seqOf();
      const until = Date.now() + 60_000;
      let later = first;
      while (later === first && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 500));
        later = await seqOf();
      }
      expect(later).toBeGreaterThan(first);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toMatch(/stopped/);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 180_000);
});
