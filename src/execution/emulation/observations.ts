/**
 * Turns the engine's 'market' and 'bar' topics into observations for held orders, in order:
 * - 'market': the update as it is (last and/or bid/ask). A trade-only update is nothing to a
 *   BID_ASK or MID order, a quote-only one nothing to a LAST order (triggers.ts).
 * - 'bar': the bar's path (src/model/intrabar.ts, as the simulated exchange walks it), each
 *   point as last = bid = ask. A bar carries only trades,
 *   so for BID_ASK and MID orders its path stands in for the quotes (a zero spread): bars alone
 *   then trigger every type, and a feed with quotes gives BID_ASK and MID their real prices.
 * Engine.updateBar also publishes its close on 'market' just before the bar: a 'market' update is
 * therefore looked at a microtask later, and dropped when the 'bar' it came from follows (same
 * instrument, time and price, no quote).
 */
import { instrumentId as instrumentIdOf, type InstrumentId } from '../../model/identifiers.ts';
import type { Bar } from '../../model/bar.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { MarketUpdate } from '../../engine/topics.ts';
import { highFirst, type IntrabarPath } from '../../model/intrabar.ts';
import type { Observation } from './triggers.ts';

export type { IntrabarPath };

export interface ObservationSink {
  /** Whether anything on the instrument is waiting for prices (nothing: updates are skipped). */
  wants(instrumentId: InstrumentId): boolean;
  deliver(instrumentId: InstrumentId, observations: readonly Observation[]): void;
}

export class ObservationFeed {
  private readonly pending = new Map<InstrumentId, MarketUpdate>();
  private flushScheduled = false;

  constructor(
    private readonly sink: ObservationSink,
    private readonly instrument: (id: string) => Instrument,
    private readonly now: () => number,
    private readonly intrabar: IntrabarPath = 'NEAREST_EXTREME_FIRST',
  ) {}

  /** No price waits to be looked at. */
  get idle(): boolean {
    return this.pending.size === 0;
  }

  onMarket(u: MarketUpdate): void {
    if (!this.sink.wants(u.instrumentId)) return;
    const before = this.pending.get(u.instrumentId);
    if (before) this.sink.deliver(before.instrumentId, [observationOf(before)]);
    this.pending.set(u.instrumentId, u);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  onBar(bar: Bar): void {
    // Most bars find nothing pending and no order held: said before the id is checked (a regular expression per bar).
    if (this.pending.size === 0 && !this.sink.wants(bar.instrumentId)) return;
    const id = instrumentIdOf(bar.instrumentId);
    const p = this.pending.get(id);
    if (p) this.pending.delete(id);
    if (!this.sink.wants(id)) return;
    const inst = this.instrument(id);
    const [o, hi, lo, c] = [inst.price(bar.open), inst.price(bar.high), inst.price(bar.low), inst.price(bar.close)];
    // The bar's own close, published by updateBar just before: the path below replaces it.
    if (p && !(p.bid === undefined && p.ask === undefined && p.ts === this.now() && p.last?.eq(c))) this.sink.deliver(id, [observationOf(p)]);
    const path = highFirst(this.intrabar, hi.sub(o).cmp(o.sub(lo)) <= 0) ? [o, hi, lo, c] : [o, lo, hi, c];
    this.sink.deliver(
      id,
      path.filter((x, i) => i === 0 || !x.eq(path[i - 1]!)).map((x) => ({ last: x, bid: x, ask: x })),
    );
  }

  /** Looks at every update still waiting. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.size === 0) return;
    const ups = [...this.pending.values()];
    this.pending.clear();
    for (const u of ups) this.sink.deliver(u.instrumentId, [observationOf(u)]);
  }
}

function observationOf(u: MarketUpdate): Observation {
  return { ...(u.last !== undefined ? { last: u.last } : {}), ...(u.bid !== undefined ? { bid: u.bid } : {}), ...(u.ask !== undefined ? { ask: u.ask } : {}) };
}
