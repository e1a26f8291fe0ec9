/** The fake's orders, fills and positions in Alpaca's JSON shapes (snake_case, figures as strings, RFC-3339 times). */
import { cmp } from '../fake-binance/decimal.ts';
import type { FakeEvent, FakeFill, FakeOrder } from './book.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Alpaca prints figures without trailing zeros ("187.4", "10"). */
export function plain(s: string | undefined): string | null {
  if (s === undefined) return null;
  if (!s.includes('.')) return s;
  const t = s.replace(/0+$/, '').replace(/\.$/, '');
  return t === '-0' ? '0' : t;
}

/** filled_avg_price: Σ price × qty / filled qty, exact to 9 places where it does not divide evenly. */
function avgPrice(o: FakeOrder): string | null {
  if (cmp(o.filledQty, '0') === 0) return null;
  const scale = 18;
  const units = (s: string) => {
    const [i = '0', f = ''] = s.split('.');
    return BigInt(i + f.padEnd(scale, '0').slice(0, scale));
  };
  const q = (units(o.filledNotional) * 10n ** 9n) / units(o.filledQty);
  const digits = q.toString().padStart(10, '0');
  return plain(`${digits.slice(0, -9)}.${digits.slice(-9)}`);
}

/** An order as Alpaca shows it; `legs`: a list's legs rolled up under it (the POST answer, or `nested=true`), else null. */
export function orderJson(o: FakeOrder, assetId: string, legs?: readonly FakeOrder[]): Record<string, unknown> {
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
    submitted_at: iso(o.createdAt),
    filled_at: iso(o.filledAt),
    expired_at: o.status === 'expired' ? iso(o.updatedAt) : null,
    canceled_at: o.status === 'canceled' ? iso(o.updatedAt) : null,
    failed_at: null,
    replaced_at: o.status === 'replaced' ? iso(o.updatedAt) : null,
    replaced_by: o.replacedBy ?? null,
    replaces: o.replaces ?? null,
    asset_id: assetId,
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: plain(o.qty),
    filled_qty: plain(o.filledQty),
    filled_avg_price: avgPrice(o),
    order_class: o.orderClass,
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.side === 'buy' ? 'buy_to_open' : 'sell_to_close',
    time_in_force: o.tif,
    limit_price: plain(o.limitPrice),
    stop_price: plain(o.stopPrice),
    status: o.status,
    extended_hours: false,
    legs: legs && legs.length > 0 ? legs.map((l) => orderJson(l, assetId)) : null,
    trail_percent: plain(o.trailPercent),
    trail_price: plain(o.trailPrice),
    hwm: plain(o.hwm),
    subtag: null,
    source: null,
    expires_at: null,
  };
}

/** One trade_updates frame as Alpaca's stream sends it. */
export function tradeUpdateJson(e: FakeEvent, assetId: string): Record<string, unknown> {
  const data: Record<string, unknown> = { event: e.event, timestamp: new Date(e.ts).toISOString(), order: orderJson(e.order, assetId) };
  if (e.fill) Object.assign(data, { execution_id: e.fill.executionId, price: plain(e.fill.price), qty: plain(e.fill.qty), position_qty: plain(e.positionQty) });
  return { stream: 'trade_updates', data };
}

/** A FILL account activity; its id is `<transaction time digits>::<execution id>`. */
export function fillActivityJson(f: FakeFill): Record<string, unknown> {
  const stamp = new Date(f.ts).toISOString().replace(/[-:TZ.]/g, '');
  return {
    id: `${stamp}::${f.executionId}`,
    activity_type: 'FILL',
    transaction_time: new Date(f.ts).toISOString(),
    type: f.orderStatus === 'filled' ? 'fill' : 'partial_fill',
    price: plain(f.price),
    qty: plain(f.qty),
    side: f.side,
    symbol: f.symbol,
    leaves_qty: plain(f.leavesQty),
    order_id: f.orderId,
    cum_qty: plain(f.cumQty),
    order_status: f.orderStatus,
  };
}

export function positionJson(symbol: string, qty: string, assetId: string): Record<string, unknown> {
  const short = qty.startsWith('-');
  return {
    asset_id: assetId, symbol, exchange: 'NASDAQ', asset_class: 'us_equity', asset_marginable: true, qty: plain(qty), qty_available: plain(qty), side: short ? 'short' : 'long',
    avg_entry_price: '0', market_value: '0', cost_basis: '0', unrealized_pl: '0', unrealized_plpc: '0', unrealized_intraday_pl: '0', unrealized_intraday_plpc: '0', current_price: '0', lastday_price: '0', change_today: '0',
  };
}
