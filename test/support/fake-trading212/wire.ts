import type { FakeFill, FakeOrder, HistoryRow } from './book.ts';
import { num } from './decimal.ts';

/** An order as the API's `Order` object. */
export function orderJson(o: FakeOrder, currency: string): Record<string, unknown> {
  return {
    id: o.id,
    createdAt: new Date(o.createdAt).toISOString(),
    status: o.status,
    type: o.type,
    ticker: o.ticker,
    side: o.side,
    strategy: 'QUANTITY',
    quantity: num(o.quantity),
    filledQuantity: num(o.filled),
    filledValue: num(o.filledValue),
    ...(o.limitPrice !== undefined ? { limitPrice: num(o.limitPrice) } : {}),
    ...(o.stopPrice !== undefined ? { stopPrice: num(o.stopPrice) } : {}),
    ...(o.timeInForce !== undefined ? { timeInForce: o.timeInForce } : {}),
    currency,
    extendedHours: false,
    initiatedFrom: o.initiatedFrom,
    instrument: { ticker: o.ticker, currency, name: o.ticker.split('_')[0], isin: 'US0000000000' },
  };
}

function fillJson(f: FakeFill, o: FakeOrder, currency: string): Record<string, unknown> {
  const gross = (f.price * f.quantity) / 10n ** 8n;
  const taxes = f.taxes.reduce((a, t) => a + t.quantity, 0n);
  return {
    id: f.id,
    filledAt: new Date(f.at).toISOString(),
    price: num(f.price),
    quantity: num(f.quantity),
    type: 'TRADE',
    tradingMethod: 'TOTV',
    walletImpact: {
      currency,
      fxRate: 1,
      netValue: num(o.side === 'BUY' ? -gross - taxes : gross - taxes),
      realisedProfitLoss: 0,
      taxes: f.taxes.map((t) => ({ name: t.name, quantity: num(t.quantity), currency, chargedAt: new Date(f.at).toISOString() })),
    },
  };
}

export function historyJson(r: HistoryRow, currency: string): Record<string, unknown> {
  return { order: orderJson(r.order, currency), fill: r.fill ? fillJson(r.fill, r.order, currency) : null };
}
