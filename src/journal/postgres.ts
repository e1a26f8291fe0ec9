import pg from 'pg';
import type { JournalRecord } from '../engine/events.ts';
import { EngineError } from '../model/errors.ts';
import { CODEC_VERSION, decodeEvent } from './codec.ts';
import { GroupCommit } from './group-commit.ts';
import { StoreJournal } from './store-journal.ts';
import { checkIdentity, resolveIdentity, schemaTooNew } from './identity.ts';
import { Tails } from './tail.ts';
import { rowChecksum, verifyRow } from './checksum.ts';
import { checkSnapshotSeq, SNAPSHOT_VERSION } from './snapshot.ts';
import type { StoredSnapshot } from '../engine/snapshot.ts';
import type { DurableJournal, GroupCommitOptions, JournalIdentity, JournalRun, RecordListener, StoredRow, Subscription } from './types.ts';

/** Versioned migrations; `%s` is the schema. */
export const PG_MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE %s.events (
       seq BIGINT PRIMARY KEY,
       stream TEXT NOT NULL,
       stream_seq BIGINT NOT NULL,
       kind TEXT NOT NULL,
       ts_event BIGINT NOT NULL,
       codec INTEGER NOT NULL,
       payload TEXT NOT NULL,
       UNIQUE (stream, stream_seq))`,
    `CREATE TABLE %s.runs (
       id BIGSERIAL PRIMARY KEY,
       opened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
       code_version TEXT NOT NULL,
       config_hash TEXT NOT NULL,
       first_seq BIGINT NOT NULL,
       allowed_mismatch BOOLEAN NOT NULL)`,
  ],
  [
    `CREATE TABLE %s.snapshots (
       seq BIGINT PRIMARY KEY,
       version INTEGER NOT NULL,
       taken_at TIMESTAMPTZ NOT NULL DEFAULT now(),
       body TEXT NOT NULL)`,
  ],
  // Per-row checksums (rowChecksum); the rows already there get theirs from backfillChecksums.
  [`ALTER TABLE %s.events ADD COLUMN checksum BIGINT`],
  [
    // Every client order id ever journaled, for the duplicate check beyond the engine's memory.
    `CREATE TABLE %s.client_order_ids (id TEXT PRIMARY KEY, seq BIGINT NOT NULL)`,
    `INSERT INTO %s.client_order_ids (id, seq)
       SELECT payload::jsonb->>'clientOrderId', seq FROM %s.events WHERE kind = 'OrderInitialized' ORDER BY seq ON CONFLICT (id) DO NOTHING`,
  ],
];

/** The migration that adds the checksum column; its rows are filled in the same transaction. */
const CHECKSUM_MIGRATION = 3;

export interface PostgresJournalOptions extends GroupCommitOptions {
  readonly connectionString: string;
  /** Schema holding the journal's tables (created if missing); default `warden`. One engine writes one schema. */
  readonly schema?: string;
  /** Recorded and checked on open, as for SQLite (see SqliteJournalOptions.identity): omitted fields default, a mismatch needs `allowMismatch`. */
  readonly identity?: Partial<JournalIdentity>;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The production journal on PostgreSQL. One writer per schema, made sure by a session advisory
 * lock held for the journal's life (a second engine on the same schema is refused); the
 * per-row checks are the primary key and the (stream, stream_seq) key, so a reused number fails;
 * the writer numbers everything itself, so it never leaves a gap. A batch is one INSERT ... SELECT
 * FROM unnest(...) statement that also NOTIFYs the tails: durable (synchronous_commit) when it
 * returns.
 */
export class PostgresJournal extends StoreJournal implements DurableJournal {
  readonly schema: string;
  protected readonly commit: GroupCommit;
  protected readonly tails: Tails;
  protected readonly where: { schema: string };
  private readonly channel: string;
  private listener: pg.Client | undefined;
  /** The last statement queued on the writer's connection; the next one starts after it settles (see `query`). */
  private lane: Promise<unknown> = Promise.resolve();
  private readonly insertSql: string;
  private readonly pageSql: string;
  private readonly findIdSql: string;

  private constructor(
    private readonly client: pg.Client,
    private readonly opts: PostgresJournalOptions,
    schema: string,
    last: number,
    streams: Map<string, number>,
  ) {
    super();
    this.schema = schema;
    this.where = { schema };
    this.channel = `warden_journal_${schema}`;
    this.insertSql =
      `WITH ins AS (INSERT INTO ${schema}.events (seq, stream, stream_seq, kind, ts_event, codec, payload, checksum) ` +
      `SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::int[], $7::text[], $8::bigint[]) RETURNING seq), ` +
      `ids AS (INSERT INTO ${schema}.client_order_ids (id, seq) SELECT * FROM unnest($9::text[], $10::bigint[]) ON CONFLICT (id) DO NOTHING) ` +
      `SELECT pg_notify('${this.channel}', max(seq)::text) FROM ins`;
    this.findIdSql = `SELECT 1 FROM ${schema}.client_order_ids WHERE id = $1`;
    this.pageSql = `SELECT seq, kind, codec, payload, checksum FROM ${schema}.events WHERE seq >= $1 ORDER BY seq LIMIT $2`;
    this.commit = new GroupCommit(this, last, streams, opts);
    this.tails = new Tails((from, limit) => this.readPage(from, limit));
    // A lost connection is a failed journal: later appends reject and the engine stops.
    client.on('error', () => undefined);
  }

  static async open(opts: PostgresJournalOptions): Promise<PostgresJournal> {
    const schema = opts.schema ?? 'warden';
    if (!SCHEMA.test(schema)) throw new EngineError('JOURNAL_CORRUPT', `invalid journal schema name ${JSON.stringify(schema)}`, { schema });
    const client = new pg.Client({ connectionString: opts.connectionString });
    await client.connect();
    try {
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`warden.journal.${schema}`]);
      if (!lock.rows[0]?.ok) {
        throw new EngineError('JOURNAL_WRITE_FAILED', `another writer holds the journal in schema ${schema}`, { schema, cause: 'LOCKED' });
      }
      await migrate(client, schema);
      const last = Number((await client.query<{ n: string }>(`SELECT COALESCE(MAX(seq), 0) AS n FROM ${schema}.events`)).rows[0]!.n);
      const streams = new Map<string, number>();
      for (const r of (await client.query<{ stream: string; n: string }>(`SELECT stream, MAX(stream_seq) AS n FROM ${schema}.events GROUP BY stream`)).rows) {
        streams.set(r.stream, Number(r.n));
      }
      const journal = new PostgresJournal(client, opts, schema, last, streams);
      await journal.recordIdentity(resolveIdentity(opts.identity));
      return journal;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  }

  /** Tails follow this process's commits and, through LISTEN, every other writer's. */
  subscribe(fromSeq: number, listener: RecordListener, onError?: (e: unknown) => void): Subscription {
    if (!this.listener) void this.listen(onError);
    return this.tails.subscribe(fromSeq, listener, onError);
  }

  /** Stores a snapshot taken at `seq` (durable already). Shares the writer's connection, so it queues behind the batch being written. */
  async saveSnapshot(seq: number, body: string): Promise<void> {
    if (this.closed) throw this.closedError();
    checkSnapshotSeq(seq, this.durableSeq());
    await this.query(
      `INSERT INTO ${this.schema}.snapshots (seq, version, body) VALUES ($1, $2, $3) ON CONFLICT (seq) DO UPDATE SET version = EXCLUDED.version, body = EXCLUDED.body, taken_at = now()`,
      [seq, SNAPSHOT_VERSION, body],
    );
  }

  async latestSnapshot(): Promise<StoredSnapshot | undefined> {
    const r = await this.query<{ seq: string; version: number; body: string }>(`SELECT seq, version, body FROM ${this.schema}.snapshots ORDER BY seq DESC LIMIT 1`);
    const x = r.rows[0];
    return x && { seq: Number(x.seq), version: x.version, body: x.body };
  }

  /**
   * Whether an order with this client order id was ever appended: at once (true) if it is still in
   * its batch, else a query of the index table on the writer's connection (queued behind the
   * batch being written, so it sees it).
   */
  hasClientOrderId(id: string): boolean | Promise<boolean> {
    if (this.commit.hasPendingClientOrderId(id)) return true;
    return this.query(this.findIdSql, [id]).then((r) => r.rows.length > 0);
  }

  async runs(): Promise<JournalRun[]> {
    const r = await this.query<{ code_version: string; config_hash: string; first_seq: string; allowed_mismatch: boolean }>(
      `SELECT code_version, config_hash, first_seq, allowed_mismatch FROM ${this.schema}.runs ORDER BY id`,
    );
    return r.rows.map((x) => ({ codeVersion: x.code_version, configHash: x.config_hash, firstSeq: Number(x.first_seq), allowedMismatch: x.allowed_mismatch }));
  }

  async rows(fromSeq = 1, limit = 1_000_000): Promise<StoredRow[]> {
    const r = await this.query<{ seq: string; stream: string; stream_seq: string; kind: string; ts_event: string; payload: string }>(
      `SELECT seq, stream, stream_seq, kind, ts_event, payload FROM ${this.schema}.events WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [fromSeq, limit],
    );
    return r.rows.map((x) => ({ seq: Number(x.seq), stream: x.stream, streamSeq: Number(x.stream_seq), kind: x.kind, tsEvent: Number(x.ts_event), payload: x.payload }));
  }

  /**
   * Every statement on the writer's connection goes through here, one at a time, in the order
   * asked: a batch being written, a client order id lookup, a tail's page, a snapshot. pg would
   * queue them itself, but that is deprecated (an error in pg 9), and with one connection a
   * statement issued mid-statement by another caller could land inside its transaction. A lookup
   * queued behind a batch being written sees that batch.
   */
  private query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    const run = this.lane.then(() => this.client.query<R>(sql, params));
    this.lane = run.catch(() => undefined);
    return run;
  }

  /** The writer's connection, for tools and tests. Statements sent on it directly are not queued with the journal's own. */
  get connection(): pg.Client {
    return this.client;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.commit.failed) await this.commit.drain();
    } finally {
      this.tails.closeAll();
      await this.lane;
      await this.listener?.end().catch(() => undefined);
      await this.client.end().catch(() => undefined);
    }
  }

  // BatchSink
  async write(rows: readonly StoredRow[]): Promise<void> {
    const n = rows.length;
    const seq = new Array<number>(n);
    const stream = new Array<string>(n);
    const streamSeq = new Array<number>(n);
    const kind = new Array<string>(n);
    const ts = new Array<number>(n);
    const codec = new Array<number>(n).fill(CODEC_VERSION);
    const payload = new Array<string>(n);
    const checksum = new Array<number>(n);
    const ids: string[] = [];
    const idSeqs: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      seq[i] = r.seq;
      stream[i] = r.stream;
      streamSeq[i] = r.streamSeq;
      kind[i] = r.kind;
      ts[i] = r.tsEvent;
      payload[i] = r.payload;
      checksum[i] = rowChecksum(r.seq, r.kind, CODEC_VERSION, r.payload);
      if (r.clientOrderId !== undefined) {
        ids.push(r.clientOrderId);
        idSeqs.push(r.seq);
      }
    }
    await this.query(this.insertSql, [seq, stream, streamSeq, kind, ts, codec, payload, checksum, ids, idSeqs]);
  }

  protected async readPage(from: number, limit: number): Promise<JournalRecord[]> {
    const r = await this.query<{ seq: string; kind: string; codec: number; payload: string; checksum: string | null }>(this.pageSql, [from, limit]);
    const out: JournalRecord[] = [];
    for (const x of r.rows) {
      const seq = Number(x.seq);
      verifyRow(seq, x.kind, x.codec, x.payload, x.checksum);
      out.push({ seq, event: decodeEvent(x.payload, x.codec, seq) });
    }
    return out;
  }

  private async listen(onError?: (e: unknown) => void): Promise<void> {
    const l = new pg.Client({ connectionString: this.opts.connectionString });
    this.listener = l;
    l.on('error', (e) => onError?.(e));
    l.on('notification', () => this.tails.wake());
    try {
      await l.connect();
      await l.query(`LISTEN ${this.channel}`);
      this.tails.wake(); // anything committed while connecting
    } catch (e) {
      onError?.(e);
    }
  }

  private async recordIdentity(identity: JournalIdentity): Promise<void> {
    const last = (await this.runs()).at(-1);
    const allowed = checkIdentity(last, identity);
    await this.query(`INSERT INTO ${this.schema}.runs (code_version, config_hash, first_seq, allowed_mismatch) VALUES ($1, $2, $3, $4)`, [
      identity.codeVersion,
      identity.configHash,
      this.lastSeq() + 1,
      allowed,
    ]);
  }
}

async function migrate(client: pg.Client, schema: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`warden.migrate.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const current = (await client.query<{ v: number }>(`SELECT COALESCE(MAX(version), 0) AS v FROM ${schema}.schema_migrations`)).rows[0]!.v;
    if (current > PG_MIGRATIONS.length) throw schemaTooNew(current, PG_MIGRATIONS.length, `PostgreSQL schema ${schema}`);
    for (let v = current + 1; v <= PG_MIGRATIONS.length; v++) {
      for (const sql of PG_MIGRATIONS[v - 1]!) await client.query(sql.replaceAll('%s', schema));
      if (v === CHECKSUM_MIGRATION) await backfillChecksums(client, schema);
      await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [v]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Computes the checksum of every row written before the column existed, a page at a time. */
async function backfillChecksums(client: pg.Client, schema: string): Promise<void> {
  for (;;) {
    const page = await client.query<{ seq: string; kind: string; codec: number; payload: string }>(
      `SELECT seq, kind, codec, payload FROM ${schema}.events WHERE checksum IS NULL ORDER BY seq LIMIT 5000`,
    );
    if (page.rows.length === 0) return;
    const seqs = page.rows.map((r) => r.seq);
    const sums = page.rows.map((r) => rowChecksum(Number(r.seq), r.kind, r.codec, r.payload));
    await client.query(`UPDATE ${schema}.events e SET checksum = c.sum FROM unnest($1::bigint[], $2::bigint[]) AS c(seq, sum) WHERE e.seq = c.seq`, [seqs, sums]);
  }
}
