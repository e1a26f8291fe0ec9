import type { Instrument } from '../model/instrument.ts';
import { atEndOf, childOrder, horizon, parentQuantity, sliceTimes, type ScheduledPlan } from './schedule.ts';
import { equalSlices } from './slicing.ts';
import type { TwapRequest } from './types.ts';

/**
 * TWAP: the parent in `slices` equal exact slices at equal intervals over [startTime, endTime)
 * (1.0 over 10 minutes in 5: 0.2 at minutes 0, 2, 4, 6, 8). Decided by decideScheduled.
 */
export function planTwap(req: TwapRequest, instrument: Instrument, now: number): ScheduledPlan {
  const quantity = parentQuantity(req.quantity, instrument);
  const { start, end } = horizon(req.startTime, req.endTime, now);
  const slices = equalSlices(quantity, req.slices, instrument);
  return {
    kind: 'TWAP',
    parentId: req.parentId,
    quantity,
    times: sliceTimes(start, end, slices.length),
    slices,
    endTime: end,
    order: childOrder(req.order, instrument),
    atEnd: atEndOf(req.atEnd),
    minQuantity: instrument.minQuantity,
  };
}
