import { expect } from 'vitest';
import WebSocket from 'ws';
import type { TestServer } from './support.ts';

/** A test client of WS /api/stream: what it was sent, and the seqs of its events. */
export interface Conn {
  readonly ws: WebSocket;
  readonly seqs: number[];
  readonly messages: { type: string; [k: string]: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Stream clients, record writers and checks on one test server. */
export function streamClient(s: () => TestServer) {
  function connect(from: number | undefined, o: { token?: string | undefined; firstMessage?: string } = {}): Promise<Conn> {
    const url = `${s().url.replace('http', 'ws')}/api/stream${from === undefined ? '' : `?from=${from}`}`;
    const token = 'token' in o ? o.token : s().tokens.viewer;
    const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const c: Conn = { ws, seqs: [], messages: [], closed: new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() }))) };
    ws.on('message', (d) => {
      const m = JSON.parse(Buffer.isBuffer(d) ? d.toString('utf8') : '') as { type: string; seq?: number };
      c.messages.push(m);
      if (m.type === 'event') c.seqs.push(m.seq!);
    });
    return new Promise((resolve, reject) => {
      ws.on('open', () => {
        if (o.firstMessage) ws.send(o.firstMessage);
        resolve(c);
      });
      ws.on('error', reject);
    });
  }

  /** Journals `n` records straight through the engine (audit events), as fast as it takes them. */
  async function records(n: number): Promise<void> {
    const one = (i: number) => s().node.engine.recordAudit({ principal: 'anonymous', roles: [], source: '127.0.0.1', action: `test.stream`, target: `r${i}`, outcome: 'OK' });
    // Up to 100 at once: one group-commit batch each, in seq order.
    for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => one(i + k)));
  }

  return { connect, records };
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `seqs` is exactly from..to, each once, in order. */
export const consecutive = (seqs: readonly number[], from: number, to: number): void => {
  expect(seqs.length).toBe(to - from + 1);
  seqs.forEach((x, i) => expect(x).toBe(from + i));
};
