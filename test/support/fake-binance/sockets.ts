/**
 * The WebSocket plumbing every Binance stream shares: the server pings as Binance does and
 * answers the client's pings, a stalled socket sends nothing (no pushes, no pongs), and the
 * drop fault closes every socket (close frame, or a destroyed TCP socket when abrupt).
 */
import type { WebSocket } from 'ws';
import type { BinanceFaults } from './faults.ts';

export class BinanceSocket {
  private readonly pinger: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    private readonly faults: BinanceFaults,
    pingIntervalMs: number,
  ) {
    // The server runs with autoPong off so a stall can withhold pongs.
    ws.on('ping', (data: Buffer) => {
      if (!faults.stalled) ws.pong(data);
    });
    this.pinger = setInterval(() => {
      if (!faults.stalled && ws.readyState === ws.OPEN) ws.ping();
    }, pingIntervalMs);
    ws.on('close', () => clearInterval(this.pinger));
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Pushes one JSON message; a stalled socket swallows it, as a hung exchange would. */
  send(message: unknown): void {
    if (this.faults.stalled || !this.open) return;
    this.ws.send(JSON.stringify(message));
  }

  drop(abrupt: boolean): void {
    clearInterval(this.pinger);
    if (abrupt) this.ws.terminate();
    else this.ws.close(1001, 'going away');
  }
}

/** All live sockets of one server, so the drop fault reaches each of them. */
export class SocketRegistry {
  private readonly sockets = new Set<BinanceSocket>();

  constructor(
    private readonly faults: BinanceFaults,
    private readonly pingIntervalMs: number,
  ) {
    faults.onDrop((abrupt) => {
      for (const s of [...this.sockets]) s.drop(abrupt);
    });
  }

  add(ws: WebSocket): BinanceSocket {
    const s = new BinanceSocket(ws, this.faults, this.pingIntervalMs);
    this.sockets.add(s);
    ws.on('close', () => this.sockets.delete(s));
    return s;
  }

  closeAll(): void {
    for (const s of this.sockets) s.drop(true);
    this.sockets.clear();
  }
}

/**
 * The order in which execution reports leave: straight through, each twice (duplicate fault),
 * or every pair swapped (reorder fault; a lone held report leaves after a short delay).
 */
export class ReportSequencer {
  private held: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly faults: BinanceFaults) {}

  push(send: () => void): void {
    const once = this.faults.duplicate ? () => (send(), send()) : send;
    if (!this.faults.reorder) return void this.flushThen(once);
    if (this.held) {
      const first = this.held;
      this.held = undefined;
      clearTimeout(this.timer);
      once();
      first();
      return;
    }
    this.held = once;
    this.timer = setTimeout(() => this.flushThen(() => {}), 200);
  }

  private flushThen(next: () => void): void {
    const h = this.held;
    this.held = undefined;
    clearTimeout(this.timer);
    h?.();
    next();
  }
}
