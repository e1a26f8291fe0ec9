/**
 * `warden run --config` with a `server:` section: the node starts the API, prints its URL and the
 * one-time admin password (stdout only, never in the log), serves it, and Ctrl-C stops it cleanly:
 * also with a stream client served by the fan-out process (closed 1001, the process gone).
 */
import { execFileSync, spawn } from 'node:child_process';
import WebSocket from 'ws';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PAPER_YAML, tempDir, trimmed } from '../node/support.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('warden run with a server section', () => {
  it('prints the URL and a one-time admin login that works; the log has no password; SIGINT exits 0, closing a stream client served by the fan-out process', async () => {
    const dir = tempDir();
    const c = parse(readFileSync(PAPER_YAML, 'utf8')) as { node: Record<string, unknown>; data: { speed: number; replay: { file: string }[] } } & Record<string, unknown>;
    c.node.journal = { sqlite: join(dir, 'journal.sqlite') };
    c.data.speed = 60;
    const files = ['binanceus-BTCUSDT-1m-2023-03-01_21.csv', 'binanceus-BTCUSDC-1m-2023-03-01_21.csv'];
    c.data.replay = c.data.replay.map((r, i) => ({ ...r, file: trimmed(dir, files[i]!, 300) }));
    c.risk = { path: resolve(ROOT, 'risk.example.yaml') };
    c.logging = { level: 'info', format: 'json', destination: { file: join(dir, 'node.log') } };
    c.server = { port: 0, auth_db: './auth.sqlite' };
    const file = join(dir, 'warden.yaml');
    writeFileSync(file, stringify(c));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--config', file], { cwd: ROOT, env: { ...process.env, WARDEN_WEBHOOK_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      const end = Date.now() + 60_000;
      while (!/one-time password (\S+)/.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const url = /API and dashboard: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const password = /one-time password (\S+)/.exec(out)?.[1];
      expect(url, out).toBeDefined();
      expect(password).toBeDefined();
      expect((await fetch(`${url!}/api/health`)).status).toBe(200);
      const login = await fetch(`${url!}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const me = await fetch(`${url!}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await me.json()) as { roles: string[] }).roles.sort()).toEqual(['admin', 'risk', 'trader', 'viewer']);
      // A stream client; the market snapshots of the replay reach it through the fan-out process.
      const ws = new WebSocket(`${url!.replace('http', 'ws')}/api/stream`, { headers: { authorization: `Bearer ${token}` } });
      const closed = new Promise<number>((res) => ws.on('close', (code) => res(code)));
      const fanoutClients = async () => /^warden_ws_fanout_clients (\d+)$/m.exec(await (await fetch(`${url!}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text())?.[1];
      const until = Date.now() + 30_000;
      while ((await fanoutClients()) !== '1' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(await fanoutClients()).toBe('1');
      const fanoutPid = Number(execFileSync('pgrep', ['-P', String(child.pid), '-f', 'fanout-child.mjs'], { encoding: 'utf8' }).trim());
      expect(fanoutPid).toBeGreaterThan(0);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(await closed).toBe(1001);
      const alive = (() => {
        try {
          process.kill(fanoutPid, 0);
          return true;
        } catch {
          return false;
        }
      })();
      expect(alive).toBe(false);
      const log = readFileSync(join(dir, 'node.log'), 'utf8');
      expect(log).toContain('server listening');
      expect(log.includes(password!)).toBe(false);
      expect(log.includes(token)).toBe(false);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 120_000);
});
