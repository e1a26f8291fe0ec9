import { FifoRing } from '../model/retention-window.ts';
import { lowerQuantileRank } from '../risk/analytics/stats.ts';
import type { OrderSide } from '../model/orders/types.ts';
import type { RequestKind } from './failure.ts';
import type { Settlement } from './execution-log.ts';

/** The executor's running figures. Counts are exact; ratios and prices are numbers, for people. */
export interface ExecutionStatistics {
  readonly executions: Readonly<Record<RequestKind, number>>;
  readonly settled: number;
  readonly succeeded: number;
  /** succeeded / settled, 0..1 (NaN before anything settled). */
  readonly successRate: number;
  readonly bySettlement: Readonly<Record<Settlement, number>>;
  /** Executions that went UNKNOWN, and how those ended. */
  readonly unknowns: number;
  readonly unknownsResolved: Readonly<Partial<Record<Settlement, number>>>;
  readonly retries: number;
  readonly failedReads: number;
  /** Quantity-weighted average of (fill price vs reference) in basis points; positive = worse for us. NaN without fills. */
  readonly averageSlippageBps: number;
  /** Filled quantity / submitted quantity, summed over submits, 0..1 (NaN before any submit). */
  readonly fillRate: number;
  /** Of the last calls that got an answer, in ms. NaN before any. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

const SETTLEMENTS: readonly Settlement[] = ['ACK', 'REPORT', 'QUERY', 'NOT_AT_VENUE', 'REJECTED', 'STILL_OPEN', 'UNRESOLVED'];

/** The slippage of one fill in basis points against a reference price; positive = worse for us (paid more, sold for less). Pure. */
export function slippageBps(side: OrderSide, fillPx: number, referencePx: number): number {
  if (!(referencePx > 0)) return NaN;
  const bps = ((fillPx - referencePx) / referencePx) * 10_000;
  return side === 'BUY' ? bps : -bps;
}

/** The value at quantile q (0..1) of `values`, nearest rank (the risk analytics' lower quantile); NaN for none. Pure. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[lowerQuantileRank(sorted.length, q) - 1]!;
}

/** Accumulates the statistics; cumulative over the executor's life, unlike the bounded log. */
export class StatsAccumulator {
  private readonly executions: Record<RequestKind, number> = { SUBMIT: 0, MODIFY: 0, CANCEL: 0 };
  private readonly bySettlement = Object.fromEntries(SETTLEMENTS.map((s) => [s, 0])) as Record<Settlement, number>;
  private readonly unknownsResolved: Partial<Record<Settlement, number>> = {};
  private settled = 0;
  private succeeded = 0;
  private unknowns = 0;
  private retries = 0;
  private failedReads = 0;
  private slipBpsQty = 0;
  private slipQty = 0;
  private submittedQty = 0;
  private filledQty = 0;
  private readonly latencies: FifoRing<number>;

  constructor(latencyWindow = 1_000) {
    this.latencies = new FifoRing(latencyWindow);
  }

  opened(request: RequestKind, submittedQty: number): void {
    this.executions[request]++;
    if (request === 'SUBMIT') this.submittedQty += submittedQty;
  }

  wentUnknown(): void {
    this.unknowns++;
  }

  retried(): void {
    this.retries++;
  }

  readFailed(): void {
    this.failedReads++;
  }

  answered(latencyMs: number): void {
    this.latencies.push(latencyMs);
  }

  settledAs(settlement: Settlement, succeeded: boolean, wasUnknown: boolean): void {
    this.settled++;
    if (succeeded) this.succeeded++;
    this.bySettlement[settlement]++;
    if (wasUnknown) this.unknownsResolved[settlement] = (this.unknownsResolved[settlement] ?? 0) + 1;
  }

  filled(side: OrderSide, qty: number, px: number, referencePx: number | undefined): void {
    this.filledQty += qty;
    if (referencePx === undefined) return;
    const bps = slippageBps(side, px, referencePx);
    if (Number.isNaN(bps)) return;
    this.slipBpsQty += bps * qty;
    this.slipQty += qty;
  }

  snapshot(): ExecutionStatistics {
    const lat = this.latencies.toSnapshot();
    return {
      executions: { ...this.executions },
      settled: this.settled,
      succeeded: this.succeeded,
      successRate: this.settled === 0 ? NaN : this.succeeded / this.settled,
      bySettlement: { ...this.bySettlement },
      unknowns: this.unknowns,
      unknownsResolved: { ...this.unknownsResolved },
      retries: this.retries,
      failedReads: this.failedReads,
      averageSlippageBps: this.slipQty === 0 ? NaN : this.slipBpsQty / this.slipQty,
      fillRate: this.submittedQty === 0 ? NaN : this.filledQty / this.submittedQty,
      latencyP50Ms: percentile(lat, 0.5),
      latencyP99Ms: percentile(lat, 0.99),
    };
  }
}
