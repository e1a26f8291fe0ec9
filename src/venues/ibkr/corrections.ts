import type { Execution } from '@stoqey/ib';
import type { VenueReport } from '../../engine/venue.ts';

type Fill = Extract<VenueReport, { kind: 'OrderFilled' }>;
type Bust = Extract<VenueReport, { kind: 'FillBusted' }>;

/**
 * IB's execution ids and their corrections (FAULTS 19). A correction is another execDetails whose
 * execId differs only after the last period ("0000e0d5.6573a7c1.01.01" corrected by "….01.02"):
 * the part before it names the execution, the part after it the revision.
 */
export function execKey(execId: string): { readonly base: string; readonly revision: string } {
  const cut = execId.lastIndexOf('.');
  return cut < 0 ? { base: execId, revision: '' } : { base: execId.slice(0, cut), revision: execId.slice(cut + 1) };
}

/** Revisions in order: IB writes them as fixed-width digits ("01", "02"); a longer one is later. */
export function compareRevision(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a correction changes what Warden booked: the shares or the price (TWS's doubles, as sent). */
export function termsDiffer(a: Execution, b: Execution): boolean {
  return a.shares !== b.shares || a.price !== b.price;
}

/** The fill `told` busted because IB corrected it (the same terms, its commission refunded). */
export function bustOf(told: Fill, by: string, ts: number): Bust {
  return {
    kind: 'FillBusted',
    clientOrderId: told.clientOrderId,
    tradeId: told.tradeId,
    lastQty: told.lastQty,
    lastPx: told.lastPx,
    liquidity: told.liquidity,
    ...(told.commission ? { commission: told.commission } : {}),
    reason: `IB corrected execution ${told.tradeId} as ${by}`,
    ts,
  };
}

/**
 * Items (executions) grouped by execution, each group's revisions in order, groups in the order
 * their first revision came: how a correction must be worked out (the fill, then what corrects it).
 */
export function inRevisionOrder<T>(items: readonly T[], execId: (x: T) => string | undefined): T[] {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const id = execId(x);
    const base = id === undefined ? '' : execKey(id).base;
    const g = groups.get(base);
    if (g) g.push(x);
    else groups.set(base, [x]);
  }
  const rev = (x: T) => execKey(execId(x) ?? '').revision;
  return [...groups.values()].flatMap((g) => g.sort((a, b) => compareRevision(rev(a), rev(b))));
}

/**
 * An execution history (reqExecutions) as the reports that book it: each execution's first
 * revision a fill; a later revision with other shares or price busts the fill before it and is a
 * fill itself; one with the same terms changes nothing. Applied again, the same history gives the
 * same reports, which the engine drops (a trade or a bust it has already).
 */
export function tradesOf<T>(items: readonly T[], execution: (x: T) => Execution, fill: (x: T) => Fill | undefined, now: number): (Fill | Bust)[] {
  const out: (Fill | Bust)[] = [];
  const told = new Map<string, { readonly e: Execution; readonly fill: Fill }>();
  for (const x of inRevisionOrder(items, (i) => execution(i).execId)) {
    const e = execution(x);
    const f = fill(x);
    if (!e.execId || !f) continue;
    const { base } = execKey(e.execId);
    const before = told.get(base);
    if (before && !termsDiffer(before.e, e)) continue;
    if (before) out.push(bustOf(before.fill, e.execId, now));
    out.push(f);
    told.set(base, { e, fill: f });
  }
  return out;
}

/** The executions that stand: each at its latest revision. */
export function latestRevisions<T>(items: readonly T[], execId: (x: T) => string | undefined): T[] {
  const latest = new Map<string, T>();
  for (const x of inRevisionOrder(items, execId)) latest.set(execKey(execId(x) ?? '').base, x);
  return [...latest.values()];
}
