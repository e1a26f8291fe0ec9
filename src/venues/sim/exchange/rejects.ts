/**
 * Why the simulated exchange refuses an order or a modify, as the `reason` of its OrderRejected /
 * OrderModifyRejected reports: a stable code first (what a program matches on), then the text
 * and number a Binance client would see for the same refusal, then the figures of this case.
 */
export const SIM_REJECT_TEXT = {
  /** More lots than the book holds exactly (2^53 − 1), alone or with the market's other open orders. */
  QUANTITY_OUT_OF_RANGE: '-1013 Filter failure: LOT_SIZE',
  /** A price or trigger beyond 2^53 − 1 ticks. */
  PRICE_OUT_OF_RANGE: '-1013 Filter failure: PRICE_FILTER',
  /** The account cannot pay for the order (CASH: free quote for a buy, free base for a sell). */
  INSUFFICIENT_BALANCE: '-2010 Account has insufficient balance for requested action.',
  /** A reduce-only order with no position of the other side to reduce. */
  REDUCE_ONLY_REJECTED: '-2022 ReduceOnly Order is rejected.',
} as const;

export type SimRejectCode = keyof typeof SIM_REJECT_TEXT;

export function simReject(code: SimRejectCode, detail?: string): string {
  return detail === undefined ? `${code}: ${SIM_REJECT_TEXT[code]}` : `${code}: ${SIM_REJECT_TEXT[code]} (${detail})`;
}
