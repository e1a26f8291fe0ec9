/**
 * The firm feed: every node's events from the firm's stream, from a stream sequence on, through an
 * ordered consumer (no state on the server; it recreates itself after a reconnect or a gap). Each
 * item carries its stream sequence, so a reader that stops resumes with `fromStreamSeq: last + 1`.
 * A message that is not a Warden event (no node or seq header, a payload the journal codec
 * refuses) is reported and skipped, never half-read.
 */
import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EngineEvent } from '../../engine/events.ts';
import { decodeEvent } from '../../journal/codec.ts';
import { eventStreamName, firmEventsFilter, HEADER_CODEC, HEADER_NODE, HEADER_SEQ } from './subjects.ts';

export interface FirmEvent {
  readonly node: string;
  /** The node's journal seq. */
  readonly seq: number;
  readonly event: EngineEvent;
  /** Where it sits in the firm's stream (resume after it with fromStreamSeq: streamSeq + 1). */
  readonly streamSeq: number;
}

export interface FirmFeedOptions {
  readonly firm: string;
  /** First stream sequence to read (default 1: everything the stream holds). */
  readonly fromStreamSeq?: number;
  /** Told of each message skipped as not a Warden event. */
  readonly onBadMessage?: (streamSeq: number, reason: string) => void;
}

/** Decodes one stream message, or says why it is not a Warden event. */
export function decodeFirmMessage(m: Pick<JsMsg, 'headers' | 'seq' | 'string'>): FirmEvent | string {
  const node = m.headers?.get(HEADER_NODE) ?? '';
  const seq = Number(m.headers?.get(HEADER_SEQ));
  const codec = Number(m.headers?.get(HEADER_CODEC) ?? '1');
  if (node === '' || !Number.isSafeInteger(seq) || seq < 1) return `no ${HEADER_NODE}/${HEADER_SEQ} headers`;
  if (!Number.isSafeInteger(codec) || codec < 1) return `bad ${HEADER_CODEC} header`;
  try {
    return { node, seq, event: decodeEvent(m.string(), codec, seq), streamSeq: m.seq };
  } catch (e) {
    return (e as Error).message;
  }
}

/** A running read of the firm's stream; `stop()` ends the iteration. */
export class FirmFeed implements AsyncIterable<FirmEvent> {
  private messages: ConsumerMessages | undefined;
  private stopped = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly o: FirmFeedOptions,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<FirmEvent> {
    const js = jetstream(this.nc);
    const consumer = await js.consumers.get(eventStreamName(this.o.firm), {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(1, this.o.fromStreamSeq ?? 1),
      filter_subjects: firmEventsFilter(this.o.firm),
    });
    if (this.stopped) return;
    this.messages = await consumer.consume();
    for await (const m of this.messages) {
      const decoded = decodeFirmMessage(m);
      if (typeof decoded === 'string') this.o.onBadMessage?.(m.seq, decoded);
      else yield decoded;
      if (this.stopped) return;
    }
  }

  stop(): void {
    this.stopped = true;
    void this.messages?.close();
  }
}
