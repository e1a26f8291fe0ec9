import type { JournalRecord } from '../engine/events.ts';
import { MemoryJournal } from '../engine/journal.ts';
import { Tails } from './tail.ts';
import type { DurableJournal, RecordListener, Subscription } from './types.ts';

/** The in-memory journal with tails, so the one contract runs against all three backends. Durable only for the life of the process. */
export class TailingMemoryJournal extends MemoryJournal implements DurableJournal {
  private readonly tails = new Tails((from, limit) => this.slice(from, limit));

  override append(records: readonly JournalRecord[]): void {
    super.append(records);
    if (this.tails.size > 0) this.tails.wake();
  }

  durableSeq(): number {
    return this.lastSeq();
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
