/**
 * The advisor's spending per UTC day (tokens and estimated cost), counted from the journal: the
 * consultations journaled before this start are read once, on first use, and each new one is
 * added as it is journaled, so a restart does not reset the day's budget.
 */
import type { JournalRecord } from '../../engine/events.ts';
import { usdUnits } from './cost.ts';
import { consultRecordOf, DAY_MS, utcDay } from './records.ts';

export interface JournalReader {
  lastSeq(): number;
  read(fromSeq?: number): AsyncIterable<JournalRecord>;
}

export interface DaySpend {
  readonly tokens: number;
  /** 10^-18 USD (cost.ts). */
  readonly cost: bigint;
}

export class SpendLedger {
  private readonly days = new Map<number, { tokens: number; cost: bigint }>();
  private loaded: Promise<void> | undefined;

  constructor(private readonly journal: JournalReader) {}

  /**
   * Reads the consultations journaled so far (once). Only the consultant journals them, after
   * this resolves, so the records up to the last sequence number now are all there is to read.
   */
  ready(): Promise<void> {
    // A read that failed is tried again on the next consultation, from nothing (no half-count kept).
    this.loaded ??= this.load().catch((e: unknown) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  private async load(): Promise<void> {
    const upTo = this.journal.lastSeq();
    const found = new Map<number, { tokens: number; cost: bigint }>();
    if (upTo > 0) {
      for await (const r of this.journal.read(1)) {
        if (r.seq > upTo) break;
        const c = consultRecordOf(r);
        if (c) addTo(found, c.ts, c.inputTokens + c.outputTokens, usdUnits(c.costUsd));
      }
    }
    for (const [day, d] of found) addTo(this.days, day * DAY_MS, d.tokens, d.cost);
  }

  add(ts: number, tokens: number, cost: bigint): void {
    addTo(this.days, ts, tokens, cost);
  }

  spent(ts: number): DaySpend {
    return this.days.get(utcDay(ts)) ?? { tokens: 0, cost: 0n };
  }
}

function addTo(days: Map<number, { tokens: number; cost: bigint }>, ts: number, tokens: number, cost: bigint): void {
  const day = utcDay(ts);
  const d = days.get(day) ?? { tokens: 0, cost: 0n };
  d.tokens += tokens;
  d.cost += cost;
  days.set(day, d);
}
