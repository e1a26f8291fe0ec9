export { OrderBook } from './order-book.ts';
export type {
  BookDepth,
  BookFill,
  BookLevel,
  BookModify,
  BookOrderRequest,
  BookOrderView,
  BookOutcome,
  BookRejectReason,
  BookResult,
  BookSide,
  BookTif,
  OrderBookOptions,
  StpMode,
} from './types.ts';
