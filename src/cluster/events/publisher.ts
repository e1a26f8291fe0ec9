/**
 * Publishes every journaled event of this node to the firm's JetStream stream, after it is
 * durable (the journal's tail), in journal order, each with the message id `<node>:<seq>`.
 *
 * It never holds up the engine: the tail hands it records and returns; it publishes with at most
 * `maxInFlight` acknowledgements outstanding and keeps at most `maxQueued` records in memory;
 * beyond that it lets go of the tail and reads the journal again once it has caught up. When NATS
 * is down it stops sending; when a publish fails (timeout, loss of the link) it waits for what is
 * in flight, then starts again from the first seq not acknowledged, so nothing is lost; what the
 * server had already stored comes back as a duplicate (same message id) and is dropped there.
 *
 * On start it resumes from the highest seq it finds on `<firm>.events.<node>.>` less `maxInFlight`:
 * a crash can leave a gap only among the last `maxInFlight` sent, and republishing them inside the
 * duplicate window stores nothing twice.
 */
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { AckedPublisher } from './acks.ts';
import type { JournalRecord } from '../../engine/events.ts';
import { CODEC_VERSION, recordText } from '../../journal/codec.ts';
import type { DurableJournal, Subscription } from '../../journal/types.ts';
import type { NatsLink } from '../nats/connection.ts';
import { ensureEventStream } from './stream.ts';
import { eventSubject, HEADER_CODEC, HEADER_NODE, HEADER_SEQ, messageId } from './subjects.ts';
import { lastPublishedSeq } from './resume.ts';

/** JetStream's de-duplication header. */
const MSG_ID_HEADER = 'Nats-Msg-Id';

export interface EventPublisherOptions {
  readonly journal: DurableJournal;
  readonly link: NatsLink;
  readonly firm: string;
  readonly nodeId: string;
  /** The stream's duplicate window (default 10 minutes, see stream.ts). */
  readonly duplicateWindowMs?: number;
  /** Publishes awaiting their acknowledgement at most (default 256). */
  readonly maxInFlight?: number;
  /** Records held in memory at most before reading the journal again instead (default 10,000). */
  readonly maxQueued?: number;
  /** How long one publish waits for its acknowledgement (default 5 s). */
  readonly ackTimeoutMs?: number;
  /** Wait before trying again after a failure (default 250 ms). */
  readonly retryWaitMs?: number;
  /** Told of each failure (it is retried): for logs and alerts. */
  readonly onError?: (e: unknown) => void;
}

export type PublisherState = 'starting' | 'publishing' | 'waiting' | 'stopped';

export interface PublisherStatus {
  readonly state: PublisherState;
  readonly connected: boolean;
  /** Every seq up to this one is stored in the stream. */
  readonly publishedSeq: number;
  /** The journal's durable seq. */
  readonly journalSeq: number;
  /** journalSeq - publishedSeq. */
  readonly lag: number;
  readonly inFlight: number;
  /** Where this run started publishing (the seq after the resume point less the in-flight margin). */
  readonly resumedFrom: number;
  /** Publishes that failed and were sent again. */
  readonly failures: number;
  /** Publishes the server dropped as duplicates (a republish after a failure or restart). */
  readonly duplicates: number;
}

export class EventPublisher {
  private state: PublisherState = 'starting';
  private acked = 0;
  private resumedFrom = 0;
  private failures = 0;
  private duplicates = 0;
  private readonly queue: JournalRecord[] = [];
  private head = 0;
  /** Settled publishes above `acked` (acknowledged out of order). */
  private readonly done = new Set<number>();
  private inFlight = 0;
  private failed = false;
  private sub: Subscription | undefined;
  /** The seq the tail was let go after (the queue was full): read again from the next once drained. */
  private detachedAt: number | undefined;
  private acker: { nc: NatsConnection; client: AckedPublisher } | undefined;
  private readonly waiters: { seq: number; resolve: () => void }[] = [];
  private readonly offLink: () => void;
  private running: Promise<void> = Promise.resolve();
  private readonly maxInFlight: number;
  private readonly maxQueued: number;

  private constructor(private readonly o: EventPublisherOptions) {
    this.maxInFlight = o.maxInFlight ?? 256;
    this.maxQueued = Math.max(o.maxQueued ?? 10_000, this.maxInFlight);
    this.offLink = o.link.onStatus((e) => {
      if (e.kind === 'connected' || e.kind === 'reconnected') this.pump();
    });
  }

  /** Starts publishing in the background: returns at once, NATS up or not. */
  static start(o: EventPublisherOptions): EventPublisher {
    const p = new EventPublisher(o);
    p.running = p.begin();
    return p;
  }

  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  status(): PublisherStatus {
    const journalSeq = this.o.journal.durableSeq();
    return {
      state: this.state,
      connected: this.o.link.connected,
      publishedSeq: this.acked,
      journalSeq,
      lag: Math.max(0, journalSeq - this.acked),
      inFlight: this.inFlight,
      resumedFrom: this.resumedFrom,
      failures: this.failures,
      duplicates: this.duplicates,
    };
  }

  /** Resolves once every seq up to `seq` (default: the journal's durable seq now) is in the stream. */
  caughtUp(seq: number = this.o.journal.durableSeq()): Promise<void> {
    if (this.acked >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** Stops reading the journal and waits for what is in flight (their acknowledgement or timeout). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.state = 'stopped';
    this.offLink();
    this.sub?.close();
    this.sub = undefined;
    await this.running;
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    this.acker?.client.close();
  }

  /** Connects, makes sure of the stream, finds where to resume, then follows the journal. */
  private async begin(): Promise<void> {
    while (!this.stopped) {
      try {
        const nc = await this.o.link.ready();
        await ensureEventStream(nc, { firm: this.o.firm, ...(this.o.duplicateWindowMs !== undefined ? { duplicateWindowMs: this.o.duplicateWindowMs } : {}) });
        const last = await lastPublishedSeq(nc, this.o.firm, this.o.nodeId);
        if (this.stopped) return;
        this.acked = Math.min(Math.max(0, last - this.maxInFlight), this.o.journal.durableSeq());
        this.resumedFrom = this.acked + 1;
        this.state = 'publishing';
        this.follow(this.acked + 1);
        return;
      } catch (e) {
        if (this.stopped) return;
        this.o.onError?.(e);
        await sleep(this.o.retryWaitMs ?? 250);
      }
    }
  }

  /** Takes the journal's durable records from `from` on. */
  private follow(from: number): void {
    this.detachedAt = undefined;
    this.sub = this.o.journal.subscribe(
      from,
      (r) => this.take(r),
      (e) => this.journalFailed(e),
    );
  }

  private take(r: JournalRecord): void {
    if (this.detachedAt !== undefined || this.stopped) return;
    this.queue.push(r);
    if (this.queue.length - this.head >= this.maxQueued) {
      // Memory stays bounded while NATS is slow or away: the journal keeps the rest.
      this.sub?.close();
      this.sub = undefined;
      this.detachedAt = r.seq;
    }
    this.pump();
  }

  private journalFailed(e: unknown): void {
    this.o.onError?.(e);
    this.sub?.close();
    this.sub = undefined;
    this.failed = true;
    this.pump();
  }

  /** Sends what the window allows; after a failure, waits for the in-flight ones, then starts again. */
  private pump(): void {
    if (this.stopped || this.state === 'starting') return;
    if (this.failed) {
      if (this.inFlight === 0) void this.restart();
      return;
    }
    const client = this.client();
    if (!client) {
      this.state = 'waiting';
      return;
    }
    this.state = 'publishing';
    while (this.inFlight < this.maxInFlight && this.head < this.queue.length) {
      const r = this.queue[this.head]!;
      if (r.seq - this.acked > this.maxInFlight) break;
      this.head++;
      this.send(client, r);
    }
    if (this.head === this.queue.length && this.head > 0) {
      this.queue.length = 0;
      this.head = 0;
      if (this.detachedAt !== undefined && this.sub === undefined) this.follow(this.detachedAt + 1);
    }
  }

  private client(): AckedPublisher | undefined {
    const nc = this.o.link.connection;
    if (!nc || !this.o.link.connected) return undefined;
    if (this.acker?.nc !== nc) {
      this.acker?.client.close();
      this.acker = { nc, client: new AckedPublisher(nc, this.o.ackTimeoutMs ?? 5_000) };
    }
    return this.acker.client;
  }

  private send(client: AckedPublisher, r: JournalRecord): void {
    const { nodeId, firm } = this.o;
    const h = headers();
    h.set(HEADER_NODE, nodeId);
    h.set(HEADER_SEQ, String(r.seq));
    h.set(HEADER_CODEC, String(CODEC_VERSION));
    h.set(MSG_ID_HEADER, messageId(nodeId, r.seq));
    this.inFlight++;
    client.publish(eventSubject(firm, nodeId, r.event), recordText(r), h).then(
      (ack) => {
        if (ack.duplicate) this.duplicates++;
        this.settled(r.seq);
      },
      (e: unknown) => {
        this.failures++;
        if (!this.failed) this.o.onError?.(e);
        this.failed = true;
        this.inFlight--;
        this.pump();
      },
    );
  }

  private settled(seq: number): void {
    this.inFlight--;
    if (seq > this.acked) this.done.add(seq);
    while (this.done.delete(this.acked + 1)) this.acked++;
    if (this.waiters.length > 0) this.wakeWaiters();
    this.pump();
  }

  private wakeWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (this.acked >= w.seq) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** After a failure: everything from the first unacknowledged seq is read from the journal again. */
  private async restart(): Promise<void> {
    if (!this.failed || this.stopped) return;
    this.failed = false;
    this.sub?.close();
    this.sub = undefined;
    this.queue.length = 0;
    this.head = 0;
    this.done.clear();
    this.state = 'waiting';
    await sleep(this.o.retryWaitMs ?? 250);
    if (this.stopped) return;
    this.state = 'publishing';
    this.follow(this.acked + 1);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
