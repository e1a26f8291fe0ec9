import type { JournalRecord } from '../engine/events.ts';
import { MemoryJournal } from '../engine/journal.ts';
import { Tails } from './tail.ts';
import type { DurableJournal, RecordListener, Subscription } from './types.ts';
import type { StoredSnapshot } from '../engine/snapshot.ts';
import { checkSnapshotSeq, SNAPSHOT_VERSION } from './snapshot.ts';

/** The in-memory journal with tails, so the one contract runs against all three backends. Durable only for the life of the process. */
export class TailingMemoryJournal extends MemoryJournal implements DurableJournal {
  private readonly tails = new Tails((from, limit) => this.slice(from, limit));

  override append(records: readonly JournalRecord[]): void {
    super.append(records);
    if (this.tails.size > 0) this.tails.wake();
  }

  private readonly snapshots = new Map<number, StoredSnapshot>();

  durableSeq(): number {
    return this.lastSeq();
  }

  saveSnapshot(seq: number, body: string): void {
    checkSnapshotSeq(seq, this.durableSeq());
    this.snapshots.set(seq, { seq, version: SNAPSHOT_VERSION, body });
  }

  latestSnapshot(): StoredSnapshot | undefined {
    let best: StoredSnapshot | undefined;
    for (const s of this.snapshots.values()) if (!best || s.seq > best.seq) best = s;
    return best;
  }

  /** Every snapshot kept, for tests (a test may also store one of another version). */
  putSnapshot(s: StoredSnapshot): void {
    this.snapshots.set(s.seq, s);
  }

  subscribe(fromSeq: number, listener: RecordListener, onError?: (e: unknown) => void): Subscription {
    return this.tails.subscribe(fromSeq, listener, onError);
  }

  override close(): Promise<void> {
    this.tails.closeAll();
    return super.close();
  }

  private slice(from: number, limit: number): JournalRecord[] {
    return this.all().slice(Math.max(0, from - 1), Math.max(0, from - 1) + limit);
  }
}
