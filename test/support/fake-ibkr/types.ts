/** A contract the fake lists (what reqContractDetails answers). */
export interface ContractDef {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: 'STK';
  /** Where orders route: SMART. */
  readonly exchange: string;
  readonly primaryExch: string;
  readonly currency: string;
  /** A double, as TWS holds it. */
  readonly minTick: number;
  readonly longName: string;
}

export type FakeOrderStatus = 'PreSubmitted' | 'Submitted' | 'Filled' | 'Cancelled' | 'Inactive';

/** An order as TWS keeps it: figures are doubles, as in TWS. */
export interface FakeOrder {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly account: string;
  readonly contract: ContractDef;
  readonly action: 'BUY' | 'SELL';
  totalQuantity: number;
  orderType: string;
  lmtPrice: number | undefined;
  auxPrice: number | undefined;
  tif: string;
  readonly orderRef: string;
  outsideRth: boolean;
  displaySize: number | undefined;
  goodTillDate: string;
  trailStopPrice: number | undefined;
  trailingPercent: number | undefined;
  status: FakeOrderStatus;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** A stop or if-touched order whose trigger has been hit (it now works as its market or limit). */
  triggered: boolean;
}

export interface Execution {
  readonly execId: string;
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly contract: ContractDef;
  /** "yyyyMMdd HH:mm:ss UTC" */
  readonly time: string;
  readonly epochMs: number;
  readonly account: string;
  readonly side: 'BOT' | 'SLD';
  readonly shares: number;
  readonly price: number;
  readonly cumQty: number;
  readonly avgPrice: number;
  readonly orderRef: string;
  readonly commission: number;
  /** IB's lastLiquidity: 1 added (maker), 2 removed (taker). */
  readonly liquidity: 1 | 2;
}
