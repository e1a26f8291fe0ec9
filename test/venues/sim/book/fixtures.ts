import type { BookOrderRequest, BookSide } from '../../../../src/venues/sim/book/index.ts';

type Extra = Partial<Omit<BookOrderRequest, 'id' | 'side' | 'price' | 'qty'>>;

export function limit(id: string, side: BookSide, price: number, qty: number, extra: Extra = {}): BookOrderRequest {
  return { id, side, type: 'LIMIT', price, qty, tif: 'GTC', ...extra };
}

export const buy = (id: string, price: number, qty: number, extra: Extra = {}): BookOrderRequest => limit(id, 'BUY', price, qty, extra);
export const sell = (id: string, price: number, qty: number, extra: Extra = {}): BookOrderRequest => limit(id, 'SELL', price, qty, extra);

export function market(id: string, side: BookSide, qty: number, extra: Extra = {}): BookOrderRequest {
  return { id, side, type: 'MARKET', qty, tif: 'IOC', ...extra };
}
