import { Liquidities, type CommissionReport, type Contract, type Execution, type Order } from '@stoqey/ib';
import type { VenueReport } from '../../engine/venue.ts';
import { currency } from '../../model/currency.ts';
import { clientOrderId, tradeId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { Money } from '../../model/money.ts';
import { createOrderSpec } from '../../model/orders/factory.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import { ibDecimal, ibPrice, ibQuantity } from './exact.ts';

type Fill = Extract<VenueReport, { kind: 'OrderFilled' }>;

/**
 * An IB execution as Warden's fill: shares and price exact on the grid, the commission as IB
 * charged it (its report's double, exactly, in its currency) when the report came, liquidity from
 * IB's lastLiquidity (1 added: maker; otherwise taker).
 */
export function fillOf(wardenId: string, instrument: Instrument, e: Execution, commission: CommissionReport | undefined, ts: number): Fill {
  const charged = commissionOf(commission, instrument);
  return {
    kind: 'OrderFilled',
    clientOrderId: clientOrderId(wardenId),
    tradeId: tradeId(e.execId),
    ...(e.orderId !== undefined ? { venueOrderId: venueOrderId(String(e.orderId)) } : {}),
    lastQty: ibQuantity(instrument, e.shares, 'execution.shares'),
    lastPx: ibPrice(instrument, e.price, 'execution.price'),
    liquidity: e.lastLiquidity === Liquidities.Added ? 'MAKER' : 'TAKER',
    ...(charged ? { commission: charged } : {}),
    ts,
  };
}

/** A commission as Money: IB's double read exactly; one with more places than the currency keeps is refused (never rounded). */
function commissionOf(c: CommissionReport | undefined, instrument: Instrument): Money | undefined {
  if (!c || c.commission === undefined || c.commission === Number.MAX_VALUE) return undefined;
  const code = c.currency ?? instrument.settlement.code;
  const cur = code === instrument.settlement.code ? instrument.settlement : currency(code, 2, 'FIAT');
  return Money.of(ibDecimal(c.commission, 'commission'), cur, 'commission');
}

/**
 * An execution's time: TWS writes "yyyyMMdd HH:mm:ss" and its time zone ("… UTC", "… US/Eastern")
 * or, older, two spaces and no zone (TWS's local time). Only UTC/GMT is read; anything else is
 * the time it reached us.
 */
export function execTime(text: string | undefined, fallback: number): number {
  const m = /^(\d{4})(\d{2})(\d{2})[ -]+(\d{2}):(\d{2}):(\d{2})(?:\s+(UTC|GMT|Etc\/UTC))?$/.exec(text?.trim() ?? '');
  if (!m || m[7] === undefined) return fallback;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The execution filter's time form, "yyyymmdd-hh:mm:ss" in UTC. */
export function filterTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** An order IB has that Warden did not send (placed in TWS, another client), in Warden's terms (FAULTS 23). */
export function externalSpec(wardenId: string, order: Order, instrument: Instrument, accountId: string, now: number): OrderSpec {
  const px = (v: number | undefined, f: string) => (v === undefined || v === Number.MAX_VALUE ? undefined : ibDecimal(v, f));
  const limit = px(order.lmtPrice, 'order.lmtPrice');
  const aux = px(order.auxPrice, 'order.auxPrice');
  const type = ({ MKT: 'MARKET', LMT: 'LIMIT', STP: 'STOP_MARKET', 'STP LMT': 'STOP_LIMIT', MIT: 'MARKET_IF_TOUCHED', LIT: 'LIMIT_IF_TOUCHED' } as const)[order.orderType as string] ?? (limit !== undefined ? 'LIMIT' : 'MARKET');
  const tif = order.tif === 'DAY' || order.tif === 'IOC' || order.tif === 'FOK' ? order.tif : 'GTC';
  return createOrderSpec(
    {
      clientOrderId: wardenId,
      accountId,
      instrumentId: instrument.id,
      side: String(order.action) === 'SELL' ? 'SELL' : 'BUY',
      type,
      quantity: ibDecimal(order.totalQuantity, 'order.totalQuantity'),
      ...(type === 'LIMIT' || type === 'STOP_LIMIT' || type === 'LIMIT_IF_TOUCHED' ? { price: limit } : {}),
      ...(type !== 'MARKET' && type !== 'LIMIT' ? { triggerPrice: aux } : {}),
      timeInForce: type === 'MARKET' ? 'IOC' : tif,
      tags: ['EXTERNAL'],
    },
    instrument,
    now,
  );
}

/** The contract's symbol as the adapter lists it. */
export const symbolOfContract = (c: Contract): string => c.symbol ?? '';
