import type { JournalRecord } from '../engine/events.ts';
import type { Journal } from '../engine/journal.ts';
import type { SnapshotStore } from '../engine/snapshot.ts';

/** A live view of the journal: every durable record from a sequence number on, in order, once. */
export interface Subscription {
  close(): void;
}

export type RecordListener = (record: JournalRecord) => void;

/**
 * A journal that outlives the process: durable appends (group commit), tails, a recorded
 * identity, and snapshots of the engine's state (`saveSnapshot` refuses a seq not yet durable
 * with JOURNAL_SEQUENCE_GAP; the format version stored is SNAPSHOT_VERSION).
 */
export interface DurableJournal extends Journal, SnapshotStore {
  /** Highest sequence number known durable (lastSeq() counts appends still in their batch). */
  durableSeq(): number;
  /**
   * Calls `listener` with every durable record from `fromSeq` on, in order, then with each new
   * one as it becomes durable (from this process, or another one where the backend can tell).
   */
  subscribe(fromSeq: number, listener: RecordListener, onError?: (e: unknown) => void): Subscription;
}

/**
 * What the engine runs with. Recorded in the journal on every open (defaulted by resolveIdentity
 * where the caller gives none); a journal last opened with a different code version or
 * configuration is refused (FAULTS 28) unless `allowMismatch` is set, and then the new identity
 * is recorded beside the old.
 */
export interface JournalIdentity {
  readonly codeVersion: string;
  readonly configHash: string;
  readonly allowMismatch?: boolean;
}

/** Group commit: a batch is written when it holds `maxBatch` events, or `maxDelayMs` after its first (0: the next turn of the event loop). */
export interface GroupCommitOptions {
  readonly maxBatch?: number;
  readonly maxDelayMs?: number;
}

/** One stored row: the record, its stream (the event's account, or 'global') and its place in that stream. */
export interface StoredRow {
  readonly seq: number;
  readonly stream: string;
  readonly streamSeq: number;
  readonly kind: string;
  readonly tsEvent: number;
  readonly payload: string;
  /** The new order's client order id, on OrderInitialized rows: the store indexes it (Journal.hasClientOrderId). */
  readonly clientOrderId?: string;
}

/** A run recorded in the journal: which code and configuration opened it, from which sequence number. */
export interface JournalRun {
  readonly codeVersion: string;
  readonly configHash: string;
  readonly firstSeq: number;
  readonly allowedMismatch: boolean;
}
