/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- the API's JSON answers are checked by the assertions, not by types */
/**
 * The market's 24-hour traded volume (GET /api/market and the stream's `market` messages) and the
 * node process's memory and uptime (GET /api/system and the stream's `system` messages), against
 * a real paper node whose replay runs 30 steps after the server and a stream client are up, so the
 * bars the server saw are exactly the file's first 30.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReplay, isBar } from '../../src/node/market-data.ts';
import { decimalSum, testServer, type TestServer } from './support.ts';

const INST = 'BTCUSDT.BINANCEUS';
const STEPS = 30;
let s: TestServer;
let ws: WebSocket;
const seen: Record<string, unknown>[] = [];

const sum = decimalSum;

beforeAll(async () => {
  s = await testServer({ warmSteps: 0 });
  ws = new WebSocket(`${s.url.replace('http', 'ws')}/api/stream`, { headers: { authorization: `Bearer ${s.tokens.viewer}` } });
  ws.on('message', (d: Buffer) => seen.push(JSON.parse(d.toString('utf8')) as Record<string, unknown>));
  await new Promise((r) => ws.once('open', r));
  await s.node.run({ maxSteps: STEPS, keepOpen: true });
  // The last snapshot goes out on the stream's next market tick (250 ms).
  const deadline = Date.now() + 10_000;
  const ts = s.node.engine.now();
  while (!seen.some((x) => x.type === 'market' && x.instrumentId === INST && x.ts === ts) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}, 60_000);
afterAll(async () => {
  ws?.close();
  await s?.close();
});

describe('market: 24-hour traded volume', () => {
  it('GET /api/market: each instrument its last price and the exact sum of the volumes of the bars the node was given', async () => {
    const r = await s.call('GET', '/api/market', { token: s.tokens.viewer });
    expect(r.status).toBe(200);
    const m = r.body.find((x: { instrumentId: string }) => x.instrumentId === INST);
    const file = s.node.config.data.replay.find((f) => f.instrumentId === INST)!;
    const given: string[] = [];
    // A bar is given at its close: the node's clock is the last bar's close.
    for await (const b of readReplay(file)) if (isBar(b) && b.ts + b.durationMs <= m.ts) given.push(b.volume);
    expect(given).toHaveLength(STEPS);
    expect(m).toMatchObject({ last: expect.stringMatching(/^\d+\.\d{1,2}$/), volume24h: sum(given), volumeSource: 'bars' });
    expect(m.volumeSince).toBe(Math.floor(m.ts / 60_000) * 60_000 - 86_400_000 + 60_000);
    expect(r.body.map((x: { instrumentId: string }) => x.instrumentId).sort()).toEqual(['BTCUSDC.BINANCEUS', INST]);
  });

  it("the stream: the last market message carries the API's volume", async () => {
    const msgs = seen.filter((x) => x.type === 'market' && x.instrumentId === INST);
    const api = (await s.call('GET', '/api/market', { token: s.tokens.viewer })).body.find((x: { instrumentId: string }) => x.instrumentId === INST);
    expect(msgs.at(-1)).toMatchObject({ volume24h: api.volume24h, volumeSource: 'bars', ts: api.ts, last: api.last });
    // Volume only grows within the first day.
    const volumes = msgs.map((x) => Number(x.volume24h));
    expect(volumes).toEqual([...volumes].sort((a, b) => a - b));
  });
});

describe('system: the node process', () => {
  it("GET /api/system: the node's memory and the wall time since it started; it needs credentials", async () => {
    const r = await s.call('GET', '/api/system', { token: s.tokens.viewer });
    expect(r.status).toBe(200);
    expect(r.body.node).toBe('paper-1');
    expect(r.body.startedAt).toBe(Math.round(s.node.startedAt));
    expect(r.body.uptimeMs).toBeGreaterThan(0);
    expect(r.body.memory.rssBytes).toBeGreaterThan(r.body.memory.heapUsedBytes);
    expect((await s.call('GET', '/api/system')).status).toBe(401);
  });

  it('the stream: a system message right after the hello, with the same node and start', () => {
    expect(seen[0]).toMatchObject({ type: 'hello' });
    expect(seen[1]).toMatchObject({ type: 'system', system: { node: 'paper-1', startedAt: Math.round(s.node.startedAt) } });
    expect((seen[1] as { system: { memory: { rssBytes: number } } }).system.memory.rssBytes).toBeGreaterThan(0);
  });
});
