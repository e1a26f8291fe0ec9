/**
 * The fake Alpaca's WebSockets: trade_updates at /stream (JSON: authenticate → authorization,
 * listen → listening, then {stream: "trade_updates", data}) and the stock market data stream at
 * /v2/iex and /v2/sip (msgpack arrays: connected, auth → authenticated, subscribe → subscription,
 * then q / t / b frames).
 */
import { decode, encode } from '@msgpack/msgpack';
import type { WebSocket } from 'ws';

export interface Credentials {
  readonly keyId: string;
  readonly secret: string;
}

export class TradingSockets {
  readonly listening = new Set<WebSocket>();

  constructor(private readonly creds: Credentials) {}

  attach(ws: WebSocket): void {
    ws.on('message', (raw) => {
      let m: { action?: string; data?: Record<string, unknown> };
      try {
        m = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8')) as typeof m;
      } catch {
        return ws.send(JSON.stringify({ stream: 'listening', data: { error: 'invalid syntax' } }));
      }
      if (m.action === 'authenticate') {
        const ok = m.data?.['key_id'] === this.creds.keyId && m.data?.['secret_key'] === this.creds.secret;
        ws.send(Buffer.from(JSON.stringify({ stream: 'authorization', data: { action: 'authenticate', status: ok ? 'authorized' : 'unauthorized' } })));
        if (!ok) ws.close();
        else (ws as WebSocket & { authorized?: boolean }).authorized = true;
        return;
      }
      if (m.action === 'listen') {
        if (!(ws as WebSocket & { authorized?: boolean }).authorized) return ws.send(JSON.stringify({ stream: 'listening', data: { error: 'not authenticated' } }));
        const streams = (m.data?.['streams'] as string[] | undefined) ?? [];
        if (streams.includes('trade_updates')) this.listening.add(ws);
        ws.send(Buffer.from(JSON.stringify({ stream: 'listening', data: { streams: streams.filter((s) => s === 'trade_updates') } })));
      }
    });
    ws.on('close', () => this.listening.delete(ws));
  }

  push(frame: unknown): void {
    const data = Buffer.from(JSON.stringify(frame));
    for (const ws of this.listening) ws.send(data);
  }
}

type Channel = 'trades' | 'quotes' | 'bars';

export class DataSockets {
  private readonly subs = new Map<WebSocket, Record<Channel, Set<string>>>();

  constructor(private readonly creds: Credentials) {}

  attach(ws: WebSocket): void {
    ws.send(encode([{ T: 'success', msg: 'connected' }]));
    ws.on('message', (raw) => {
      const m = decode(raw as Buffer) as Record<string, unknown>;
      if (m['action'] === 'auth') {
        if (m['key'] !== this.creds.keyId || m['secret'] !== this.creds.secret) {
          ws.send(encode([{ T: 'error', code: 402, msg: 'auth failed' }]));
          return ws.close();
        }
        this.subs.set(ws, { trades: new Set(), quotes: new Set(), bars: new Set() });
        return ws.send(encode([{ T: 'success', msg: 'authenticated' }]));
      }
      const mine = this.subs.get(ws);
      if (!mine) return ws.send(encode([{ T: 'error', code: 401, msg: 'not authenticated' }]));
      if (m['action'] === 'subscribe') for (const c of ['trades', 'quotes', 'bars'] as const) for (const s of (m[c] as string[] | undefined) ?? []) mine[c].add(s);
      ws.send(encode([{ T: 'subscription', trades: [...mine.trades], quotes: [...mine.quotes], bars: [...mine.bars], updatedBars: [], dailyBars: [], statuses: [], lulds: [], corrections: [], cancelErrors: [] }]));
    });
    ws.on('close', () => this.subs.delete(ws));
  }

  /** Sockets subscribed to `symbol` on `channel` (tests wait for it before pushing). */
  subscribers(channel: Channel, symbol: string): number {
    return [...this.subs.values()].filter((s) => s[channel].has(symbol)).length;
  }

  push(channel: Channel, symbol: string, frame: Record<string, unknown>): void {
    const data = encode([frame]);
    for (const [ws, s] of this.subs) if (s[channel].has(symbol)) ws.send(data);
  }
}
