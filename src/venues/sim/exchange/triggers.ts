import type { OrderSpec } from '../../../model/orders/types.ts';

/**
 * Whether a trade at `p` (ticks) sets off a conditional order with trigger `t`: a stop buys once
 * the market rises to it and sells once it falls to it; an if-touched order (take-profit) the other
 * way round. Other order types never trigger.
 */
export function isTriggered(spec: OrderSpec, t: number, p: number): boolean {
  const buy = spec.side === 'BUY';
  switch (spec.type) {
    case 'STOP_MARKET':
    case 'STOP_LIMIT':
      return buy ? p >= t : p <= t;
    case 'MARKET_IF_TOUCHED':
    case 'LIMIT_IF_TOUCHED':
      return buy ? p <= t : p >= t;
    case 'MARKET':
    case 'LIMIT':
    case 'TRAILING_STOP_MARKET':
    case 'TRAILING_STOP_LIMIT':
      return false;
  }
}
