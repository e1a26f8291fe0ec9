/**
 * Node processes for the cluster tests: each a `node-child.ts` process with its own config file
 * (a paper node on simulated BTCUSDT.SIM, its journal in its own PostgreSQL schema of PG_URL,
 * `cluster:` on the given NATS), spoken to in JSON lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { barsFile } from '../../node/small-node.ts';
import { PG_URL } from '../../services.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const CHILD = join(import.meta.dirname, 'node-child.ts');

export type Line = Record<string, unknown>;

export interface NodeSpec {
  readonly id: string;
  readonly schema: string;
  readonly nats: string;
  readonly firm: string;
  readonly bucket: string;
  readonly maxGross: string;
  readonly leaseMs?: number;
  readonly chunk?: string;
  readonly onNatsLoss?: 'reduce_only' | 'halt' | 'continue';
  /** Publish the journal's events to the firm's stream (default false). */
  readonly publish?: boolean;
}

/** Writes the node's config in a fresh directory; returns its path. */
export function writeNodeConfig(s: NodeSpec): string {
  const dir = mkdtempSync(join(tmpdir(), `warden-${s.id}-`));
  const config = {
    node: { id: s.id, mode: 'paper', journal: { postgres: PG_URL, schema: s.schema } },
    venues: { SIM: { type: 'sim' } },
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USDT: '1000000' } }],
    instruments: [{ id: 'BTCUSDT.SIM', kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' }],
    data: { speed: 'max', replay: [{ file: barsFile(dir, 20), instrument: 'BTCUSDT.SIM' }] },
    risk: { version: 1, limits: { default: { max_order_quantity: '100', max_order_notional: '10000000', max_position_quantity: '1000', max_position_notional: '100000000' } } },
    cluster: {
      nats: s.nats,
      node_id: s.id,
      firm: s.firm,
      publish: s.publish ?? false,
      budget: { bucket: s.bucket, max_gross_exposure: s.maxGross, lease_ms: s.leaseMs ?? 10_000, ...(s.chunk ? { credit_chunk: s.chunk } : {}) },
      ...(s.onNatsLoss ? { on_nats_loss: s.onNatsLoss } : {}),
    },
    logging: { level: 'silent' },
  };
  const file = join(dir, 'warden.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

/** Every process started, so a suite's afterAll can stop them even when a start failed half-way. */
export const started = new Set<NodeProcess>();

export class NodeProcess {
  private buf = '';
  readonly lines: Line[] = [];
  private waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void; from: number }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';

  private constructor(readonly id: string, private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => this.onData(d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  }

  static async start(id: string, config: string): Promise<NodeProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, config], { cwd: ROOT, env: { ...process.env, WARDEN_LOG_LEVEL: 'silent' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const p = new NodeProcess(id, child);
    started.add(p);
    // Cold, tsx compiles the whole node on a shared 2-core machine: a start may take tens of seconds.
    await p.next((l) => l.ready === true, 150_000);
    return p;
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(cmd: Line): void {
    this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
  }

  /** The next line (seen from now on, or already since `from`) matching `pred`. */
  next(pred: (l: Line) => boolean, timeoutMs = 20_000, from = this.lines.length): Promise<Line> {
    const seen = this.lines.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.id}: no matching line in ${timeoutMs} ms; got ${JSON.stringify(this.lines.slice(-10))}; stderr ${this.stderr.slice(-2000)}`)), timeoutMs);
      this.waiters.push({ pred, from, resolve: (l) => { clearTimeout(t); resolve(l); } });
    });
  }

  /** Sends a command and waits for the answer line `pred` picks. */
  async ask(cmd: Line, pred: (l: Line) => boolean): Promise<Line> {
    const from = this.lines.length;
    this.send(cmd);
    return this.next(pred, 20_000, from);
  }

  submit(id: string, side: 'BUY' | 'SELL', qty: string, price: string): Promise<Line> {
    return this.ask({ do: 'submit', id, side, qty, price }, (l) => l.id === id);
  }

  async status(): Promise<{ killSwitch: string | null; firm: string; open: { id: string; status: string }[] }> {
    return (await this.ask({ do: 'status' }, (l) => l.status !== undefined)).status as never;
  }

  /** Waits until the node has published every event journaled so far; returns that journal seq. */
  async caughtUp(): Promise<number> {
    const from = this.lines.length;
    this.send({ do: 'caughtUp' });
    return (await this.next((l) => l.caughtUp !== undefined, 60_000, from)).caughtUp as number;
  }

  kill9(): void {
    this.child.kill('SIGKILL');
  }

  /** Closes stdin (a clean stop) and waits for the exit, SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
  }

  private onData(text: string): void {
    this.buf += text;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const raw = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      this.lines.push(line);
      const idx = this.lines.length - 1;
      for (const w of this.waiters.splice(0)) if (idx >= w.from && w.pred(line)) w.resolve(line); else this.waiters.push(w);
    }
  }
}

/** Drops the test's journal schemas. */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  } finally {
    await c.end();
  }
}
