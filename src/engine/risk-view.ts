import type { Order } from '../model/orders/order.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { RiskState } from './risk-state/risk-state.ts';

/** What risk decisions may look at: a read-only view of the engine's state. The engine provides it. */
export interface RiskView {
  readonly portfolio: Portfolio;
  readonly risk: RiskState;
  openOrders(): Iterable<Order>;
  order(id: string): Order | undefined;
  now(): number;
}
