import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RiskControl } from '../../../src/risk/control/risk-control.ts';
import { createBreakers } from '../../../src/risk/breakers/index.ts';
import { WebhookAlertSink, type WebhookPayload } from '../../../src/risk/alerts/webhook.ts';
import { setup } from '../../engine/fixtures.ts';
import { common } from '../breakers/rig.ts';

interface Hook {
  readonly url: string;
  readonly received: WebhookPayload[];
  requests: number;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A real HTTP server on 127.0.0.1 that answers each request with the next status (then the last). */
async function hook(statuses: number[] = [200]): Promise<Hook> {
  const h: Hook = { url: '', received: [], requests: 0, close: () => Promise.resolve() };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = statuses[Math.min(h.requests, statuses.length - 1)] ?? 200;
      h.requests++;
      if (status === 200) h.received.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(h, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts` });
}

describe('webhook alert sink', () => {
  it('posts a breaker trip as JSON {code, message, context, ts} to a real server', async () => {
    const server = await hook();
    const h = await setup();
    const sink = new WebhookAlertSink(server.url);
    sink.attach(h.engine.bus);
    const control = new RiskControl(h.engine, createBreakers({ order_rate: { ...common(), max_orders_per_minute: 2 } }));
    await control.start();
    await h.engine.submitOrder({ clientOrderId: 'L1', accountId: 'ACC-1', strategyId: 's1', instrumentId: 'ETHUSDT.BINANCE', side: 'BUY', type: 'LIMIT', quantity: '1', price: '1000.00' });
    await h.engine.submitOrder({ clientOrderId: 'L2', accountId: 'ACC-1', strategyId: 's1', instrumentId: 'ETHUSDT.BINANCE', side: 'BUY', type: 'LIMIT', quantity: '1', price: '1000.00' });
    await control.idle();
    await sink.idle();
    const trip = server.received.find((p) => p.code === 'BREAKER_TRIPPED');
    expect(trip).toEqual({
      code: 'BREAKER_TRIPPED',
      message: expect.stringContaining('order_rate tripped on ACCOUNT:ACC-1') as string,
      context: { breaker: 'order_rate', scope: 'ACCOUNT:ACC-1', value: 2, threshold: 2, action: 'HALT' },
      ts: 1_704_153_600_000,
    });
    expect(sink.delivered).toBe(server.received.length);
  });

  it('never posts context keys that look like secrets (apiKey, secret, token, password)', async () => {
    const server = await hook();
    const sink = new WebhookAlertSink(server.url);
    sink.send({ code: 'VENUE_DISCONNECTED', message: 'm', context: { venue: 'BINANCE', apiKey: 'AKIA123', client_secret: 's', accessToken: 't', PASSWORD: 'p', keyId: 'k' }, ts: 5 });
    await sink.idle();
    expect(server.received).toEqual([{ code: 'VENUE_DISCONNECTED', message: 'm', context: { venue: 'BINANCE' }, ts: 5 }]);
  });

  it('retries a server that fails twice (500, 503) and delivers on the 3rd attempt', async () => {
    const server = await hook([500, 503, 200]);
    const sink = new WebhookAlertSink(server.url, { retries: 3, backoffMs: 5 });
    sink.send({ code: 'BREAKER_RESET', message: 'reset', context: {}, ts: 1 });
    await sink.idle();
    expect(server.requests).toBe(3);
    expect(server.received).toHaveLength(1);
    expect(sink).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('a server that always fails gets 1 + 2 retries, is reported, and the engine goes on trading', async () => {
    const server = await hook([500]);
    const failures: string[] = [];
    const h = await setup();
    const sink = new WebhookAlertSink(server.url, { retries: 2, backoffMs: 5, onFailure: (p, e) => failures.push(`${p.code}: ${e.message}`) });
    sink.attach(h.engine.bus);
    h.engine.bus.publish('alert', { code: 'KILL_SWITCH_ENGAGED', message: 'k', context: {}, ts: 1 });
    const r = await h.engine.submitOrder({ clientOrderId: 'M1', accountId: 'ACC-1', strategyId: 's1', instrumentId: 'BTCUSDT.BINANCE', side: 'BUY', type: 'MARKET', quantity: '0.01' });
    expect(r.orders[0]?.status).toBe('FILLED');
    await sink.idle();
    expect(server.requests).toBe(3);
    expect(failures).toEqual(['KILL_SWITCH_ENGAGED: webhook answered 500']);
    expect(h.engine.bus.handlerErrors).toBe(0);
  });

  it('an unreachable server (connection refused) is retried and reported, never thrown', async () => {
    const server = await hook();
    const url = server.url;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const failures: number[] = [];
    const sink = new WebhookAlertSink(url, { retries: 1, backoffMs: 1, timeoutMs: 500, onFailure: (p) => failures.push(p.ts) });
    expect(() => sink.send({ code: 'VENUE_DISCONNECTED', message: 'm', context: {}, ts: 9 })).not.toThrow();
    await sink.idle();
    expect(failures).toEqual([9]);
    expect(sink.failed).toBe(1);
  });
});
