import { shown, ValidationError } from '../model/errors.ts';
import type { Instrument } from '../model/instrument.ts';
import { expectedVolume } from './profile.ts';
import { atEndOf, childOrder, horizon, parentQuantity, sliceTimes, type ScheduledPlan } from './schedule.ts';
import { MAX_SLICES, weightedSlices } from './slicing.ts';
import type { VolumeSource, VwapRequest } from './types.ts';

/**
 * VWAP: slices at equal intervals over the horizon, each sized in proportion to the volume
 * expected then — weights given per slice, or a historical profile's expected volume in each
 * slice's interval — in exact lots (largest remainder). Decided by decideScheduled, like TWAP.
 */
export function planVwap(req: VwapRequest, instrument: Instrument, now: number): ScheduledPlan {
  const quantity = parentQuantity(req.quantity, instrument);
  const { start, end } = horizon(req.startTime, req.endTime, now);
  const { times, weights } = weightsOf(req.volume, start, end);
  return {
    kind: 'VWAP',
    parentId: req.parentId,
    quantity,
    times,
    slices: weightedSlices(quantity, weights, instrument),
    endTime: end,
    order: childOrder(req.order, instrument),
    atEnd: atEndOf(req.atEnd),
    minQuantity: instrument.minQuantity,
  };
}

export function weightsOf(volume: VolumeSource, start: number, end: number): { times: number[]; weights: readonly number[] } {
  switch (volume?.kind) {
    case 'WEIGHTS':
      return { times: sliceTimes(start, end, volume.weights.length), weights: volume.weights };
    case 'PROFILE': {
      if (!Number.isInteger(volume.slices) || volume.slices < 1 || volume.slices > MAX_SLICES) {
        throw new ValidationError('INVALID_FIELD', `volume.slices must be a whole number from 1 to ${MAX_SLICES}, got ${shown(volume.slices)}`, { field: 'volume.slices' });
      }
      const times = sliceTimes(start, end, volume.slices);
      return { times, weights: times.map((t, i) => expectedVolume(volume.profile, t, times[i + 1] ?? end)) };
    }
    default: {
      const kind: unknown = (volume as { kind?: unknown } | undefined)?.kind;
      throw new ValidationError('INVALID_FIELD', `volume.kind must be WEIGHTS or PROFILE, got ${shown(kind)}`, { field: 'volume.kind', input: shown(kind) });
    }
  }
}
