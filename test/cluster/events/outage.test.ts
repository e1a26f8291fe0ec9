/**
 * NATS stopped and started again under load (a private nats-server): the node keeps trading and
 * journaling while it is away, the publisher catches up from the journal afterwards, and the
 * stream then holds each journaled event exactly once, equal to the journal's own encoding.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { natsServerBinary, PrivateNatsServer } from '../../support/nats-server.ts';
import { useService } from '../../services.ts';
import { encodeEvent } from '../../../src/journal/codec.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import { tempDir } from '../../node/support.ts';
import { runningNode, streamMessages, tradeRounds } from '../support.ts';

describe.runIf(useService('nats-server binary', natsServerBinary()))('publishing through a NATS outage', () => {
  const servers: PrivateNatsServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.dispose();
  });

  it('keeps trading while NATS is down, catches up after, and the stream equals the journal: nothing missing, nothing twice', async () => {
    const nats = await PrivateNatsServer.start();
    servers.push(nats);
    const firm = 'outage';
    const { node, halt, finish } = await runningNode(tempDir(), { nats: nats.url, node_id: 'nb', firm, publish: true, on_nats_loss: 'continue', kill_switch: true }, 'nb');
    try {
      const pub = node.firmEvents!.publisher!;
      await tradeRounds(node, { rounds: 10, perRound: 4, tag: 'before' });
      await pub.caughtUp(node.records.durableSeq());
      await nats.stop();
      const atLoss = node.records.durableSeq();
      await tradeRounds(node, { rounds: 20, perRound: 4, tag: 'during' });
      // The engine went on without NATS: 80 orders, each initialized, submitted and accepted (most filled too).
      expect(node.records.durableSeq()).toBeGreaterThanOrEqual(atLoss + 240);
      expect(pub.status().connected).toBe(false);
      expect(pub.status().publishedSeq).toBeLessThanOrEqual(atLoss);
      await nats.resume();
      await tradeRounds(node, { rounds: 10, perRound: 4, tag: 'after' });
      await halt();
      const last = node.records.durableSeq();
      await pub.caughtUp(last);
      // Venue answers still due may journal (and publish) a few more after `last`.
      expect(pub.status().connected).toBe(true);
      expect(pub.status().publishedSeq).toBeGreaterThanOrEqual(last);

      // Venue answers still due (paper latency on real timers) may journal and publish a few more meanwhile: compare up to what the stream holds.
      const nc = await connect({ servers: nats.url });
      const msgs = await streamMessages(nc, firm);
      await nc.close();
      const held = msgs.length;
      expect(held).toBeGreaterThanOrEqual(last);
      const bySeq = new Map(msgs.map((m) => [m.seq, m]));
      expect(bySeq.size).toBe(held);
      const journal: JournalRecord[] = [];
      for await (const r of node.records.read(1)) if (r.seq <= held) journal.push(r);
      expect(journal.length).toBe(held);
      for (const r of journal) {
        const m = bySeq.get(r.seq);
        expect(m?.msgId).toBe(`nb:${r.seq}`);
        expect(m?.payload).toBe(encodeEvent(r.event));
      }
    } finally {
      await finish();
    }
  }, 120_000);
});
