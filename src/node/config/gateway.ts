/**
 * `gateway:` — the Binance spot-compatible risk gateway (src/server/gateway/): a port of its own,
 * the keys its clients sign with, and which Warden instrument each Binance symbol trades.
 *
 * A key's `secret` is the HMAC shared secret: Binance's signing needs it on the server side, so it
 * cannot be kept as a digest like the API's keys (src/server/auth). It is given as a `${ENV}`
 * reference, like a venue's credentials; the loader collects `api_key` and `secret` values as
 * secrets, scrubbed from every log line and error.
 */
import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit' });
const instrumentId = z.string().regex(/^[\x21-\x2d\x2f-\x7e]{1,96}\.[A-Z0-9_-]{1,32}$/, { error: 'must be an instrument id SYMBOL.VENUE, e.g. BTCUSDT.BINANCE' });

export const gatewayKeySchema = z.strictObject({
  /** What the client sends in X-MBX-APIKEY (Binance's form: letters and digits). */
  api_key: z.string().regex(/^[A-Za-z0-9]{16,128}$/, { error: 'must be 16-128 letters and digits (Binance API key form)' }),
  /** The HMAC-SHA256 shared secret (at least 32 characters). */
  secret: z.string().min(32, { error: 'must be at least 32 characters' }),
  /** The Warden account the key's orders go to. */
  account: id,
  /** The strategy the key's orders belong to: its limits, trading state and ownership apply. */
  strategy: id,
  /** trade: place and cancel; read: only reads and the user data stream. */
  role: z.enum(['trade', 'read']).default('trade'),
});

export const gatewaySchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  /** 0: any free port (tests). */
  port: z.number().int().min(0).max(65535).default(8090),
  keys: z.array(gatewayKeySchema).min(1, { error: 'must list at least one key' }),
  /** Binance symbol → Warden instrument (its venue: a live ccxt venue, or a paper/sim one). */
  symbols: z.record(z.string().regex(/^[A-Z0-9]{2,30}$/, { error: 'must be a Binance symbol such as BTCUSDT' }), instrumentId),
});

export type GatewayConfig = z.infer<typeof gatewaySchema>;
export type GatewayKeyConfig = z.infer<typeof gatewayKeySchema>;
