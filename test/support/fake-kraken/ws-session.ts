/**
 * One Kraken WebSocket v2 connection: the `status` greeting, `ping` → `pong`, the `heartbeat`
 * Kraken sends about every second while a subscription is live, the request/response envelope
 * (`method`, `req_id`, `success`, `time_in`, `time_out`), and the stall fault (nothing goes out).
 */
import type { WebSocket } from 'ws';
import type { KrakenFaults } from './faults.ts';

/** RFC 3339 with microseconds, as v2 stamps everything (`2023-09-25T07:49:37.708706Z`). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface V2Request {
  method?: unknown;
  params?: Record<string, unknown>;
  req_id?: unknown;
}

let connectionIds = 6447481662169813000n;

export class V2Session {
  private heartbeat: NodeJS.Timeout | undefined;
  private lastSent = 0;
  private subscriptions = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly faults: KrakenFaults,
    private readonly now: () => number,
    onRequest: (s: V2Session, req: V2Request, timeIn: number) => void,
  ) {
    socket.on('message', (raw) => {
      const timeIn = this.now();
      let req: V2Request;
      try {
        req = JSON.parse((raw as Buffer).toString('utf8')) as V2Request;
      } catch {
        return this.send({ error: 'Malformed request', success: false, time_in: rfc3339(timeIn), time_out: rfc3339(this.now()) });
      }
      if (req.method === 'ping') return this.reply(req, timeIn, {}, 'pong');
      onRequest(this, req, timeIn);
    });
    socket.on('close', () => this.stop());
    connectionIds += 1n;
    this.send({ channel: 'status', type: 'update', data: [{ version: '2.0.10', system: faults.status === 'maintenance' ? 'maintenance' : 'online', api_version: 'v2', connection_id: Number(connectionIds) }] });
  }

  /** Sends unless the stall fault is on (then the message is lost, as on a stalled link). */
  send(msg: unknown): void {
    if (this.faults.stalled || this.socket.readyState !== this.socket.OPEN) return;
    this.lastSent = this.now();
    this.socket.send(JSON.stringify(msg));
  }

  /** A success answer to a request, echoing its method and req_id. */
  reply(req: V2Request, timeIn: number, result: Record<string, unknown> | undefined, method = String(req.method)): void {
    this.send({
      method,
      ...(req.req_id !== undefined ? { req_id: req.req_id } : {}),
      ...(result !== undefined && method !== 'pong' ? { result } : {}),
      ...(method === 'pong' ? {} : { success: true }),
      time_in: rfc3339(timeIn),
      time_out: rfc3339(this.now()),
    });
  }

  fail(req: V2Request, timeIn: number, error: string, extra: Record<string, unknown> = {}): void {
    this.send({
      error,
      method: String(req.method),
      ...(req.req_id !== undefined ? { req_id: req.req_id } : {}),
      success: false,
      ...extra,
      time_in: rfc3339(timeIn),
      time_out: rfc3339(this.now()),
    });
  }

  /** A subscription went live: heartbeats start. */
  subscribed(): void {
    this.subscriptions++;
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      if (this.now() - this.lastSent >= 900) this.send({ channel: 'heartbeat' });
    }, 1000);
    this.heartbeat.unref();
  }

  unsubscribed(): void {
    if (--this.subscriptions <= 0) this.stop();
  }

  drop(abrupt: boolean): void {
    this.stop();
    if (abrupt) this.socket.terminate();
    else this.socket.close(1001, 'Going away');
  }

  private stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
