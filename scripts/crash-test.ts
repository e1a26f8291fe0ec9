/**
 * Crash test (FAULTS 25, 29): a child process runs an engine under load (16 concurrent order
 * writers against a venue) on a durable journal and is killed with SIGKILL at a random moment;
 * then it is started again on the same journal, many times. After each kill:
 *   - lost: an acknowledged command whose events are not in the journal;
 *   - duplicated: an order the venue saw twice, or initialized twice in the journal;
 *   - the state the next child recovers equals (by digest) this process's replay of the durable log.
 *
 *   npm run crash-test -- --runs 50 [--journal sqlite|postgres]
 * ends with `N runs, L lost, D duplicated` and exits 1 unless both are 0 and every recovery matched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EngineState } from '../src/engine/state.ts';
import { digest, openJournal, PG_URL } from './crash-shared.ts';

export interface CrashTestOptions {
  readonly runs: number;
  readonly journal: 'sqlite' | 'postgres';
  /** Kill between minMs and maxMs after the child reports READY. */
  readonly minMs?: number;
  readonly maxMs?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface CrashTestResult {
  readonly runs: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly recoveryMismatches: number;
  readonly acknowledged: number;
  readonly events: number;
}

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

interface Child {
  readonly recovered: Promise<{ seq: number; digest: string }>;
  readonly ready: Promise<void>;
  kill(): Promise<void>;
}

function startChild(args: string[]): Child {
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onRecovered: (v: { seq: number; digest: string }) => void = () => undefined;
  let onReady: () => void = () => undefined;
  let onFail: (e: Error) => void = () => undefined;
  const recovered = new Promise<{ seq: number; digest: string }>((res, rej) => {
    onRecovered = res;
    onFail = rej;
  });
  const ready = new Promise<void>((res, rej) => {
    onReady = res;
    const prev = onFail;
    onFail = (e) => {
      prev(e);
      rej(e);
    };
  });
  recovered.catch(() => undefined);
  ready.catch(() => undefined);
  const exited = new Promise<void>((res) => p.on('exit', () => res()));
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /RECOVERED (\d+) (\w+)/.exec(out);
    if (m) onRecovered({ seq: Number(m[1]), digest: m[2]! });
    if (out.includes('READY')) onReady();
  });
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  p.on('exit', (code, signal) => {
    if (signal !== 'SIGKILL') onFail(new Error(`child exited (${code ?? signal ?? '?'}) before it was killed: ${err.slice(-2000)}`));
  });
  return {
    recovered,
    ready,
    kill: async () => {
      p.kill('SIGKILL');
      await exited;
    },
  };
}

/** A small seeded generator (xorshift), so a failing run can be repeated with --seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export async function runCrashTest(opts: CrashTestOptions): Promise<CrashTestResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const random = rng(opts.seed ?? 0x5eed);
  const minMs = opts.minMs ?? 20;
  const maxMs = opts.maxMs ?? 400;
  const dir = mkdtempSync(join(tmpdir(), 'warden-crash-'));
  const store = opts.journal === 'sqlite' ? join(dir, 'journal.sqlite') : `crash_${process.pid}`;
  const ackFile = join(dir, 'acks');
  const venueFile = join(dir, 'venue');
  writeFileSync(ackFile, '');
  writeFileSync(venueFile, '');
  const replay = new EngineState({ retainClosedOrders: 1_000 });
  let replayed = 0;
  const initialized = new Map<string, number>();
  let lost = 0;
  let duplicated = 0;
  let mismatches = 0;
  let acknowledged = 0;
  let expected: { seq: number; digest: string } = { seq: 0, digest: digest(replay, 0) };
  try {
    for (let run = 1; run <= opts.runs + 1; run++) {
      const child = startChild([opts.journal, store, ackFile, venueFile, String(run)]);
      const got = await child.recovered;
      if (got.seq !== expected.seq || got.digest !== expected.digest) {
        mismatches++;
        log(`run ${run}: recovered seq ${got.seq} digest ${got.digest}, the replay of the durable log has seq ${expected.seq} digest ${expected.digest}`);
      }
      if (run > opts.runs) {
        await child.kill(); // the last start only checks recovery
        break;
      }
      await child.ready;
      await new Promise((r) => setTimeout(r, minMs + random() * (maxMs - minMs)));
      await child.kill();

      // What is durable now, folded onto the replay so far.
      const journal = await openJournal(opts.journal, store);
      try {
        for await (const r of journal.read(replayed + 1)) {
          replay.apply(r.event);
          replayed = r.seq;
          if (r.event.kind === 'OrderInitialized') {
            const id = r.event.clientOrderId;
            initialized.set(id, (initialized.get(id) ?? 0) + 1);
            if (initialized.get(id)! > 1) {
              duplicated++;
              log(`run ${run}: ${id} initialized twice in the journal`);
            }
          }
        }
      } finally {
        await journal.close();
      }
      expected = { seq: replayed, digest: digest(replay, replayed) };

      for (const line of readFileSync(ackFile, 'utf8').split('\n')) {
        if (!line.startsWith(`R${run}-`)) continue;
        acknowledged++;
        const [id, seq] = line.split(' ') as [string, string];
        if (!initialized.has(id) || Number(seq) > replayed) {
          lost++;
          log(`run ${run}: acknowledged ${id} (seq ${seq}) is not in the journal (durable up to ${replayed})`);
        }
      }
    }
    const seen = new Map<string, number>();
    for (const id of readFileSync(venueFile, 'utf8').split('\n')) if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const [id, times] of seen) {
      if (times > 1) {
        duplicated++;
        log(`the venue saw ${id} ${times} times`);
      }
    }
    return { runs: opts.runs, lost, duplicated, recoveryMismatches: mismatches, acknowledged, events: replayed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (opts.journal === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${store} CASCADE`);
      await c.end();
    }
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runs = Number(arg('runs') ?? 50);
  const journal = arg('journal') ?? 'sqlite';
  if (!Number.isInteger(runs) || runs < 1 || (journal !== 'sqlite' && journal !== 'postgres')) {
    console.error('usage: npm run crash-test -- --runs N [--journal sqlite|postgres] [--seed S]');
    process.exit(2);
  }
  const r = await runCrashTest({ runs, journal, ...(arg('seed') ? { seed: Number(arg('seed')) } : {}) });
  console.log(`${r.acknowledged} commands acknowledged, ${r.events} events journaled, ${r.recoveryMismatches} recovery mismatches`);
  console.log(`${r.runs} runs, ${r.lost} lost, ${r.duplicated} duplicated`);
  process.exit(r.lost === 0 && r.duplicated === 0 && r.recoveryMismatches === 0 ? 0 : 1);
}
