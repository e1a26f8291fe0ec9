import type { JournalRecord } from '../engine/events.ts';
import { DiscardingJournal, type Journal } from '../engine/journal.ts';
import type { StoredSnapshot } from '../engine/snapshot.ts';
import type { DurableJournal, RecordListener, Subscription } from '../journal/types.ts';

/**
 * A journal the node can run on that is not a store of its own: a backtest's (by default one that
 * keeps nothing, so memory stays flat over millions of bars; or the caller's MemoryJournal). It
 * is durable when appended (in memory), keeps no snapshots (a backtest is never restarted from
 * one) and cannot be tailed.
 */
export class InProcessJournal implements DurableJournal {
  readonly hasClientOrderId?: (id: string) => boolean | Promise<boolean>;

  constructor(private readonly inner: Journal = new DiscardingJournal()) {
    if (inner.hasClientOrderId) this.hasClientOrderId = (id) => inner.hasClientOrderId!(id);
  }

  lastSeq(): number {
    return this.inner.lastSeq();
  }

  durableSeq(): number {
    return this.inner.lastSeq();
  }

  append(records: readonly JournalRecord[]): Promise<void> | void {
    return this.inner.append(records);
  }

  read(fromSeq?: number): AsyncIterable<JournalRecord> {
    return this.inner.read(fromSeq);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  saveSnapshot(_seq: number, _body: string): void {}

  latestSnapshot(): StoredSnapshot | undefined {
    return undefined;
  }

  subscribe(_fromSeq: number, _listener: RecordListener): Subscription {
    throw new Error('an in-process backtest journal cannot be tailed');
  }
}
