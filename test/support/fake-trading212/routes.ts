import type { ServerResponse } from 'node:http';
import { isPending, type FakeBook, type FakeOrderType } from './book.ts';
import { num, text } from './decimal.ts';
import type { Faults } from './index.ts';
import { historyJson, orderJson } from './wire.ts';

export const PLACE: Record<string, { type: FakeOrderType; endpoint: string }> = {
  market: { type: 'MARKET', endpoint: 'ORDER_MARKET' },
  limit: { type: 'LIMIT', endpoint: 'ORDER_LIMIT' },
  stop: { type: 'STOP', endpoint: 'ORDER_STOP' },
  stop_limit: { type: 'STOP_LIMIT', endpoint: 'ORDER_STOP_LIMIT' },
};

export type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

export interface Ctx {
  readonly book: FakeBook;
  readonly faults: Faults;
  readonly instruments: readonly Record<string, unknown>[];
}

/** One authenticated, rate-checked request's answer, by endpoint. */
export function answer(ctx: Ctx, url: URL, endpoint: string, body: Record<string, unknown>, headers: Record<string, string>, send: Send, res: ServerResponse): void {
  const { book, faults } = ctx;
    const p = url.pathname.replace(/^\/api\/v0/, '');
  const idOf = () => Number(p.split('/').pop());
  switch (endpoint) {
    case 'ORDER_MARKET':
    case 'ORDER_LIMIT':
    case 'ORDER_STOP':
    case 'ORDER_STOP_LIMIT': {
      const type = PLACE[p.split('/').pop()!]!.type;
      const hang = faults.hang;
      faults.hang = undefined;
      if (hang && !hang.placed) return void res.on('close', () => undefined);
      const figure = (k: string) => (typeof body[k] === 'number' ? String(body[k]) : undefined);
      const limitPrice = figure('limitPrice');
      const stopPrice = figure('stopPrice');
      const out = book.place({
        ticker: String(body['ticker']),
        type,
        quantity: String(body['quantity']),
        ...(limitPrice !== undefined ? { limitPrice } : {}),
        ...(stopPrice !== undefined ? { stopPrice } : {}),
        ...(body['timeValidity'] !== undefined ? { timeValidity: body['timeValidity'] as 'DAY' } : {}),
      });
      if (hang) return; // placed, never answered
      return out.ok ? send(200, orderJson(out.order, book.currency), headers) : send(out.status, { code: out.code, clarification: out.clarification }, headers);
    }
    case 'ORDER_CANCEL':
      return book.cancel(idOf()) === 'OK' ? send(200, undefined, headers) : send(404, { code: 'OrderNotFound', clarification: 'Order not found' }, headers);
    case 'ORDERS':
      return send(200, book.pending().map((x) => orderJson(x, book.currency)), headers);
    case 'ORDER_BY_ID': {
      const x = book.orders.get(idOf());
      return x && isPending(x) ? send(200, orderJson(x, book.currency), headers) : send(404, { code: 'OrderNotFound', clarification: 'Order not found' }, headers);
    }
    case 'HISTORY_ORDERS': {
      const limit = Math.min(50, Number(url.searchParams.get('limit') ?? 20));
      const cursor = url.searchParams.get('cursor');
      const rows = book.history.filter((r) => cursor === null || r.seq < Number(cursor));
      const page = rows.slice(0, limit);
      const more = rows.length > limit;
      const items = page.flatMap((r) => (faults.duplicateHistory ? [r, r] : [r])).map((r) => historyJson(r, book.currency));
      return send(200, { items, nextPagePath: more ? `/api/v0/equity/history/orders?limit=${limit}&cursor=${page[page.length - 1]!.seq}` : null }, headers);
    }
    case 'POSITIONS':
      return send(
        200,
        [...book.positions.entries()].filter(([, q]) => q !== 0n).map(([ticker, q]) => ({ instrument: { ticker, currency: book.currency, name: ticker }, quantity: num(q), quantityAvailableForTrading: num(q) })),
        headers,
      );
    case 'ACCOUNT_SUMMARY':
      return send(200, { id: 424242, currency: book.currency, totalValue: num(book.cash), cash: { availableToTrade: Number(text(book.cash)), reservedForOrders: 0, inPies: 0 } }, headers);
    case 'INSTRUMENTS':
      return send(200, ctx.instruments, headers);
  }
  }
