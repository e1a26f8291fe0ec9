/**
 * One node as the firm view sees it: the engine's own fold (EngineState.apply, as a replay of the
 * node's journal does) over the events the stream brings, in the node's journal order. The stream
 * may bring a node's events out of order after a publisher's retry, or twice after a restart
 * outside the duplicate window: an event ahead of the next expected seq waits, one already
 * applied is dropped, so the state is the fold of seq 1, 2, 3, ... exactly once each.
 */
import { EngineState } from '../../engine/state.ts';
import type { EngineEvent } from '../../engine/events.ts';

export interface NodeFoldStatus {
  readonly node: string;
  /** Every event up to this seq is applied. */
  readonly appliedSeq: number;
  /** Events received ahead of a missing one, waiting for it. */
  readonly waiting: number;
  /** Events received again and dropped. */
  readonly duplicates: number;
  /** Events the fold refused (the state is unchanged by each); the last one's message. */
  readonly refused: number;
  readonly lastRefusal: string | undefined;
  /** The data time of the last event applied (tsInit). */
  readonly lastTs: number | undefined;
}

/** Events held ahead of a gap at most; beyond that the oldest wait is given up (reported as refused). */
const MAX_WAITING = 100_000;

export class NodeReadModel {
  readonly state = new EngineState();
  private applied = 0;
  private readonly ahead = new Map<number, EngineEvent>();
  private duplicates = 0;
  private refused = 0;
  private lastRefusal: string | undefined;
  private lastTs: number | undefined;

  constructor(readonly node: string) {}

  /** Takes the node's event `seq`: applied now, or held until the ones before it have come. */
  offer(seq: number, event: EngineEvent): void {
    if (seq <= this.applied || this.ahead.has(seq)) {
      this.duplicates++;
      return;
    }
    if (seq !== this.applied + 1) {
      this.ahead.set(seq, event);
      if (this.ahead.size > MAX_WAITING) this.skipGap();
      return;
    }
    this.apply(seq, event);
    for (let next = this.ahead.get(this.applied + 1); next !== undefined; next = this.ahead.get(this.applied + 1)) {
      this.ahead.delete(this.applied + 1);
      this.apply(this.applied + 1, next);
    }
  }

  status(): NodeFoldStatus {
    return {
      node: this.node,
      appliedSeq: this.applied,
      waiting: this.ahead.size,
      duplicates: this.duplicates,
      refused: this.refused,
      lastRefusal: this.lastRefusal,
      lastTs: this.lastTs,
    };
  }

  private apply(seq: number, event: EngineEvent): void {
    this.applied = seq;
    try {
      this.state.apply(this.state.current(event));
      this.lastTs = event.tsInit;
    } catch (e) {
      this.refused++;
      this.lastRefusal = `seq ${seq} (${event.kind}): ${(e as Error).message}`;
    }
  }

  /** A gap that never closes (the stream lost messages to its limits): go on from the first event held. */
  private skipGap(): void {
    let first = Infinity;
    for (const k of this.ahead.keys()) if (k < first) first = k;
    const event = this.ahead.get(first)!;
    this.ahead.delete(first);
    this.refused++;
    this.lastRefusal = `seqs ${this.applied + 1}..${first - 1} never arrived: the view goes on without them`;
    this.applied = first - 1;
    this.offer(first, event);
  }
}
