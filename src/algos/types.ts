/**
 * Execution algorithms: what a caller asks for (AlgoRequest), what the pure deciders return
 * (AlgoAction), and what the runner reports (AlgoProgress). Requests are loosely typed at the
 * edge like OrderRequest and validated once, at start, into plans of exact lots.
 */
import type { NumericInput } from '../model/decimal.ts';
import type { AlertCode } from '../engine/alert-codes.ts';
import type { Price, Quantity } from '../model/values.ts';
import type { AveragePrice } from './average-price.ts';
import type { VolumeProfile } from './profile.ts';

export type AlgoKind = 'TWAP' | 'VWAP' | 'ICEBERG';

/** RUNNING until filled or the horizon is over (DONE), stopped by the caller (CANCELED) or by a refused child (FAILED). */
export type AlgoStatus = 'RUNNING' | 'DONE' | 'CANCELED' | 'FAILED';

/** How a scheduled slice goes out: at market, or as a limit at one price for the whole horizon. */
export type SliceOrder = { readonly type: 'MARKET' } | { readonly type: 'LIMIT'; readonly price: NumericInput | Price };

/** What happens to what is unfilled when the horizon ends: sent as a final MARKET slice, or left. */
export type AtEnd = 'SEND_REMAINDER' | 'LEAVE';

interface AlgoBase {
  /** Names the algorithm and its children: `<parentId>-1`, `<parentId>-2`, ... */
  readonly parentId: string;
  readonly accountId: string;
  readonly strategyId?: string;
  readonly instrumentId: string;
  readonly side: 'BUY' | 'SELL';
  /** The parent quantity, on the instrument's lot grid. */
  readonly quantity: NumericInput | Quantity;
  /** Added to every child's tags, after 'algo' and 'algo:<KIND>'. */
  readonly tags?: readonly string[];
}

interface ScheduledBase extends AlgoBase {
  /** Horizon start, epoch ms; default the engine's now. The first slice goes out then. */
  readonly startTime?: number;
  /** Horizon end, epoch ms; slices are at equal intervals in [startTime, endTime). */
  readonly endTime: number;
  /** Default MARKET. */
  readonly order?: SliceOrder;
  /** Default LEAVE. */
  readonly atEnd?: AtEnd;
}

export interface TwapRequest extends ScheduledBase {
  readonly kind: 'TWAP';
  readonly slices: number;
}

/** Slice weights: given (one per slice), or from a volume profile over the horizon. */
export type VolumeSource =
  | { readonly kind: 'WEIGHTS'; readonly weights: readonly number[] }
  | { readonly kind: 'PROFILE'; readonly profile: VolumeProfile; readonly slices: number };

export interface VwapRequest extends ScheduledBase {
  readonly kind: 'VWAP';
  readonly volume: VolumeSource;
}

export interface IcebergRequest extends AlgoBase {
  readonly kind: 'ICEBERG';
  /** Size of each child on the book; the last child is the remainder. */
  readonly displayQuantity: NumericInput | Quantity;
  readonly price: NumericInput | Price;
}

export type AlgoRequest = TwapRequest | VwapRequest | IcebergRequest;

/** A child order's shape, resolved: exact price for a limit. */
export type ChildOrder = { readonly type: 'MARKET' } | { readonly type: 'LIMIT'; readonly price: Price; readonly displayQuantity?: Quantity };

/** What a decider wants done; the runner carries it out through engine commands. */
export type AlgoAction =
  | { readonly do: 'submit'; readonly slice: number; readonly quantity: Quantity; readonly order: ChildOrder }
  | { readonly do: 'cancel'; readonly clientOrderId: string }
  /** Ends the algorithm; `alert` is raised on the engine bus when given. */
  | { readonly do: 'stop'; readonly status: 'DONE' | 'FAILED'; readonly reason: string; readonly alert?: { readonly code: AlertCode; readonly message: string } };

export interface AlgoProgress {
  readonly parentId: string;
  readonly kind: AlgoKind;
  readonly status: AlgoStatus;
  /** Why it stopped (FILLED, HORIZON_END, a denial code, ...), once it has. */
  readonly reason: string | undefined;
  readonly quantity: Quantity;
  readonly filled: Quantity;
  /** Open quantity of working children. */
  readonly working: Quantity;
  /** Exact volume-weighted fill price of all children; undefined before the first fill. */
  readonly averagePrice: AveragePrice | undefined;
  readonly slicesSent: number;
  readonly slicesFilled: number;
  readonly children: readonly string[];
}

/** Tags on every child: `algo` and `algo:<KIND>`. */
export const ALGO_TAG = 'algo';
