/**
 * An algorithm request as the journal keeps it (AlgoStarted.request): every value that depended on
 * the moment it started resolved (the start time, a volume profile as the weights it gave each
 * slice), prices and quantities as exact decimal text, so planning it again at its start time
 * gives the same plan, slice for slice. Pure.
 */
import { ValidationError } from '../model/errors.ts';
import type { IcebergPlan } from './iceberg.ts';
import type { ScheduledPlan } from './schedule.ts';
import type { AlgoRequest, IcebergRequest, TwapRequest, VwapRequest } from './types.ts';
import { weightsOf } from './vwap.ts';

/** The request resolved against its plan, as canonical JSON text. */
export function journaledRequest(req: AlgoRequest, plan: ScheduledPlan | IcebergPlan): string {
  return JSON.stringify(resolved(req, plan));
}

/** The journaled text back as a request; planning validates it again. */
export function requestFromText(text: string, parentId: string): AlgoRequest {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ValidationError('INVALID_FIELD', `execution algorithm ${parentId} has a journaled request that is not JSON`, { field: 'request', parentId });
  }
  if (typeof v !== 'object' || v === null || (v as { parentId?: unknown }).parentId !== parentId) {
    throw new ValidationError('INVALID_FIELD', `execution algorithm ${parentId} has a journaled request for another parent`, { field: 'request', parentId });
  }
  return v as AlgoRequest;
}

function resolved(req: AlgoRequest, plan: ScheduledPlan | IcebergPlan): AlgoRequest {
  const common = {
    parentId: req.parentId,
    accountId: req.accountId,
    ...(req.strategyId !== undefined ? { strategyId: req.strategyId } : {}),
    instrumentId: req.instrumentId,
    side: req.side,
    quantity: plan.quantity.toString(),
    ...(req.tags !== undefined ? { tags: [...req.tags] } : {}),
  };
  if (plan.kind === 'ICEBERG') {
    const r: IcebergRequest = { ...common, kind: 'ICEBERG', displayQuantity: plan.displayQuantity.toString(), price: plan.price.toString() };
    return r;
  }
  const start = plan.times[0]!;
  const scheduled = {
    ...common,
    startTime: start,
    endTime: plan.endTime,
    order: plan.order.type === 'LIMIT' ? { type: 'LIMIT' as const, price: plan.order.price.toString() } : { type: 'MARKET' as const },
    atEnd: plan.atEnd,
  };
  if (req.kind === 'TWAP') {
    const r: TwapRequest = { ...scheduled, kind: 'TWAP', slices: req.slices };
    return r;
  }
  const v = req as VwapRequest;
  // A profile is a Map and a lot of history: what it gave each slice is all the plan used.
  const weights = v.volume.kind === 'WEIGHTS' ? [...v.volume.weights] : [...weightsOf(v.volume, start, plan.endTime).weights];
  const r: VwapRequest = { ...scheduled, kind: 'VWAP', volume: { kind: 'WEIGHTS', weights } };
  return r;
}
