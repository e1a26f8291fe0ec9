/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- the API's JSON answers are checked by the assertions, not by types */
/**
 * On a node replaying in the background (paced): an operator's market order fills and its
 * position appears; close and reverse go out as market orders; the stream carries the fill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './support.ts';

let s: TestServer;
const INST = 'BTCUSDT.BINANCEUS';
beforeAll(async () => {
  s = await testServer({ bars: 3000, speed: 1200 });
}, 60_000);
afterAll(async () => s?.close());

async function until<T>(f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const myPosition = async () => {
  const p = (await s.call('GET', '/api/positions', { token: s.tokens.viewer })).body as { accountId: string; instrumentId: string; strategyId: string; quantity: string; side: string }[];
  return p.find((x) => x.accountId === 'ACC-1' && x.instrumentId === INST && x.strategyId === 'default');
};

describe('live', () => {
  it('a market buy fills and the position appears; close sends a reduce-only sell that flattens it', async () => {
    await until(async () => ((await s.call('GET', '/api/health')).body.ts > 0 && s.node.engine.portfolio.quote(INST as never)?.last ? true : undefined));
    const r = await until(async () => {
      const x = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: { instrumentId: INST, side: 'BUY', type: 'MARKET', quantity: '0.01' } });
      return x.status === 201 ? x : undefined;
    });
    const id = r.body.clientOrderId as string;
    await until(async () => ((await s.call('GET', `/api/orders/${id}`, { token: s.tokens.viewer })).body.status === 'FILLED' ? true : undefined));
    const p = await until(myPosition);
    expect(p).toMatchObject({ side: 'LONG', quantity: '0.01000' });
    const c = await s.call('POST', '/api/positions/close', { token: s.tokens.trader, body: { accountId: 'ACC-1', instrumentId: INST } });
    expect(c.status, c.text).toBe(201);
    await until(async () => ((await myPosition()) === undefined ? true : undefined));
    const order = (await s.call('GET', `/api/orders/${c.body.clientOrderId as string}`, { token: s.tokens.viewer })).body;
    expect(order).toMatchObject({ side: 'SELL', type: 'MARKET', reduceOnly: true, quantity: '0.01000' });
  }, 60_000);
});
