import type { JournalRecord } from '../engine/events.ts';
import { EngineError, type ErrorContext } from '../model/errors.ts';
import type { BatchSink, GroupCommit } from './group-commit.ts';
import { pagedRead, type Tails } from './tail.ts';
import type { StoredRow } from './types.ts';

/**
 * What the SQLite and PostgreSQL journals share: a group commit in front of the store (which
 * numbers, batches and acknowledges), tails woken after each durable batch, and reads page by
 * page. Each store brings its own writes, pages and where it is (for errors).
 */
export abstract class StoreJournal implements BatchSink {
  protected abstract readonly commit: GroupCommit;
  protected abstract readonly tails: Tails;
  /** Where the store is, for error context: its path or its schema. */
  protected abstract readonly where: ErrorContext;
  protected closed = false;

  abstract write(rows: readonly StoredRow[]): void | Promise<void>;
  protected abstract readPage(from: number, limit: number): JournalRecord[] | Promise<JournalRecord[]>;

  lastSeq(): number {
    return this.commit.lastSeq;
  }
  durableSeq(): number {
    return this.commit.durableSeq;
  }

  append(records: readonly JournalRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    return this.commit.append(records);
  }

  /** Durable records from `fromSeq` on. */
  read(fromSeq = 1): AsyncIterable<JournalRecord> {
    return pagedRead((from, limit) => this.readPage(from, limit), fromSeq, 5_000);
  }

  // BatchSink: told after each durable batch.
  durable(): void {
    if (this.tails.size > 0) this.tails.wake();
  }

  protected closedError(): EngineError {
    return new EngineError('JOURNAL_WRITE_FAILED', 'journal is closed', this.where);
  }
}
