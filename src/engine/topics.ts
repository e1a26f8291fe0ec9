import type { ErrorContext } from '../model/errors.ts';
import type { AlertCode } from './alert-codes.ts';
import type { AccountId, InstrumentId, PositionId, StrategyId } from '../model/identifiers.ts';
import type { Money } from '../model/money.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { Balance } from '../portfolio/account.ts';
import type { PositionSide } from '../portfolio/position.ts';
import type { JournalRecord } from './events.ts';
import type { Price } from '../model/values.ts';
import type { Bar } from '../model/bar.ts';
import type { Trade } from '../model/trade.ts';
import type { DeadOrderReport } from './dead-orders.ts';
import type { MarketStatusChanged } from './markets/events.ts';

export interface PositionEvent {
  readonly kind: 'PositionOpened' | 'PositionChanged' | 'PositionClosed' | 'PositionFlipped';
  readonly positionId: PositionId;
  readonly accountId: AccountId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly side: PositionSide;
  readonly quantity: string;
  readonly avgEntryPx: number | undefined;
  readonly realizedPnl: Money;
  readonly ts: number;
}

export interface AccountStateChanged {
  readonly kind: 'AccountStateChanged';
  readonly accountId: AccountId;
  readonly balances: readonly Balance[];
  readonly ts: number;
}

/** Things a person or a supervisor should know about that did not change state as asked. */
export interface EngineAlert {
  readonly code: AlertCode;
  readonly message: string;
  readonly context: ErrorContext;
  readonly ts: number;
}

export interface MarketUpdate {
  readonly instrumentId: InstrumentId;
  readonly last?: Price;
  readonly bid?: Price;
  readonly ask?: Price;
  readonly ts: number;
}

/** The engine's bus topics and what each carries. */
export interface EngineTopics {
  /** Market prices given to the engine (updateMarket). */
  market: MarketUpdate;
  /** Finished bars given to the engine (updateBar). */
  bar: Bar;
  /** Public trades (prints) given to the engine (updateTrade): their sizes feed the traded volume the API shows. */
  trade: Trade;
  order: OrderEvent;
  position: PositionEvent;
  account: AccountStateChanged;
  alert: EngineAlert;
  /** Every journaled record, after it is durable. */
  record: JournalRecord;
  /** A venue report about an order our books hold closed unfilled (dead-orders.ts): the CancelChaser kills it at the venue. */
  deadOrder: DeadOrderReport;
  /** A venue or market opened, closed, halted or went into maintenance (Engine.setMarketStatus), once durable: the strategy host tells strategies. */
  marketStatus: MarketStatusChanged;
}
