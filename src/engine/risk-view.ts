import type { Order } from '../model/orders/order.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { RiskState } from './risk-state/risk-state.ts';
import type { MarketStatusView } from './markets/market-statuses.ts';

/** What risk decisions may look at: a read-only view of the engine's state. The engine provides it. */
export interface RiskView {
  readonly portfolio: Portfolio;
  readonly risk: RiskState;
  /** Venues and markets closed, halted or in maintenance (FAULTS 34). */
  readonly markets: MarketStatusView;
  openOrders(): Iterable<Order>;
  order(id: string): Order | undefined;
  now(): number;
}
