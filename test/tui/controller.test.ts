/**
 * The connection: REST parts read at start and again only when a stream record makes them stale
 * (never on a timer), and a cut stream resumed from the last record seen, nothing lost.
 */
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ApiResult } from '../../src/tui/api.ts';
import { DashController } from '../../src/tui/controller.ts';
import { testServer, type TestServer } from '../server/support.ts';
import { waitFor } from './support.ts';

/** The real client, counting the reads it makes. */
class CountingApi extends ApiClient {
  reads: string[] = [];
  override call(method: string, path: string, body?: unknown): Promise<ApiResult> {
    if (method === 'GET') this.reads.push(path);
    return super.call(method, path, body);
  }
}

let t: TestServer;
beforeAll(async () => {
  // No background replay: nothing moves unless the test acts.
  t = await testServer({ warmSteps: 20 });
});
afterAll(async () => {
  await t.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** A market order (each test its own quantity: the node's clock stands still, and the gate refuses an identical order within a second). */
const order = (quantity: string): Promise<{ status: number; body: { clientOrderId: string } }> =>
  t.call('POST', '/api/orders', { token: t.tokens.trader, body: { instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'MARKET', quantity } });

describe('the dashboard connection', () => {
  it('reads each part once at start, nothing while nothing happens, and the orders again after an order record', async () => {
    const api = new CountingApi(t.url, t.tokens.viewer);
    const c = new DashController(api, () => Date.now());
    c.start();
    try {
      await waitFor('the first load', () => c.current().parts.instruments && c.current().parts.strategies);
      await c.idle();
      expect([...api.reads].sort()).toEqual(['/api/accounts', '/api/advisor/proposals', '/api/advisor/status', '/api/auth/me', '/api/health', '/api/instruments', '/api/market', '/api/orders?status=open', '/api/overview', '/api/positions', '/api/risk', '/api/strategies', '/api/system', '/api/venues']);
      const before = api.reads.length;
      await sleep(2_000);
      expect(api.reads.length).toBe(before);
      const r = await order('0.001');
      expect(r.status).toBe(201);
      await waitFor('the order listed', () => c.current().parts.orders?.some((o) => o.clientOrderId === r.body.clientOrderId));
      expect(api.reads.slice(before)).toContain('/api/orders?status=open');
    } finally {
      c.stop();
    }
  });

  it('resumes a cut stream from the last record seen: the records written meanwhile arrive', async () => {
    const c = new DashController(new ApiClient(t.url, t.tokens.viewer), () => Date.now());
    c.start();
    try {
      await waitFor('live', () => c.current().connection === 'live' && c.current().parts.orders);
      const seen = c.current().lastSeq;
      (c as unknown as { socket: WebSocket }).socket.terminate();
      await waitFor('the cut noticed', () => c.current().connection === 'reconnecting');
      const r = await order('0.002');
      expect(r.status).toBe(201);
      await waitFor('live again', () => c.current().connection === 'live');
      await waitFor('the order made while cut', () => c.current().parts.orders?.some((o) => o.clientOrderId === r.body.clientOrderId));
      const health = (await t.call('GET', '/api/health', { token: t.tokens.viewer })).body as { lastSeq: number };
      await waitFor('every record applied', () => c.current().lastSeq >= health.lastSeq);
      expect(c.current().lastSeq).toBeGreaterThan(seen);
      expect(c.current().records).toBeGreaterThanOrEqual(health.lastSeq - seen - 1);
    } finally {
      c.stop();
    }
  });
});
