/**
 * The event publisher against the shared NATS: every journaled event once, on its subject, with
 * the message id `<node>:<seq>` and the journal's own encoding; a restart after a crash that left
 * a gap resumes from the last seq less the in-flight margin, and the server's dedupe stores
 * nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';
import { NatsLink } from '../../../src/cluster/nats/connection.ts';
import { EventPublisher } from '../../../src/cluster/events/publisher.ts';
import { ensureEventStream } from '../../../src/cluster/events/stream.ts';
import { eventSubject, HEADER_NODE, HEADER_SEQ, messageId } from '../../../src/cluster/events/subjects.ts';
import { encodeEvent } from '../../../src/journal/codec.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import { deleteStream, memoryJournal, paperRecords, streamMessages, uniqueFirm } from '../support.ts';

describe.runIf(useService('NATS', await natsAvailable()))('event publisher', () => {
  let records: JournalRecord[];
  const links: NatsLink[] = [];
  const firms: string[] = [];
  const open = (): NatsLink => {
    const l = NatsLink.open({ servers: NATS_URL, reconnectWaitMs: 100 });
    links.push(l);
    return l;
  };

  beforeAll(async () => {
    records = await paperRecords(30);
  }, 60_000);

  afterAll(async () => {
    const l = open();
    const nc = await l.ready();
    for (const f of firms) await deleteStream(nc, f);
    for (const x of links) await x.close();
  });

  it('publishes every durable event once, in order, on <firm>.events.<node>.<account|_>.<kind> with id <node>:<seq>', async () => {
    const firm = uniqueFirm('a');
    firms.push(firm);
    expect(records.length).toBeGreaterThan(50);
    const journal = memoryJournal(records);
    const link = open();
    const p = EventPublisher.start({ journal, link, firm, nodeId: 'n1' });
    await p.caughtUp(journal.lastSeq());
    await p.stop();
    const msgs = await streamMessages(await link.ready(), firm);
    expect(msgs.map((m) => m.seq)).toEqual(records.map((_, i) => i + 1));
    msgs.forEach((m, i) => {
      const event = records[i]!.event;
      expect(m.subject).toBe(eventSubject(firm, 'n1', event));
      expect(m.msgId).toBe(`n1:${i + 1}`);
      expect(m.node).toBe('n1');
      expect(m.payload).toBe(encodeEvent(event));
    });
    // The paper run trades: account-scoped and account-less subjects both occur.
    expect(msgs.some((m) => m.subject.includes('.ACC-1.OrderFilled'))).toBe(true);
    expect(msgs.some((m) => /\.n1\._\.OrderAccepted$/.test(m.subject))).toBe(true);
    expect(p.status()).toMatchObject({ publishedSeq: records.length, lag: 0, duplicates: 0, resumedFrom: 1, state: 'stopped' });
  }, 60_000);

  it('publishes events journaled after it started (the tail), not only those before', async () => {
    const firm = uniqueFirm('b');
    firms.push(firm);
    const journal = memoryJournal(records.slice(0, 10));
    const link = open();
    const p = EventPublisher.start({ journal, link, firm, nodeId: 'n2' });
    await p.caughtUp(10);
    journal.append(records.slice(10, 40).map((r, i) => ({ seq: 11 + i, event: r.event })));
    await p.caughtUp(40);
    await p.stop();
    const msgs = await streamMessages(await link.ready(), firm);
    expect(msgs.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  }, 30_000);

  it('after a crash that left a gap, a restart fills it and stores nothing twice', async () => {
    const firm = uniqueFirm('c');
    firms.push(firm);
    const link = open();
    const nc = await link.ready();
    await ensureEventStream(nc, { firm });
    // The crashed run: seqs 1..30 acknowledged, 31 lost in flight, 32..35 stored.
    const first = EventPublisher.start({ journal: memoryJournal(records.slice(0, 30)), link, firm, nodeId: 'n3' });
    await first.caughtUp(30);
    await first.stop();
    const js = jetstream(nc);
    for (let seq = 32; seq <= 35; seq++) {
      const h = headers();
      h.set(HEADER_NODE, 'n3');
      h.set(HEADER_SEQ, String(seq));
      const event = records[seq - 1]!.event;
      await js.publish(eventSubject(firm, 'n3', event), encodeEvent(event), { msgID: messageId('n3', seq), headers: h });
    }
    const journal = memoryJournal(records);
    const second = EventPublisher.start({ journal, link, firm, nodeId: 'n3', maxInFlight: 8 });
    await second.caughtUp(journal.lastSeq());
    await second.stop();
    const status = second.status();
    expect(status.resumedFrom).toBe(35 - 8 + 1);
    // 28..30 and 32..35 were sent again and dropped by the server as duplicates.
    expect(status.duplicates).toBe(7);
    const msgs = await streamMessages(nc, firm);
    expect(msgs.length).toBe(records.length);
    expect([...msgs.map((m) => m.seq)].sort((a, b) => a - b)).toEqual(records.map((_, i) => i + 1));
    expect(new Set(msgs.map((m) => m.msgId)).size).toBe(records.length);
    // 31 came after 35: the stream holds the node's events out of order there, once each.
    expect(msgs.slice(30, 36).map((m) => m.seq)).toEqual([32, 33, 34, 35, 31, 36]);
  }, 60_000);
});
