import type { VenueReport } from '../../../engine/venue.ts';
import { SeededRandom } from '../models/random.ts';
import type { ReportFaultRule } from './rules.ts';

/**
 * Reports a REORDER rule is holding back, one buffer per rule, and the order each comes out in.
 * Shuffles draw from one seeded source per rule, so the same run gives the same order.
 */
export class HeldReports {
  private readonly buffers = new Map<ReportFaultRule, VenueReport[]>();
  private readonly randoms = new Map<ReportFaultRule, SeededRandom>();

  /** Holds `report`; returns the rule's reports to deliver now if its `flushAfter` is reached, else none. */
  hold(rule: ReportFaultRule, report: VenueReport): readonly VenueReport[] {
    let buf = this.buffers.get(rule);
    if (!buf) this.buffers.set(rule, (buf = []));
    buf.push(report);
    return rule.flushAfter !== undefined && buf.length >= rule.flushAfter ? this.release(rule) : [];
  }

  /** Every held report, buffer by buffer (the one that started holding first comes first), each reordered. */
  releaseAll(): readonly VenueReport[] {
    return [...this.buffers.keys()].flatMap((rule) => this.release(rule));
  }

  get size(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.length;
    return n;
  }

  private release(rule: ReportFaultRule): VenueReport[] {
    const buf = this.buffers.get(rule) ?? [];
    this.buffers.delete(rule);
    return rule.order === 'SHUFFLE' ? this.shuffled(rule, buf) : buf.reverse();
  }

  /** Fisher–Yates with the rule's seeded source. */
  private shuffled(rule: ReportFaultRule, buf: VenueReport[]): VenueReport[] {
    let rng = this.randoms.get(rule);
    if (!rng) this.randoms.set(rule, (rng = new SeededRandom(rule.seed ?? 1)));
    for (let i = buf.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [buf[i], buf[j]] = [buf[j]!, buf[i]!];
    }
    return buf;
  }
}
