import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EngineError } from '../model/errors.ts';
import type { JournalIdentity, JournalRun } from './types.ts';

/** sha256 of the configuration as canonical JSON (keys sorted, bigints as text). */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonical(config)).digest('hex');
}

function canonical(v: unknown): string {
  if (typeof v === 'bigint') return JSON.stringify(`${v}n`);
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return canonical((v as { toJSON(): unknown }).toJSON());
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** The running code's version: package.json's `version`. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** The configuration hash of a journal opened without one: the hash of no configuration. */
export const NO_CONFIG_HASH = configHash(null);

/**
 * The identity a journal is opened with: what the caller gave, the rest defaulted (this code's
 * package version; NO_CONFIG_HASH). There is no "unchecked" open: a caller that names nothing is
 * checked against this code's version, and only an explicit `allowMismatch` lets a mismatch pass.
 */
export function resolveIdentity(given: Partial<JournalIdentity> = {}): JournalIdentity {
  return {
    codeVersion: given.codeVersion ?? packageVersion(),
    configHash: given.configHash ?? NO_CONFIG_HASH,
    ...(given.allowMismatch ? { allowMismatch: true } : {}),
  };
}

/**
 * FAULTS 28: compares the identity a journal was last opened with to the running one. Returns
 * whether the run must be recorded as an allowed mismatch; throws JOURNAL_MISMATCH if refused.
 */
export function checkIdentity(last: JournalRun | undefined, current: JournalIdentity): boolean {
  if (!last) return false;
  const diffs: string[] = [];
  if (last.codeVersion !== current.codeVersion) diffs.push(`code version ${last.codeVersion} → ${current.codeVersion}`);
  if (last.configHash !== current.configHash) diffs.push(`config ${last.configHash.slice(0, 12)} → ${current.configHash.slice(0, 12)}`);
  if (diffs.length === 0) return false;
  if (current.allowMismatch) return true;
  throw new EngineError('JOURNAL_MISMATCH', `journal was written with another ${diffs.join(' and ')}; refusing to trade (allowMismatch overrides)`, {
    journalCodeVersion: last.codeVersion,
    codeVersion: current.codeVersion,
    journalConfigHash: last.configHash,
    configHash: current.configHash,
  });
}

export function schemaTooNew(found: number, known: number, where: string): EngineError {
  return new EngineError('JOURNAL_SCHEMA_NEWER', `${where} has schema version ${found}; this code knows up to ${known} and will not touch it`, {
    found,
    known,
  });
}
