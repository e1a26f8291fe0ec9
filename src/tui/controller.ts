/**
 * The live connection: one WebSocket to /api/stream (reconnected with backoff, resumed from the
 * last record seen) and the REST parts, read at start, on R, and whenever a record makes one
 * stale. Nothing here runs on a timer except the reconnect: the dashboard never polls.
 */
import WebSocket from 'ws';
import type { ApiClient } from './api.ts';
import { EMPTY_DASH, PARTS, reduce, staleAfter, type DashMsg, type DashState, type Part } from './state.ts';
import { parseStreamMessage } from './types.ts';

const PATHS: Readonly<Record<Part, string>> = {
  me: '/api/auth/me',
  health: '/api/health',
  accounts: '/api/accounts',
  overview: '/api/overview',
  positions: '/api/positions',
  orders: '/api/orders?status=open',
  risk: '/api/risk',
  strategies: '/api/strategies',
  venues: '/api/venues',
  instruments: '/api/instruments',
  market: '/api/market',
  system: '/api/system',
  advisor: '/api/advisor/status',
  proposals: '/api/advisor/proposals',
};

export function backoffMs(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** attempt);
}

type Listener = (s: DashState) => void;

function textOf(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

export class DashController {
  private state: DashState = EMPTY_DASH;
  private readonly listeners = new Set<Listener>();
  private readonly stale = new Set<Part>();
  private loading: Promise<void> | undefined;
  private socket: WebSocket | undefined;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The last refusal of a REST read (a viewer may read everything; anything else is shown). */
  lastReadError: string | undefined;

  constructor(
    readonly api: ApiClient,
    /** Wall clock (epoch ms), for the event rate and uptime only. */
    readonly now: () => number,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000, 'dashboard closed');
    this.dispatch({ kind: 'connection', connection: 'closed' });
  }

  current(): DashState {
    return this.state;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Re-reads the given parts (all by default); resolves when every stale part is read. */
  refresh(parts: readonly Part[] = PARTS): Promise<void> {
    for (const p of parts) this.stale.add(p);
    return this.drain();
  }

  /** Resolves when no read is under way. */
  async idle(): Promise<void> {
    while (this.loading) await this.loading;
  }

  private dispatch(m: DashMsg): void {
    this.state = reduce(this.state, m, this.now());
    for (const l of this.listeners) l(this.state);
  }

  private drain(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    while (this.stale.size > 0) {
      const parts = [...this.stale];
      this.stale.clear();
      const answers = await Promise.all(parts.map(async (p) => [p, await this.api.call('GET', PATHS[p])] as const));
      for (const [part, r] of answers) {
        if (r.ok) this.dispatch({ kind: 'loaded', part, data: r.body });
        else this.lastReadError = `${part}: ${r.code} ${r.message}`;
      }
    }
  }

  private connect(): void {
    const resumeFrom = this.state.lastSeq > 0 ? this.state.lastSeq + 1 : 0;
    const ws = new WebSocket(this.api.streamUrl(resumeFrom), { headers: { authorization: `Bearer ${this.api.bearer}` } });
    this.socket = ws;
    ws.on('message', (data: WebSocket.RawData) => this.onFrame(textOf(data)));
    ws.on('open', () => {
      this.attempt = 0;
    });
    ws.on('error', () => {
      // 'close' follows and reconnects; the error itself has nothing the screen needs.
    });
    ws.on('close', () => {
      if (this.socket !== ws || this.stopped) return;
      this.dispatch({ kind: 'connection', connection: 'reconnecting' });
      this.timer = setTimeout(() => this.connect(), backoffMs(this.attempt++));
    });
  }

  private onFrame(text: string): void {
    const message = parseStreamMessage(text);
    if (!message) return;
    this.dispatch({ kind: 'stream', message });
    if (message.type === 'hello') void this.refresh();
    else if (message.type === 'event') {
      const parts = staleAfter(message.event);
      if (parts.length > 0) void this.refresh(parts);
    }
  }
}
