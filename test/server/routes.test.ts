/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- the API's JSON answers are checked by the assertions, not by types */
/**
 * Every route against the real server over a real paper node (static after a warm-up, so the
 * figures are deterministic): happy path and validation errors (FAULTS 9: a precise error naming
 * the field, nothing changed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../src/server/access.ts';
import { testServer, type TestServer } from './support.ts';

let s: TestServer;
let px: number;
const INST = 'BTCUSDT.BINANCEUS';
beforeAll(async () => {
  s = await testServer({ warmSteps: 30 });
  px = Number(s.node.engine.portfolio.quote(INST as never)?.last?.toString());
}, 60_000);
afterAll(async () => s?.close());

const limitBuy = (over: Record<string, unknown> = {}) => ({ instrumentId: INST, side: 'BUY', type: 'LIMIT', quantity: '0.001', price: (px - 3).toFixed(2), ...over });

describe('reads', () => {
  it('health (no credentials): ok, the node and its last seq', async () => {
    const r = await s.call('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, node: 'paper-1', mode: 'paper' });
    expect(r.body.lastSeq).toBeGreaterThan(0);
  });

  it('instruments, accounts (decimals as strings), venues, positions', async () => {
    const t = s.tokens.viewer;
    const inst = await s.call('GET', '/api/instruments', { token: t });
    expect(inst.body.map((i: { id: string }) => i.id).sort()).toEqual(['BTCUSDC.BINANCEUS', 'BTCUSDT.BINANCEUS']);
    expect(inst.body[0].tickSize).toBe('0.01');
    const acc = await s.call('GET', '/api/accounts', { token: t });
    const acc1 = acc.body.find((a: { accountId: string }) => a.accountId === 'ACC-1');
    expect(acc1.balances[0]).toMatchObject({ currency: 'USDT', total: expect.stringMatching(/^\d+\.\d+$/) });
    const v = await s.call('GET', '/api/venues', { token: t });
    expect(v.body).toEqual([expect.objectContaining({ venue: 'BINANCEUS', connected: true })]);
    const p = await s.call('GET', '/api/positions', { token: t });
    expect(p.status).toBe(200);
    expect(Array.isArray(p.body)).toBe(true);
  });

  it('overview: equity curve in the accounts currency, exposure, drawdown', async () => {
    const r = await s.call('GET', '/api/overview', { token: s.tokens.viewer });
    expect(r.status).toBe(200);
    expect(r.body.currency).toBe('USDT');
    expect(r.body.equity.length).toBeGreaterThan(0);
    expect(r.body.equity[0].value).toMatch(/^\d+\.\d+$/);
    expect(r.body.exposure).toEqual({ gross: expect.any(String), net: expect.any(String) });
    expect(r.body.drawdown).toBeGreaterThanOrEqual(0);
  });

  it('risk: kill switch off, breakers listed with figures', async () => {
    const r = await s.call('GET', '/api/risk', { token: s.tokens.viewer });
    expect(r.body.killSwitch).toEqual({ engaged: false });
    expect(Array.isArray(r.body.tradingStates)).toBe(true);
    const names = r.body.breakers.map((b: { name: string }) => b.name);
    expect(names).toContain('daily_loss');
    expect(r.body.breakers.find((b: { name: string }) => b.name === 'daily_loss')).toMatchObject({ state: 'CLOSED', limit: expect.anything() });
    // risk.example.yaml's breakers, each measured in its scope after the warm-up: a figure against its limit.
    const drawdown = (r.body.breakers as { name: string; scope: string; state: string; value: number; limit: number; ratio: number }[]).find((b) => b.name === 'drawdown');
    expect(drawdown).toMatchObject({ scope: 'FIRM', state: 'CLOSED', limit: 10 });
    expect(drawdown!.ratio).toBeCloseTo(drawdown!.value / 10, 9);
  });

  it('journal by sequence and its validation', async () => {
    const r = await s.call('GET', '/api/journal?from=1&limit=5', { token: s.tokens.viewer });
    expect(r.body.records.map((x: { seq: number }) => x.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(typeof r.body.records[0].event.kind).toBe('string');
    const bad = await s.call('GET', '/api/journal?from=-3', { token: s.tokens.viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', context: { field: 'querystring.from' } });
  });

  it('alerts and audit: newest first, limit validated', async () => {
    expect((await s.call('GET', '/api/alerts?limit=5', { token: s.tokens.viewer })).status).toBe(200);
    expect((await s.call('GET', '/api/alerts?limit=0', { token: s.tokens.viewer })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await s.call('GET', '/api/audit', { token: s.tokens.viewer })).status).toBe(200);
  });

  it('strategies: both configured, running, with parameters', async () => {
    const r = await s.call('GET', '/api/strategies', { token: s.tokens.viewer });
    expect(r.body.map((x: { id: string; state: string }) => [x.id, x.state])).toEqual([
      ['sma-btcusdt', 'running'],
      ['bb-btcusdc', 'running'],
    ]);
    expect(r.body[0].parameters).toMatchObject({ fast: '60', slow: '240' });
  });

  it('me, metrics (auth), unknown route 404 with the error shape', async () => {
    expect((await s.call('GET', '/api/auth/me', { token: s.tokens.risk })).body).toEqual({ name: 'rita', kind: 'user', roles: ['risk'] });
    const m = await s.call('GET', '/metrics', { token: s.tokens.viewer });
    expect(m.text).toContain('warden_orders_total');
    expect(m.text).toContain('warden_ws_clients');
    expect((await s.call('GET', '/metrics')).status).toBe(401);
    const nf = await s.call('GET', '/api/nothing', { token: s.tokens.viewer });
    expect(nf.status).toBe(404);
    expect(nf.body.error.code).toBe('NOT_FOUND');
  });

  it('security headers on every answer; CORS closed (no allow-origin for a foreign origin)', async () => {
    const r = await s.call('GET', '/api/health', { headers: { origin: 'https://evil.example' } });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('orders', () => {
  it('check: allowed for an order inside the limits, the denial code for one outside (nothing journaled)', async () => {
    const before = s.node.records.lastSeq();
    const ok = await s.call('POST', '/api/orders/check', { token: s.tokens.trader, body: limitBuy() });
    expect(ok.body).toEqual({ allowed: true });
    const far = await s.call('POST', '/api/orders/check', { token: s.tokens.trader, body: limitBuy({ price: (px * 0.5).toFixed(2) }) });
    expect(far.body).toMatchObject({ allowed: false, code: 'PRICE_OUTSIDE_COLLAR', context: { which: 'limit' } });
    const big = await s.call('POST', '/api/orders/check', { token: s.tokens.trader, body: limitBuy({ quantity: '500' }) });
    expect(big.body).toMatchObject({ allowed: false, code: 'MAX_ORDER_QUANTITY_EXCEEDED' });
    expect(s.node.records.lastSeq()).toBe(before);
  });

  it('submit (201), read it, modify it, cancel it', async () => {
    const r = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-1' }) });
    expect(r.status).toBe(201);
    expect(r.body.clientOrderId).toBe('api-1');
    const one = await s.call('GET', '/api/orders/api-1', { token: s.tokens.viewer });
    expect(one.body).toMatchObject({ clientOrderId: 'api-1', side: 'BUY', type: 'LIMIT', quantity: '0.00100', accountId: 'ACC-1' });
    expect(s.node.engine.order('api-1')?.spec).toBeDefined();
    const open = await s.call('GET', '/api/orders?status=all', { token: s.tokens.viewer });
    expect(open.body.some((o: { clientOrderId: string }) => o.clientOrderId === 'api-1')).toBe(true);
    const mod = await s.call('PATCH', '/api/orders/api-1', { token: s.tokens.trader, body: { quantity: '0.002' } });
    expect([200, 409]).toContain(mod.status);
    const del = await s.call('DELETE', '/api/orders/api-1', { token: s.tokens.trader });
    expect([200, 409]).toContain(del.status);
    expect(del.status === 200 ? del.body.clientOrderId : del.body.error.code).toBe(del.status === 200 ? 'api-1' : 'ORDER_NOT_OPEN');
  });

  it('a gate denial is 409 with its code, message and context, and is journaled as OrderDenied', async () => {
    const r = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-far', price: (px * 0.5).toFixed(2) }) });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'PRICE_OUTSIDE_COLLAR', message: expect.stringContaining('collar'), context: { clientOrderId: 'api-far', which: 'limit' } });
    const denied = (await s.call('GET', '/api/journal?from=1&limit=10000', { token: s.tokens.viewer })).body.records.filter((x: { event: { kind: string; clientOrderId?: string } }) => x.event.kind === 'OrderDenied' && x.event.clientOrderId === 'api-far');
    expect(denied).toHaveLength(1);
  });

  it('a submit is audited once, in the order\'s own commit: right after its events, OK or DENIED with the code', async () => {
    const journal = async () => (await s.call('GET', '/api/journal?from=1&limit=10000', { token: s.tokens.viewer })).body.records as { seq: number; event: { kind: string; clientOrderId?: string; spec?: { clientOrderId: string }; target?: string; outcome?: string; code?: string } }[];
    // Each append to the node's journal is one commit: its events' kinds, kept in order.
    const journalOf = s.node.records as unknown as { append(records: readonly { event: { kind: string } }[]): unknown };
    const append = journalOf.append.bind(journalOf);
    const commits: string[][] = [];
    journalOf.append = (records) => {
      commits.push(records.map((r) => r.event.kind));
      return append(records);
    };
    try {
      const ok = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-aud', quantity: '0.00137' }) });
      expect(ok.status).toBe(201);
      const far = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-aud-far', price: (px * 0.5).toFixed(2) }) });
      expect(far.status).toBe(409);
    } finally {
      journalOf.append = append;
    }
    expect(commits.filter((c) => c.includes('AuditRecorded'))).toEqual([
      ['OrderInitialized', 'OrderSubmitted', 'AuditRecorded'],
      ['OrderInitialized', 'OrderDenied', 'AuditRecorded'],
    ]);
    const recs = await journal();
    for (const [id, outcome, code] of [['api-aud', 'OK', undefined], ['api-aud-far', 'DENIED', 'PRICE_OUTSIDE_COLLAR']] as const) {
      const audits = recs.filter((r) => r.event.kind === 'AuditRecorded' && r.event.target === id);
      expect(audits, id).toHaveLength(1);
      expect(audits[0]!.event).toMatchObject({ principal: 'user:tom', action: 'POST /api/orders', outcome, ...(code ? { code } : {}) });
      expect(audits[0]!.event.code).toBe(code);
      // The order's events of the command, then its audit: one commit (nothing else in between).
      const init = recs.find((r) => r.event.kind === 'OrderInitialized' && r.event.spec?.clientOrderId === id)!;
      const second = recs.find((r) => r.seq === init.seq + 1)!;
      expect(second.event).toMatchObject({ kind: outcome === 'OK' ? 'OrderSubmitted' : 'OrderDenied', clientOrderId: id });
      expect(audits[0]!.seq).toBe(init.seq + 2);
    }
    // Bad input never reaches the journal as an order: the guard audits it after the answer.
    const bad = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-aud-bad', accountId: 'NOPE' }) });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    const badAudits = (await journal()).filter((r) => r.event.kind === 'AuditRecorded' && r.event.target === 'api-aud-bad');
    expect(badAudits.map((r) => r.event.outcome)).toEqual([expect.stringMatching(/^(INVALID|ERROR)$/)]);
  });

  it('a modify, a cancel and a cancel-all carry their audit record into their own commit; a modify the gate denies is 409 and audited DENIED', async () => {
    const journalOf = s.node.records as unknown as { append(records: readonly { event: { kind: string } }[]): unknown };
    const append = journalOf.append.bind(journalOf);
    const commits: string[][] = [];
    const placed = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-mod', quantity: '0.00141' }) });
    expect(placed.status).toBe(201);
    const placed2 = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-mod-2', quantity: '0.00143', side: 'BUY' }) });
    expect(placed2.status).toBe(201);
    journalOf.append = (records) => {
      commits.push(records.map((r) => r.event.kind));
      return append(records);
    };
    try {
      const far = await s.call('PATCH', '/api/orders/api-mod', { token: s.tokens.trader, body: { price: (px * 0.5).toFixed(2) } });
      expect(far.status).toBe(409);
      expect(far.body.error.code).toBe('PRICE_OUTSIDE_COLLAR');
      const mod = await s.call('PATCH', '/api/orders/api-mod', { token: s.tokens.trader, body: { quantity: '0.00142' } });
      expect(mod.status).toBe(200);
      const del = await s.call('DELETE', '/api/orders/api-mod', { token: s.tokens.trader });
      expect(del.status).toBe(200);
      const all = await s.call('DELETE', `/api/orders?instrumentId=${INST}&side=BUY`, { token: s.tokens.trader });
      expect(all.status).toBe(200);
    } finally {
      journalOf.append = append;
    }
    const audited = commits.filter((c) => c.includes('AuditRecorded'));
    expect(audited.map((c) => c.at(-1))).toEqual(['AuditRecorded', 'AuditRecorded', 'AuditRecorded', 'AuditRecorded']);
    expect(audited[0]).toEqual(['OrderModifyRejected', 'AuditRecorded']);
    expect(audited[1]).toEqual(['OrderPendingUpdate', 'AuditRecorded']);
    expect(audited[2]).toEqual(['OrderPendingCancel', 'AuditRecorded']);
    expect(audited[3]).toContain('OrderPendingCancel');
    const recs = (await s.call('GET', '/api/journal?from=1&limit=10000', { token: s.tokens.viewer })).body.records as { event: { kind: string; action?: string; target?: string; outcome?: string; code?: string } }[];
    const audits = recs.filter((r) => r.event.kind === 'AuditRecorded' && (r.event.target === 'api-mod' || r.event.action === 'DELETE /api/orders')).map((r) => [r.event.action, r.event.outcome, r.event.code]);
    expect(audits.slice(-4)).toEqual([
      ['PATCH /api/orders/:id', 'DENIED', 'PRICE_OUTSIDE_COLLAR'],
      ['PATCH /api/orders/:id', 'OK', undefined],
      ['DELETE /api/orders/:id', 'OK', undefined],
      ['DELETE /api/orders', 'OK', undefined],
    ]);
  });

  it('the order is journaled with the operator as its origin', async () => {
    await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'api-origin' }) });
    const recs = (await s.call('GET', '/api/journal?from=1&limit=10000', { token: s.tokens.viewer })).body.records;
    const init = recs.find((x: { event: { kind: string; spec?: { clientOrderId: string } } }) => x.event.kind === 'OrderInitialized' && x.event.spec?.clientOrderId === 'api-origin');
    expect(init.event.origin).toBe('OPERATOR:user:tom');
  });

  it('validation (FAULTS 9): each malformed field named, no order journaled', async () => {
    const orders = () => [...s.node.engine.state.orders.keys()].length;
    const before = orders();
    const cases: [Record<string, unknown>, string, string][] = [
      [limitBuy({ quantity: 'abc' }), 'VALIDATION_FAILED', 'body.quantity'],
      [limitBuy({ side: 'UP' }), 'VALIDATION_FAILED', 'body.side'],
      [limitBuy({ type: 'MOON' }), 'VALIDATION_FAILED', 'body.type'],
      [limitBuy({ extra: 1 }), 'VALIDATION_FAILED', 'body'],
      [{ side: 'BUY', type: 'LIMIT', quantity: '1', price: '1' }, 'VALIDATION_FAILED', 'body.instrumentId'],
    ];
    for (const [body, code, field] of cases) {
      const r = await s.call('POST', '/api/orders', { token: s.tokens.trader, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.context.field).toBe(field);
      expect(r.body.error.message.length).toBeGreaterThan(5);
    }
    const grid = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ quantity: '0.0000001' }) });
    expect(grid.status).toBe(400);
    expect(grid.body.error.code).toMatch(/PRECISION_EXCEEDED|OFF_LOT_GRID/);
    const noPrice = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: { instrumentId: INST, side: 'BUY', type: 'LIMIT', quantity: '0.001' } });
    expect(noPrice.body.error.code).toBe('MISSING_PRICE');
    const unknown = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ instrumentId: 'NOPE.BINANCEUS' }) });
    expect([400, 404]).toContain(unknown.status);
    expect(unknown.body.error.code).toBe('UNKNOWN_INSTRUMENT');
    const notJson = await fetch(`${s.url}/api/orders`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.trader}`, 'content-type': 'application/json' }, body: '{"quantity":' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    expect(orders()).toBe(before);
  });

  it('unknown order: 404 on read, modify and cancel', async () => {
    expect((await s.call('GET', '/api/orders/none', { token: s.tokens.viewer })).status).toBe(404);
    expect((await s.call('PATCH', '/api/orders/none', { token: s.tokens.trader, body: { price: '1' } })).body.error.code).toBe('UNKNOWN_ORDER');
    expect((await s.call('DELETE', '/api/orders/none', { token: s.tokens.trader })).status).toBe(404);
    expect((await s.call('PATCH', '/api/orders/none', { token: s.tokens.trader, body: {} })).status).toBe(400);
  });

  it('order lists: an OCO of two limits; a bracket; a malformed list is 400', async () => {
    const a = limitBuy({ clientOrderId: 'oco-a', price: (px - 2.5).toFixed(2) });
    // A sell of BTC the account does not hold: the list is denied, with the code and the leg, and the engine goes on.
    const sell = { ...limitBuy({ clientOrderId: 'oco-s' }), side: 'SELL', price: (px + 3).toFixed(2) };
    const denied = await s.call('POST', '/api/order-lists', { token: s.tokens.trader, body: { kind: 'oco', orders: [limitBuy({ clientOrderId: 'oco-x', price: (px - 1).toFixed(2) }), sell] } });
    expect(denied.status).toBe(409);
    expect(denied.body.error.code).toBe('INSUFFICIENT_BUYING_POWER');
    const b = limitBuy({ clientOrderId: 'oco-b', price: (px - 3.5).toFixed(2) });
    const oco = await s.call('POST', '/api/order-lists', { token: s.tokens.trader, body: { kind: 'oco', orders: [a, b] } });
    expect(oco.status, JSON.stringify(oco.body)).toBe(201);
    expect(oco.body.clientOrderIds).toEqual(['oco-a', 'oco-b']);
    const br = await s.call('POST', '/api/order-lists', {
      token: s.tokens.trader,
      body: { kind: 'bracket', entry: limitBuy({ clientOrderId: 'br-1', price: (px - 2).toFixed(2) }), takeProfitPrice: (px + 4).toFixed(2), stopLossTriggerPrice: (px - 4).toFixed(2) },
    });
    expect(br.status, JSON.stringify(br.body)).toBe(201);
    const bad = await s.call('POST', '/api/order-lists', { token: s.tokens.trader, body: { kind: 'oco', orders: [a] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.context.field).toMatch(/^body/);
  });

  it('algos: an iceberg starts and is listed, then canceled; a TWAP without endTime is 400', async () => {
    const r = await s.call('POST', '/api/algos', { token: s.tokens.trader, body: { kind: 'iceberg', instrumentId: INST, side: 'BUY', quantity: '0.004', displayQuantity: '0.001', price: (px - 1.5).toFixed(2), parentId: 'ice-1' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.parentId).toBe('ice-1');
    const list = await s.call('GET', '/api/algos', { token: s.tokens.viewer });
    expect(list.body.map((x: { parentId: string }) => x.parentId)).toContain('ice-1');
    expect((await s.call('DELETE', '/api/algos/ice-1', { token: s.tokens.trader })).status).toBe(200);
    expect((await s.call('POST', '/api/algos', { token: s.tokens.trader, body: { kind: 'twap', instrumentId: INST, side: 'BUY', quantity: '0.01', slices: 3 } })).body.error.context.field).toBe('body.endTime');
  });

  it('cancel all of an instrument and side', async () => {
    await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'ca-1', price: (px - 4).toFixed(2) }) });
    const r = await s.call('DELETE', `/api/orders?instrumentId=${INST}&side=BUY`, { token: s.tokens.trader });
    expect(r.status).toBe(200);
    expect(r.body.requested).toBeGreaterThan(0);
    expect((await s.call('DELETE', '/api/orders?side=UP', { token: s.tokens.trader })).status).toBe(400);
  });
});

describe('positions, strategies, risk', () => {
  it('close and reverse: 404 without a position; validation names the field', async () => {
    const r = await s.call('POST', '/api/positions/close', { token: s.tokens.trader, body: { accountId: 'ACC-9', instrumentId: INST } });
    expect(r.status).toBe(404);
    const bad = await s.call('POST', '/api/positions/reverse', { token: s.tokens.trader, body: { accountId: 'ACC-1' } });
    expect(bad.body.error.context.field).toBe('body.instrumentId');
  });

  it('strategy pause, resume, stop, parameters (only stopped), start; wrong state 409; unknown 404', async () => {
    const t = s.tokens.trader;
    expect((await s.call('POST', '/api/strategies/bb-btcusdc/pause', { token: t })).body.state).toBe('paused');
    expect((await s.call('POST', '/api/strategies/bb-btcusdc/pause', { token: t })).body.error.code).toBe('STRATEGY_NOT_RUNNING');
    expect((await s.call('PATCH', '/api/strategies/bb-btcusdc/parameters', { token: t, body: { k: 3 } })).status).toBe(409);
    expect((await s.call('POST', '/api/strategies/bb-btcusdc/resume', { token: t })).body.state).toBe('running');
    expect((await s.call('POST', '/api/strategies/bb-btcusdc/stop', { token: t })).body.state).toBe('stopped');
    const p = await s.call('PATCH', '/api/strategies/bb-btcusdc/parameters', { token: t, body: { k: 3 } });
    expect(p.body.parameters.k).toBe('3');
    expect((await s.call('POST', '/api/strategies/bb-btcusdc/start', { token: t })).body).toMatchObject({ state: 'running', parameters: { k: '3' } });
    expect((await s.call('POST', '/api/strategies/nope/pause', { token: t })).body.error.code).toBe('UNKNOWN_STRATEGY');
  });

  it('trading state, breaker reset (404 unknown), kill switch engage → orders denied KILL_SWITCH_ENGAGED → reset', async () => {
    const st = await s.call('PUT', '/api/risk/trading-state', { token: s.tokens.risk, body: { scope: 'ACCOUNT:ACC-2', state: 'REDUCING', reason: 'test' } });
    expect(st.body).toEqual({ scope: 'ACCOUNT:ACC-2', state: 'REDUCING' });
    expect((await s.call('PUT', '/api/risk/trading-state', { token: s.tokens.risk, body: { scope: 'ACCOUNT:ACC-2', state: 'ACTIVE', reason: 'done' } })).body.state).toBe('ACTIVE');
    expect((await s.call('PUT', '/api/risk/trading-state', { token: s.tokens.risk, body: { scope: 'MOON', state: 'ACTIVE', reason: 'x' } })).body.error.context.field).toBe('body.scope');
    expect((await s.call('POST', '/api/risk/breakers/nope/reset', { token: s.tokens.risk, body: {} })).status).toBe(404);
    expect((await s.call('POST', '/api/risk/kill-switch', { token: s.tokens.trader, body: {} })).body.error.context.field).toBe('body.reason');
    const working = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy({ clientOrderId: 'before-kill', price: (px - 4.5).toFixed(2) }) });
    expect(working.status).toBe(201);
    const k = await s.call('POST', '/api/risk/kill-switch', { token: s.tokens.trader, body: { reason: 'drill' } });
    expect(k.body).toEqual({ engaged: true });
    const risk = await s.call('GET', '/api/risk', { token: s.tokens.viewer });
    expect(risk.body.killSwitch).toMatchObject({ engaged: true, by: 'user:tom', reason: 'drill' });
    expect(['PENDING_CANCEL', 'CANCELED']).toContain(s.node.engine.order('before-kill')?.status);
    const d = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: limitBuy() });
    expect(d.status).toBe(409);
    expect(d.body.error.code).toBe('KILL_SWITCH_ENGAGED');
    expect((await s.call('POST', '/api/risk/kill-switch/reset', { token: s.tokens.trader, body: { reason: 'no' } })).status).toBe(403);
    expect((await s.call('POST', '/api/risk/kill-switch/reset', { token: s.tokens.risk, body: { reason: 'drill over' } })).body).toEqual({ engaged: false });
  });
});

describe('admin and docs', () => {
  it('users and keys: add, list, a key shown once, revoke, remove', async () => {
    const a = s.tokens.admin;
    expect((await s.call('POST', '/api/users', { token: a, body: { name: 'newbie', password: 'a long enough password', roles: ['viewer'] } })).status).toBe(201);
    expect((await s.call('POST', '/api/users', { token: a, body: { name: 'x', password: 'a long enough password', roles: ['god'] } })).body.error.context.field).toMatch(/^body\.roles/);
    const users = await s.call('GET', '/api/users', { token: a });
    expect(users.body.map((u: { name: string }) => u.name)).toContain('newbie');
    expect(users.text).not.toContain('a long enough password');
    const k = await s.call('POST', '/api/keys', { token: a, body: { name: 'bot', roles: ['viewer'] } });
    expect(k.status).toBe(201);
    const keys = await s.call('GET', '/api/keys', { token: a });
    expect(keys.text).not.toContain(k.body.key);
    expect((await s.call('DELETE', `/api/keys/${k.body.id}`, { token: a })).status).toBe(200);
    expect((await s.call('DELETE', '/api/users/newbie', { token: a })).status).toBe(200);
    expect((await s.call('DELETE', '/api/users/newbie', { token: a })).status).toBe(404);
  });

  it('the OpenAPI document is OpenAPI 3 and lists every route of the table; /docs serves the UI', async () => {
    const doc = (await s.call('GET', '/docs/json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    // The event stream is a WebSocket: OpenAPI 3.0 cannot describe it (it is in API-CONTRACT.md).
    for (const r of ROUTE_TABLE.filter((x) => x.url !== '/api/stream')) {
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      expect(paths[p]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    const orders = paths['/api/orders']!.post as { requestBody?: unknown };
    expect(orders.requestBody).toBeDefined();
    const ui = await fetch(`${s.url}/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
  });
});
