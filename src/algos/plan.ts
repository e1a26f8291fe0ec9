import { shown, ValidationError } from '../model/errors.ts';
import type { Instrument } from '../model/instrument.ts';
import { planIceberg, type IcebergPlan } from './iceberg.ts';
import type { ScheduledPlan } from './schedule.ts';
import { planTwap } from './twap.ts';
import type { AlgoRequest } from './types.ts';
import { planVwap } from './vwap.ts';

export type AlgoPlan = ScheduledPlan | IcebergPlan;

/** The validated plan of a request at `now` (bad input: a typed ValidationError). */
export function planOf(req: AlgoRequest, instrument: Instrument, now: number, nativeIceberg: boolean): AlgoPlan {
  switch (req.kind) {
    case 'TWAP':
      return planTwap(req, instrument, now);
    case 'VWAP':
      return planVwap(req, instrument, now);
    case 'ICEBERG':
      return planIceberg(req, instrument, nativeIceberg);
    default: {
      const kind: unknown = (req as { kind?: unknown }).kind;
      throw new ValidationError('INVALID_FIELD', `kind must be TWAP, VWAP or ICEBERG, got ${shown(kind)}`, { field: 'kind', input: shown(kind) });
    }
  }
}
