/**
 * The user data stream over Binance's WebSocket API (`/ws-api/v3`), as ccxt.pro's binance uses it:
 * `userDataStream.subscribe.signature` (HMAC over the key-sorted params, apiKey included) opens a
 * subscription for that key; then every execution of the key's orders is pushed as
 * `{subscriptionId, event: executionReport}`, followed by an outboundAccountPosition of the assets
 * it touched. Also answers `ping`, `time` and `userDataStream.unsubscribe`.
 */
import type { WebSocket } from 'ws';
import type { GatewayKey, GatewayKeys } from './keys.ts';
import { BinanceError } from './wire/errors.ts';
import { checkSignature, checkTimestamp, wsApiPayload } from './wire/signing.ts';
import { accountPosition, executionReport, type WireExecution } from './wire/spot-wire.ts';

interface Connection {
  readonly ws: WebSocket;
  subscription: { readonly id: number; readonly key: GatewayKey } | undefined;
}

interface ApiRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

type Balances = Readonly<Record<string, { free: string; locked: string }>>;

export class UserStreams {
  private readonly connections = new Set<Connection>();
  private nextSubscriptionId = 0;

  constructor(
    private readonly keys: GatewayKeys,
    private readonly now: () => number,
  ) {}

  attach(ws: WebSocket): void {
    const conn: Connection = { ws, subscription: undefined };
    this.connections.add(conn);
    ws.on('close', () => this.connections.delete(conn));
    ws.on('message', (data: Buffer) => this.request(conn, data.toString('utf8')));
  }

  /** Pushes one execution to every subscription whose key owns the order (`owner` decides). */
  publish(e: WireExecution, owner: (key: GatewayKey) => boolean, balances: (key: GatewayKey) => Balances, assets: readonly string[]): void {
    const now = this.now();
    const report = executionReport(e, now, undefined);
    for (const conn of this.connections) {
      const sub = conn.subscription;
      if (!sub || !owner(sub.key)) continue;
      send(conn.ws, { subscriptionId: sub.id, event: report });
      if (e.exec !== 'TRIGGERED' && assets.length > 0) send(conn.ws, { subscriptionId: sub.id, event: accountPosition(balances(sub.key), assets, now) });
    }
  }

  /** Closes every user stream socket (1001 going away): clients reconnect and subscribe again. */
  dropAll(): void {
    for (const c of this.connections) c.ws.close(1001, 'going away');
  }

  get subscribed(): number {
    return [...this.connections].filter((c) => c.subscription !== undefined).length;
  }

  private request(conn: Connection, text: string): void {
    let req: ApiRequest;
    try {
      req = JSON.parse(text) as ApiRequest;
    } catch {
      return send(conn.ws, { id: null, status: 400, error: { code: -1100, msg: 'Illegal characters found in a parameter.' } });
    }
    const id = req.id ?? null;
    try {
      send(conn.ws, { id, status: 200, result: this.answer(conn, req) });
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      send(conn.ws, { id, status: e.status, error: { code: e.code, msg: e.msg } });
    }
  }

  private answer(conn: Connection, req: ApiRequest): unknown {
    switch (req.method) {
      case 'ping':
        return {};
      case 'time':
        return { serverTime: this.now() };
      case 'userDataStream.subscribe.signature': {
        const key = this.verify(typeof req.params === 'object' && req.params !== null ? (req.params as Record<string, unknown>) : {});
        conn.subscription = { id: this.nextSubscriptionId++, key };
        return { subscriptionId: conn.subscription.id };
      }
      case 'userDataStream.unsubscribe':
        conn.subscription = undefined;
        return {};
      default:
        throw new BinanceError(400, -1020, 'This operation is not supported.');
    }
  }

  private verify(params: Record<string, unknown>): GatewayKey {
    const key = this.keys.find(typeof params['apiKey'] === 'string' ? params['apiKey'] : undefined);
    checkSignature(wsApiPayload(params), typeof params['signature'] === 'string' ? params['signature'] : undefined, key.secret);
    checkTimestamp(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), this.now());
    return key;
  }
}

function send(ws: WebSocket, message: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}
