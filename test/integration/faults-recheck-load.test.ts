/**
 * FAULTS.md 10, 11 and 14 re-checked end to end after issue 11, on the whole stack
 * (test/integration/stack.ts): risk.example.yaml as shipped (throttles 20 submits and 20 modifies
 * a second per strategy and per account, hard limit 2×; order_rate 120 a minute; repeated
 * executions 20 fills in 10 s, manual reset) behind guardedEngine, strategies through their
 * StrategyContext. Unit-level versions: test/risk/gate/state-and-flow.test.ts and
 * test/risk/integration/guarded-engine.test.ts (10, that one with breakers off),
 * test/risk/gate/order-lists.test.ts (10, lists), test/risk/breakers/flow-breakers.test.ts (11),
 * test/risk/breakers/restart.test.ts (14, one breaker on a bare rig).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { StrategyContext } from '../../src/backtest/strategy.ts';
import { strategyOrigin } from '../../src/engine/origin.ts';
import type { OrderRequest } from '../../src/model/orders/factory.ts';
import { BTC, exampleConfig, startStack, type Stack } from './stack.ts';

const limitBuy = (ctx: StrategyContext, qty: string, px: string) => ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: qty, price: px });
/** Distinct prices 39,998.00 + i cents (inside the 2.00 collar for i ≤ 200), so no two orders are duplicates. */
const px = (i: number) => (39998 + (i % 200) / 100).toFixed(2);

describe('FAULTS 10: message bursts above the submit/modify/cancel throttles → denied with RATE_LIMIT codes; above the hard limit the strategy is halted', () => {
  it('45 submits in one second: 1-20 pass, 21-41 are RATE_LIMIT_EXCEEDED, the 41st (beyond 2×) halts the strategy at once: 42-45 and its next orders are TRADING_HALTED; it cannot lift that, an operator can', async () => {
    const s = await startStack();
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('burst');
    const codes: string[] = [];
    for (let i = 0; i < 45; i++) codes.push((await limitBuy(ctx, '0.01', px(i))).denied[0]?.code ?? 'OK');
    await s.settle();
    const n = <T>(k: number, v: T): T[] => Array.from({ length: k }, () => v);
    expect(codes).toEqual([...n(20, 'OK'), ...n(21, 'RATE_LIMIT_EXCEEDED'), ...n(4, 'TRADING_HALTED')]);
    const halts = s.events.flatMap((e) => (e.kind === 'OrderDenied' && e.code === 'RATE_LIMIT_EXCEEDED' ? [e.context.halt] : []));
    expect(halts).toEqual([...n(20, false), true]);
    expect(s.placed.size).toBe(20);
    expect(s.engine.risk.stateOf('STRATEGY:burst')).toBe('HALTED');
    s.clock.advance(2_000);
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await limitBuy(ctx, '0.02', px(50))).denied.map((d) => d.code)).toEqual(['TRADING_HALTED']);
    // Another strategy trades on: the halt is burst's.
    expect((await limitBuy(s.strategy('calm', 'ACC-2'), '0.02', px(51))).denied).toEqual([]);
    expect(Object.keys(ctx)).not.toContain('engine');
    // Halted, it may still cancel (one of its 20 working orders, so the 20-open-orders limit leaves room).
    expect((await ctx.cancel('burst-1')).denied).toEqual([]);
    expect((await limitBuy(ctx, '0.03', px(53))).denied.map((d) => d.code)).toEqual(['TRADING_HALTED']);
    await s.control.setTradingState('STRATEGY:burst', 'ACTIVE', { operator: s.operator, reason: 'burst understood' });
    expect((await limitBuy(ctx, '0.02', px(52))).denied).toEqual([]);
  });

  it('41 modifies of one order in one second: 20 go to the venue, the 21st-41st are refused RATE_LIMIT_EXCEEDED, the 41st halts the strategy', async () => {
    const s = await startStack();
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('fiddler');
    const id = (await limitBuy(ctx, '0.01', px(0))).clientOrderIds[0]!;
    const codes: string[] = [];
    for (let i = 1; i <= 41; i++) codes.push((await ctx.modify(id, { price: px(i) })).denied[0]?.code ?? 'OK');
    await s.settle();
    expect(codes.filter((c) => c === 'OK')).toHaveLength(20);
    expect(codes.slice(20)).toEqual(Array.from({ length: 21 }, () => 'RATE_LIMIT_EXCEEDED'));
    expect(s.engine.order(id)?.price?.toString()).toBe(px(20));
    expect(s.ex.workingOrders()[0]?.priceTicks).toBe(Math.round(Number(px(20)) * 100));
    expect(s.engine.risk.stateOf('STRATEGY:fiddler')).toBe('HALTED');
  });

  it('an order list of 45 BUY 0.01 counts 45 submits: the list is denied (RATE_LIMIT_EXCEEDED from its 21st order), nothing reaches the venue, and the strategy is HALTED', async () => {
    const s = await startStack();
    s.quote('39999.99', '40000.01', '40000.00');
    const orders: OrderRequest[] = Array.from({ length: 45 }, (_, i) => ({ clientOrderId: `LIST-${i + 1}`, accountId: 'ACC-1', strategyId: 'lister', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: px(i) }));
    const r = await s.engine.execute({ kind: 'SubmitOrderList', orderListId: 'L-45', orders }, strategyOrigin('lister'));
    await s.settle();
    expect(r.denied).toHaveLength(45);
    expect(r.denied.find((d) => d.clientOrderId === 'LIST-21')?.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(s.placed.size).toBe(0);
    expect(s.engine.risk.stateOf('STRATEGY:lister')).toBe('HALTED');
  });
});

describe('FAULTS 11: a fill-and-re-enter loop (Knight) → the repeated-executions breaker halts; only a person re-enables', () => {
  it('a strategy re-buying 0.01 every 300 ms trips at its 20th fill (20 in 10 s): its orders are then TRADING_HALTED; a day of ticks does not reset it, a forged credential cannot; an operator can', async () => {
    const s = await startStack();
    const ctx = s.strategy('knight');
    const results: string[] = [];
    for (let i = 0; i < 25; i++) {
      s.quote('39999.99', '40000.01', '40000.00');
      const r = await ctx.market(BTC, 'BUY', (0.01 + i * 0.00001).toFixed(5));
      await s.settle();
      results.push(r.denied[0]?.code ?? 'FILLED');
      s.clock.advance(300);
    }
    expect(results.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 'FILLED'));
    expect(results.slice(20)).toEqual(Array.from({ length: 5 }, () => 'TRADING_HALTED'));
    expect(s.engine.risk.breaker('repeated_executions', 'STRATEGY:knight')).toMatchObject({ state: 'OPEN', value: 20, threshold: 20 });
    expect(s.codes('BREAKER_TRIPPED').map((a) => a.context.breaker)).toEqual(['repeated_executions']);
    expect(s.position()).toBe(ctx.position(BTC)?.quantity.toString());
    expect(await s.venuePosition()).toBe(s.position());

    s.clock.advance(24 * 3_600_000);
    await s.control.tick();
    const forged = { identity: 'ops-1', roles: ['RISK'] } as const;
    await expect(s.control.resetBreaker('repeated_executions', 'STRATEGY:knight', forged)).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(s.engine.recordRisk([{ kind: 'BreakerReset', breaker: 'repeated_executions', scope: 'STRATEGY:knight', source: 'AUTO', operator: undefined, tsEvent: s.clock.now(), tsInit: s.clock.now() }], strategyOrigin('knight'))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await ctx.market(BTC, 'BUY', '0.01')).denied.map((d) => d.code)).toEqual(['TRADING_HALTED']);

    await s.control.resetBreaker('repeated_executions', 'STRATEGY:knight', s.operator);
    expect((await ctx.market(BTC, 'BUY', '0.01')).denied).toEqual([]);
  });
});

/** A local webhook receiver: the alerts posted to it, by code. */
async function webhookServer(): Promise<{ server: Server; url: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push((JSON.parse(body) as { code: string }).code);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, received };
}

describe('FAULTS 14: twice the peak message rate sustained → controls still hold, alerts still go out', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it('a quoting strategy at 40 submits/s (2× its 20/s throttle) plus cancels for 10 s: ≤ 20 submits a second reach the venue, order_rate trips at the 120th, ≤ 20 orders ever work; a calm strategy on ACC-2 is untouched; every alert reaches the webhook', async () => {
    const hook = await webhookServer();
    server = hook.server;
    const s: Stack = await startStack({ config: exampleConfig(undefined, { WARDEN_WEBHOOK_URL: hook.url }) });
    expect(s.webhook).toBeDefined();
    const storm = s.strategy('storm');
    const calm = s.strategy('calm', 'ACC-2');
    const t0 = s.clock.now();
    const working: string[] = [];
    const codes = new Map<string, number>();
    let maxWorking = 0;
    let calmOk = 0;
    for (let step = 0; step < 400; step++) {
      s.quote('39999.99', '40000.01', '40000.00');
      const r = await limitBuy(storm, '0.01', px(step));
      const code = r.denied[0]?.code ?? 'OK';
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (code === 'OK') working.push(r.clientOrderIds[0]!);
      if (working.length > 5) await storm.cancel(working.shift()!);
      if (step % 40 === 0 && (await limitBuy(calm, '0.01', px(step + 1))).denied.length === 0) calmOk++;
      maxWorking = Math.max(maxWorking, s.ex.workingOrders().length);
      s.clock.advance(25);
    }
    await s.settle();
    // Submits reaching the venue, per second of the storm.
    const perSecond = new Map<number, number>();
    for (const e of s.events) if (e.kind === 'OrderSubmitted' && e.clientOrderId.startsWith('storm-')) perSecond.set(Math.floor((e.tsEvent - t0) / 1000), (perSecond.get(Math.floor((e.tsEvent - t0) / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBe(20);
    expect([...perSecond.values()].reduce((a, b) => a + b, 0)).toBe(120);
    expect(codes.get('OK')).toBe(120);
    // Seconds 0-4: 20 pass and 20 are throttled each; the 120th sent (5.475 s) trips order_rate, which halts the rest.
    expect(codes.get('RATE_LIMIT_EXCEEDED')).toBe(100);
    expect(codes.get('TRADING_HALTED')).toBe(180);
    expect(s.codes('BREAKER_TRIPPED').map((a) => [a.ts - t0, a.context.breaker])).toEqual([[5_475, 'order_rate']]);
    expect(maxWorking).toBeLessThanOrEqual(20);
    expect(s.engine.risk.breaker('order_rate', 'STRATEGY:storm')?.state).toBe('OPEN');
    expect(calmOk).toBe(10);
    expect(s.position()).toBe('0.00000');

    await s.control.engageKillSwitch({ operator: s.operator, reason: 'storm' });
    await s.settle();
    expect(s.ex.workingOrders()).toHaveLength(0);
    await s.webhook!.idle();
    const sent = s.alerts.map((a) => a.code);
    expect(sent).toEqual(expect.arrayContaining(['BREAKER_NEAR_MISS', 'BREAKER_TRIPPED', 'KILL_SWITCH_ENGAGED']));
    expect([...hook.received].sort()).toEqual([...sent].sort());
    expect(s.webhook!.dropped + s.webhook!.failed).toBe(0);
  });
});
