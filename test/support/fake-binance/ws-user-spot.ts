/**
 * Binance spot user data through the WebSocket API (`/ws-api/v3`), as ccxt.pro 4.5.84 uses it:
 * `userDataStream.subscribe.signature` (HMAC over the key-sorted params, apiKey included), then
 * `{subscriptionId, event}` pushes of executionReport and outboundAccountPosition. Also answers
 * `ping`, `time` and `userDataStream.unsubscribe`.
 */
import type { FakeExecution } from '../fake-venue/matching.ts';
import { BinanceError, MSG } from './errors.ts';
import { checkSignature, checkTimestamp, wsApiPayload } from '../../../src/server/gateway/wire/signing.ts';
import { ReportSequencer, type BinanceSocket } from './sockets.ts';
import { accountPosition, executionReport } from '../../../src/server/gateway/wire/spot-wire.ts';
import type { BinanceVenue } from './venue.ts';

interface ApiConnection {
  readonly socket: BinanceSocket;
  readonly sequencer: ReportSequencer;
  subscriptionId: number | undefined;
}

interface ApiRequest {
  id?: unknown;
  method?: string;
  params?: Record<string, unknown>;
}

const RATE_LIMITS = [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 }];

export class SpotUserStream {
  private readonly connections = new Set<ApiConnection>();
  private nextSubscriptionId = 0;

  constructor(private readonly venue: BinanceVenue) {
    venue.matching.onExecution((e) => this.publish(e));
  }

  attach(socket: BinanceSocket): void {
    const conn: ApiConnection = { socket, sequencer: new ReportSequencer(this.venue.faults), subscriptionId: undefined };
    this.connections.add(conn);
    socket.ws.on('close', () => this.connections.delete(conn));
    socket.ws.on('message', (data: Buffer) => this.request(conn, data.toString('utf8')));
  }

  private request(conn: ApiConnection, text: string): void {
    let req: ApiRequest;
    try {
      req = JSON.parse(text) as ApiRequest;
    } catch {
      return conn.socket.send({ id: null, status: 400, error: { code: -1100, msg: 'Illegal characters found in a parameter.' } });
    }
    const id = req.id ?? null;
    try {
      const result = this.answer(conn, req);
      conn.socket.send({ id, status: 200, result, rateLimits: RATE_LIMITS });
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      conn.socket.send({ id, status: e.status, error: { code: e.code, msg: e.msg }, rateLimits: RATE_LIMITS });
    }
  }

  private answer(conn: ApiConnection, req: ApiRequest): unknown {
    switch (req.method) {
      case 'ping':
        return {};
      case 'time':
        return { serverTime: this.venue.now() };
      case 'userDataStream.subscribe.signature':
        this.verify(req.params ?? {});
        conn.subscriptionId = this.nextSubscriptionId++;
        return { subscriptionId: conn.subscriptionId };
      case 'userDataStream.unsubscribe':
        conn.subscriptionId = undefined;
        return {};
      default:
        throw new BinanceError(400, -1020, 'This operation is not supported.');
    }
  }

  /** The WebSocket API's signature: HMAC-SHA256 over the params sorted by key, apiKey included. */
  private verify(params: Record<string, unknown>): void {
    const apiKey = params['apiKey'];
    if (typeof apiKey !== 'string' || apiKey === '') throw new BinanceError(401, -2014, MSG.keyFormat);
    if (apiKey !== this.venue.o.apiKey) throw new BinanceError(401, -2015, MSG.badKey);
    const signature = typeof params['signature'] === 'string' ? params['signature'] : undefined;
    checkSignature(wsApiPayload(params), signature, this.venue.o.secret);
    checkTimestamp(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), this.venue.now());
  }

  private publish(e: FakeExecution): void {
    const now = this.venue.now();
    const report = executionReport(e, now, this.venue.cancelIds.get(e.order.orderId));
    const m = this.venue.matching.market(e.order.symbol);
    const touched = e.exec === 'TRIGGERED' || !m ? [] : [m.base, m.quote];
    const position = touched.length ? accountPosition(this.venue.matching.balances(this.venue.account), touched, now) : undefined;
    for (const conn of this.connections) {
      const sub = conn.subscriptionId;
      if (sub === undefined) continue;
      conn.sequencer.push(() => conn.socket.send({ subscriptionId: sub, event: report }));
      if (position) conn.socket.send({ subscriptionId: sub, event: position });
    }
  }
}
