import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Engine } from '../../src/engine/engine.ts';
import { TestClock } from '../../src/engine/clock.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import { JSON_SNAPSHOTS } from '../../src/journal/snapshot.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import { loadNodeConfig, type NodeConfig } from '../../src/node/config/index.ts';

export const EXAMPLES = resolve(import.meta.dirname, '../../examples');
export const MARKET = resolve(import.meta.dirname, '../../../shared/data/market');
export const PAPER_YAML = join(EXAMPLES, 'warden.paper.yaml');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'warden-node-'));
}

/** The first `bars` bars of a bundled file, copied into `dir`. */
export function trimmed(dir: string, name: string, bars: number): string {
  const lines = readFileSync(join(MARKET, name), 'utf8').split('\n');
  const out = join(dir, name);
  writeFileSync(out, lines.slice(0, bars + 1).join('\n') + '\n');
  return out;
}

/**
 * examples/warden.paper.yaml (two strategies, two instruments, the full risk stack of
 * ../risk.example.yaml) at maximum speed, journaled in `dir`; optionally on the first `bars` bars only.
 */
export function paperConfig(dir: string, bars?: number): NodeConfig {
  const { config } = loadNodeConfig(PAPER_YAML, { WARDEN_JOURNAL: join(dir, 'journal.sqlite'), WARDEN_SPEED: 'max', WARDEN_LOG_LEVEL: 'silent', WARDEN_WEBHOOK_URL: '' });
  if (bars === undefined) return config;
  const files = ['binanceus-BTCUSDT-1m-2023-03-01_21.csv', 'binanceus-BTCUSDC-1m-2023-03-01_21.csv'].map((f) => trimmed(dir, f, bars));
  return { ...config, data: { ...config.data, replay: config.data.replay.map((r, i) => ({ ...r, file: files[i]! })) } };
}

/** Every event of a journal file, and the state a full replay of it gives (as snapshot text). */
export async function replayJournal(path: string, configHash?: string): Promise<{ events: EngineEvent[]; state: string; lastSeq: number }> {
  // Opening records an identity: the node's own (configHash) when the node is to open the journal again.
  const journal = SqliteJournal.open({ path, identity: configHash ? { configHash } : { allowMismatch: true } });
  try {
    const events: EngineEvent[] = [];
    for await (const r of journal.read(1)) events.push(r.event);
    const engine = await Engine.fromJournal(journal, { clock: new TestClock(0) });
    return { events, state: stateText(engine), lastSeq: journal.lastSeq() };
  } finally {
    await journal.close();
  }
}

/** An engine's state as snapshot text: two engines with the same text hold the same orders, positions and balances. */
export function stateText(engine: Engine): string {
  return JSON_SNAPSHOTS.encode(engine.state.toSnapshot(engine.lastSeq));
}

export function count(events: readonly EngineEvent[], kind: EngineEvent['kind']): number {
  return events.filter((e) => e.kind === kind).length;
}
