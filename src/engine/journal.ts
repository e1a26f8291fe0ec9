import { EngineError } from '../model/errors.ts';
import type { JournalRecord } from './events.ts';

/**
 * The event store contract. Sequence numbers start at 1 and have no gaps: an append whose first
 * record is not `lastSeq() + 1`, or whose records skip or repeat a number, fails with
 * JOURNAL_SEQUENCE_GAP and stores nothing. `append` resolves only once the records are durable.
 */
export interface Journal {
  lastSeq(): number;
  append(records: readonly JournalRecord[]): Promise<void>;
  read(fromSeq?: number): AsyncIterable<JournalRecord>;
  close(): Promise<void>;
}

export function checkSequence(lastSeq: number, records: readonly JournalRecord[]): void {
  let expected = lastSeq + 1;
  for (const r of records) {
    if (r.seq !== expected) {
      throw new EngineError('JOURNAL_SEQUENCE_GAP', `append of seq ${r.seq} where ${expected} was expected`, { expected, actual: r.seq });
    }
    expected++;
  }
}

/** Keeps every record in memory: for tests, backtests and benchmarks. */
export class MemoryJournal implements Journal {
  private readonly records: JournalRecord[] = [];
  private static readonly done = Promise.resolve();

  lastSeq(): number {
    return this.records.length;
  }

  append(records: readonly JournalRecord[]): Promise<void> {
    try {
      checkSequence(this.records.length, records);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    for (const r of records) this.records.push(r);
    return MemoryJournal.done;
  }

  async *read(fromSeq = 1): AsyncIterable<JournalRecord> {
    for (let i = Math.max(0, fromSeq - 1); i < this.records.length; i++) yield this.records[i] as JournalRecord;
  }

  /** Synchronous view for tests. */
  all(): readonly JournalRecord[] {
    return this.records;
  }

  close(): Promise<void> {
    return MemoryJournal.done;
  }
}

/**
 * Checks the sequence and keeps nothing: for measuring the engine alone. Not a journal to
 * trade on: it cannot be replayed.
 */
export class DiscardingJournal implements Journal {
  private seq = 0;
  private static readonly done = Promise.resolve();
  lastSeq(): number {
    return this.seq;
  }
  append(records: readonly JournalRecord[]): Promise<void> {
    try {
      checkSequence(this.seq, records);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    this.seq += records.length;
    return DiscardingJournal.done;
  }
  // eslint-disable-next-line require-yield
  async *read(): AsyncIterable<JournalRecord> {
    return;
  }
  close(): Promise<void> {
    return DiscardingJournal.done;
  }
}
