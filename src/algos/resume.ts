/**
 * What a running algorithm does when the node comes back after a restart: the documented rule
 * (README "Execution algorithms", "Across a restart"), as pure functions of its plan, what its
 * children did (the ledger rebuilt from the journal) and the time now.
 *
 * - An iceberg, or an algorithm already filled, resumes as it was.
 * - A schedule whose horizon ended while the node was down (now ≥ endTime, final remainder not yet
 *   sent) is CANCELED with an alert: its working children are canceled and nothing more is sent,
 *   whatever `atEnd` says. Sending the whole remainder at market at restart time would be a trade
 *   nobody priced, at a time nobody chose, possibly most of the parent at once; canceling can be
 *   made good by starting a new algorithm, a market order cannot be taken back.
 * - Otherwise the schedule resumes with the remaining quantity over the remaining schedule: the
 *   slices missed while down (due before now, never sent) are spread over the slices still to come
 *   (due now or later) in proportion to their planned sizes, in exact lots. With nothing missed the
 *   slices are unchanged, so a quick restart trades exactly as if there had been none. With no
 *   slice left to come but the horizon still open, what was missed goes out as one catch-up slice,
 *   as after any jump of the clock.
 */
import { Quantity } from '../model/values.ts';
import type { ChildLedger } from './children.ts';
import type { IcebergPlan } from './iceberg.ts';
import type { ScheduledPlan } from './schedule.ts';
import { weightedSlices, type LotGrid } from './slicing.ts';

export type Resumption =
  | { readonly do: 'resume'; readonly slices: readonly Quantity[] | undefined }
  | { readonly do: 'cancel'; readonly reason: 'HORIZON_PASSED'; readonly alert: { readonly code: 'ALGO_HORIZON_PASSED'; readonly message: string } };

export function resumption(plan: ScheduledPlan | IcebergPlan, ledger: ChildLedger, now: number, grid: LotGrid): Resumption {
  if (plan.kind === 'ICEBERG' || ledger.filled.cmp(plan.quantity) >= 0) return { do: 'resume', slices: undefined };
  const next = ledger.nextSlice();
  if (now >= plan.endTime && next <= plan.slices.length) {
    const left = plan.quantity.sub(ledger.filled);
    return {
      do: 'cancel',
      reason: 'HORIZON_PASSED',
      alert: {
        code: 'ALGO_HORIZON_PASSED',
        message: `${plan.parentId}: the horizon ended while the node was down; canceled with ${left.toString()} of ${plan.quantity.toString()} unfilled, nothing more sent`,
      },
    };
  }
  return { do: 'resume', slices: respread(plan, next, now, grid) };
}

/**
 * The slices with those missed (index ≥ next, due before now) moved onto those still to come (due
 * at or after now), in proportion to their planned lots; undefined when nothing changes.
 */
export function respread(plan: ScheduledPlan, next: number, now: number, grid: LotGrid): Quantity[] | undefined {
  const { slices, times } = plan;
  const future: number[] = [];
  let missed = false;
  for (let i = next; i < slices.length; i++) {
    if (times[i]! >= now) future.push(i);
    else if (!slices[i]!.isZero()) missed = true;
  }
  if (!missed || future.length === 0) return undefined;
  let rest = Quantity.zero(plan.quantity.precision);
  for (let i = next; i < slices.length; i++) rest = rest.add(slices[i]!);
  const lot = grid.lotSize.raw;
  const planned = future.map((i) => Number(Quantity.of(slices[i]!, grid.lotSize.precision).raw / lot));
  // Slices merged away below the minimum can leave every one to come at zero: then equal shares.
  const weights = planned.some((w) => w > 0) ? planned : planned.map(() => 1);
  const spread = weightedSlices(rest, weights, grid);
  const out = slices.map((q, i) => (i < next ? q : Quantity.zero(q.precision)));
  future.forEach((i, k) => (out[i] = Quantity.of(spread[k]!, plan.quantity.precision)));
  return out;
}

