import type { AccountId } from '../model/identifiers.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import type { Money } from '../model/money.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { AccountType } from '../portfolio/account.ts';
import type { PositionMode } from '../portfolio/position.ts';
import type { RiskEvent } from './risk-state/events.ts';
import type { EmulationEvent } from './emulation/events.ts';
import type { AlgoEvent } from './algos/events.ts';
import type { StrategyStateEvent } from './strategy-state/events.ts';
import type { MarketEvent } from './markets/events.ts';
import type { AuditEvent } from './audit/events.ts';
import type { AdvisorEvent } from './advisor/events.ts';

interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

export type { InstrumentUpdated, MarketStatusChanged, MarketStatus } from './markets/events.ts';
export type { AuditRecorded, AuditOutcome, AuditInput } from './audit/events.ts';
export type { AdvisorConsulted, AdvisorConsultationInput, AdvisorOutcome } from './advisor/events.ts';
export type { AdvisorProposed, AdvisorProposalRejected, ProposalAction } from './advisor/events.ts';

export type InstrumentRegistered = Base<'InstrumentRegistered'> & { readonly spec: InstrumentSpec };
export type AccountOpened = Base<'AccountOpened'> & {
  readonly accountId: AccountId;
  readonly accountType: AccountType;
  readonly positionMode: PositionMode;
  readonly balances: readonly Money[];
};
/** Deposit (positive) or withdrawal (negative). */
export type BalanceAdjusted = Base<'BalanceAdjusted'> & { readonly accountId: AccountId; readonly amount: Money; readonly reason: string };

/** Everything the journal holds: the engine's state is a fold over these. */
export type EngineEvent = OrderEvent | InstrumentRegistered | AccountOpened | BalanceAdjusted | RiskEvent | EmulationEvent | AlgoEvent | StrategyStateEvent | MarketEvent | AuditEvent | AdvisorEvent;
export type EngineEventKind = EngineEvent['kind'];

/** An event with its gap-free sequence number. */
export interface JournalRecord {
  readonly seq: number;
  readonly event: EngineEvent;
  /**
   * The event as the journal codec's text, once something has encoded it (`recordText` in
   * src/journal/codec.ts): the journal, the event stream and the cluster publisher then share
   * one encoding per record instead of making one each.
   */
  text?: string;
}
