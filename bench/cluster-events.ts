/**
 * Issue 19: events published to NATS JetStream against the journal's own append rate, in one run
 * over the same events. A SQLite journal takes real engine events (market orders against a
 * scripted venue), appended by 4 writers in commands of 4 events awaiting durability, as the
 * engine does; the node's EventPublisher follows the same journal into the shared NATS at the same
 * time. journalEventsPerSec: events over the time to append them all; publishedEventsPerSec:
 * events over the time until the stream holds them all. The lead's bench/cluster.ts records it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { jetstreamManager } from '@nats-io/jetstream';
import type { EngineEvent, JournalRecord } from '../src/engine/events.ts';
import { SqliteJournal } from '../src/journal/sqlite.ts';
import { NatsLink } from '../src/cluster/nats/connection.ts';
import { EventPublisher } from '../src/cluster/events/publisher.ts';
import { eventStreamName } from '../src/cluster/events/subjects.ts';
import { engineEvents } from './journal.ts';

const NATS_URL = process.env.WARDEN_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const EVENTS = 40_000;
const WRITERS = 4;

/** Real engine events (bench/journal.ts): market orders against a scripted venue, account and instrument first. */
async function engineEventsOnly(orders: number): Promise<EngineEvent[]> {
  return (await engineEvents(orders)).records.map((r) => r.event);
}

/** `writers` producers appending commands of 4 events, each awaiting durability before its next. */
async function appendAll(journal: SqliteJournal, events: readonly EngineEvent[]): Promise<void> {
  let seq = journal.lastSeq();
  let next = 0;
  const one = async (): Promise<void> => {
    while (next < events.length) {
      const batch: JournalRecord[] = [];
      for (let k = 0; k < 4 && next < events.length; k++, next++) batch.push({ seq: ++seq, event: events[next]! });
      await journal.append(batch);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, one));
}

export async function measureEventPublishing(): Promise<{ publishedEventsPerSec: number; journalEventsPerSec: number }> {
  const events = (await engineEventsOnly(Math.ceil(EVENTS / 4))).slice(0, EVENTS);
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-cluster-'));
  const journal = SqliteJournal.open({ path: join(dir, 'journal.sqlite') });
  const firm = `bench${process.pid}`;
  const link = NatsLink.open({ servers: NATS_URL, reconnectWaitMs: 100 });
  const nc = await Promise.race([link.ready(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`NATS not reachable at ${NATS_URL}`)), 5_000))]);
  const publisher = EventPublisher.start({ journal, link, firm, nodeId: 'bench' });
  try {
    // The stream exists and the publisher follows the (empty) journal before the clock starts.
    await publisher.caughtUp(0);
    while (publisher.status().state === 'starting') await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await appendAll(journal, events);
    const journalMs = performance.now() - t0;
    await publisher.caughtUp(events.length);
    const publishedMs = performance.now() - t0;
    return { publishedEventsPerSec: Math.round(events.length / (publishedMs / 1000)), journalEventsPerSec: Math.round(events.length / (journalMs / 1000)) };
  } finally {
    await publisher.stop();
    await (await jetstreamManager(nc)).streams.delete(eventStreamName(firm)).catch(() => undefined);
    await link.close();
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
