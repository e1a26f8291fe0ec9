import type { NumericInput } from '../model/decimal.ts';
import type { ClientOrderId, TradeId, VenueId, VenueOrderId } from '../model/identifiers.ts';
import type { Instrument, InstrumentSpec } from '../model/instrument.ts';
import type { MarketStatus } from './markets/events.ts';
import type { Money } from '../model/money.ts';
import type { OrderSpec, LiquiditySide } from '../model/orders/types.ts';
import type { Price, Quantity } from '../model/values.ts';

/**
 * An order list a venue can hold itself (its legs rest at the venue, linked there):
 * BRACKET: an entry, then a take-profit LIMIT and a stop-loss STOP that cancel each other;
 * OCO: a take-profit LIMIT and a stop-loss STOP that cancel each other;
 * OTO: an entry, then one exit (a take-profit LIMIT or a stop-loss STOP).
 */
export type OrderListShape = 'BRACKET' | 'OCO' | 'OTO';

/** What a venue supports natively; the emulator (order-emulation issue) fills the gaps. */
export interface VenueCapabilities {
  readonly stopOrders: boolean;
  readonly trailingStops: boolean;
  readonly postOnly: boolean;
  readonly iceberg: boolean;
  /** The order lists the venue holds itself (native-lists.ts says which requests fit); empty: every list is emulated. */
  readonly orderLists: readonly OrderListShape[];
  readonly modify: boolean;
}

/**
 * An order list sent as one request: `spec` is its first order (a bracket's or OTO's entry, an
 * OCO's take-profit), `children` the others, in the shape's order (take-profit, then stop-loss).
 * The venue reports each child under the child's own client order id.
 */
export interface VenueOrderList {
  readonly shape: OrderListShape;
  readonly children: readonly OrderSpec[];
}

export interface SubmitRequest {
  readonly spec: OrderSpec;
  readonly instrument: Instrument;
  /** Present when the order is the first of a list the venue holds itself (VenueCapabilities.orderLists). */
  readonly list?: VenueOrderList;
}

export interface ModifyRequest {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId | undefined;
  readonly instrument: Instrument;
  readonly quantity: Quantity | undefined;
  readonly price: Price | undefined;
  readonly triggerPrice: Price | undefined;
}

export interface CancelRequest {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId | undefined;
  readonly instrument: Instrument;
}

interface ReportBase<K extends string> {
  readonly kind: K;
  readonly clientOrderId: ClientOrderId;
  /** When it happened at the venue, epoch milliseconds. */
  readonly ts: number;
}

/** What a venue tells the engine. Quantities and prices may come as text; the engine checks them against the grid. */
export type VenueReport =
  | (ReportBase<'OrderAccepted'> & { readonly venueOrderId: VenueOrderId })
  | (ReportBase<'OrderRejected'> & { readonly reason: string })
  | ReportBase<'OrderTriggered'>
  | (ReportBase<'OrderUpdated'> & {
      readonly quantity?: NumericInput | Quantity;
      readonly price?: NumericInput | Price;
      readonly triggerPrice?: NumericInput | Price;
      readonly venueOrderId?: VenueOrderId;
    })
  | (ReportBase<'OrderModifyRejected'> & { readonly reason: string })
  | (ReportBase<'OrderCancelRejected'> & { readonly reason: string })
  /** From the executor, not the venue: a submit or modify whose outcome is not known yet. */
  | (ReportBase<'OrderStatusUnknown'> & { readonly request: 'SUBMIT' | 'MODIFY' | 'CONNECTION'; readonly reason: string })
  | ReportBase<'OrderCanceled'>
  | ReportBase<'OrderExpired'>
  | (ReportBase<'OrderFilled'> & {
      readonly tradeId: TradeId;
      readonly venueOrderId?: VenueOrderId;
      readonly lastQty: NumericInput | Quantity;
      readonly lastPx: NumericInput | Price;
      readonly liquidity: LiquiditySide;
      /** As charged by the venue; when absent the instrument's fee schedule is applied. */
      readonly commission?: Money;
    })
  /** The venue busted a trade it had reported (FAULTS 19): the terms of that fill, and why. A correction is a bust and a new fill. */
  | (ReportBase<'FillBusted'> & {
      readonly tradeId: TradeId;
      readonly lastQty: NumericInput | Quantity;
      readonly lastPx: NumericInput | Price;
      readonly liquidity: LiquiditySide;
      /** The commission the fill had charged, refunded; when absent, the instrument's fee schedule's. */
      readonly commission?: Money;
      readonly reason: string;
    });

export type VenueReportKind = VenueReport['kind'];

/** What a venue says about one of its orders, for reconciliation. */
export interface VenueOrderStatus {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly spec: OrderSpec;
  readonly status: 'OPEN' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
  readonly filledQty: Quantity;
  /** The order as it stands now, after any modify (the spec is as submitted). Absent: as in the spec. */
  readonly quantity?: Quantity;
  readonly price?: Price;
  readonly triggerPrice?: Price;
}

/**
 * What a venue says of its markets (FAULTS 34, 35): a status of the whole venue (no instrumentId)
 * or of one market, or an instrument's new definition (its tick, lot, min/max or fees changed).
 * The node follows them into the engine (src/execution/market-watch.ts: Engine.setMarketStatus,
 * Engine.updateInstrument); an adapter only says what it saw, again and again if it polls.
 */
export type VenueMarketNotice =
  | { readonly kind: 'MarketStatus'; readonly instrumentId?: string; readonly status: MarketStatus; readonly reason: string }
  | { readonly kind: 'InstrumentChanged'; readonly spec: InstrumentSpec };

/** The venue's connection: DOWN means reports may be missing until a reconciliation. */
export type VenueConnectionState = 'UP' | 'DOWN';

/** A venue's net position in one instrument for one account. */
export interface VenuePosition {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: 'LONG' | 'SHORT' | 'FLAT';
  readonly quantity: Quantity;
}

/**
 * The queries reconciliation needs after a restart. A venue that cannot answer them leaves the
 * engine to trust its journal alone, and says so.
 */
export interface VenueQueries {
  orderStatus(id: ClientOrderId): Promise<VenueOrderStatus | undefined>;
  openOrders(): Promise<readonly VenueOrderStatus[]>;
  /**
   * Fills at or after `ts` (epoch ms), as the reports that carried them, oldest first. A venue
   * that corrects trades (FAULTS 19) may list a bust among them, after the fill it busts and
   * before the corrected fill; applied in order, each report once (the engine drops a trade or a
   * bust it has), they leave the order on the latest terms.
   */
  fillsSince(ts: number): Promise<readonly Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>[]>;
  positions(): Promise<readonly VenuePosition[]>;
  /**
   * The instrument kinds whose positions `positions()` reports; absent: every kind. A spot
   * exchange holds balances, not positions: it lists none, and its accounts are compared by `balances`.
   */
  readonly positionKinds?: readonly ('SPOT' | 'PERPETUAL' | 'EQUITY')[];
  /** Each currency's total per account at the venue (decimal text), where it keeps balances. */
  balances?(): Promise<readonly { readonly accountId: string; readonly currency: string; readonly total: string; readonly places?: number }[]>;
}

/** The same queries, each call made through `via` (retries, fault injection, ...), which is told which query it is. */
export function queriesVia(q: VenueQueries, via: <T>(what: keyof VenueQueries, run: () => Promise<T>) => Promise<T>): VenueQueries {
  return {
    orderStatus: (id) => via('orderStatus', () => q.orderStatus(id)),
    openOrders: () => via('openOrders', () => q.openOrders()),
    fillsSince: (ts) => via('fillsSince', () => q.fillsSince(ts)),
    positions: () => via('positions', () => q.positions()),
    ...(q.positionKinds ? { positionKinds: q.positionKinds } : {}),
    ...(q.balances ? { balances: () => via('positions', () => q.balances!()) } : {}),
  };
}

/**
 * One interface for the simulated exchange, paper and live venues. Calls return once the request
 * is sent; outcomes arrive as reports through the sink given to `connect`. A call that fails
 * rejects (or throws) a VenueCallError (src/model/errors.ts); its `ambiguous` flag says whether
 * the venue may have acted on it anyway.
 */
export interface Venue {
  readonly id: VenueId;
  readonly capabilities: VenueCapabilities;
  connect(sink: (report: VenueReport) => void): void;
  submit(req: SubmitRequest): void | Promise<void>;
  modify(req: ModifyRequest): void | Promise<void>;
  cancel(req: CancelRequest): void | Promise<void>;
  /** Present when the venue can answer reconciliation queries. */
  readonly queries?: VenueQueries;
  /** Present when the venue can tell of its connection going down and up again. */
  onConnection?(listener: (state: VenueConnectionState) => void): void;
  /** Present when the venue can tell of maintenance, halts, sessions and changed instruments (FAULTS 34, 35). */
  onMarketNotice?(listener: (notice: VenueMarketNotice) => void): void;
}
