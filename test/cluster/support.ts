/**
 * Cluster test helpers: a real journal from a paper node's run, the stream's messages read back
 * raw (every one, with its subject and message id), and names unique to a test file.
 */
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { TailingMemoryJournal } from '../../src/journal/memory.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import type { JournalRecord } from '../../src/engine/events.ts';
import { eventStreamName, HEADER_SEQ, HEADER_NODE } from '../../src/cluster/events/subjects.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadNodeConfig, type NodeConfig } from '../../src/node/config/index.ts';
import { EXAMPLES, PAPER_YAML, tempDir } from '../node/support.ts';

/** The bundled market data: ../shared beside the repository (a worktree elsewhere finds /work/shared). */
const MARKET_DIRS = [resolve(import.meta.dirname, '../../../shared/data/market'), '/work/shared/data/market'];
export const MARKET_DIR = MARKET_DIRS.find((d) => existsSync(d)) ?? MARKET_DIRS[0]!;
const FILES = ['binanceus-BTCUSDT-1m-2023-03-01_21.csv', 'binanceus-BTCUSDC-1m-2023-03-01_21.csv'];

/**
 * examples/warden.paper.yaml (two strategies, two instruments, the full risk stack) on the first
 * `bars` bars of each file, journaled in `dir`, at maximum speed: as test/node/support.ts's
 * paperConfig, with the data found wherever the shared folder is.
 */
export function paperConfig(dir: string, bars: number): NodeConfig {
  const files = FILES.map((f) => {
    const lines = readFileSync(join(MARKET_DIR, f), 'utf8').split('\n');
    const out = join(dir, f);
    writeFileSync(out, lines.slice(0, bars + 1).join('\n') + '\n');
    return out;
  });
  let yaml = readFileSync(PAPER_YAML, 'utf8').replace('../risk.example.yaml', resolve(EXAMPLES, '../risk.example.yaml'));
  FILES.forEach((f, i) => (yaml = yaml.replace(`../../shared/data/market/${f}`, files[i]!)));
  const file = join(dir, 'warden.yaml');
  writeFileSync(file, yaml);
  return loadNodeConfig(file, { WARDEN_JOURNAL: join(dir, 'journal.sqlite'), WARDEN_SPEED: 'max', WARDEN_LOG_LEVEL: 'silent', WARDEN_WEBHOOK_URL: '' }).config;
}

/** A firm name no other test file or run uses. */
export function uniqueFirm(tag: string): string {
  return `t${tag}${process.pid}${Math.floor(performance.now())}`;
}

/** The paper node without its strategies or risk stack (a test's load goes through), replaying at 3,000 data seconds per wall second. */
export function loadConfig(c: NodeConfig): NodeConfig {
  return { ...c, risk: undefined, strategies: [], data: { ...c.data, speed: 3_000 } };
}

/**
 * Load on a paper node replaying in the background: each round sends `perRound` small market
 * orders (buys and sells on both instruments and accounts), then waits a little wall time so
 * the data moves on and they fill. `between` runs after each round.
 */
export async function tradeRounds(node: TradingNode, o: { rounds: number; perRound: number; tag: string; between?: (round: number) => Promise<void> | void }): Promise<void> {
  const legs = [
    { accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCEUS' },
    { accountId: 'ACC-2', instrumentId: 'BTCUSDC.BINANCEUS' },
  ];
  for (let round = 0; round < o.rounds; round++) {
    for (let i = 0; i < o.perRound; i++) {
      const leg = legs[i % 2]!;
      const side = (round + Math.floor(i / 2)) % 3 === 2 ? 'SELL' : 'BUY';
      await node.engine.submitOrder({ clientOrderId: `${o.tag}-${round}-${i}`, ...leg, side, type: 'MARKET', quantity: '0.001' });
    }
    await new Promise((r) => setTimeout(r, 25));
    await o.between?.(round);
  }
}

/** A paper node (loadConfig, with `cluster` when given) on 600 bars, replaying in the background; `finish` stops it. */
export async function runningNode(dir: string, cluster?: NodeConfig['cluster'], nodeId?: string): Promise<{ node: TradingNode; halt: () => Promise<void>; finish: () => Promise<void> }> {
  const base = loadConfig(paperConfig(dir, 600));
  const node = await TradingNode.start({ ...base, node: { ...base.node, id: nodeId ?? base.node.id }, ...(cluster ? { cluster } : {}) });
  const running = node.run({ keepOpen: true });
  const halt = async (): Promise<void> => {
    node.requestStop();
    await running;
  };
  return {
    node,
    halt,
    finish: async () => {
      await halt();
      await node.stop();
    },
  };
}

/** Every record of a paper node's run under `rounds` of tradeRounds. */
export async function paperRecords(rounds: number): Promise<JournalRecord[]> {
  const dir = tempDir();
  const { node, finish } = await runningNode(dir);
  await tradeRounds(node, { rounds, perRound: 4, tag: 'p' });
  await finish();
  const journal = SqliteJournal.open({ path: `${dir}/journal.sqlite`, identity: { allowMismatch: true } });
  try {
    const out: JournalRecord[] = [];
    for await (const r of journal.read(1)) out.push(r);
    return out;
  } finally {
    await journal.close();
  }
}

/** A durable in-memory journal holding these records (renumbered from 1). */
export function memoryJournal(records: readonly JournalRecord[]): TailingMemoryJournal {
  const j = new TailingMemoryJournal();
  j.append(records.map((r, i) => ({ seq: i + 1, event: r.event })));
  return j;
}

export interface RawMessage {
  readonly streamSeq: number;
  readonly subject: string;
  readonly msgId: string;
  readonly node: string;
  readonly seq: number;
  readonly payload: string;
}

/** Every message of the firm's stream, in stream order. */
export async function streamMessages(nc: NatsConnection, firm: string): Promise<RawMessage[]> {
  const jsm = await jetstreamManager(nc);
  const name = eventStreamName(firm);
  const total = (await jsm.streams.info(name)).state.messages;
  const out: RawMessage[] = [];
  if (total === 0) return out;
  const consumer = await jetstream(nc).consumers.get(name, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume();
  for await (const m of messages) {
    out.push({
      streamSeq: m.seq,
      subject: m.subject,
      msgId: m.headers?.get('Nats-Msg-Id') ?? '',
      node: m.headers?.get(HEADER_NODE) ?? '',
      seq: Number(m.headers?.get(HEADER_SEQ)),
      payload: m.string(),
    });
    if (out.length >= total) break;
  }
  await messages.close();
  return out;
}

export async function deleteStream(nc: NatsConnection, firm: string): Promise<void> {
  await (await jetstreamManager(nc)).streams.delete(eventStreamName(firm)).catch(() => undefined);
}
