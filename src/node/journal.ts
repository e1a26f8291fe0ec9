import { configHash, resolveIdentity } from '../journal/identity.ts';
import { TailingMemoryJournal } from '../journal/memory.ts';
import { PostgresJournal } from '../journal/postgres.ts';
import { SqliteJournal } from '../journal/sqlite.ts';
import type { DurableJournal, JournalIdentity } from '../journal/types.ts';
import type { NodeConfig } from './config/index.ts';
import { scrubber } from './secrets.ts';

/**
 * What makes two runs the same node: the configuration with its secrets blanked (a rotated API
 * key is the same node), without the sections that only say how the process runs (logging, the
 * replay pace, the API server), which may change between a start and a restart.
 */
export function nodeConfigHash(config: NodeConfig, secrets: Iterable<string> = []): string {
  const scrub = scrubber(secrets);
  const { logging: _logging, server: _server, data, ...rest } = config;
  const { speed: _speed, ...dataRest } = data;
  return configHash(blank({ ...rest, data: dataRest }, scrub));
}

function blank(v: unknown, scrub: (s: string) => string): unknown {
  if (typeof v === 'string') return scrub(v);
  if (Array.isArray(v)) return v.map((x) => blank(x, scrub));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x, scrub)]));
  }
  return v;
}

export interface OpenJournalOptions {
  readonly secrets?: Iterable<string>;
  /** Open a journal last written with another code version or configuration (recorded as such). */
  readonly allowMismatch?: boolean;
}

/**
 * Opens the node's journal as the config says (SQLite file, PostgreSQL URL, or memory for a
 * backtest), recording and checking its identity: this code's version and the node's config hash
 * (FAULTS 28: a journal written by another configuration is refused unless allowed).
 */
export async function openNodeJournal(config: NodeConfig, o: OpenJournalOptions = {}): Promise<{ journal: DurableJournal; identity: JournalIdentity }> {
  const identity = resolveIdentity({ configHash: nodeConfigHash(config, o.secrets), ...(o.allowMismatch ? { allowMismatch: true } : {}) });
  const j = config.node.journal;
  if ('memory' in j) return { journal: new TailingMemoryJournal(), identity };
  if ('sqlite' in j) return { journal: SqliteJournal.open({ path: j.sqlite, identity }), identity };
  return { journal: await PostgresJournal.open({ connectionString: j.postgres, identity, ...(j.schema ? { schema: j.schema } : {}) }), identity };
}
