import type { VenueReport } from '../../../engine/venue.ts';
import type { CallFault, CallFaultRule, QueryFaultRule, ReportFaultRule, VenueCall, VenueQuery } from './rules.ts';

/** A rule with how many more times it may fire. */
interface Armed<R> {
  readonly rule: R;
  left: number;
}

/** What happens to one report the inner venue produced. */
export type ReportDecision =
  | { readonly action: 'DROP'; readonly why: 'DROP' | 'SILENCED' }
  /** `copies` 2: a DUPLICATE rule fired. `holdFor`: the REORDER rule whose buffer takes them, if any. */
  | { readonly action: 'DELIVER'; readonly copies: 1 | 2; readonly holdFor: ReportFaultRule | undefined };

function positiveOrInfinite(n: number | undefined, fallback: number, what: string): number {
  const v = n ?? fallback;
  if (!(v === Infinity || (Number.isSafeInteger(v) && v > 0))) throw new RangeError(`${what} must be a positive integer or Infinity, got ${String(n)}`);
  return v;
}

function reportMatches(rule: ReportFaultRule, r: VenueReport): boolean {
  if (rule.clientOrderId !== undefined && rule.clientOrderId !== r.clientOrderId) return false;
  const kinds = rule.reportKind;
  if (kinds === undefined) return true;
  return typeof kinds === 'string' ? kinds === r.kind : kinds.includes(r.kind);
}

/**
 * Decides, for each call, report and query, which fault (if any) applies. It only counts and
 * matches; the venue wrapper acts on the answer, so the rules can be tested without a venue.
 * Rules fire in the order they were added; each firing uses up one of its `times`.
 */
export class FaultPlan {
  private readonly calls: Armed<CallFaultRule>[] = [];
  private readonly reports: Armed<ReportFaultRule>[] = [];
  private readonly queries: Armed<QueryFaultRule>[] = [];
  private readonly callCount: Record<VenueCall, number> = { SUBMIT: 0, MODIFY: 0, CANCEL: 0 };
  /** Orders whose reports are lost until resumed (a placed call's `dropReports`). */
  private readonly silenced = new Set<string>();

  addCall(rule: CallFaultRule): void {
    if (rule.nth !== undefined && !(Number.isSafeInteger(rule.nth) && rule.nth > 0)) throw new RangeError(`nth must be a positive integer, got ${rule.nth}`);
    this.calls.push({ rule, left: positiveOrInfinite(rule.times, 1, 'times') });
  }

  addReport(rule: ReportFaultRule): void {
    if (rule.flushAfter !== undefined) positiveOrInfinite(rule.flushAfter, 1, 'flushAfter');
    this.reports.push({ rule, left: positiveOrInfinite(rule.times, Infinity, 'times') });
  }

  addQuery(rule: QueryFaultRule): void {
    this.queries.push({ rule, left: positiveOrInfinite(rule.times, 1, 'times') });
  }

  /** Counts a call no rule may take (it failed before reaching the rules: connection down). */
  countCall(call: VenueCall): void {
    this.callCount[call]++;
  }

  /** Counts the call and returns the fault of the first rule that takes it. */
  decideCall(call: VenueCall, clientOrderId: string): CallFault | undefined {
    const n = ++this.callCount[call];
    const hit = this.calls.find(({ rule, left }) => {
      if (left <= 0 || rule.call !== call) return false;
      if (rule.clientOrderId !== undefined && rule.clientOrderId !== clientOrderId) return false;
      // nth names a window of calls: [nth, nth + times); a call another rule took still uses it up.
      if (rule.nth !== undefined && (n < rule.nth || n >= rule.nth + (rule.times ?? 1))) return false;
      return true;
    });
    if (!hit) return undefined;
    hit.left--;
    return hit.rule.fault;
  }

  /** DROP wins over everything; otherwise DUPLICATE and REORDER compose (both copies are held). */
  decideReport(r: VenueReport): ReportDecision {
    if (this.silenced.has(r.clientOrderId)) return { action: 'DROP', why: 'SILENCED' };
    const live = (kind: ReportFaultRule['fault']) => this.reports.find((a) => a.left > 0 && a.rule.fault === kind && reportMatches(a.rule, r));
    const drop = live('DROP');
    if (drop) {
      drop.left--;
      return { action: 'DROP', why: 'DROP' };
    }
    const dup = live('DUPLICATE');
    const reorder = live('REORDER');
    if (dup) dup.left--;
    if (reorder) reorder.left--;
    return { action: 'DELIVER', copies: dup ? 2 : 1, holdFor: reorder?.rule };
  }

  /** The error code the next read fails with, if a rule says it fails. */
  decideQuery(query: VenueQuery): QueryFaultRule['code'] | undefined {
    const hit = this.queries.find((a) => a.left > 0 && (a.rule.query === undefined || a.rule.query === query));
    if (!hit) return undefined;
    hit.left--;
    return hit.rule.code;
  }

  silence(clientOrderId: string): void {
    this.silenced.add(clientOrderId);
  }

  /** Lets an order's reports through again; without an id, every order's. */
  resume(clientOrderId?: string): void {
    if (clientOrderId === undefined) this.silenced.clear();
    else this.silenced.delete(clientOrderId);
  }

  isSilenced(clientOrderId: string): boolean {
    return this.silenced.has(clientOrderId);
  }
}
