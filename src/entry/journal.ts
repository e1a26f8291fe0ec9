/**
 * `warden/journal`: durable event stores and snapshots. SQLite (the default) and PostgreSQL
 * journals, identity-checked and row-checksummed; a tailing in-memory journal and one that keeps
 * nothing; snapshots and the snapshotter; the event codec, for tools that read a journal.
 * (MemoryJournal and the Journal contract are in `warden`: the engine's default.)
 */
export { SqliteJournal } from '../journal/sqlite.ts';
export { PostgresJournal } from '../journal/postgres.ts';
export { TailingMemoryJournal } from '../journal/memory.ts';
export { DiscardingJournal } from '../engine/journal.ts';
export type { DurableJournal, JournalIdentity } from '../journal/types.ts';
export { configHash, NO_CONFIG_HASH, packageVersion, resolveIdentity } from '../journal/identity.ts';
export { Snapshotter, type SnapshotterOptions } from '../journal/snapshotter.ts';
export { encodeSnapshot, decodeSnapshot, JSON_SNAPSHOTS, SNAPSHOT_VERSION } from '../journal/snapshot.ts';
export { encodeEvent, decodeEvent, CODEC_VERSION } from '../journal/codec.ts';
