import type { CommissionReport } from '@stoqey/ib';
import type { VenueReport } from '../../engine/venue.ts';
import type { Timer } from '../../execution/timer.ts';

type Fill = Extract<VenueReport, { kind: 'OrderFilled' }>;

interface Item {
  readonly report?: VenueReport | (() => VenueReport);
  readonly execId?: string;
  readonly build?: (commission: CommissionReport | undefined) => Fill;
  commission?: CommissionReport;
  ready: boolean;
}

/**
 * Reports leave in the order they were worked out. A fill waits for its execution's commission
 * report (TWS sends it after the execution), or for `waitMs`, and holds back what came after
 * it, so an order's end is never told before its fills.
 */
export class Outbox {
  private readonly queue: Item[] = [];
  /** Commission reports that came before their execution (after a query, say). */
  private readonly early = new Map<string, CommissionReport>();

  constructor(
    private readonly emit: (r: VenueReport) => void,
    private readonly timer: Timer,
    private readonly waitMs: number,
  ) {}

  /** A report, or how to make it when its turn comes (after the fills before it have left). */
  push(report: VenueReport | (() => VenueReport)): void {
    this.queue.push({ report, ready: true });
    this.flush();
  }

  pushFill(execId: string, build: (commission: CommissionReport | undefined) => Fill): void {
    const commission = this.early.get(execId);
    this.early.delete(execId);
    const item: Item = { execId, build, ready: commission !== undefined, ...(commission ? { commission } : {}) };
    this.queue.push(item);
    if (!item.ready) {
      this.timer.schedule(this.waitMs, () => {
        item.ready = true;
        this.flush();
      });
    }
    this.flush();
  }

  commission(c: CommissionReport): void {
    if (!c.execId) return;
    const item = this.queue.find((i) => i.execId === c.execId);
    if (!item) {
      // Kept for a fill that may follow; bounded, since most belong to executions that are not ours.
      if (this.early.size >= 1_000) this.early.delete(this.early.keys().next().value!);
      this.early.set(c.execId, c);
      return;
    }
    item.commission = c;
    item.ready = true;
    this.flush();
  }

  private flush(): void {
    while (this.queue.length > 0 && this.queue[0]!.ready) {
      const head = this.queue.shift()!;
      const r = head.report;
      this.emit(r === undefined ? head.build!(head.commission) : typeof r === 'function' ? r() : r);
    }
  }
}
