import { RollingVolume } from '../data/rolling-volume.ts';
import type { MarketSnapshot } from './stream-messages.ts';
import type { TradingNode } from '../node/trading-node.ts';

export type { MarketSnapshot } from './stream-messages.ts';

type Prices = Pick<MarketSnapshot, 'instrumentId' | 'bid' | 'ask' | 'last' | 'ts'>;

/**
 * What the node last saw of each instrument's market (prices from the engine's `market` and `bar`
 * topics) and its rolling 24-hour traded volume (sizes from `trade`, volumes from `bar`). Fed on
 * the engine's bus: O(1) per update (amortised), never awaits. Market data is not journaled, so the
 * volume counts what the node fed the engine since this server started (24 hours after a start it
 * is the full window).
 */
export class MarketBook {
  private readonly prices = new Map<string, Prices>();
  private readonly volume = new RollingVolume();
  private readonly offs: (() => void)[] = [];
  private readonly listeners = new Set<(instrumentId: string) => void>();

  constructor(private readonly node: TradingNode) {
    const bus = node.engine.bus;
    // Prices the node saw before the server started are its marks; volume counts from now on (market data is not journaled).
    for (const id of node.engine.state.instruments.keys()) {
      const q = node.engine.portfolio.quote(id);
      if (q?.ts !== undefined) this.prices.set(id, { instrumentId: id, bid: q.bid?.toString(), ask: q.ask?.toString(), last: q.last?.toString(), ts: q.ts });
    }
    this.offs.push(
      bus.subscribe('market', (m) => {
        const prev = this.prices.get(m.instrumentId);
        this.set({ instrumentId: m.instrumentId, bid: m.bid?.toString() ?? prev?.bid, ask: m.ask?.toString() ?? prev?.ask, last: m.last?.toString() ?? prev?.last, ts: m.ts });
      }),
    );
    // updateBar publishes `market` with the close first; the bar adds its volume.
    this.offs.push(
      bus.subscribe('bar', (b) => {
        this.volume.addBar(b.instrumentId, b.ts, b.durationMs, b.volume);
        this.changed(b.instrumentId);
      }),
    );
    this.offs.push(
      bus.subscribe('trade', (t) => {
        this.volume.addTrade(t.instrumentId, t.ts, t.size);
        this.changed(t.instrumentId);
      }),
    );
  }

  /** Called with an instrument's id whenever its figures change. */
  onChange(l: (instrumentId: string) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  snapshot(instrumentId: string): MarketSnapshot | undefined {
    const p = this.prices.get(instrumentId);
    if (!p) return undefined;
    const v = this.volume.volume(instrumentId, this.node.engine.now());
    return stripUndefined({ ...p, ...(v && { volume24h: v.volume, volumeSource: v.source, volumeSince: v.since }) });
  }

  all(): MarketSnapshot[] {
    return [...this.prices.keys()].flatMap((id) => this.snapshot(id) ?? []);
  }

  close(): void {
    for (const off of this.offs) off();
    this.listeners.clear();
  }

  private set(p: Prices): void {
    this.prices.set(p.instrumentId, p);
    this.changed(p.instrumentId);
  }

  private changed(id: string): void {
    for (const l of this.listeners) l(id);
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
