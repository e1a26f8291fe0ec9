import { EngineError } from '../model/errors.ts';
import type { EngineEvent, JournalRecord } from './events.ts';

/**
 * The event store contract. Sequence numbers start at 1 and have no gaps: an append whose first
 * record is not `lastSeq() + 1`, or whose records skip or repeat a number, fails with
 * JOURNAL_SEQUENCE_GAP and stores nothing. `append` resolves only once the records are durable; a
 * journal that is durable on return (in memory) returns nothing, which spares the engine a promise
 * per event on its hot path.
 */
export interface Journal {
  lastSeq(): number;
  append(records: readonly JournalRecord[]): Promise<void> | void;
  read(fromSeq?: number): AsyncIterable<JournalRecord>;
  close(): Promise<void>;
  /**
   * Whether an OrderInitialized with this client order id was ever appended: the duplicate
   * check for ids the engine no longer remembers (see checkJournaledIds). Synchronous where the
   * store can answer at once (memory, SQLite); a promise where it cannot (PostgreSQL). A journal
   * without it (test doubles, DiscardingJournal) leaves the check to the engine's memory.
   */
  hasClientOrderId?(id: string): boolean | Promise<boolean>;
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

/**
 * Keeps every event in memory: for tests, backtests and benchmarks. Stores the events alone
 * (the sequence number is the position) so that a long run keeps one object per event, not two.
 */
export class MemoryJournal implements Journal {
  private readonly events: EngineEvent[] = [];
  private static readonly done = Promise.resolve();
  /** Client order ids of the events up to `indexed`, built on the first question, not on append. */
  private readonly clientOrderIds = new Set<string>();
  private indexed = 0;

  lastSeq(): number {
    return this.events.length;
  }

  append(records: readonly JournalRecord[]): void {
    checkSequence(this.events.length, records);
    for (const r of records) this.events.push(r.event);
  }

  read(fromSeq = 1): AsyncIterable<JournalRecord> {
    const events = this.events;
    let i = Math.max(0, fromSeq - 1);
    return {
      [Symbol.asyncIterator]: () => ({
        next: (): Promise<IteratorResult<JournalRecord>> => {
          if (i >= events.length) return Promise.resolve({ done: true, value: undefined });
          const event = events[i++] as EngineEvent;
          return Promise.resolve({ done: false, value: { seq: i, event } });
        },
      }),
    };
  }

  hasClientOrderId(id: string): boolean {
    const events = this.events;
    for (; this.indexed < events.length; this.indexed++) {
      const e = events[this.indexed]!;
      if (e.kind === 'OrderInitialized') this.clientOrderIds.add(e.clientOrderId);
    }
    return this.clientOrderIds.has(id);
  }

  /** Synchronous view for tests. */
  all(): JournalRecord[] {
    return this.events.map((event, i) => ({ seq: i + 1, event }));
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
  append(records: readonly JournalRecord[]): void {
    checkSequence(this.seq, records);
    this.seq += records.length;
  }
  read(): AsyncIterable<JournalRecord> {
    return {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }),
    };
  }
  close(): Promise<void> {
    return DiscardingJournal.done;
  }
}
