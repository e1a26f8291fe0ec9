import type { AccountId, StrategyId, VenueId } from '../../model/identifiers.ts';

/** ACTIVE trades normally; REDUCING allows only what lowers exposure; HALTED allows nothing new. */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

/**
 * Where a state or breaker applies: the whole firm, one account, one strategy, or every order sent
 * to one venue (its connection is down: FAULTS 22). Written `FIRM`, `ACCOUNT:<id>`, `STRATEGY:<id>`,
 * `VENUE:<id>`.
 */
export type RiskScope = 'FIRM' | `ACCOUNT:${string}` | `STRATEGY:${string}` | `VENUE:${string}`;

export const accountScope = (id: AccountId): RiskScope => `ACCOUNT:${id}`;
export const strategyScope = (id: StrategyId): RiskScope => `STRATEGY:${id}`;
export const venueScope = (id: VenueId | string): RiskScope => `VENUE:${id}`;

/**
 * Who changed something: a person, a breaker, the kill switch, a strategy (which may only tighten),
 * or the system watching a venue's connection (src/execution/connection-guard.ts).
 */
export type RiskSource = 'OPERATOR' | 'BREAKER' | 'KILL_SWITCH' | 'STRATEGY' | 'VENUE';

export type BreakerAction = 'HALT' | 'REDUCE';

interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

export type TradingStateChanged = Base<'TradingStateChanged'> & {
  readonly scope: RiskScope;
  readonly state: TradingState;
  readonly source: RiskSource;
  readonly reason: string;
};

export type BreakerTripped = Base<'BreakerTripped'> & {
  readonly breaker: string;
  readonly scope: RiskScope;
  readonly value: number;
  readonly threshold: number;
  readonly action: BreakerAction;
  /** When it resets by itself (epoch ms); undefined: only an operator resets it. */
  readonly autoResetAt: number | undefined;
  readonly message: string;
};

export type BreakerReset = Base<'BreakerReset'> & {
  readonly breaker: string;
  readonly scope: RiskScope;
  readonly source: 'OPERATOR' | 'AUTO';
  readonly operator: string | undefined;
};

export type KillSwitchEngaged = Base<'KillSwitchEngaged'> & { readonly operator: string; readonly reason: string; readonly flatten: boolean };
export type KillSwitchReset = Base<'KillSwitchReset'> & { readonly operator: string; readonly reason: string };

/** Journaled risk events: trading states, breakers and the kill switch survive a restart by replay. */
export type RiskEvent = TradingStateChanged | BreakerTripped | BreakerReset | KillSwitchEngaged | KillSwitchReset;
export type RiskEventKind = RiskEvent['kind'];
