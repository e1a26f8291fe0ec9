/**
 * A private nats-server (Debian's /usr/sbin/nats-server, JetStream on) for one test file: its own
 * free loopback port and store directory, so a test can stop and restart it without touching the
 * machine's shared server on 4222 or another file's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceCheck } from '../services.ts';

export const NATS_SERVER_BIN = process.env.WARDEN_NATS_SERVER ?? '/usr/sbin/nats-server';

/** Whether a private nats-server can be started here (the binary is installed). */
export function natsServerBinary(): ServiceCheck {
  return existsSync(NATS_SERVER_BIN) ? { available: true, reason: '' } : { available: false, reason: `no nats-server binary at ${NATS_SERVER_BIN} (apt-get install nats-server)` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
    sock.connect(port, '127.0.0.1');
  });
}

export class PrivateNatsServer {
  private proc: ChildProcess | undefined;

  private constructor(readonly port: number, readonly storeDir: string) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  /** Starts a server on a free port with a fresh store; resolves once it accepts connections. */
  static async start(): Promise<PrivateNatsServer> {
    const s = new PrivateNatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'warden-nats-')));
    await s.resume();
    return s;
  }

  /** Starts it again on the same port and store (after `stop`): JetStream state survives. */
  async resume(): Promise<void> {
    if (this.proc) return;
    const p = spawn(NATS_SERVER_BIN, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], { stdio: 'ignore' });
    this.proc = p;
    p.once('exit', () => { if (this.proc === p) this.proc = undefined; });
    for (let i = 0; i < 200; i++) {
      if (await portOpen(this.port)) return;
      if (!this.proc) throw new Error(`nats-server exited before listening on ${this.port}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`nats-server did not listen on ${this.port} within 5 s`);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 3 s); resolves when the process is gone. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 3_000);
    await gone;
    clearTimeout(t);
    this.proc = undefined;
  }

  /** Stops it and deletes its store. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
