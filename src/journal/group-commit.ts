import type { EngineEvent, JournalRecord } from '../engine/events.ts';
import { checkSequence } from '../engine/journal.ts';
import { EngineError } from '../model/errors.ts';
import { recordText } from './codec.ts';
import type { GroupCommitOptions, StoredRow } from './types.ts';

/** Where a batch goes: written and durable when the call returns (SQLite) or when its promise resolves. */
export interface BatchSink {
  write(rows: readonly StoredRow[]): void | Promise<void>;
  /** Told after each durable batch (wakes tails). */
  durable(lastSeq: number): void;
}

export const GLOBAL_STREAM = 'global';

/** Write failures passed on as they are; anything else becomes JOURNAL_WRITE_FAILED. */
const KEPT_CODES: ReadonlySet<string> = new Set(['JOURNAL_WRITE_FAILED', 'JOURNAL_FILE_GONE']);

/** The stream an event belongs to: its account where it names one, else 'global'. */
export function streamOf(event: EngineEvent): string {
  switch (event.kind) {
    case 'AccountOpened':
    case 'BalanceAdjusted':
    case 'OrderFilled':
      return event.accountId;
    case 'OrderInitialized':
      return event.spec.accountId;
    default:
      return GLOBAL_STREAM;
  }
}

interface Batch {
  readonly rows: StoredRow[];
  readonly promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
  lastSeq: number;
}

/**
 * Group commit shared by the durable journals. `append` checks the sequence, encodes and numbers
 * the events in their streams at once (a bad append throws and changes nothing), adds them to the
 * open batch and returns that batch's promise: every append of a batch shares one promise, so the
 * hot path makes no closure per call. A batch is sealed at `maxBatch` events or when the flush
 * runs (`maxDelayMs` after its first event; 0 = next event-loop turn); batches are written one at
 * a time, in order, and while one is being written (PostgreSQL) the next one fills up.
 *
 * A failed write rejects its batch and every later one with JOURNAL_WRITE_FAILED, and every later
 * append too: the journal never acknowledges anything after a write it could not make.
 */
export class GroupCommit {
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly streams: Map<string, number>;
  private readonly sealed: Batch[] = [];
  private current: Batch | undefined;
  private appended: number;
  private durable: number;
  private scheduled = false;
  private inflight = false;
  private failure: EngineError | undefined;
  /** Client order ids appended but not yet written (to their seq): the store's index does not have them yet. */
  private readonly pendingIds = new Map<string, number>();
  private readonly flushBound = (): void => this.flush();
  private readonly writtenBound = (): void => this.written();
  private readonly writeFailedBound = (e: unknown): void => this.fail(e);

  constructor(
    private readonly sink: BatchSink,
    lastSeq: number,
    streams: Map<string, number>,
    opts: GroupCommitOptions = {},
  ) {
    this.appended = lastSeq;
    this.durable = lastSeq;
    this.streams = streams;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 2_000);
    this.maxDelayMs = Math.max(0, opts.maxDelayMs ?? 0);
  }

  get lastSeq(): number {
    return this.appended;
  }
  get durableSeq(): number {
    return this.durable;
  }
  get failed(): EngineError | undefined {
    return this.failure;
  }
  /** Whether an OrderInitialized with this id is appended and not yet written. */
  hasPendingClientOrderId(id: string): boolean {
    return this.pendingIds.has(id);
  }

  append(records: readonly JournalRecord[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    checkSequence(this.appended, records);
    const rows: StoredRow[] = [];
    const streams = this.streams;
    let touched: Map<string, number> | undefined;
    for (const r of records) {
      const payload = recordText(r);
      const stream = streamOf(r.event);
      const streamSeq = (touched?.get(stream) ?? streams.get(stream) ?? 0) + 1;
      (touched ??= new Map()).set(stream, streamSeq);
      if (r.event.kind === 'OrderInitialized') {
        const id = r.event.clientOrderId;
        rows.push({ seq: r.seq, stream, streamSeq, kind: r.event.kind, tsEvent: r.event.tsEvent, payload, clientOrderId: id });
      } else {
        rows.push({ seq: r.seq, stream, streamSeq, kind: r.event.kind, tsEvent: r.event.tsEvent, payload });
      }
    }
    if (rows.length === 0) return Promise.resolve();
    for (const row of rows) if (row.clientOrderId !== undefined) this.pendingIds.set(row.clientOrderId, row.seq);
    if (touched) for (const [s, n] of touched) streams.set(s, n);
    this.appended = rows[rows.length - 1]!.seq;
    let batch = this.current ?? this.open();
    for (const row of rows) {
      if (batch.rows.length >= this.maxBatch) {
        this.seal();
        batch = this.open();
      }
      batch.rows.push(row);
      batch.lastSeq = row.seq;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.maxDelayMs === 0) setImmediate(this.flushBound);
      else setTimeout(this.flushBound, this.maxDelayMs);
    }
    return batch.promise;
  }

  /** Writes everything appended so far and resolves when it is durable (or rejects). */
  async drain(): Promise<void> {
    if (this.failure) throw this.failure;
    const last = this.current ?? this.sealed[this.sealed.length - 1];
    if (!last) return;
    this.flush();
    await last.promise;
  }

  private open(): Batch {
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.current = { rows: [], promise, resolve, reject, lastSeq: 0 };
    return this.current;
  }

  private seal(): void {
    if (this.current && this.current.rows.length > 0) this.sealed.push(this.current);
    this.current = undefined;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.inflight || this.failure) return;
    this.seal();
    this.writeNext();
  }

  private writeNext(): void {
    while (this.sealed.length > 0) {
      const batch = this.sealed[0]!;
      let pending: void | Promise<void>;
      try {
        pending = this.sink.write(batch.rows);
      } catch (e) {
        this.fail(e);
        return;
      }
      if (pending) {
        this.inflight = true;
        pending.then(this.writtenBound, this.writeFailedBound);
        return;
      }
      this.done();
    }
  }

  private written(): void {
    this.inflight = false;
    this.done();
    // What arrived during the write goes now, as one batch: that is the group commit.
    this.seal();
    this.writeNext();
  }

  private done(): void {
    const batch = this.sealed.shift()!;
    this.durable = batch.lastSeq;
    if (this.pendingIds.size > 0) {
      for (const row of batch.rows) {
        if (row.clientOrderId !== undefined && this.pendingIds.get(row.clientOrderId) === row.seq) this.pendingIds.delete(row.clientOrderId);
      }
    }
    batch.resolve();
    this.sink.durable(batch.lastSeq);
  }

  private fail(e: unknown): void {
    this.inflight = false;
    const err =
      e instanceof EngineError && KEPT_CODES.has(e.code)
        ? e
        : new EngineError('JOURNAL_WRITE_FAILED', `journal write failed after seq ${this.durable}: ${(e as Error)?.message ?? String(e)}`, {
            durableSeq: this.durable,
            cause: (e as { code?: unknown })?.code === undefined ? String(e) : String((e as { code?: unknown }).code),
          });
    this.failure ??= err;
    this.seal();
    for (const b of this.sealed.splice(0)) b.reject(this.failure);
  }
}
