/**
 * Binance's error answers: `{"code":-2010,"msg":"..."}` with the HTTP status Binance uses, and
 * Binance's exact messages (ccxt classifies some errors by the exact message, e.g.
 * InsufficientFunds, OrderImmediatelyFillable). Shared by the gateway and the fake Binance.
 */

export class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** A plain page instead of the JSON body (what Binance's gateway answers on 502/503). */
    readonly page?: string,
    /** Binance's `data` beside code and msg (cancelReplace's -2021 and -2022 carry both halves' results). */
    readonly data?: unknown,
  ) {
    super(msg);
    this.name = 'BinanceError';
  }

  body(): { code: number; msg: string; data?: unknown } | string {
    return this.page ?? { code: this.code, msg: this.msg, ...(this.data !== undefined ? { data: this.data } : {}) };
  }
}

export const MSG = {
  insufficient: 'Account has insufficient balance for requested action.',
  wouldTake: 'Order would immediately match and take.',
  unknownOrderCancel: 'Unknown order sent.',
  orderDoesNotExist: 'Order does not exist.',
  badSignature: 'Signature for this request is not valid.',
  keyFormat: 'API-key format invalid.',
  badKey: 'Invalid API-key, IP, or permissions for action.',
  recvWindow: 'Timestamp for this request is outside of the recvWindow.',
  ahead: "Timestamp for this request was 1000ms ahead of the server's time.",
  marketClosed: 'Market is closed.',
  duplicate: 'Duplicate order sent.',
  invalidSymbol: 'Invalid symbol.',
  reduceOnly: 'ReduceOnly Order is rejected.',
  tooManyRequests: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API.',
  internal: 'Internal error; unable to process your request. Please try again.',
  listenKeyNotExist: 'This listenKey does not exist.',
} as const;

export const err = {
  badRequest: (code: number, msg: string) => new BinanceError(400, code, msg),
  mandatory: (name: string) => new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  notFound: () => new BinanceError(400, -2013, MSG.orderDoesNotExist),
  unknownCancel: () => new BinanceError(400, -2011, MSG.unknownOrderCancel),
  rateLimited: (retryAfterSec: number) => new BinanceError(429, -1003, MSG.tooManyRequests, { 'Retry-After': String(retryAfterSec) }),
};
