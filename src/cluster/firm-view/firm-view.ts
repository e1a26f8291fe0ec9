/**
 * The firm view: every node's state folded from the firm's event stream, with no engine of its
 * own. `apply` takes one FirmEvent (tests and the feed loop both use it); `follow` runs the feed
 * from the start of the stream until `stop`.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { FirmFeed, type FirmEvent } from '../events/feed.ts';
import { ensureEventStream } from '../events/stream.ts';
import { NodeReadModel, type NodeFoldStatus } from './node-model.ts';
import { firmTotal, nodeRisk, orderFigures, positionFigures, type NodeRisk } from './figures.ts';

export interface FirmNodeSummary extends NodeFoldStatus {
  readonly orders: number;
  readonly openOrders: number;
  readonly openPositions: number;
  readonly killSwitch: boolean;
  readonly halted: boolean;
}

export class FirmView {
  private readonly nodes = new Map<string, NodeReadModel>();
  private feed: FirmFeed | undefined;
  private following: Promise<void> | undefined;
  /** The last stream sequence applied (0: none). */
  streamSeq = 0;
  badMessages = 0;

  constructor(readonly firm: string) {}

  apply(e: FirmEvent): void {
    let m = this.nodes.get(e.node);
    if (!m) this.nodes.set(e.node, (m = new NodeReadModel(e.node)));
    m.offer(e.seq, e.event);
    if (e.streamSeq > this.streamSeq) this.streamSeq = e.streamSeq;
  }

  /** Reads the firm's stream from its start (creating the stream if no node has yet), applying each event. */
  async follow(nc: NatsConnection, onError: (e: unknown) => void = () => undefined): Promise<void> {
    await ensureEventStream(nc, { firm: this.firm });
    this.feed = new FirmFeed(nc, { firm: this.firm, fromStreamSeq: this.streamSeq + 1, onBadMessage: () => this.badMessages++ });
    const feed = this.feed;
    this.following = (async () => {
      try {
        for await (const e of feed) this.apply(e);
      } catch (e) {
        onError(e);
      }
    })();
  }

  async stop(): Promise<void> {
    this.feed?.stop();
    await this.following;
  }

  /** The state of one node (undefined: nothing seen from it). */
  node(id: string): NodeReadModel | undefined {
    return this.nodes.get(id);
  }

  private sorted(): NodeReadModel[] {
    return [...this.nodes.values()].sort((a, b) => a.node.localeCompare(b.node));
  }

  summaries(): FirmNodeSummary[] {
    return this.sorted().map((m) => {
      const s = m.state;
      return {
        ...m.status(),
        orders: s.orders.size,
        openOrders: s.openOrders.size,
        openPositions: s.portfolio.openPositions().length,
        killSwitch: s.risk.killSwitch !== undefined,
        halted: s.risk.scopedStates().some(([, st]) => st === 'HALTED'),
      };
    });
  }

  orders(which: 'open' | 'all', node?: string): Record<string, unknown>[] {
    return this.sorted()
      .filter((m) => node === undefined || m.node === node)
      .flatMap((m) => orderFigures(m.node, m.state, which));
  }

  positions(node?: string): Record<string, unknown>[] {
    return this.sorted()
      .filter((m) => node === undefined || m.node === node)
      .flatMap((m) => m.state.portfolio.openPositions().map((p) => positionFigures(m.node, p, m.state)));
  }

  risk(): { readonly nodes: NodeRisk[]; readonly total: ReturnType<typeof firmTotal> } {
    const models = this.sorted();
    return { nodes: models.map((m) => nodeRisk(m.node, m.state)), total: firmTotal(models.map((m) => m.state)) };
  }
}
