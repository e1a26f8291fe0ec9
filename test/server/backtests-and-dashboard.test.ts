/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- the API's JSON answers are checked by the assertions, not by types */
/**
 * Backtests in a worker thread (start, progress, result, HTML report) while the API keeps
 * answering; the dashboard served from its build folder with the SPA fallback; metrics figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../node/support.ts';
import { testServer, type TestServer } from './support.ts';

let s: TestServer;
const web = join(tempDir(), 'dist');
beforeAll(async () => {
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Warden</title><div id="app"></div>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  s = await testServer({ bars: 1500, warmSteps: 5, server: { dashboard: true }, create: { webDist: web } });
}, 60_000);
afterAll(async () => s?.close());

describe('backtests', () => {
  it('runs in a worker: progress, a result, an HTML report; the API answers meanwhile', async () => {
    const r = await s.call('POST', '/api/backtests', { token: s.tokens.trader, body: { strategy: 'sma-cross', params: { fast: 5, slow: 20 } } });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    let info = (await s.call('GET', `/api/backtests/${id}`, { token: s.tokens.viewer })).body;
    expect(['running', 'done']).toContain(info.state);
    const early = await s.call('GET', `/api/backtests/${id}/report`, { token: s.tokens.viewer });
    if (info.state === 'running') expect(early.status).toBe(409);
    const end = Date.now() + 90_000;
    while (info.state === 'running' && Date.now() < end) {
      expect((await s.call('GET', '/api/health')).status).toBe(200);
      await new Promise((res) => setTimeout(res, 200));
      info = (await s.call('GET', `/api/backtests/${id}`, { token: s.tokens.viewer })).body;
      expect(info.progress).toBeGreaterThanOrEqual(0);
      expect(info.progress).toBeLessThanOrEqual(1);
    }
    expect(info.error).toBeUndefined();
    expect(info).toMatchObject({ state: 'done', progress: 1, strategy: 'sma-cross', params: { fast: '5', slow: '20' } });
    expect(info.result.bars).toBe(1500);
    const html = await s.call('GET', `/api/backtests/${id}/report`, { token: s.tokens.viewer });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('<html');
    const list = await s.call('GET', '/api/backtests', { token: s.tokens.viewer });
    expect(list.body.map((b: { id: string }) => b.id)).toContain(id);
  }, 120_000);

  it('an unknown strategy or data file is 400; an unknown backtest 404', async () => {
    expect((await s.call('POST', '/api/backtests', { token: s.tokens.trader, body: { strategy: 'nope' } })).body.error.context.field).toBe('body.strategy');
    expect((await s.call('POST', '/api/backtests', { token: s.tokens.trader, body: { strategy: 'sma-cross', data: 'missing.csv' } })).status).toBe(400);
    expect((await s.call('GET', '/api/backtests/none', { token: s.tokens.viewer })).status).toBe(404);
  });
});

describe('dashboard', () => {
  it('serves web/dist at /, its files, and index.html for any other non-API path; /api stays JSON 404', async () => {
    const root = await fetch(`${s.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<title>Warden</title>');
    expect(await (await fetch(`${s.url}/assets/app.js`)).text()).toBe('console.log(1)');
    const deep = await fetch(`${s.url}/orders/blotter`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('id="app"');
    const api = await s.call('GET', '/api/nothing', { token: s.tokens.viewer });
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('NOT_FOUND');
  });
});

describe('metrics', () => {
  it('orders, denials by code and request latency are counted', async () => {
    const px = Number(s.node.engine.portfolio.quote('BTCUSDT.BINANCEUS' as never)?.last?.toString());
    await s.call('POST', '/api/orders', { token: s.tokens.trader, body: { instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: (px * 0.5).toFixed(2) } });
    const m = (await s.call('GET', '/metrics', { token: s.tokens.viewer })).text;
    expect(m).toMatch(/warden_orders_total\{origin="OPERATOR"\} [1-9]/);
    expect(m).toMatch(/warden_denials_total\{code="PRICE_OUTSIDE_COLLAR"\} [1-9]/);
    expect(m).toMatch(/warden_http_request_seconds_count\{method="POST",route="\/api\/orders",status="409"\} 1/);
    expect(m).toContain('warden_kill_switch_engaged 0');
  });
});
