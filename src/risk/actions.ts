import type { ErrorContext } from '../model/errors.ts';
import type { BreakerAction, RiskScope } from '../engine/risk-state/events.ts';
import type { AlertCode } from '../engine/alert-codes.ts';

/**
 * What a breaker decides; the engine's RiskControl carries it out (journals the trip, cancels,
 * flattens, alerts). Breakers never act themselves.
 */
export type RiskAction =
  | {
      readonly do: 'trip';
      readonly breaker: string;
      readonly scope: RiskScope;
      readonly value: number;
      readonly threshold: number;
      readonly action: BreakerAction;
      readonly cancelOrders: boolean;
      readonly flatten: boolean;
      /** Epoch ms when it resets by itself; undefined: manual reset only. */
      readonly autoResetAt: number | undefined;
      readonly message: string;
    }
  | { readonly do: 'reset'; readonly breaker: string; readonly scope: RiskScope }
  /** Near-misses (80% of a limit) and other notices. */
  | { readonly do: 'alert'; readonly code: AlertCode; readonly message: string; readonly context: ErrorContext };
