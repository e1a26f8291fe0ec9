import type { OrderSpec } from '../../model/orders/types.ts';
import { MT_TYPES } from './protocol.ts';

export type MtOrder = { readonly ok: true; readonly type: number; readonly price: string } | { readonly ok: false; readonly reason: string };

/**
 * A Warden order as a DWX OPEN: market buy/sell (0/1, price ignored by the EA), buy/sell limit
 * (2/3) and buy/sell stop (4/5) at their price. DWX's OPEN has no expiry field and MT fills a
 * market order whole or not at all, so a market order may be GTC, IOC or FOK and a pending one
 * only GTC; what else Warden has (stop-limit, if-touched, trailing) is emulated by the engine, and
 * post-only or iceberg is refused here with a stable code.
 */
export function mtOrderOf(spec: OrderSpec): MtOrder {
  const refuse = (why: string): MtOrder => ({ ok: false, reason: `UNSUPPORTED_AT_VENUE: ${why}` });
  if (spec.postOnly) return refuse('MT5 through DWX has no post-only orders');
  if (spec.displayQuantity !== undefined) return refuse('MT5 through DWX has no iceberg orders');
  const buy = spec.side === 'BUY';
  switch (spec.type) {
    case 'MARKET':
      if (spec.timeInForce === 'DAY' || spec.timeInForce === 'GTD') return refuse(`a market order is ${spec.timeInForce} at MT5? it fills at once or not at all: send it GTC, IOC or FOK`);
      return { ok: true, type: buy ? MT_TYPES.BUY : MT_TYPES.SELL, price: '0' };
    case 'LIMIT':
      if (spec.timeInForce !== 'GTC') return refuse(`DWX's OPEN has no expiry: a pending order is GTC, not ${spec.timeInForce}`);
      return { ok: true, type: buy ? MT_TYPES.BUY_LIMIT : MT_TYPES.SELL_LIMIT, price: spec.price.toString() };
    case 'STOP_MARKET':
      if (spec.timeInForce !== 'GTC') return refuse(`DWX's OPEN has no expiry: a pending order is GTC, not ${spec.timeInForce}`);
      return { ok: true, type: buy ? MT_TYPES.BUY_STOP : MT_TYPES.SELL_STOP, price: spec.triggerPrice.toString() };
    case 'STOP_LIMIT':
    case 'MARKET_IF_TOUCHED':
    case 'LIMIT_IF_TOUCHED':
    case 'TRAILING_STOP_MARKET':
    case 'TRAILING_STOP_LIMIT':
      return refuse(`${spec.type} has no DWX order type (the engine emulates it)`);
  }
}
