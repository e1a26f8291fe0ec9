/**
 * Issue 14 (fan-out cost): live stream clients are handed to a fan-out process that writes the
 * batches to them, off the engine's thread. The handover must lose or repeat nothing; a crashed
 * fan-out process must cost its clients only a reconnect and resume; a stopping server closes
 * them properly; and `fanout: 'inline'` keeps every client in the server's process.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './support.ts';
import { consecutive, streamClient, until } from './stream-client.ts';

/** One figure of GET /metrics. */
async function metric(s: TestServer, name: string): Promise<number> {
  const text = (await s.call('GET', '/metrics', { token: s.tokens.viewer })).text;
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${name} in /metrics`);
  return Number(m[1]);
}

/** Pids of this process's fan-out children. */
function fanoutPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'fanout-child.mjs'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('fan-out process', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ warmSteps: 5 });
  }, 60_000);
  afterAll(async () => s?.close());
  const { connect, records } = streamClient(() => s);

  it('a live client moves to the fan-out process and gets every seq exactly once across the move', async () => {
    const start = s.node.records.durableSeq() + 1;
    const c = await connect(start);
    await records(50);
    await until(async () => (await metric(s, 'warden_ws_fanout_clients')) === 1);
    expect(await metric(s, 'warden_ws_clients')).toBe(1);
    expect(fanoutPids()).toHaveLength(1);
    await records(300);
    // Text beyond ASCII, framed by the fan-out process: lengths are bytes, not characters.
    const message = 'Zürich – 東京 – 🚀';
    s.node.engine.bus.publish('alert', { code: 'ENGINE_STOPPED', message, context: {}, ts: 0 });
    await records(1);
    const last = s.node.records.durableSeq();
    await until(() => c.seqs.at(-1) === last);
    consecutive(c.seqs, start, last);
    expect(c.messages.at(-2)).toMatchObject({ type: 'alert', code: 'ENGINE_STOPPED', message });
    c.ws.close();
    await until(async () => (await metric(s, 'warden_ws_clients')) === 0);
    expect(await metric(s, 'warden_ws_fanout_clients')).toBe(0);
  });

  it('a killed fan-out process: its clients are disconnected, the engine goes on, they resume with no seq lost or repeated', async () => {
    const start = s.node.records.durableSeq() + 1;
    const a = await connect(start);
    await records(50);
    await until(async () => (await metric(s, 'warden_ws_fanout_clients')) === 1);
    const [pid] = fanoutPids();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    const closed = await a.closed;
    expect(closed.code).toBe(1006);
    await until(async () => (await metric(s, 'warden_ws_fanout_crashes_total')) === 1);
    expect(await metric(s, 'warden_ws_clients')).toBe(0);
    // The engine never waited for it.
    await records(200);
    const b = await connect(a.seqs.at(-1)! + 1);
    await records(100);
    const last = s.node.records.durableSeq();
    await until(() => b.seqs.at(-1) === last);
    consecutive([...a.seqs, ...b.seqs], start, last);
    // Served by a new fan-out process.
    await until(async () => (await metric(s, 'warden_ws_fanout_clients')) === 1);
    expect(fanoutPids().filter((p) => p !== pid)).toHaveLength(1);
    b.ws.close();
  });

  it('a stopping server closes the fan-out process clients with 1001 and the process ends', async () => {
    const other = await testServer({ warmSteps: 5 });
    const before = fanoutPids();
    const { connect: connectOther, records: recordsOther } = streamClient(() => other);
    const c = await connectOther(undefined);
    await recordsOther(20);
    await until(async () => (await metric(other, 'warden_ws_fanout_clients')) === 1);
    const mine = fanoutPids().filter((p) => !before.includes(p));
    expect(mine).toHaveLength(1);
    await other.close();
    expect((await c.closed).code).toBe(1001);
    await until(() => !fanoutPids().includes(mine[0]!));
  });
});

describe("fanout: 'inline'", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ warmSteps: 5, create: { stream: { fanout: 'inline' } } });
  }, 60_000);
  afterAll(async () => s?.close());
  const { connect, records } = streamClient(() => s);

  it('keeps its clients in the server process, every seq once', async () => {
    const before = fanoutPids();
    const start = s.node.records.durableSeq() + 1;
    const c = await connect(start);
    await records(300);
    const last = s.node.records.durableSeq();
    await until(() => c.seqs.at(-1) === last);
    consecutive(c.seqs, start, last);
    expect(await metric(s, 'warden_ws_clients')).toBe(1);
    expect(await metric(s, 'warden_ws_fanout_clients')).toBe(0);
    expect(fanoutPids()).toEqual(before);
    c.ws.close();
  });
});
