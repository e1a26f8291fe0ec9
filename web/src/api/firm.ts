/** What the firm view's API answers (src/cluster/firm-view/): decimals as exact strings. */

export interface FirmNode {
  readonly node: string;
  readonly appliedSeq: number;
  readonly waiting: number;
  readonly duplicates: number;
  readonly refused: number;
  readonly lastRefusal?: string;
  readonly lastTs?: number;
  readonly orders: number;
  readonly openOrders: number;
  readonly openPositions: number;
  readonly killSwitch: boolean;
  readonly halted: boolean;
}

export interface FirmOrder {
  readonly node: string;
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly type: string;
  readonly status: string;
  readonly quantity: string;
  readonly filledQty: string;
  readonly price?: string;
}

export interface FirmPosition {
  readonly node: string;
  readonly positionId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly quantity: string;
  readonly avgEntryPx?: string;
  readonly markPx?: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly currency: string;
}

export interface CurrencyFigures {
  readonly currency: string;
  readonly grossExposure: string;
  readonly netExposure: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
}

export interface FirmRisk {
  readonly nodes: readonly { readonly node: string; readonly killSwitch: { readonly engaged: boolean }; readonly openOrders: number; readonly openPositions: number; readonly byCurrency: readonly CurrencyFigures[] }[];
  readonly total: { readonly openOrders: number; readonly openPositions: number; readonly killSwitchesEngaged: number; readonly byCurrency: readonly CurrencyFigures[] };
}

export interface Health {
  readonly ok: boolean;
  readonly mode: string;
  readonly firm?: string;
  readonly connected?: boolean;
}
