import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './support.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
}, 60_000);
afterAll(async () => s?.close());

describe('smoke', () => {
  it('health is public; reads need a credential', async () => {
    const h = await s.call('GET', '/api/health');
    expect(h.status).toBe(200);
    expect(h.body.ok).toBe(true);
    const anon = await s.call('GET', '/api/orders');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('UNAUTHENTICATED');
    const r = await s.call('GET', '/api/orders?status=all', { token: s.tokens.viewer });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
  });
  it('a trader submits; a viewer is refused', async () => {
    const body = { instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '20000.00' };
    const v = await s.call('POST', '/api/orders', { token: s.tokens.viewer, body });
    expect(v.status).toBe(403);
    const t = await s.call('POST', '/api/orders', { token: s.tokens.trader, body });
    expect(t.body).toMatchObject({ status: expect.any(String) });
    expect(t.status).toBe(201);
    const risk = await s.call('GET', '/api/risk', { token: s.tokens.viewer });
    expect(risk.status).toBe(200);
    console.log(JSON.stringify(risk.body).slice(0, 500), JSON.stringify((await s.call('GET', '/api/overview', { token: s.tokens.viewer })).body).slice(0, 300));
  });
});
