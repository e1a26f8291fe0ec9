import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { JournalRecord } from '../engine/events.ts';
import { recordText } from '../journal/codec.ts';
import type { Principal } from './auth/types.ts';
import { docOf, routeOf, type App, type ServerContext } from './context.ts';
import { credentialsOf } from './guard.ts';
import { jsonText, systemView } from './views.ts';
import { lineFrames } from './ws-frames.ts';
import { FanoutProcess } from './fanout.ts';

export interface StreamOptions {
  /** A client whose socket holds more than this many bytes unsent is closed with 4008. */
  readonly maxBufferedBytes: number;
  /** Live records held for a client while it catches up from the journal; more: 4008. */
  readonly maxPending: number;
  /** Market snapshots at most this often (wall ms). */
  readonly marketEveryMs: number;
  /** The node process's figures (memory, uptime) this often (wall ms), and once to each new client. */
  readonly systemEveryMs: number;
  /** A client without credentials must send `{type:'auth', token}` within this time. */
  readonly authTimeoutMs: number;
  /** Live messages are written to every client together at most this often (wall ms), or sooner past `batchBytes`. */
  readonly batchMs: number;
  readonly batchBytes: number;
  /**
   * `process`: live clients are handed to a fan-out process (src/server/fanout.ts) that writes the
   * batches to them, off the engine's thread; `inline`: this process writes them.
   */
  readonly fanout: 'process' | 'inline';
  /** The fan-out process's niceness (0: the node's own priority). */
  readonly fanoutNice: number;
}

export const SLOW_CONSUMER = 4008;
const UNAUTHORIZED = 4001;
const DEFAULTS: StreamOptions = { maxBufferedBytes: 4 * 1024 * 1024, maxPending: 50_000, marketEveryMs: 250, systemEveryMs: 5_000, authTimeoutMs: 5_000, batchMs: 20, batchBytes: 256 * 1024, fanout: 'process', fanoutNice: 10 };
/** The largest message a stream client may send: the server's WebSocket plugin and the fan-out process alike. */
export const WS_MAX_PAYLOAD = 64 * 1024;

interface Client {
  readonly ws: WebSocket;
  /** Catching up from the journal: live records wait in `pending`. */
  catchingUp: boolean;
  pending: { seq: number; text: string }[];
  lastSent: number;
  closed: boolean;
  /** Messages for this client alone (the end of its catch-up), written before the batch. */
  out: string[];
  /** Where in the open batch (a byte offset) this client's messages start: it went live after the ones before. */
  joinedAt: number;
}

/**
 * The event stream's fan-out. The engine publishes each durable record once on its bus, with the
 * journal's encoding of it; the hub adds the message to the open batch (only when someone
 * listens), and every `batchMs` (or past `batchBytes`) sends the batch once to the fan-out process
 * (./fanout.ts), which writes it to the clients it holds. A client catching up is served here,
 * and handed over once it is live and nothing of it is left unwritten here (in `inline` mode,
 * never: each batch is then framed here and written to each client as one buffer). The engine's
 * path costs one message per record whatever the number of clients. A client whose socket backs
 * up past `maxBufferedBytes` (or whose catch-up buffer overflows) is closed with 4008 and resumes
 * from its last seq: a slow watcher is cut, never waited for.
 */
export class StreamHub {
  private readonly clients = new Set<Client>();
  /** Instruments whose market figures changed since the last snapshot sent. */
  private readonly market = new Set<string>();
  private readonly offs: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private systemTimer: NodeJS.Timeout | undefined;
  /**
   * The open batch: the messages every live client gets, as UTF-8 lines written at once (so
   * their strings die young; the batch itself is reused), and the last record seq among them.
   */
  private batchBuf = Buffer.allocUnsafe(512 * 1024);
  private batchBytes = 0;
  private batchSeq = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushSoon = false;
  private readonly flushBound = (): void => this.flushOut();
  private readonly fanout: FanoutProcess | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly o: StreamOptions,
  ) {
    const { node } = ctx;
    const bus = node.engine.bus;
    this.fanout =
      o.fanout === 'process'
        ? new FanoutProcess(
            {
              dropped: () => this.ctx.metrics.wsDropped.inc(),
              gone: () => this.countClients(),
              crashed: (lost, reason) => {
                this.countClients();
                this.ctx.metrics.wsFanoutCrashes.inc();
                this.ctx.logger.warn({ lost, reason }, 'stream fan-out process ended; its clients reconnect and resume');
              },
            },
            { maxBufferedBytes: o.maxBufferedBytes, maxPayload: WS_MAX_PAYLOAD, nice: o.fanoutNice },
          )
        : undefined;
    this.offs.push(bus.subscribe('record', (r) => this.onRecord(r)));
    this.offs.push(bus.subscribe('alert', (a) => this.broadcast(jsonText({ type: 'alert', ...a }))));
    this.offs.push(ctx.market.onChange((id) => this.market.add(id)));
    this.offs.push(node.bus.subscribe('status', (s) => this.broadcast(jsonText({ type: 'status', ...s }))));
    this.offs.push(node.bus.subscribe('venueHealth', (h) => this.broadcast(jsonText({ type: 'venue', venue: h }))));
    // The advisor's advice (task, outcome, consultation, summary) and its proposals as they change.
    this.offs.push(ctx.advisor.subscribe((e) => this.broadcast(jsonText(e))));
    this.timer = setInterval(() => this.flushMarket(), o.marketEveryMs);
    this.timer.unref();
    this.systemTimer = setInterval(() => {
      if (this.size > 0) this.broadcast(this.systemText());
    }, o.systemEveryMs);
    this.systemTimer.unref();
  }

  private systemText(): string {
    return JSON.stringify({ type: 'system', system: systemView(this.ctx.node) });
  }

  /** Connected clients, here and in the fan-out process. */
  get size(): number {
    return this.clients.size + (this.fanout?.clients ?? 0);
  }

  private countClients(): void {
    this.ctx.metrics.wsClients.set(this.size);
    this.ctx.metrics.wsFanoutClients.set(this.fanout?.clients ?? 0);
  }

  private onRecord(r: JournalRecord): void {
    if (this.size === 0) return;
    const text = `{"type":"event","seq":${r.seq},"event":${recordText(r)}}`;
    let live = (this.fanout?.clients ?? 0) > 0;
    for (const c of this.clients) {
      if (!c.catchingUp) live = true;
      else {
        c.pending.push({ seq: r.seq, text });
        if (c.pending.length > this.o.maxPending) this.drop(c);
      }
    }
    if (!live) return;
    this.batchSeq = r.seq;
    this.batch(text);
  }

  private broadcast(text: string): void {
    if ((this.fanout?.clients ?? 0) > 0) {
      this.batch(text);
      return;
    }
    for (const c of this.clients) {
      if (c.catchingUp) continue;
      this.batch(text);
      return;
    }
  }

  /** Adds a message for every live client to the open batch; the first one schedules its write. */
  private batch(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    const room = text.length * 3 + 1;
    if (this.batchBytes + room > this.batchBuf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.batchBuf.length * 2, this.batchBytes + room));
      this.batchBuf.copy(bigger, 0, 0, this.batchBytes);
      this.batchBuf = bigger;
    }
    this.batchBytes += this.batchBuf.write(text, this.batchBytes, 'utf8');
    this.batchBuf[this.batchBytes++] = 0x0a;
    if (this.batchBytes >= this.o.batchBytes && !this.flushSoon) {
      this.flushSoon = true;
      setImmediate(this.flushBound);
    } else if (!this.flushTimer) this.flushTimer = setTimeout(this.flushBound, this.o.batchMs);
  }

  private flushMarket(): void {
    if (this.market.size === 0 || this.size === 0) return;
    for (const id of this.market) {
      const m = this.ctx.market.snapshot(id);
      if (m) this.broadcast(JSON.stringify({ type: 'market', ...m }));
    }
    this.market.clear();
  }

  /** A message for this client alone, written with the next batch (before it). */
  private send(c: Client, text: string): void {
    if (c.closed) return;
    if (c.out.length >= this.o.maxPending) {
      this.drop(c);
      return;
    }
    c.out.push(text);
    if (!this.flushTimer && !this.flushSoon) this.flushTimer = setTimeout(this.flushBound, this.o.batchMs);
  }

  /**
   * Writes the open batch: to the fan-out process once (it frames and writes it to its clients),
   * and to each live client here its own messages, then the batch's frames as one buffer (those
   * from where it joined, for one that went live during the batch). A client backed up past
   * `maxBufferedBytes` is dropped instead.
   */
  private flushOut(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushSoon = false;
    // A view: read (copied) before this returns, and the batch buffer then starts over.
    const lines = this.batchBuf.subarray(0, this.batchBytes);
    this.batchBytes = 0;
    // Framed here only for clients still here: one that joined during this batch, one not yet
    // handed over (its socket still had bytes to write), and every client in `inline` mode.
    let whole: Buffer | undefined;
    for (const c of this.clients) {
      if (c.closed || c.catchingUp) continue;
      const joinedAt = c.joinedAt;
      c.joinedAt = 0;
      if (c.ws.bufferedAmount > this.o.maxBufferedBytes) {
        this.drop(c);
        continue;
      }
      for (const text of c.out) c.ws.send(text);
      c.out.length = 0;
      // From a whole batch on, the fan-out process serves it: this batch included (sent below).
      if (joinedAt === 0 && this.handOver(c)) continue;
      if (joinedAt >= lines.length) continue;
      const socket = (c.ws as unknown as { _socket?: { write(b: Buffer): boolean } })._socket;
      if (c.ws.readyState !== c.ws.OPEN || !socket) continue;
      socket.write(joinedAt === 0 ? (whole ??= lineFrames(lines)) : lineFrames(lines.subarray(joinedAt)));
      if (this.batchSeq > c.lastSent) c.lastSent = this.batchSeq;
    }
    // After the handovers: IPC keeps order, so a client handed over above gets this batch from there.
    if (lines.length > 0) this.fanout?.broadcast(lines);
  }

  /**
   * Moves a live client to the fan-out process (it keeps its connection) when nothing of it is
   * left unwritten here; true when it moved.
   */
  private handOver(c: Client): boolean {
    if (!this.fanout) return false;
    // Marked first: the close that `adopt` emits here is not the client leaving.
    c.closed = true;
    if (this.fanout.adopt(c.ws)) {
      this.clients.delete(c);
      this.countClients();
      return true;
    }
    c.closed = false;
    return false;
  }

  private drop(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.clients.delete(c);
    this.ctx.metrics.wsDropped.inc();
    this.countClients();
    c.ws.close(SLOW_CONSUMER, 'slow consumer: resume from your last seq');
    // A client that reads nothing never reads the close frame either: cut it after a grace period.
    setTimeout(() => c.ws.terminate(), 30_000).unref();
  }

  /**
   * A new client from `from` (undefined: live only): live records are held while the journal is
   * read from `from`, then those not already sent follow, so no seq is lost or repeated.
   */
  async attach(ws: WebSocket, from: number | undefined): Promise<void> {
    const journal = this.ctx.node.records;
    // Live at once: only what the batch gets from now on (what it holds is at or before durableSeq).
    const c: Client = { ws, catchingUp: from !== undefined, pending: [], lastSent: from === undefined ? journal.durableSeq() : from - 1, closed: false, out: [], joinedAt: this.batchBytes };
    this.clients.add(c);
    this.countClients();
    ws.on('close', () => {
      if (c.closed) return;
      c.closed = true;
      this.clients.delete(c);
      this.countClients();
    });
    ws.send(JSON.stringify({ type: 'hello', lastSeq: journal.durableSeq(), from: c.lastSent + 1 }));
    ws.send(this.systemText());
    if (from === undefined) return;
    for await (const r of journal.read(Math.max(1, from))) {
      if (c.closed) return;
      if (r.seq <= c.lastSent) continue;
      c.lastSent = r.seq;
      // Catching up is off the engine's path: written at once, paced by the socket below.
      c.ws.send(`{"type":"event","seq":${r.seq},"event":${recordText(r)}}`);
      // Catching up may wait for the socket (it is off the engine's path); live records wait in pending meanwhile.
      while (!c.closed && ws.bufferedAmount > this.o.maxBufferedBytes / 2) await new Promise((res) => setTimeout(res, 5));
    }
    for (const p of c.pending) {
      if (p.seq <= c.lastSent) continue;
      c.lastSent = p.seq;
      this.send(c, p.text);
    }
    c.pending = [];
    c.catchingUp = false;
    // Records of the open batch came in while catching up: they are in `pending`, sent above.
    c.joinedAt = this.batchBytes;
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const off of this.offs) off();
    if (this.timer) clearInterval(this.timer);
    if (this.systemTimer) clearInterval(this.systemTimer);
    for (const c of this.clients) c.ws.close(1001, 'server stopping');
    this.clients.clear();
    this.fanout?.stop();
  }
}

/** WS GET /api/stream?from=<seq>: authenticated by the guard (cookie, bearer) or by a first message `{type:'auth', token}`. */
export function streamRoute(app: App, ctx: ServerContext, options: Partial<StreamOptions>): StreamHub {
  const o = { ...DEFAULTS, ...options };
  const hub = new StreamHub(ctx, o);
  // Before the HTTP server closes: it waits for the sockets the fan-out process holds, which close only when told.
  app.addHook('preClose', (done) => {
    hub.close();
    done();
  });
  app.route({
    ...routeOf('GET', '/api/stream'),
    schema: { ...docOf('GET', '/api/stream', 'stream'), querystring: z.strictObject({ from: z.coerce.number().int().min(0).optional() }) },
    websocket: true,
    handler: (async (ws: WebSocket, req: FastifyRequest<{ Querystring: { from?: number } }>) => {
      const from = req.query.from === undefined || req.query.from === 0 ? undefined : req.query.from;
      if (req.principal) return hub.attach(ws, from);
      const principal = await firstMessageAuth(ws, req, ctx, o.authTimeoutMs);
      if (principal) await hub.attach(ws, from);
    }) as never,
  });
  return hub;
}

async function firstMessageAuth(ws: WebSocket, req: FastifyRequest, ctx: ServerContext, timeoutMs: number): Promise<Principal | undefined> {
  const token = await new Promise<string | undefined>((resolve) => {
    const t = setTimeout(() => resolve(undefined), timeoutMs);
    ws.once('message', (data) => {
      clearTimeout(t);
      try {
        const m = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '') as { type?: unknown; token?: unknown };
        resolve(m.type === 'auth' && typeof m.token === 'string' ? m.token : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
  const r = token ? await ctx.auth.authenticate({ bearer: token, ip: credentialsOf(req).ip }) : undefined;
  if (!r?.ok) {
    ws.close(UNAUTHORIZED, r ? r.code : 'UNAUTHENTICATED');
    return undefined;
  }
  return r.principal;
}
