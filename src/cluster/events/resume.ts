/** Where a node's publishing resumes: the seq header of the last message on its subjects. */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventStreamName, HEADER_SEQ, nodeEventsFilter } from './subjects.ts';

/** The journal seq of the node's last message in the stream (0: none yet). */
export async function lastPublishedSeq(nc: NatsConnection, firm: string, nodeId: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  // nats-server 2.9 answers a last-by-subject with a wildcard filter: the node's newest message.
  const m = await jsm.streams.getMessage(eventStreamName(firm), { last_by_subj: nodeEventsFilter(firm, nodeId) });
  if (!m) return 0;
  const seq = Number(m.header.get(HEADER_SEQ));
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`the last message of node ${nodeId} (stream seq ${m.seq}) has no valid ${HEADER_SEQ} header`);
  return seq;
}
