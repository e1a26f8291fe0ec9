import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { JournalRecord } from '../engine/events.ts';
import { CODEC_VERSION, decodeEvent } from './codec.ts';
import { GroupCommit } from './group-commit.ts';
import { OpenFiles } from './file-identity.ts';
import { rowChecksum, verifyRow } from './checksum.ts';
import { StoreJournal } from './store-journal.ts';
import { checkIdentity, resolveIdentity, schemaTooNew } from './identity.ts';
import { Tails } from './tail.ts';
import { checkSnapshotSeq, SNAPSHOT_VERSION } from './snapshot.ts';
import type { StoredSnapshot } from '../engine/snapshot.ts';
import type { DurableJournal, GroupCommitOptions, JournalIdentity, JournalRun, RecordListener, StoredRow, Subscription } from './types.ts';

export const DEFAULT_SQLITE_PATH = './var/warden.sqlite';

/**
 * Versioned migrations. The triggers make the file itself refuse a gap or a reused number in the
 * global and per-stream sequences, whoever writes to it.
 */
export const SQLITE_MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE events (
       seq INTEGER PRIMARY KEY,
       stream TEXT NOT NULL,
       stream_seq INTEGER NOT NULL,
       kind TEXT NOT NULL,
       ts_event INTEGER NOT NULL,
       codec INTEGER NOT NULL,
       payload TEXT NOT NULL,
       UNIQUE (stream, stream_seq))`,
    `CREATE TRIGGER events_gap_free BEFORE INSERT ON events BEGIN
       SELECT RAISE(ABORT, 'JOURNAL_SEQUENCE_GAP: seq') WHERE NEW.seq <> (SELECT IFNULL(MAX(seq), 0) + 1 FROM events);
       SELECT RAISE(ABORT, 'JOURNAL_SEQUENCE_GAP: stream_seq')
         WHERE NEW.stream_seq <> (SELECT IFNULL(MAX(stream_seq), 0) + 1 FROM events WHERE stream = NEW.stream);
     END`,
    `CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END`,
    `CREATE TRIGGER events_append_only_d BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END`,
    `CREATE TABLE runs (
       id INTEGER PRIMARY KEY,
       opened_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
       code_version TEXT NOT NULL,
       config_hash TEXT NOT NULL,
       first_seq INTEGER NOT NULL,
       allowed_mismatch INTEGER NOT NULL)`,
  ],
  [
    `CREATE TABLE snapshots (
       seq INTEGER PRIMARY KEY,
       version INTEGER NOT NULL,
       taken_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
       body TEXT NOT NULL)`,
  ],
  [
    // Per-row checksums (rowChecksum), computed for the rows already there: a row edited after
    // this migration fails its replay. The update needs the append-only trigger out of the way.
    `ALTER TABLE events ADD COLUMN checksum INTEGER`,
    `DROP TRIGGER events_append_only_u`,
    `UPDATE events SET checksum = warden_row_checksum(seq, kind, codec, payload)`,
    `CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END`,
  ],
  [
    // Every client order id ever journaled, for the duplicate check beyond the engine's memory.
    `CREATE TABLE client_order_ids (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID`,
    `INSERT OR IGNORE INTO client_order_ids (id, seq)
       SELECT json_extract(payload, '$.clientOrderId'), seq FROM events WHERE kind = 'OrderInitialized' ORDER BY seq`,
  ],
];

export interface SqliteJournalOptions extends GroupCommitOptions {
  /** Database file; default ./var/warden.sqlite (the directory is created). */
  readonly path?: string;
  /**
   * Recorded and checked on open (FAULTS 28). Always checked: omitted fields default to this
   * code's package version and NO_CONFIG_HASH (resolveIdentity); `allowMismatch: true` lets a
   * journal last opened with another identity open.
   */
  readonly identity?: Partial<JournalIdentity>;
  /** Tails also look for rows written by other processes every this many ms (0: only this process's appends wake them). */
  readonly pollMs?: number;
}

interface Row {
  seq: number;
  kind: string;
  codec: number;
  payload: string;
  checksum: number | null;
}

/**
 * The embedded journal: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk
 * when it returns. Appends are group-committed (see GroupCommit): one transaction, one fsync per
 * batch.
 */
export class SqliteJournal extends StoreJournal implements DurableJournal {
  readonly path: string;
  private readonly db: Database.Database;
  protected readonly commit: GroupCommit;
  protected readonly tails: Tails;
  protected readonly where: { path: string };
  private readonly insert: Database.Statement<[number, string, number, string, number, number, string, number]>;
  private readonly page: Database.Statement<[number, number], Row>;
  private readonly insertId: Database.Statement<[string, number]>;
  private readonly findId: Database.Statement<[string], { one: number }>;
  private readonly insertBatch: (rows: readonly StoredRow[]) => void;
  private poll: NodeJS.Timeout | undefined;
  /** The database and WAL files as opened: a batch is acknowledged only while the paths still name them. */
  private files: OpenFiles | undefined;

  private constructor(path: string, db: Database.Database, opts: SqliteJournalOptions) {
    super();
    this.path = path;
    this.where = { path };
    this.db = db;
    this.insert = db.prepare('INSERT INTO events (seq, stream, stream_seq, kind, ts_event, codec, payload, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.page = db.prepare<[number, number], Row>('SELECT seq, kind, codec, payload, checksum FROM events WHERE seq >= ? ORDER BY seq LIMIT ?');
    // An id adopted again (an external order) keeps its first seq: the index says "ever used".
    this.insertId = db.prepare('INSERT OR IGNORE INTO client_order_ids (id, seq) VALUES (?, ?)');
    this.findId = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM client_order_ids WHERE id = ?');
    this.insertBatch = db.transaction((rows: readonly StoredRow[]) => {
      for (const r of rows) {
        this.insert.run(r.seq, r.stream, r.streamSeq, r.kind, r.tsEvent, CODEC_VERSION, r.payload, rowChecksum(r.seq, r.kind, CODEC_VERSION, r.payload));
        if (r.clientOrderId !== undefined) this.insertId.run(r.clientOrderId, r.seq);
      }
    });
    const last = (db.prepare('SELECT IFNULL(MAX(seq), 0) AS n FROM events').get() as { n: number }).n;
    const streams = new Map<string, number>();
    for (const s of db.prepare('SELECT stream, MAX(stream_seq) AS n FROM events GROUP BY stream').all() as { stream: string; n: number }[]) {
      streams.set(s.stream, s.n);
    }
    this.commit = new GroupCommit(this, last, streams, opts);
    this.tails = new Tails((from, limit) => this.readPage(from, limit));
    if (opts.pollMs) {
      this.poll = setInterval(() => this.tails.wake(), opts.pollMs);
      this.poll.unref();
    }
  }

  /** Opens (creating if needed) and migrates the file, and checks the recorded identity. */
  static open(opts: SqliteJournalOptions = {}): SqliteJournal {
    const path = resolve(opts.path ?? DEFAULT_SQLITE_PATH);
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      migrate(db, path);
      const journal = new SqliteJournal(path, db, opts);
      journal.recordIdentity(resolveIdentity(opts.identity));
      journal.files = OpenFiles.of([path, `${path}-wal`]);
      return journal;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  subscribe(fromSeq: number, listener: RecordListener, onError?: (e: unknown) => void): Subscription {
    return this.tails.subscribe(fromSeq, listener, onError);
  }

  /** Whether an order with this client order id was ever appended: written (the index table) or still in its batch. */
  hasClientOrderId(id: string): boolean {
    return this.commit.hasPendingClientOrderId(id) || this.findId.get(id) !== undefined;
  }

  /** The identities this journal was opened with, oldest first. */
  runs(): JournalRun[] {
    return (
      this.db.prepare('SELECT code_version, config_hash, first_seq, allowed_mismatch FROM runs ORDER BY id').all() as {
        code_version: string;
        config_hash: string;
        first_seq: number;
        allowed_mismatch: number;
      }[]
    ).map((r) => ({ codeVersion: r.code_version, configHash: r.config_hash, firstSeq: r.first_seq, allowedMismatch: r.allowed_mismatch === 1 }));
  }

  /**
   * Stores a snapshot taken at `seq` (durable already). Written with synchronous=NORMAL: no fsync
   * of its own (the next event batch's commit makes it durable); a snapshot lost in a crash only
   * means a longer replay.
   */
  saveSnapshot(seq: number, body: string): void {
    if (this.closed) throw this.closedError();
    checkSnapshotSeq(seq, this.durableSeq());
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.prepare('INSERT OR REPLACE INTO snapshots (seq, version, body) VALUES (?, ?, ?)').run(seq, SNAPSHOT_VERSION, body);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  latestSnapshot(): StoredSnapshot | undefined {
    const r = this.db.prepare('SELECT seq, version, body FROM snapshots ORDER BY seq DESC LIMIT 1').get() as StoredSnapshot | undefined;
    return r && { seq: r.seq, version: r.version, body: r.body };
  }

  /** Stored rows with their streams, for checks and tools. */
  rows(fromSeq = 1, limit = 1_000_000): StoredRow[] {
    return (
      this.db
        .prepare('SELECT seq, stream, stream_seq, kind, ts_event, payload FROM events WHERE seq >= ? ORDER BY seq LIMIT ?')
        .all(fromSeq, limit) as { seq: number; stream: string; stream_seq: number; kind: string; ts_event: number; payload: string }[]
    ).map((r) => ({ seq: r.seq, stream: r.stream, streamSeq: r.stream_seq, kind: r.kind, tsEvent: r.ts_event, payload: r.payload }));
  }

  /** The underlying database, for tools and tests. */
  get database(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    try {
      await this.commit.drain();
    } finally {
      this.tails.closeAll();
      this.db.close();
    }
  }

  // BatchSink
  write(rows: readonly StoredRow[]): void {
    this.insertBatch(rows);
    // After the commit: a file deleted or replaced before it (or during it) fails this batch too.
    this.files?.check();
  }

  protected readPage(from: number, limit: number): JournalRecord[] {
    if (!this.db.open) return [];
    const out: JournalRecord[] = [];
    for (const r of this.page.all(from, limit)) {
      verifyRow(r.seq, r.kind, r.codec, r.payload, r.checksum);
      out.push({ seq: r.seq, event: decodeEvent(r.payload, r.codec, r.seq) });
    }
    return out;
  }

  private recordIdentity(identity: JournalIdentity): void {
    const last = this.runs().at(-1);
    const allowed = checkIdentity(last, identity);
    this.db
      .prepare('INSERT INTO runs (code_version, config_hash, first_seq, allowed_mismatch) VALUES (?, ?, ?, ?)')
      .run(identity.codeVersion, identity.configHash, this.lastSeq() + 1, allowed ? 1 : 0);
  }
}

function migrate(db: Database.Database, path: string): void {
  db.function('warden_row_checksum', { deterministic: true }, (seq, kind, codec, payload) => rowChecksum(Number(seq), String(kind), Number(codec), String(payload)));
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime(\'%Y-%m-%dT%H:%M:%fZ\', \'now\')))');
  const current = (db.prepare('SELECT IFNULL(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  if (current > SQLITE_MIGRATIONS.length) throw schemaTooNew(current, SQLITE_MIGRATIONS.length, path);
  const apply = db.transaction(() => {
    for (let v = current + 1; v <= SQLITE_MIGRATIONS.length; v++) {
      for (const sql of SQLITE_MIGRATIONS[v - 1]!) db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version) VALUES (?)').run(v);
    }
  });
  apply.immediate();
}
