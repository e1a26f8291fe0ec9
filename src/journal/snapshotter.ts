import type { Engine } from '../engine/engine.ts';
import type { JournalRecord } from '../engine/events.ts';
import type { Journal } from '../engine/journal.ts';
import type { SnapshotCodec, SnapshotStore } from '../engine/snapshot.ts';
import { JSON_SNAPSHOTS } from './snapshot.ts';

export interface SnapshotterOptions {
  /** Take a snapshot once this many records have been journaled since the last one. */
  readonly every: number;
  /** The text format; default the JSON one. */
  readonly codec?: SnapshotCodec;
}

/**
 * Takes a snapshot of an engine's state every N journaled records. It listens on the engine's
 * `record` topic (records as they become durable) and snapshots only when the state holds
 * nothing beyond the durable sequence number (engine.lastSeq ≤ the journal's durable seq), so a
 * snapshot never includes an event a crash could lose; under a steady stream of appends with an
 * asynchronous journal the snapshot waits for such a moment (the next durable batch with nothing
 * after it). The hot path pays the serialization; the store's write is SQLite's one insert
 * without an fsync of its own, or PostgreSQL's query queued on the writer's connection, and at
 * most one write is in flight. A failed snapshot is an `alert` (SNAPSHOT_FAILED), never a stop:
 * the journal is the record, a snapshot only shortens recovery.
 */
export class Snapshotter {
  /** The seq of the last snapshot taken (or the one the engine was recovered from). */
  lastSeq: number;
  /** Snapshots written by this snapshotter. */
  taken = 0;
  private readonly every: number;
  private readonly codec: SnapshotCodec;
  private saving: Promise<void> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly store: Journal & SnapshotStore & { durableSeq?(): number },
    opts: SnapshotterOptions,
  ) {
    if (!Number.isSafeInteger(opts.every) || opts.every < 1) throw new RangeError(`snapshot interval must be a whole number >= 1, got ${opts.every}`);
    this.every = opts.every;
    this.codec = opts.codec ?? JSON_SNAPSHOTS;
    this.lastSeq = engine.recovery?.snapshotSeq ?? 0;
    this.unsubscribe = engine.bus.subscribe('record', this.onRecord);
  }

  private readonly onRecord = (_r: JournalRecord): void => {
    if (this.engine.lastSeq - this.lastSeq >= this.every) this.takeNow();
  };

  /**
   * Takes a snapshot now if the state is at a durable seq and no write is in flight; returns its
   * seq, or undefined if it could not be taken now.
   */
  takeNow(): number | undefined {
    if (this.saving) return undefined;
    const seq = this.engine.lastSeq;
    const durable = this.store.durableSeq ? this.store.durableSeq() : this.store.lastSeq();
    if (seq > durable || seq <= this.lastSeq) return undefined;
    // Counted as taken before the write: a failure waits for the next interval, not the next record.
    this.lastSeq = seq;
    try {
      const pending = this.store.saveSnapshot(seq, this.codec.encode(this.engine.state.toSnapshot(seq)));
      if (pending) {
        this.saving = pending.then(
          () => {
            this.saving = undefined;
            this.taken++;
          },
          (e: unknown) => {
            this.saving = undefined;
            this.failed(seq, e);
          },
        );
      } else {
        this.taken++;
      }
    } catch (e) {
      this.failed(seq, e);
      return undefined;
    }
    return seq;
  }

  /** Resolves once no snapshot write is in flight. */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  close(): void {
    this.unsubscribe();
  }

  private failed(seq: number, e: unknown): void {
    this.engine.bus.publish('alert', {
      code: 'SNAPSHOT_FAILED',
      message: `snapshot at seq ${seq} not stored: ${(e as Error)?.message ?? String(e)}`,
      context: { seq },
      ts: this.engine.now(),
    });
  }
}
