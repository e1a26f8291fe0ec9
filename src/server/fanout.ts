import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const CHILD = fileURLToPath(new URL('./fanout-child.mjs', import.meta.url));

/** What the hub hears back about a client living in the fan-out process. */
export interface FanoutEvents {
  /** Cut as a slow consumer (4008). */
  dropped(): void;
  /** Closed, for whatever reason (after `dropped` for a cut one). */
  gone(): void;
  /** The process ended unexpectedly: its clients are disconnected (they resume from their last seq). */
  crashed(clients: number, reason: string): void;
}

/** The socket and the ws internals a handover touches (ws has no public way to give a socket away). */
interface WsInternals {
  _socket?: Socket;
  _sender?: { _queue?: unknown[] };
  emitClose(): void;
}

/**
 * The parent's side of the fan-out process (./fanout-child.mjs): started at the first handover,
 * at a lower CPU priority than the node (the engine comes first; a watcher that falls behind is
 * cut and resumes). Live clients are handed over as sockets; each batch is sent once, however
 * many clients there are.
 */
export class FanoutProcess {
  private child: ChildProcess | undefined;
  private nextId = 0;
  private readonly ids = new Set<number>();
  private stopped = false;

  constructor(
    private readonly events: FanoutEvents,
    private readonly o: { maxBufferedBytes: number; maxPayload: number; nice: number },
  ) {}

  /** Clients living in the fan-out process. */
  get clients(): number {
    return this.ids.size;
  }

  /**
   * Whether `ws` can be handed over now: open, and nothing of it left unwritten in this process
   * (its catch-up and the batches written so far are all in the kernel, so the child's writes
   * follow them in order).
   */
  static ready(ws: WebSocket): boolean {
    const w = ws as unknown as WsInternals;
    const socket = w._socket;
    return ws.readyState === ws.OPEN && socket !== undefined && socket.writableLength === 0 && (w._sender?._queue?.length ?? 0) === 0 && !socket.destroyed;
  }

  /**
   * Gives `ws`'s socket to the fan-out process; `ws` is closed here without a close frame (the
   * connection lives on in the child). False (nothing changed) when stopped or not `ready`.
   */
  adopt(ws: WebSocket): boolean {
    if (this.stopped || !FanoutProcess.ready(ws)) return false;
    const child = this.start();
    if (!child) return false;
    const w = ws as unknown as WsInternals;
    const socket = w._socket!;
    // ws stops reading it: whatever the client sends from now on is the child's to read.
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    socket.removeAllListeners('close');
    socket.removeAllListeners('error');
    socket.on('error', () => undefined);
    socket.pause();
    const id = ++this.nextId;
    this.ids.add(id);
    child.send({ t: 'client', id, maxBufferedBytes: this.o.maxBufferedBytes, maxPayload: this.o.maxPayload }, socket, { keepOpen: false }, (err) => {
      if (err && this.ids.delete(id)) this.events.gone();
    });
    w.emitClose();
    return true;
  }

  /**
   * One batch of messages for every client in the child, as UTF-8 lines (each ended by a newline:
   * JSON text has none of its own); the child frames it.
   */
  broadcast(lines: Uint8Array): void {
    if (this.ids.size === 0 || !this.child?.connected) return;
    // A copy: the caller reuses its buffer, and a message queued behind a handover in flight is
    // serialized only once the child has taken the socket.
    this.child.send({ t: 'batch', lines: Buffer.from(lines) });
  }

  /** Closes the child's clients (1001); it then ends by itself. */
  stop(): void {
    this.stopped = true;
    const child = this.child;
    if (!child?.connected) return;
    // Not disconnected here: a handover still in flight would be lost, its client never closed.
    child.send({ t: 'stop' });
    // Until it has ended this process stays up: the HTTP server's close waits on the sockets it holds.
    child.ref();
    (child.channel as { ref?: () => void } | null | undefined)?.ref?.();
    // It ends within ~2 s (clients that do not answer the close are cut); one that does not is killed.
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 5_000).unref();
  }

  private start(): ChildProcess | undefined {
    if (this.child?.connected) return this.child;
    let child: ChildProcess;
    try {
      // execArgv empty: plain node, none of the server's loader or profiling flags.
      child = fork(CHILD, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    } catch {
      return undefined;
    }
    this.child = child;
    try {
      if (child.pid !== undefined && this.o.nice !== 0) setPriority(child.pid, this.o.nice);
    } catch {
      // Not allowed here: it runs at the node's priority.
    }
    child.on('message', (m: { t?: string; id?: number }) => {
      if (m.t === 'dropped') this.events.dropped();
      else if (m.t === 'gone' && m.id !== undefined && this.ids.delete(m.id)) this.events.gone();
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const lost = this.ids.size;
      this.ids.clear();
      // It ends by itself only when stopped (or when this process is gone).
      if (!this.stopped) this.events.crashed(lost, signal ?? `exit code ${String(code)}`);
    });
    child.on('error', () => undefined);
    // Neither the process nor its channel keeps the server's process alive.
    child.unref();
    (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
    return child;
  }
}
