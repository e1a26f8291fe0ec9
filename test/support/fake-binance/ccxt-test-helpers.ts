/** Small typed views the fake-Binance tests use on what the real ccxt client returns. */
import type { BinanceClient } from './index.ts';

/** The raw exchange payload ccxt keeps in `info`. */
export function info(x: { info?: unknown }): Record<string, unknown> {
  return x.info as Record<string, unknown>;
}

/** The id ccxt parsed (Binance always sends one). */
export function idOf(x: { id?: string | undefined }): string {
  if (x.id === undefined) throw new Error('ccxt returned no id');
  return x.id;
}

/** The last HTTP body the fake answered, parsed. */
export function lastBody(ex: BinanceClient): unknown {
  return JSON.parse(ex.last_http_response as string) as unknown;
}

export const tick = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));
