/**
 * Binance request authentication: the X-MBX-APIKEY header, an HMAC-SHA256 hex signature over
 * the total parameters (query string then body, as sent, without the signature itself), and the
 * timestamp window (`timestamp < serverTime + 1000` and `serverTime - timestamp <= recvWindow`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BinanceError, MSG } from './errors.ts';

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export interface Credentials {
  readonly apiKey: string;
  readonly secret: string;
}

/** Refuses a missing or unknown API key (-2014 / -2015); the key itself is never echoed. */
export function checkApiKey(header: string | undefined, creds: Credentials): void {
  if (header === undefined || header === '' || !/^[A-Za-z0-9]+$/.test(header)) throw new BinanceError(401, -2014, MSG.keyFormat);
  if (header !== creds.apiKey) throw new BinanceError(401, -2015, MSG.badKey);
}

/** Splits `a=1&b=2&signature=xx` into the signed payload and the signature, as Binance reads it. */
export function splitSignature(totalParams: string): { payload: string; signature: string | undefined } {
  const parts = totalParams.split('&');
  const i = parts.findIndex((p) => p.startsWith('signature='));
  if (i < 0) return { payload: totalParams, signature: undefined };
  const signature = decodeURIComponent(parts[i]!.slice('signature='.length));
  parts.splice(i, 1);
  return { payload: parts.join('&'), signature };
}

export function checkSignature(payload: string, signature: string | undefined, secret: string): void {
  if (signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature)) throw new BinanceError(400, -1022, MSG.badSignature);
  const want = Buffer.from(hmacHex(secret, payload), 'hex');
  if (!timingSafeEqual(want, Buffer.from(signature, 'hex'))) throw new BinanceError(400, -1022, MSG.badSignature);
}

/** The recvWindow check against the exchange's (possibly skewed) clock. */
export function checkTimestamp(params: Readonly<Record<string, string>>, serverTime: number): void {
  const ts = Number(params['timestamp']);
  if (!Number.isFinite(ts)) throw new BinanceError(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  const recvWindow = params['recvWindow'] !== undefined ? Number(params['recvWindow']) : 5000;
  if (recvWindow > 60000) throw new BinanceError(400, -1131, 'recvWindow must be less than 60000');
  if (ts >= serverTime + 1000) throw new BinanceError(400, -1021, MSG.ahead);
  if (serverTime - ts > recvWindow) throw new BinanceError(400, -1021, MSG.recvWindow);
}

/**
 * The WebSocket API's signed payload: the params sorted by key, apiKey included, signature left
 * out (`userDataStream.subscribe.signature`, `session.logon`).
 */
export function wsApiPayload(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}
