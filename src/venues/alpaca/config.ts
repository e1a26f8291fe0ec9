import { z } from 'zod';

/** Where Alpaca lives: paper or live trading, and its market data (overridable, e.g. to a local test server). */
export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';
export const ALPACA_DATA_URL = 'https://data.alpaca.markets';
export const ALPACA_DATA_STREAM_URL = 'wss://stream.data.alpaca.markets';

/**
 * An Alpaca venue in warden.yaml (without the node's common venue fields). `api_key` and
 * `secret` are the APCA-API-KEY-ID / APCA-API-SECRET-KEY pair, taken by the node from `${ENV}`.
 */
export const alpacaVenueConfigSchema = z.strictObject({
  type: z.literal('alpaca'),
  api_key: z.string().min(1),
  secret: z.string().min(1),
  /** Paper trading (default) or the live account. */
  paper: z.boolean().default(true),
  /** Trading REST base; default by `paper`. */
  base_url: z.url().optional(),
  /** Trading stream (trade_updates); default `<base_url as wss>/stream`. */
  stream_url: z.url().optional(),
  /** Market data REST base. */
  data_url: z.url().optional(),
  /** Market data stream host; the feed's path (/v2/iex, /v2/sip) is added. */
  data_stream_url: z.url().optional(),
  /** iex (free) or sip (paid subscription). */
  feed: z.enum(['iex', 'sip']).default('iex'),
  /** Per-call timeout of the REST calls, ms. */
  timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
  /** First and longest wait before reconnecting a dropped stream, ms. */
  reconnect_base_ms: z.number().int().min(10).max(60_000).default(1_000),
  reconnect_max_ms: z.number().int().min(10).max(600_000).default(30_000),
});

export type AlpacaVenueConfig = z.input<typeof alpacaVenueConfigSchema>;
export type AlpacaResolvedConfig = z.output<typeof alpacaVenueConfigSchema>;

/** The URLs the adapter talks to, from the config. */
export interface AlpacaUrls {
  readonly trading: string;
  readonly tradingStream: string;
  readonly data: string;
  readonly dataStream: string;
}

export function alpacaUrls(c: AlpacaResolvedConfig): AlpacaUrls {
  const trading = (c.base_url ?? (c.paper ? ALPACA_PAPER_URL : ALPACA_LIVE_URL)).replace(/\/+$/, '');
  const dataStreamHost = (c.data_stream_url ?? ALPACA_DATA_STREAM_URL).replace(/\/+$/, '');
  return {
    trading,
    tradingStream: c.stream_url ?? `${trading.replace(/^http/, 'ws')}/stream`,
    data: (c.data_url ?? ALPACA_DATA_URL).replace(/\/+$/, ''),
    dataStream: /\/v2\/(iex|sip)$/.test(dataStreamHost) ? dataStreamHost : `${dataStreamHost}/v2/${c.feed}`,
  };
}
