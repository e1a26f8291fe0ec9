import type { NumericInput } from '../model/decimal.ts';
import type { ClientOrderId, TradeId, VenueId, VenueOrderId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Money } from '../model/money.ts';
import type { OrderSpec, LiquiditySide } from '../model/orders/types.ts';
import type { Price, Quantity } from '../model/values.ts';

/** What a venue supports natively; the emulator (order-emulation issue) fills the gaps. */
export interface VenueCapabilities {
  readonly stopOrders: boolean;
  readonly trailingStops: boolean;
  readonly postOnly: boolean;
  readonly iceberg: boolean;
  readonly oco: boolean;
  readonly modify: boolean;
}

export interface SubmitRequest {
  readonly spec: OrderSpec;
  readonly instrument: Instrument;
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
    });

export type VenueReportKind = VenueReport['kind'];

/**
 * One interface for the simulated exchange, paper and live venues. Calls return once the request
 * is sent; outcomes arrive as reports through the sink given to `connect`.
 */
export interface Venue {
  readonly id: VenueId;
  readonly capabilities: VenueCapabilities;
  connect(sink: (report: VenueReport) => void): void;
  submit(req: SubmitRequest): void | Promise<void>;
  modify(req: ModifyRequest): void | Promise<void>;
  cancel(req: CancelRequest): void | Promise<void>;
}
