/**
 * The event stream (WS /api/stream): journal records from a seq, then live without gap or repeat
 * (resume after a forced disconnect, seqs compared); a slow client closed with 4008 while the
 * engine goes on; first-message authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './support.ts';
import { consecutive, streamClient, until } from './stream-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ warmSteps: 5, create: { stream: { maxBufferedBytes: 64 * 1024, marketEveryMs: 50 } } });
}, 60_000);
afterAll(async () => s?.close());

const { connect, records } = streamClient(() => s);

describe('resume', () => {
  it('from=1 reads the journal, then live records follow with no gap or repeat, even while records are being written during the catch-up', async () => {
    const writing = records(300);
    const c = await connect(1);
    await writing;
    await records(50);
    const last = s.node.records.durableSeq();
    await until(() => c.seqs.at(-1) === last);
    consecutive(c.seqs, 1, last);
    expect(c.messages[0]).toMatchObject({ type: 'hello', from: 1 });
    c.ws.close();
  });

  it('a forced disconnect, records written while away, then resume from the last seq + 1: every seq exactly once', async () => {
    const start = s.node.records.durableSeq() + 1;
    const a = await connect(start);
    const writing = records(400);
    await until(() => a.seqs.length >= 50);
    a.ws.terminate();
    await a.closed;
    await writing;
    const seen = a.seqs.at(-1)!;
    const b = await connect(seen + 1);
    await records(30);
    const last = s.node.records.durableSeq();
    await until(() => b.seqs.at(-1) === last);
    consecutive([...a.seqs, ...b.seqs], start, last);
    b.ws.close();
  });

  it('no `from`: live only, from the hello lastSeq on', async () => {
    const c = await connect(undefined);
    await until(() => c.messages.length > 0);
    const hello = c.messages[0] as { type: string; lastSeq: number };
    expect(hello.type).toBe('hello');
    await records(5);
    await until(() => c.seqs.length === 5);
    consecutive(c.seqs, hello.lastSeq + 1, hello.lastSeq + 5);
    c.ws.close();
  });
});

describe('batched fan-out', () => {
  it('clients joining while a batch is open (live, and at the end of a catch-up) get every seq after their start exactly once, in order', async () => {
    const a = await connect(undefined);
    await until(() => a.messages.length > 0);
    const aFrom = (a.messages[0] as { type: string; lastSeq: number }).lastSeq + 1;
    const writing = records(600);
    await until(() => a.seqs.length >= 20);
    // A live client now: the open batch already holds records at or before its hello.
    const b = await connect(undefined);
    // A catching-up client from a while back: it ends its catch-up while others' batches are open.
    const cFrom = a.seqs[5]!;
    const c = await connect(cFrom);
    await writing;
    await records(20);
    const last = s.node.records.durableSeq();
    await until(() => a.seqs.at(-1) === last && b.seqs.at(-1) === last && c.seqs.at(-1) === last);
    consecutive(a.seqs, aFrom, last);
    consecutive(c.seqs, cFrom, last);
    const bHello = b.messages[0] as { type: string; lastSeq: number };
    expect(bHello.type).toBe('hello');
    consecutive(b.seqs, bHello.lastSeq + 1, last);
    for (const x of [a, b, c]) x.ws.close();
  });
});

describe('backpressure', () => {
  it('a client that reads nothing is closed with 4008 while the engine goes on; it resumes from its last seq; a reading client misses nothing', async () => {
    const start = s.node.records.durableSeq() + 1;
    const good = await connect(start);
    const slow = await connect(start);
    // Stop reading: the kernel buffers fill, then the server's socket buffer grows past 64 KiB.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Records in chunks until the server has dropped it (the engine never waits for the socket).
    const droppedYet = async () => /warden_ws_slow_consumers_total 1/.test((await s.call('GET', '/metrics', { token: s.tokens.viewer })).text);
    let dropped = false;
    for (let i = 0; i < 60 && !dropped; i++) {
      await records(500);
      dropped = await droppedYet();
    }
    expect(dropped).toBe(true);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(4008);
    await records(100);
    const last = s.node.records.durableSeq();
    await until(() => good.seqs.at(-1) === last, 60_000);
    consecutive(good.seqs, start, last);
    expect(slow.seqs.length).toBeLessThan(good.seqs.length);
    const again = await connect(slow.seqs.at(-1)! + 1);
    await until(() => again.seqs.at(-1) === last, 60_000);
    consecutive([...slow.seqs, ...again.seqs], start, last);
    good.ws.close();
    again.ws.close();
  }, 120_000);
});

describe('authentication', () => {
  it('without credentials the first message {type:auth, token} authenticates; a bad token is closed 4001', async () => {
    const ok = await connect(undefined, { token: undefined, firstMessage: JSON.stringify({ type: 'auth', token: s.tokens.viewer }) });
    await until(() => ok.messages.length > 0);
    expect(ok.messages[0]!.type).toBe('hello');
    ok.ws.close();
    const bad = await connect(undefined, { token: undefined, firstMessage: JSON.stringify({ type: 'auth', token: 'nope' }) });
    expect((await bad.closed).code).toBe(4001);
    expect(bad.messages).toEqual([]);
  });

  it('a bad bearer on the upgrade is refused (401)', async () => {
    await expect(connect(undefined, { token: 'forged' })).rejects.toThrow(/401/);
  });
});
