import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { JSON_SNAPSHOTS } from '../../src/journal/snapshot.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import { loadNodeConfig } from '../../src/node/config/index.ts';
import { nodeConfigHash } from '../../src/node/journal.ts';
import { count, PAPER_YAML, replayJournal, stateText, tempDir, trimmed } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BARS = 3_000;

/** examples/warden.paper.yaml with its data cut to BARS bars and every path absolute, in `dir`. */
function writeConfig(dir: string): string {
  const usdt = trimmed(dir, 'binanceus-BTCUSDT-1m-2023-03-01_21.csv', BARS);
  const usdc = trimmed(dir, 'binanceus-BTCUSDC-1m-2023-03-01_21.csv', BARS);
  const text = readFileSync(PAPER_YAML, 'utf8')
    .replace('../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', usdt)
    .replace('../../shared/data/market/binanceus-BTCUSDC-1m-2023-03-01_21.csv', usdc)
    .replace('path: ../risk.example.yaml', `path: ${join(ROOT, 'risk.example.yaml')}`);
  const file = join(dir, 'warden.yaml');
  writeFileSync(file, text);
  return file;
}

interface Child {
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
  kill(): void;
  /** Resolves once a status line shows at least `steps` steps. */
  reached(steps: number): Promise<void>;
}

/** `warden run --config FILE` as a child process (one process: node with the tsx loader), loopback only, bounded. */
function run(config: string, journal: string, speed: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--config', config, '--status-every', '50'], {
    cwd: ROOT,
    env: { ...process.env, WARDEN_JOURNAL: journal, WARDEN_SPEED: speed, WARDEN_LOG_LEVEL: 'silent', WARDEN_WEBHOOK_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { steps: number; resolve: () => void }[] = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    const m = [...out.matchAll(/steps (\d+)/g)].at(-1);
    const steps = m ? Number(m[1]) : 0;
    for (const w of waiters.splice(0)) if (steps >= w.steps) w.resolve(); else waiters.push(w);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((res) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timeout);
      res({ code, signal, out });
    }),
  );
  return {
    done,
    kill: () => child.kill('SIGKILL'),
    reached: (steps) => new Promise<void>((res) => waiters.push({ steps, resolve: res })),
  };
}

describe('crash test through the node: warden run --config, SIGKILL mid-run, start again', () => {
  it('the second start resumes from the journal and runs to the end; the journal is consistent', async () => {
    const dir = tempDir();
    const config = writeConfig(dir);
    const journal = join(dir, 'journal.sqlite');
    // Paced (3,000 minutes of data at 30,000x: about 6 s), so the kill lands mid-run.
    const first = run(config, journal, '30000');
    await Promise.race([first.reached(800), first.done]);
    first.kill();
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.out).not.toMatch(/end of data/);
    const { config: loaded } = loadNodeConfig(config, { WARDEN_JOURNAL: journal, WARDEN_SPEED: 'max', WARDEN_LOG_LEVEL: 'silent', WARDEN_WEBHOOK_URL: '' });
    const before = await replayJournal(journal, nodeConfigHash(loaded));
    expect(count(before.events, 'OrderInitialized')).toBeGreaterThan(0);

    const second = run(config, journal, 'max');
    const finished = await second.done;
    expect(finished.out).toMatch(/resumed at 2023-03-0/);
    expect(finished.out).toMatch(/end of data/);
    expect(finished.code).toBe(0);

    const after = await replayJournal(journal);
    expect(after.lastSeq).toBeGreaterThan(before.lastSeq);
    // Nothing registered or opened twice, no client order id used twice.
    expect(count(after.events, 'InstrumentRegistered')).toBe(2);
    expect(count(after.events, 'AccountOpened')).toBe(2);
    const ids = after.events.flatMap((e) => (e.kind === 'OrderInitialized' ? [e.clientOrderId] : []));
    expect(new Set(ids).size).toBe(ids.length);
    // Reconciliation agreed with the restarted venue: no position mismatch halted trading.
    const halts = after.events.filter((e) => e.kind === 'TradingStateChanged' && e.reason.startsWith('reconciliation'));
    expect(halts).toEqual([]);
    // The snapshot the clean stop wrote is the journal's own fold.
    const j = SqliteJournal.open({ path: journal, identity: { allowMismatch: true } });
    try {
      const recovered = await Engine.recover(j, { clock: new TestClock(0), snapshotCodec: JSON_SNAPSHOTS });
      expect(recovered.recovery?.snapshotSeq).toBe(after.lastSeq);
      expect(stateText(recovered)).toBe(after.state);
    } finally {
      await j.close();
    }
  }, 120_000);
});
